/**
 * The content type of an upload, from its first bytes (docs/files.md#sniffing):
 * never the type or extension the client declared. Binary formats are
 * recognised by file-type on the first chunk; a file it does not recognise is
 * accepted as text only when that chunk is valid UTF-8 without control
 * characters (CSV when the name ends in .csv, plain text otherwise).
 */
import { fromBuffer } from 'file-type';

/** Sniffed types that may be uploaded. */
export const ALLOWED_TYPES = new Set([
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
]);

export const ALLOWED_DESCRIPTION = 'PDF, PNG, JPEG, GIF, WebP, Word/Excel/PowerPoint (.docx, .xlsx, .pptx), OpenDocument, CSV or plain UTF-8 text';

/** Text: valid UTF-8 (a character cut at the end of the chunk is fine), no control characters but tab, CR, LF, FF. */
function looksLikeText(head: Buffer): boolean {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0b\x0e-\x1f\x7f]/.test(head.toString('latin1'))) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** The allowed content type of a file starting with `head`, or what was detected (null: unrecognised binary) when refused. */
export async function sniff(head: Buffer, name: string): Promise<{ ok: true; type: string } | { ok: false; detected: string | null }> {
  const found = await fromBuffer(head);
  if (found) return ALLOWED_TYPES.has(found.mime) ? { ok: true, type: found.mime } : { ok: false, detected: found.mime };
  if (looksLikeText(head)) return { ok: true, type: /\.csv$/i.test(name) ? 'text/csv' : 'text/plain' };
  return { ok: false, detected: null };
}

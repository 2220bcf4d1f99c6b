/**
 * Signed download URLs (docs/files.md#downloads): `/files/<file global id>?
 * exp=<unix seconds>&u=<viewer's user id>&sig=<HMAC-SHA256>`. The URL carries
 * nothing else; it grants nothing by itself: the download re-checks, at
 * download time, that the user it names may see the file now.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FilesConfig } from '../config';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function mac(secret: Uint8Array, fileId: string, exp: number, userId: string): Buffer {
  return createHmac('sha256', secret).update(`vantage-file\n${fileId}\n${exp}\n${userId}`).digest();
}

/** The path and query of a download URL for `userId`, valid until now + the configured lifetime. */
export function signFileUrl(config: FilesConfig, globalId: string, fileId: string, userId: string, now = Date.now()): { url: string; expiresAt: Date } {
  const exp = Math.floor(now / 1000) + config.urlTtlSeconds;
  const sig = mac(config.urlSecret, fileId, exp, userId).toString('base64url');
  const query = new URLSearchParams({ exp: String(exp), u: userId, sig });
  return { url: `/files/${encodeURIComponent(globalId)}?${query}`, expiresAt: new Date(exp * 1000) };
}

/** The user a download URL was signed for, or null when it is malformed, tampered with or expired. */
export function verifyFileUrl(
  config: FilesConfig, fileId: string, query: { exp?: unknown; u?: unknown; sig?: unknown }, now = Date.now(),
): string | null {
  const { exp, u, sig } = query;
  if (typeof exp !== 'string' || typeof u !== 'string' || typeof sig !== 'string') return null;
  if (!/^\d{1,12}$/.test(exp) || !UUID.test(u) || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return null;
  const expected = mac(config.urlSecret, fileId, Number(exp), u);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  if (Number(exp) * 1000 <= now) return null;
  return u.toLowerCase();
}

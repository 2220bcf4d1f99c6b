/**
 * POST /files (docs/files.md#uploads-post-files): one multipart file field named `file`,
 * streamed to storage as it arrives — hashed (SHA-256), counted against
 * MAX_UPLOAD_BYTES, its type sniffed from the first chunk — in one database
 * transaction, so a refused upload (too large, a type not allowed, empty, the
 * client gone) stores nothing. The result is a PENDING file of the uploader,
 * which a GraphQL mutation then attaches to an object by its id.
 */
import busboy from 'busboy';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { v7 as uuidv7 } from 'uuid';
import type { Config } from '../config';
import { buildContext } from '../access/context';
import { can } from '../access/policy';
import { toGlobalId } from '../core/global-id';
import type { Logger } from '../core/logger';
import { ApiTokenScope } from '../model/identity.entity';
import { FileStatus } from '../model/file.entity';
import { bearerChallenge } from '../http/bearer';
import { sendError } from '../http/errors';
import { CHUNK_BYTES, type FileStore } from './store';
import { ALLOWED_DESCRIPTION, sniff } from './sniff';

/** An expected refusal: its status, code and message are the response. */
export class UploadError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** The file name without any path or control characters, at most 255 characters. */
function cleanName(raw: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  const base = path.basename(String(raw ?? '').replace(/\\/g, '/')).replace(/[\x00-\x1f\x7f]/g, '').trim();
  return (base || 'file').slice(0, 255);
}

interface Progress { size: number; hash: ReturnType<typeof createHash>; truncated: boolean }

/** The file's bytes regrouped into CHUNK_BYTES pieces, hashed and counted on the way. */
async function* chunked(stream: Readable, progress: Progress, tooLarge: () => UploadError): AsyncGenerator<Buffer> {
  let buf = Buffer.allocUnsafe(CHUNK_BYTES);
  let fill = 0;
  // An early exit (a refusal) must not destroy the part's stream: the parser would wait for it forever.
  // The handler drains what is left instead, so the client gets the answer.
  for await (const piece of stream.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    if (progress.truncated) throw tooLarge();
    progress.hash.update(piece);
    progress.size += piece.length;
    let offset = 0;
    while (offset < piece.length) {
      const n = Math.min(CHUNK_BYTES - fill, piece.length - offset);
      piece.copy(buf, fill, offset, offset + n);
      fill += n;
      offset += n;
      if (fill === CHUNK_BYTES) {
        yield buf;
        buf = Buffer.allocUnsafe(CHUNK_BYTES);
        fill = 0;
      }
    }
  }
  if (progress.truncated || (stream as Readable & { truncated?: boolean }).truncated) throw tooLarge();
  if (fill > 0) yield buf.subarray(0, fill);
}

async function* prepend(first: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield first;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

export interface StoredUpload { id: string; name: string; contentType: string; size: number; sha256: string; expiresAt: Date }

/** Stores one file stream as a PENDING file of `userId`; throws UploadError when refused (nothing stored). */
export async function storeUpload(
  orm: MikroORM, config: Config, store: FileStore, userId: string, stream: Readable, rawName: string | undefined,
): Promise<StoredUpload> {
  const max = config.files.maxUploadBytes;
  const tooLarge = () => new UploadError(413, 'FILE_TOO_LARGE', config.limits.exposeLimits
    ? `The file is larger than the limit of ${max} bytes (MAX_UPLOAD_BYTES); nothing was stored`
    : 'The file is larger than the upload limit; nothing was stored');
  const name = cleanName(rawName);
  const progress: Progress = { size: 0, hash: createHash('sha256'), truncated: false };
  stream.on('limit', () => {
    progress.truncated = true;
  });
  const id = uuidv7();
  const expiresAt = new Date(Date.now() + config.files.pendingTtlSeconds * 1000);
  let contentType = '';
  const knex = orm.em.getKnex();
  try {
    await knex.transaction(async (trx) => {
      const chunks = chunked(stream, progress, tooLarge);
      const first = await chunks.next();
      if (first.done) throw new UploadError(400, 'EMPTY_FILE', 'The file is empty (0 bytes); nothing was stored');
      const sniffed = await sniff(first.value, name);
      if (!sniffed.ok) {
        throw new UploadError(415, 'UNSUPPORTED_FILE_TYPE', `This kind of file cannot be uploaded${sniffed.detected ? ` (its content is ${sniffed.detected})` : ' (its content is not a recognised format)'}, whatever its name says: upload ${ALLOWED_DESCRIPTION}`);
      }
      contentType = sniffed.type;
      const now = new Date();
      // Size and hash are known at the end; the row is invisible to others until the transaction commits.
      await trx('file').insert({
        id, created_at: now, updated_at: now, version: 1, uploaded_by_id: userId, name, content_type: contentType,
        size: 1, sha256: '', storage: store.kind, status: FileStatus.PENDING, expires_at: expiresAt,
      });
      await store.write(trx, id, prepend(first.value, chunks));
      await trx('file').where({ id }).update({ size: progress.size, sha256: progress.hash.digest('hex') });
    });
  } catch (err) {
    await store.discard(id).catch(() => undefined);
    throw err;
  }
  const [row] = await knex('file').select('sha256').where({ id });
  return { id, name, contentType, size: progress.size, sha256: row.sha256, expiresAt };
}

/** Discards PENDING files whose time ran out (a few per upload, so the work is spread). */
export async function purgeExpired(orm: MikroORM, store: FileStore, logger: Logger): Promise<void> {
  const knex = orm.em.getKnex();
  const gone: { id: string; storage: string }[] = await knex('file').whereIn('id', knex('file').select('id')
    .where({ status: FileStatus.PENDING }).andWhere('expires_at', '<', new Date()).limit(20)).del(['id', 'storage']);
  for (const row of gone) {
    if (row.storage === store.kind) await store.discard(row.id).catch((err) => logger.warn({ err, fileId: row.id }, 'files: could not discard expired bytes'));
  }
}

/** The POST /files handler. */
export function uploadHandler(orm: MikroORM, config: Config, store: FileStore, logger: Logger) {
  return async (req: Request, res: Response): Promise<void> => {
    const context = await buildContext(orm, config, req.headers.authorization);
    if (!context.viewer) {
      const problem = context.authProblem ?? 'Sign in to upload files: send Authorization: Bearer <token>';
      sendError(res, 401, 'UNAUTHENTICATED', problem, context.authProblem ? { 'www-authenticate': bearerChallenge(req.headers.authorization, problem) } : {});
      return;
    }
    const viewer = context.viewer;
    if (viewer.tokenScope === ApiTokenScope.READ) {
      sendError(res, 403, 'FORBIDDEN', 'This API token is read-only: uploading needs a WRITE or ADMIN token');
      return;
    }
    if (!can.operate(viewer) && !can.actAsPartnerMember(viewer)) {
      sendError(res, 403, 'FORBIDDEN', 'Only the operator\'s administrators and project managers and partner members upload files');
      return;
    }
    if (!req.is('multipart/form-data')) {
      sendError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Upload files as multipart/form-data with one file field named "file"');
      return;
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: config.files.maxUploadBytes, fields: 10, parts: 11 } });
    } catch {
      sendError(res, 400, 'BAD_REQUEST', 'The multipart body could not be read (missing boundary?)');
      return;
    }
    let result: Promise<StoredUpload> | null = null;
    let fileStream: Readable | null = null;
    const finished = new Promise<void>((resolve, reject) => {
      parser.on('file', (field, stream, info) => {
        if (field !== 'file' || result) {
          stream.resume();
          return;
        }
        fileStream = stream;
        result = storeUpload(orm, config, store, viewer.userId, stream, info.filename);
        // A refused file: read and drop the rest of it, so the client gets the answer instead of a reset.
        result.catch(() => stream.resume());
      });
      parser.on('close', resolve);
      parser.on('error', reject);
      req.on('close', () => {
        if (req.complete) return;
        // The client went away (or the request timed out): end the file's transaction instead of waiting forever.
        const interrupted = new UploadError(400, 'BAD_REQUEST', 'The upload was interrupted; nothing was stored');
        fileStream?.destroy(interrupted);
        reject(interrupted);
      });
    });
    req.pipe(parser);
    try {
      await finished;
      if (!result) throw new UploadError(400, 'NO_FILE', 'The request has no file: send one multipart field named "file"');
      const stored = await (result as Promise<StoredUpload>);
      void purgeExpired(orm, store, logger).catch((err) => logger.warn({ err }, 'files: purging expired uploads failed'));
      res.status(201).json({
        id: toGlobalId('File', stored.id),
        name: stored.name,
        contentType: stored.contentType,
        size: stored.size,
        sha256: stored.sha256,
        expiresAt: stored.expiresAt.toISOString(),
      });
    } catch (err) {
      // Wait for the file's own outcome (the parser may close first), so the most specific refusal answers.
      const refusal = err instanceof UploadError ? err : await (result as Promise<StoredUpload> | null)?.then(() => err, (e: unknown) => e) ?? err;
      if (refusal instanceof UploadError) {
        sendError(res, refusal.status, refusal.code, refusal.message);
        return;
      }
      logger.error({ err: refusal }, 'files: upload failed');
      sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'The upload failed; nothing was stored');
    }
  };
}

/**
 * GET /files/:id?exp&u&sig (docs/files.md#downloads). The signed URL names a
 * user; the file is served when, now, that user may see it (policy.file,
 * through its object's rule). Every refusal — unknown id, malformed,
 * tampered or expired signature, a user who cannot see the file (or no longer
 * exists), a request signed in as someone other than the URL's user — is
 * the same 404, so a URL tells nothing about a file its holder may not read.
 *
 * A download of a financial document (a report's pack, a document-room
 * document) is written to the audit trail: who read which file, when.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { Config } from '../config';
import { resolveViewer } from '../access/auth';
import { verifyFileUrl } from '../access/file-url';
import { scoped } from '../access/policy';
import { buildViewer } from '../access/viewer';
import { viewerCacheOf } from '../access/viewer-cache';
import { parseGlobalId } from '../core/global-id';
import type { Logger } from '../core/logger';
import type { RequestMeta } from '../core/request-meta';
import { File, FileSubjectType } from '../model/file.entity';
import { User } from '../model/identity.entity';
import { AuditAction, writeAudit } from '../write/audit';
import { sendError } from '../http/errors';
import type { FileStore } from './store';

/** Files whose every download is audited. */
const FINANCIAL = new Set([FileSubjectType.FinancialReport, FileSubjectType.ProjectDocument]);

function notFound(res: Response): void {
  sendError(res, 404, 'NOT_FOUND', 'File not found');
}

/** `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266), the plain name reduced to safe ASCII. */
function disposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function downloadHandler(orm: MikroORM, config: Config, store: FileStore, logger: Logger) {
  return async (req: Request, res: Response): Promise<void> => {
    const decoded = parseGlobalId(String(req.params.id));
    if (!decoded || decoded.type !== 'File') return notFound(res);
    const userId = verifyFileUrl(config.files, decoded.id, req.query as Record<string, unknown>);
    if (!userId) return notFound(res);
    const em = orm.em.fork();
    // Signed in as someone else (a link passed on): not this user's URL.
    if (req.headers.authorization) {
      const presented = await resolveViewer(em, config, req.headers.authorization, viewerCacheOf(orm));
      if (presented.kind !== 'viewer' || presented.viewer.userId !== userId) return notFound(res);
    }
    const [user] = await em.find(User, { id: userId, disabledAt: null }, { populate: ['organization'] });
    if (!user) return notFound(res);
    const viewer = await buildViewer(em, user, null);
    const [file] = await em.find(File, scoped(File, viewer, { id: decoded.id }));
    if (!file) return notFound(res);

    const etag = `"${file.sha256}"`;
    res.setHeader('etag', etag);
    res.setHeader('cache-control', 'private, no-store, no-transform');
    res.setHeader('x-content-type-options', 'nosniff');
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    if (file.subjectType && FINANCIAL.has(file.subjectType)) {
      const meta = res.locals.meta as RequestMeta | undefined;
      writeAudit(em, {
        actor: user.id,
        action: AuditAction.FileDownload,
        target: file,
        projectId: file.project?.id ?? null,
        changes: { subject: { before: null, after: `${file.subjectType}:${file.subjectId}` }, name: { before: null, after: file.name } },
        requestId: meta?.requestId ?? 'download',
      });
      await em.flush();
    }
    res.status(200);
    res.setHeader('content-type', file.contentType);
    res.setHeader('content-length', String(file.size));
    res.setHeader('content-disposition', disposition(file.name));
    try {
      await pipeline(store.read(file.id), res);
    } catch (err) {
      // The client went away, or storage failed after the headers were sent: nothing more to answer.
      if (!res.writableFinished) logger.warn({ err, fileId: file.id }, 'files: download interrupted');
    }
  };
}

/**
 * GET /exports/:id — the file of one of the viewer's own DONE export jobs
 * (docs/exports.md). Authenticated with the bearer token like /graphql; a job
 * of another user, a random id and a job not DONE yet all answer 404 (the
 * same answer, so an id says nothing about whose it is). Each download is
 * recorded in the audit trail.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { Router } from 'express';
import type { Config } from '../config';
import { buildContext } from '../access/context';
import type { Logger } from '../core/logger';
import type { RequestMeta } from '../core/request-meta';
import { exportService } from '../modules/export/export.service';
import { sendError } from './errors';

export function exportRoutes(orm: MikroORM, config: Config, logger: Logger): Router {
  const router = Router();
  router.get('/exports/:id', async (req, res) => {
    const meta = res.locals.meta as RequestMeta | undefined;
    try {
      const ctx = await buildContext(orm, config, req.headers.authorization, meta?.requestId);
      if (!ctx.viewer) {
        sendError(res, 401, 'UNAUTHENTICATED', ctx.authProblem ?? 'Authentication required: send a valid token as `Authorization: Bearer <token>`', { 'WWW-Authenticate': 'Bearer' });
        return;
      }
      const job = await exportService.download(ctx, String(req.params.id));
      if (!job || !job.content) {
        sendError(res, 404, 'NOT_FOUND', 'No export with this id');
        return;
      }
      res.setHeader('Content-Type', job.contentType);
      res.setHeader('Content-Length', String(job.content.length));
      res.setHeader('Content-Disposition', `attachment; filename="${job.fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
      res.setHeader('Cache-Control', 'private, no-store');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.end(job.content);
    } catch (err) {
      logger.error({ err, requestId: meta?.requestId }, 'export download failed');
      if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    }
  });
  return router;
}

/**
 * What every request gets before any route: an id, the client address, a
 * deadline and one log line when it ends; and, for the GraphQL route, the
 * deadline's enforcement and the body limits.
 */
import express, { type ErrorRequestHandler, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Config } from '../config';
import type { Logger } from '../core/logger';
import { requestStore, type RequestMeta } from '../core/request-meta';
import { sendError } from './errors';

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** Request id, client address, deadline, and one log line per request when it ends. */
export function requestMetadata(config: Config, logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const startedAt = Date.now();
    const path = req.path;
    const meta: RequestMeta = {
      requestId: randomUUID(),
      clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      startedAt,
      deadline: startedAt + config.http.requestTimeoutMs,
    };
    res.locals.meta = meta;
    res.setHeader('x-request-id', meta.requestId);
    let logged = false;
    const log = () => {
      if (logged) return;
      logged = true;
      const line = {
        requestId: meta.requestId,
        method: req.method,
        path,
        status: res.headersSent ? res.statusCode : 499,
        durationMs: Date.now() - startedAt,
        viewerId: meta.viewerId ?? null,
        operationName: meta.operationName ?? null,
        operationType: meta.operationType ?? null,
        cost: meta.cost ?? null,
        errorCodes: meta.errorCodes ?? [],
        ...(meta.timedOut ? { timedOut: true } : {}),
      };
      if (QUIET_PATHS.has(path)) logger.debug(line, 'request');
      else logger.info(line, 'request');
    };
    res.on('finish', log);
    res.on('close', log);
    next();
  };
}

/**
 * The deadline: a response still pending when it passes gets 503; the
 * request starts no further root field or SQL statement (checkDeadline).
 */
export function enforceDeadline(): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const meta = res.locals.meta as RequestMeta;
    const timer = setTimeout(() => {
      meta.timedOut = true;
      if (!res.headersSent) sendError(res, 503, 'REQUEST_TIMEOUT', 'The request took too long and was stopped', { 'retry-after': '1' });
    }, Math.max(0, meta.deadline - Date.now()));
    res.on('close', () => clearTimeout(timer));
    next();
  };
}

/** JSON bodies only, up to BODY_LIMIT_BYTES; every refusal is a GraphQL-shaped error with its own status. */
export function jsonBody(config: Config): (RequestHandler | ErrorRequestHandler)[] {
  return [
    (req: Request, res: Response, next: NextFunction) => {
      if (req.method === 'POST' && !req.is('application/json')) {
        sendError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send GraphQL requests as POST with Content-Type: application/json (or as GET for queries)');
        return;
      }
      next();
    },
    express.json({ limit: config.http.bodyLimitBytes }),
    (err: { type?: string; status?: number }, _req: Request, res: Response, next: NextFunction) => {
      if (err?.type === 'entity.too.large') {
        sendError(res, 413, 'PAYLOAD_TOO_LARGE', config.limits.exposeLimits
          ? `The request body is larger than ${config.http.bodyLimitBytes} bytes`
          : 'The request body is too large: send a shorter query or fewer variables');
        return;
      }
      if (err?.type === 'entity.parse.failed') {
        sendError(res, 400, 'BAD_REQUEST', 'The request body is not valid JSON');
        return;
      }
      if (err && typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
        sendError(res, err.status, 'BAD_REQUEST', 'The request body could not be read');
        return;
      }
      next(err);
    },
  ];
}

/** From here on, formatError and the plugins see the request's meta (body parsing loses async context, so not earlier). */
export function withRequestMeta(): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    requestStore.run(res.locals.meta as RequestMeta, next);
  };
}

/**
 * HTTP: express 5 with Apollo Server 5, health routes, CORS allowlist, body
 * limit, request deadline, request log, error masking and the protection
 * layer (src/core/limits). No domain logic here.
 */
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { unwrapResolverError } from '@apollo/server/errors';
import { expressMiddleware } from '@as-integrations/express5';
import type { MikroORM } from '@mikro-orm/postgresql';
import cors from 'cors';
import express, { type NextFunction, type Request, type Response } from 'express';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Config } from '../config';
import { buildContext, type Context } from '../access/context';
import { AppError } from '../core/errors';
import type { Logger } from '../core/logger';
import { armorProtection } from './limits/armor';
import { databaseUnavailable, isDatabaseUnavailable, LIMIT_CODES, limitErrorOf } from '../core/limits.errors';
import { limitsPlugin } from './limits/limits.plugin';
import { RateLimits } from './limits/limits.store';
import { currentRequest, requestStore, type RequestMeta } from '../core/request-meta';
import { createSchema } from '../schema';
import { mountWeb } from './web';
import { createMetrics } from '../ops/metrics';

export interface RunningServer {
  url: string;
  port: number;
  httpServer: http.Server;
  limits: RateLimits;
  /** Stops accepting requests, drains in-flight ones (up to the grace period). */
  stop(): Promise<void>;
  setReady(ready: boolean): void;
}

export interface ServerOptions {
  /** Extra Apollo plugins (tests count resolver calls with one). */
  plugins?: ApolloServerPlugin<Context>[];
}

/** Codes whose messages are written for the client (ours, Apollo's request errors, the protection layer's). */
const KNOWN_CODES = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE', ...LIMIT_CODES,
]);

/** "Did you mean …?" reveals schema names; Apollo strips it from validation errors only, not from variable coercion errors. */
function withoutSuggestions(message: string): string {
  return message.replace(/\s*Did you mean[^?]*\?/g, '');
}

/** graphql-js states its token limit in the message; in production the limits are not echoed. */
function withoutLimits(message: string, exposeLimits: boolean): string {
  if (exposeLimits) return message;
  return message.replace(/Document contains more tha[nt] \d+ tokens\. Parsing aborted\./, 'Query document is too large: send a shorter query.');
}

/**
 * Masks every error that is not one of ours or a GraphQL request error:
 * Apollo strips stack traces in production but not messages, and a database
 * error message can carry hosts, SQL and data (PITFALLS.md). The full cause
 * is logged with the request id; the client gets the request id only.
 */
export function makeFormatError(logger: Logger, exposeLimits = true) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const meta = currentRequest();
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code as string | undefined;
    const base = { locations: formatted.locations, path: formatted.path };
    let out: GraphQLFormattedError;
    if (original instanceof AppError) {
      out = { message: formatted.message, ...base, extensions: { code, ...pick(formatted.extensions, ['field']) } };
    } else if (limitErrorOf(original)) {
      out = { message: formatted.message, ...base, extensions: { code, ...pick(formatted.extensions, ['field', 'retryAfterSeconds']) } };
    } else if (isDatabaseUnavailable(original)) {
      logger.warn({ err: original, requestId: meta?.requestId, path: formatted.path }, 'database unavailable');
      const e = databaseUnavailable();
      out = { message: e.message, ...base, extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: e.extensions.retryAfterSeconds, requestId: meta?.requestId } };
    } else if (code && KNOWN_CODES.has(code) && !(original instanceof Error && !(original instanceof GraphQLError))) {
      out = { message: formatted.message, ...base, extensions: { code } };
    } else if (original instanceof GraphQLError && !original.originalError && code === undefined && !formatted.path) {
      // Input coercion errors (a bad Decimal, Date or enum in variables) are the client's and carry our own messages.
      out = { message: formatted.message, ...base, extensions: { code: 'BAD_USER_INPUT' } };
    } else {
      logger.error({ err: original, requestId: meta?.requestId, path: formatted.path }, 'unexpected error');
      out = { message: 'Internal server error', ...base, extensions: { code: 'INTERNAL_SERVER_ERROR', ...(meta ? { requestId: meta.requestId } : {}) } };
    }
    out = { ...out, message: withoutLimits(withoutSuggestions(out.message), exposeLimits) };
    if (meta) (meta.errorCodes ??= []).push(String(out.extensions?.code));
    return out;
  };
}

function pick(obj: Record<string, unknown> | undefined, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (obj && obj[k] !== undefined) out[k] = obj[k];
  return out;
}

/** A GraphQL-shaped error body for the requests that never reach Apollo. */
function sendError(res: Response, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  const meta = res.locals.meta as RequestMeta | undefined;
  if (meta) (meta.errorCodes ??= []).push(code);
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  const req = res.req;
  if (req && !req.complete) {
    // Refused before its body was read (too large, wrong type): read and discard the rest and close,
    // so the client receives this answer instead of a connection reset while it is still sending.
    res.setHeader('Connection', 'close');
    req.resume();
  }
  res.status(status).json({ errors: [{ message, extensions: { code, ...(meta ? { requestId: meta.requestId } : {}) } }] });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (v) => { clearTimeout(timer); resolve(v); },
      (e) => { clearTimeout(timer); reject(e); },
    );
  });
}

export async function startServer(orm: MikroORM, config: Config, logger: Logger, port = config.port, options: ServerOptions = {}): Promise<RunningServer> {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.http.trustProxyHops);
  const httpServer = http.createServer(app);
  // Node's own limits on receiving a request (slow clients); the deadline below covers the response.
  httpServer.requestTimeout = config.http.requestTimeoutMs;
  httpServer.headersTimeout = Math.min(config.http.requestTimeoutMs, 60_000);
  let ready = true;

  // Request id, client address, deadline, and one log line per request when it ends.
  app.use((req: Request, res: Response, next: NextFunction) => {
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
      if (path === '/healthz' || path === '/readyz') logger.debug(line, 'request');
      else logger.info(line, 'request');
    };
    res.on('finish', log);
    res.on('close', log);
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    if (!ready) {
      res.status(503).json({ status: 'shutting down' });
      return;
    }
    try {
      await withTimeout(orm.em.getConnection().execute('select 1'), 2_000);
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unavailable' });
    }
  });

  // Operations (src/ops): GET /metrics and the Apollo plugin that feeds it.
  const metrics = createMetrics(orm, config.metrics);
  metrics.mount(app);

  const limits = new RateLimits(orm.em.getKnex(), config.limits);
  const armor = armorProtection(config.limits);
  const schema = await createSchema();
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: config.introspection,
    // Suggestions ("Did you mean …") name fields the client did not know: never sent.
    hideSchemaDetailsFromClientErrors: true,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    // main.ts owns the signals: it fails readiness first, then drains (Apollo's own handler would skip that).
    stopOnTerminationSignals: false,
    formatError: makeFormatError(logger, config.limits.exposeLimits),
    validationRules: armor.validationRules,
    parseOptions: { maxTokens: config.limits.maxTokens },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.http.shutdownGraceMs }),
      config.sandbox ? ApolloServerPluginLandingPageLocalDefault({ embed: true, footer: false }) : ApolloServerPluginLandingPageDisabled(),
      // No cache hints are used; the default cache-control plugin would still hook every field (README, Performance).
      ApolloServerPluginCacheControlDisabled(),
      ...armor.plugins,
      limitsPlugin(config.limits, limits),
      metrics.plugin,
      ...(options.plugins ?? []),
    ],
  });
  await apollo.start();

  const corsOrigins = config.http.corsOrigins;
  app.use(
    '/graphql',
    // The deadline: a response still pending when it passes gets 503; the request starts no further root field or SQL statement (checkDeadline).
    (_req: Request, res: Response, next: NextFunction) => {
      const meta = res.locals.meta as RequestMeta;
      const timer = setTimeout(() => {
        meta.timedOut = true;
        if (!res.headersSent) sendError(res, 503, 'REQUEST_TIMEOUT', 'The request took too long and was stopped', { 'retry-after': '1' });
      }, Math.max(0, meta.deadline - Date.now()));
      res.on('close', () => clearTimeout(timer));
      next();
    },
    cors<cors.CorsRequest>({
      origin: corsOrigins === 'any' ? true : corsOrigins,
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['content-type', 'authorization', 'apollo-require-preflight', 'x-apollo-operation-name'],
      exposedHeaders: ['x-request-id', 'retry-after'],
      maxAge: 600,
    }),
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
    // From here on, formatError and the plugins see the request's meta (body parsing loses async context, so not earlier).
    (_req: Request, res: Response, next: NextFunction) => {
      requestStore.run(res.locals.meta as RequestMeta, next);
    },
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const meta = res.locals.meta as RequestMeta;
        try {
          const context = await buildContext(orm, config, req.headers.authorization, meta.requestId);
          meta.viewerId = context.viewer?.userId ?? null;
          return context;
        } catch (err) {
          if (isDatabaseUnavailable(err)) {
            logger.warn({ err, requestId: meta.requestId }, 'database unavailable');
            throw databaseUnavailable();
          }
          throw err;
        }
      },
    }),
  );

  mountWeb(app);

  // Last resort: never express's HTML error page, never a stack; a response already sent (timed out) stays as it is.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    const meta = res.locals.meta as RequestMeta | undefined;
    logger.error({ err, requestId: meta?.requestId }, 'unexpected error outside GraphQL');
    sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, config.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const actualPort = (httpServer.address() as { port: number }).port;
  return {
    url: `http://localhost:${actualPort}/graphql`,
    port: actualPort,
    httpServer,
    limits,
    setReady(value) {
      ready = value;
    },
    async stop() {
      ready = false;
      await apollo.stop();
    },
  };
}

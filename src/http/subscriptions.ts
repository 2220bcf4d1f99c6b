/**
 * GraphQL subscriptions over WebSocket (graphql-ws, protocol
 * graphql-transport-ws) on the HTTP server's port, path /graphql
 * (docs/subscriptions.md).
 *
 * - Sign-in: the `connection_init` payload carries the credential,
 *   `{ "authorization": "Bearer <token>" }` or `{ "token": "<token>" }`
 *   (access token or API token), resolved as an HTTP request's. None, or one
 *   that does not resolve: closed with 4401 and the reason.
 * - Each `subscribe` goes through what an HTTP operation goes through before
 *   it runs: the token limit while parsing, validation with the same
 *   depth/alias/directive rules, NUL check, cost with its variables against
 *   the same maximum, the viewer's cost budget, and (for browser sessions
 *   and API tokens that do not allow any document, when TRUSTED_DOCUMENTS
 *   is on) the portal's allow-list. Only
 *   subscriptions: queries and mutations go over HTTP.
 * - Errors are masked by the same formatter as HTTP responses.
 * - What each message sends, and when a connection is closed, is decided by
 *   the hub (src/access/live.ts).
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import {
  getOperationAST, GraphQLError, parse, specifiedRules, validate, type DocumentNode, type ExecutionArgs, type GraphQLFormattedError, type GraphQLSchema,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Config } from '../config';
import { buildContext } from '../access/context';
import { CLOSE, LiveHub, type LiveContext, type LiveSession } from '../access/live';
import type { ViewerCache } from '../access/viewer-cache';
import type { Logger } from '../core/logger';
import { isDatabaseUnavailable } from '../core/limits.errors';
import { requestStore, type RequestMeta } from '../core/request-meta';
import { findNul, nulMessage } from '../core/text-input';
import { makeFormatError, withoutLimits, withoutSuggestions } from './errors';
import { armorProtection } from './limits/armor';
import { operationCost } from './limits/cost';
import type { RateLimits } from './limits/limits.store';
import { mayRunAnyDocument, notAllowedMessage, PERSISTED_QUERY_NOT_ALLOWED, TrustedDocuments } from './trusted-documents';

export const SUBSCRIPTIONS_PATH = '/graphql';

export interface SubscriptionServer {
  hub: LiveHub;
  stop(): Promise<void>;
}

type Extra = {
  session?: LiveSession;
  clientIp?: string;
  metas?: Map<string, RequestMeta>;
};

/** A close reason is at most 123 bytes (RFC 6455 §5.5). */
function closeReason(text: string): string {
  let out = text;
  while (Buffer.byteLength(out) > 123) out = out.slice(0, -1);
  return out;
}

/** Refusals decided before execution, written for the client (their wording is ours or graphql-js's). */
const requestErrors = new WeakSet<GraphQLError>();

function requestError(message: string, code: string, extra: Record<string, unknown> = {}): GraphQLError {
  const error = new GraphQLError(message, { extensions: { code, ...extra } });
  requestErrors.add(error);
  return error;
}

/** The credential of a connection_init payload, as an Authorization header value; null when none is given. */
export function credentialOf(params: Readonly<Record<string, unknown>> | undefined): string | null {
  if (!params) return null;
  const authorization = params.authorization ?? params.Authorization;
  if (typeof authorization === 'string' && authorization.trim()) return authorization.trim();
  if (typeof params.token === 'string' && params.token.trim()) return `Bearer ${params.token.trim()}`;
  return null;
}

export interface SubscriptionOptions {
  httpServer: http.Server;
  schema: GraphQLSchema;
  orm: MikroORM;
  config: Config;
  logger: Logger;
  limits: RateLimits;
  /** The instance's LISTEN session. */
  listener: ViewerCache;
}

export function mountSubscriptions({ httpServer, schema, orm, config, logger, limits, listener }: SubscriptionOptions): SubscriptionServer {
  const hub = new LiveHub(orm, config, listener, config.subscriptions, logger);
  hub.start();
  const formatError = makeFormatError(logger, config.limits.exposeLimits);
  const rules = [...specifiedRules, ...armorProtection(config.limits).validationRules];
  let trusted: TrustedDocuments | null = null;
  if (config.trustedDocuments) {
    try {
      trusted = TrustedDocuments.load();
    } catch {
      // graphql.ts logs the missing allow-list; browser sessions subscribe to nothing then (fail closed).
      trusted = new TrustedDocuments({});
    }
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: config.http.bodyLimitBytes });
  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== SUBSCRIPTIONS_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  httpServer.on('upgrade', onUpgrade);

  const format = (meta: RequestMeta | undefined, errors: readonly GraphQLError[]): GraphQLFormattedError[] => {
    const run = () => errors.map((e) => {
      if (!requestErrors.has(e)) return formatError(e.toJSON(), e);
      // As Apollo answers them: schema names in suggestions and limit values (in production) are not echoed.
      return { message: withoutLimits(withoutSuggestions(e.message), config.limits.exposeLimits), extensions: e.extensions };
    });
    return meta ? requestStore.run(meta, run) : run();
  };

  const server = useServer<Record<string, unknown>, Extra>({
    schema,
    connectionInitWaitTimeout: 10_000,
    async onConnect(ctx) {
      const socket = ctx.extra.socket;
      ctx.extra.clientIp = ctx.extra.request.socket.remoteAddress ?? 'unknown';
      const authorization = credentialOf(ctx.connectionParams);
      const refuse = (code: number, reason: string) => {
        socket.close(code, closeReason(reason));
        return false;
      };
      if (!authorization) return refuse(CLOSE.UNAUTHORIZED, 'Authentication required: send { "authorization": "Bearer <token>" } in connection_init');
      let context;
      try {
        context = await buildContext(orm, config, authorization);
      } catch (err) {
        if (isDatabaseUnavailable(err)) return refuse(CLOSE.INTERRUPTED, 'The service is temporarily unavailable: retry in a few seconds');
        throw err;
      }
      if (!context.viewer) return refuse(CLOSE.UNAUTHORIZED, context.authProblem ?? 'Authentication required');
      ctx.extra.session = hub.open(authorization, context.viewer, (code, reason) => socket.close(code, closeReason(reason)));
      ctx.extra.metas = new Map();
      return true;
    },

    async onSubscribe(ctx, id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> {
      const session = ctx.extra.session!;
      const meta: RequestMeta = { requestId: randomUUID(), clientIp: ctx.extra.clientIp ?? 'unknown', startedAt: Date.now(), deadline: Number.POSITIVE_INFINITY };
      ctx.extra.metas!.set(id, meta);
      if (typeof payload.query !== 'string') return [requestError('Send the subscription\'s document as `query`', 'BAD_REQUEST')];
      let document: DocumentNode;
      try {
        document = parse(payload.query, { maxTokens: config.limits.maxTokens });
      } catch (err) {
        const e = err as GraphQLError;
        return [requestError(e.message, 'GRAPHQL_PARSE_FAILED')];
      }
      const invalid = validate(schema, document, rules);
      if (invalid.length) return invalid.map((e) => requestError(e.message, 'GRAPHQL_VALIDATION_FAILED'));
      const operationName = payload.operationName ?? undefined;
      const operation = getOperationAST(document, operationName);
      if (!operation) return [requestError('Name the operation to run (operationName): the document has several, or none by that name', 'OPERATION_RESOLUTION_FAILURE')];
      if (operation.operation !== 'subscription') {
        return [requestError('Only subscriptions are served over WebSocket: send queries and mutations to /graphql over HTTP', 'BAD_REQUEST')];
      }
      const variables = (payload.variables ?? {}) as Record<string, unknown>;
      const nul = findNul(document, variables);
      if (nul) return [requestError(nulMessage(nul), 'BAD_USER_INPUT')];

      let measured;
      try {
        measured = operationCost(schema, document, variables, operationName);
      } catch (err) {
        const message = (err as Error).message;
        if (/maximum allowed number of nodes/.test(message)) return [requestError('This query is too large: it expands to too many fields (check repeated fragment spreads).', 'MAX_COST_EXCEEDED')];
        return [requestError(`The operation's variables are invalid: ${message}`, 'BAD_USER_INPUT')];
      }
      meta.cost = measured.cost;
      if (measured.violations.length) return [requestError(measured.violations.map((v) => v.message).join('; '), 'BAD_USER_INPUT', { field: measured.violations[0].field })];
      if (measured.cost > config.limits.maxQueryCost) {
        return [requestError(config.limits.exposeLimits
          ? `This query costs ${measured.cost} points; the maximum is ${config.limits.maxQueryCost}. Ask for fewer items (first/last) or fewer nested connections.`
          : 'This query is too costly: ask for fewer items (first/last) or fewer nested connections.', 'MAX_COST_EXCEEDED')];
      }

      // The viewer as of now (it may have changed since the connection opened).
      const context = (await buildContext(orm, config, session.authorization, meta.requestId)) as LiveContext;
      if (!context.viewer) {
        session.end(CLOSE.UNAUTHORIZED, context.authProblem ?? 'Authentication required');
        return [requestError(context.authProblem ?? 'Authentication required', 'UNAUTHENTICATED')];
      }
      meta.viewerId = context.viewer.userId;
      const spent = await limits.cost.spend(`user:${context.viewer.userId}`, measured.cost);
      if (!spent.allowed) {
        return [requestError(`Query budget exhausted for this minute: retry in ${spent.retryAfterSeconds} seconds`, 'RATE_LIMITED', { retryAfterSeconds: spent.retryAfterSeconds })];
      }
      if (trusted && !mayRunAnyDocument(context.viewer) && !trusted.allows(document)) {
        return [requestError(notAllowedMessage(context.viewer), PERSISTED_QUERY_NOT_ALLOWED)];
      }
      context.live = session;
      return { schema, document, operationName, variableValues: variables, contextValue: context };
    },

    onNext(ctx, id, _payload, _args, result) {
      if (!result.errors?.length) return undefined;
      return { ...result, errors: format(ctx.extra.metas?.get(id), result.errors) };
    },

    onError(ctx, id, _payload, errors) {
      const meta = ctx.extra.metas?.get(id);
      ctx.extra.metas?.delete(id);
      return format(meta, errors);
    },

    onComplete(ctx, id) {
      ctx.extra.metas?.delete(id);
    },

    onClose(ctx) {
      ctx.extra.session?.dispose();
    },
  }, wss);

  return {
    hub,
    async stop() {
      httpServer.off('upgrade', onUpgrade);
      hub.stop();
      await server.dispose();
    },
  };
}

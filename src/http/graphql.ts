/**
 * The /graphql route: Apollo Server with its plugins, and the chain in front
 * of it (deadline, CORS, body, request context).
 */
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import type { MikroORM } from '@mikro-orm/postgresql';
import cors from 'cors';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { GraphQLSchema } from 'graphql';
import type http from 'node:http';
import type { Config } from '../config';
import { buildContext, type Context } from '../access/context';
import type { Logger } from '../core/logger';
import { databaseUnavailable, isDatabaseUnavailable } from '../core/limits.errors';
import type { RequestMeta } from '../core/request-meta';
import { bearerChallengePlugin } from './bearer';
import type { CompiledExecutor } from './executor';
import { makeFormatError } from './errors';
import { armorProtection } from './limits/armor';
import { limitsPlugin } from './limits/limits.plugin';
import type { RateLimits } from './limits/limits.store';
import { enforceDeadline, jsonBody, withRequestMeta } from './request';
import { PERSISTED_DOCUMENTS_FILE, TrustedDocuments, trustedDocumentsPlugin } from './trusted-documents';

export interface ApolloOptions {
  schema: GraphQLSchema;
  config: Config;
  logger: Logger;
  httpServer: http.Server;
  limits: RateLimits;
  plugins?: ApolloServerPlugin<Context>[];
  /** Executes operations instead of graphql-js (GRAPHQL_JIT); without it, Apollo's own execution. */
  executor?: CompiledExecutor;
}

/**
 * The allow-list, when TRUSTED_DOCUMENTS is on. Without the built file every
 * session document is refused (fail closed): the portal is not built then
 * either, and API tokens still work.
 */
function trustedDocuments(config: Config, logger: Logger): ApolloServerPlugin<Context>[] {
  if (!config.trustedDocuments) return [];
  let trusted: TrustedDocuments;
  try {
    trusted = TrustedDocuments.load();
  } catch (err) {
    logger.error({ err, file: PERSISTED_DOCUMENTS_FILE }, 'trusted documents: no allow-list, so signed-in sessions can run no operation; build the portal (npm run build:web) or set TRUSTED_DOCUMENTS=off');
    trusted = new TrustedDocuments({});
  }
  return [trustedDocumentsPlugin(trusted)];
}

export function createApollo({ schema, config, logger, httpServer, limits, plugins = [], executor }: ApolloOptions): ApolloServer<Context> {
  const armor = armorProtection(config.limits);
  return new ApolloServer<Context>({
    // The compiled executor serves the same schema as a gateway: Apollo's one way to replace execution.
    ...(executor ? { gateway: executor.gateway } : { schema }),
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
    // No automatic persisted queries: Apollo's APQ cache is shared by all clients, so a hit would tell one
    // viewer which documents others sent. The portal's documents are an allow-list built with it instead.
    persistedQueries: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.http.shutdownGraceMs }),
      // The explorer is the local GraphiQL (web.ts); Apollo's landing page would load the Sandbox from the internet.
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints are used; the default cache-control plugin would still hook every field (README, Performance).
      ApolloServerPluginCacheControlDisabled(),
      ...armor.plugins,
      limitsPlugin(config.limits, limits),
      bearerChallengePlugin(),
      ...trustedDocuments(config, logger),
      ...plugins,
    ],
  });
}

/** One context per request: the viewer from the bearer token; a database outage is a 503, not a 500. */
function contextFunction(orm: MikroORM, config: Config, logger: Logger) {
  return async ({ req, res }: { req: { headers: http.IncomingHttpHeaders }; res: { locals: Record<string, unknown> } }): Promise<Context> => {
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
  };
}

/** The handlers mounted at /graphql, in order. */
export function graphqlChain(apollo: ApolloServer<Context>, orm: MikroORM, config: Config, logger: Logger): (RequestHandler | ErrorRequestHandler)[] {
  const corsOrigins = config.http.corsOrigins;
  return [
    enforceDeadline(),
    cors<cors.CorsRequest>({
      origin: corsOrigins === 'any' ? true : corsOrigins,
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['content-type', 'authorization', 'apollo-require-preflight', 'x-apollo-operation-name'],
      exposedHeaders: ['x-request-id', 'retry-after', 'www-authenticate'],
      maxAge: 600,
    }),
    ...jsonBody(config),
    withRequestMeta(),
    expressMiddleware(apollo, { context: contextFunction(orm, config, logger) }),
  ];
}

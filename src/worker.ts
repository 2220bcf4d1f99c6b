/**
 * `npm run worker`: the job queue's runner alone (docs/notifications.md), for
 * instances that serve the API with JOBS=off. Needs DATABASE_URL (the
 * database the API instances use); migrates it like the server does.
 * Stops on SIGTERM/SIGINT after the running jobs finish.
 */
import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './core/logger';
import { initOrm, migrate } from './db/orm';
import { startJobs } from './jobs/queue';

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
  if (!config.databaseUrl) {
    console.error('The worker needs DATABASE_URL: the database of the API instances it works for (the embedded PostgreSQL belongs to one server process)');
    process.exit(2);
  }
  const orm = await initOrm({ url: config.databaseUrl, poolMax: 2 });
  await migrate(orm);
  const jobs = await startJobs(orm, config, logger);
  logger.info({ concurrency: config.jobs.concurrency }, 'job runner started');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'job runner stopping');
    await jobs.stop();
    await orm.close();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop(signal));
}

main().catch((err) => {
  console.error(`The worker could not start: ${(err as Error).message}`);
  process.exit(1);
});

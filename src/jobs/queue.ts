/**
 * The job queue: graphile-worker 0.17 on the application's PostgreSQL
 * (docs/notifications.md). Jobs are rows of the `graphile_worker` schema, so
 * a job added inside a transaction exists exactly when that transaction
 * commits; the runner picks new jobs up at once (LISTEN) and retries failed
 * ones with exponential backoff.
 *
 * The runner works in the server's process by default (`startServer` starts
 * it; JOBS=off for an API-only instance) or alone (`npm run worker`). It has
 * its own ORM instance and connection pool, so background work never takes
 * the request pool's connections.
 */
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Logger as WorkerLogger, parseCronItems, run, type Runner, type TaskList } from 'graphile-worker';
import pg from 'pg';
import type { Config } from '../config';
import type { Logger } from '../core/logger';
import { initOrm } from '../db/orm';
import { cronItems, tasks, type JobContext } from './tasks';
import { startLockRecovery } from './recovery';
import { enqueue, type JobOptions } from '../write/jobs';

export type { JobOptions } from '../write/jobs';

/** Adds a job in the caller's transaction (`em` inside `transactional`): it exists iff that transaction commits. */
export async function addJob(em: EntityManager, task: string, payload: Record<string, unknown>, options: JobOptions = {}): Promise<void> {
  if (!(task in tasks)) throw new Error(`jobs: no task named ${task} in src/jobs/tasks.ts`);
  await enqueue(em, task, payload, options);
}

export interface Jobs {
  /** Lets running jobs finish (up to graphile-worker's grace period), then closes the queue's connections. */
  stop(): Promise<void>;
}

/** graphile-worker's log lines into the application's logger. */
function workerLogger(logger: Logger): WorkerLogger {
  return new WorkerLogger((scope) => (level, message, meta) => {
    const fields = { jobs: scope, ...(meta ?? {}) };
    if (level === 'error') logger.error(fields, message);
    else if (level === 'warning') logger.warn(fields, message);
    else if (level === 'info') logger.info(fields, message);
    else logger.debug(fields, message);
  });
}

/** Starts the runner for every task of src/jobs/tasks.ts and the schedules of `cronItems`. */
export async function startJobs(orm: MikroORM, config: Config, logger: Logger): Promise<Jobs> {
  const url = String(orm.config.get('clientUrl'));
  const jobsOrm = await initOrm({ url, poolMax: Math.max(2, config.jobs.concurrency) });
  const context: Omit<JobContext, 'helpers'> = { orm: jobsOrm, config, logger };
  const taskList: TaskList = {};
  for (const [name, task] of Object.entries(tasks)) {
    taskList[name] = (payload, helpers) => task(payload as Record<string, unknown>, { ...context, helpers });
  }
  // The runner's pool is ours, with its error handlers, and closed by stop() before it returns. graphile-worker's own
  // pool removes its error handler at stop and ends without waiting: a connection that failed in between (the
  // database restarted or dropped while the process stops) became an unhandled 'error' that ended the process.
  const pool = new pg.Pool({ connectionString: url, max: Math.max(10, config.jobs.concurrency + 2) });
  pool.on('error', (err) => logger.warn({ err }, 'job queue: an idle connection failed; the pool replaces it'));
  pool.on('connect', (client) => client.on('error', (err) => logger.warn({ err }, 'job queue: a connection failed')));
  const closePool = () => pool.end().catch((err) => logger.error({ err }, 'closing the job queue\'s pool failed'));
  let runner: Runner;
  try {
    runner = await run({
      pgPool: pool,
      concurrency: config.jobs.concurrency,
      pollInterval: config.jobs.pollIntervalMs,
      noHandleSignals: true,
      logger: workerLogger(logger),
      taskList,
      parsedCronItems: parseCronItems(cronItems(config)),
    });
  } catch (err) {
    await closePool();
    await jobsOrm.close();
    throw err;
  }
  const stopRecovery = startLockRecovery(() => jobsOrm.em.fork() as EntityManager, config.jobs.staleLockSeconds, logger);
  let stopping: Promise<void> | null = null;
  return {
    stop() {
      stopping ??= (async () => {
        stopRecovery();
        await runner.stop().catch((err) => logger.error({ err }, 'stopping the job runner failed'));
        await closePool();
        await jobsOrm.close();
      })();
      return stopping;
    },
  };
}

/**
 * Jobs of a dead runner (docs/webhooks.md#delivery). graphile-worker locks a
 * job while a runner works on it and, by itself, frees the lock of a runner
 * that died (a killed process, a lost machine) only after 4 hours. Every
 * runner here frees, at start and then periodically, the locks older than
 * JOBS_STALE_LOCK_SECONDS — longer than any of our jobs may take (a webhook
 * attempt is bounded by WEBHOOK_TIMEOUT_MS) — so the job runs again soon.
 * Every task is idempotent and delivery is at least once, so a job freed
 * while its (slow) runner was in fact still alive at worst runs twice.
 */
import type { Logger } from '../core/logger';
import type { EntityManager } from '@mikro-orm/postgresql';

/** Frees the stale locks once; the number of jobs freed. */
export async function freeStaleLocks(em: EntityManager, staleSeconds: number): Promise<number> {
  const rows = await em.execute(
    `update graphile_worker._private_jobs set locked_at = null, locked_by = null
     where locked_at is not null and locked_at < now() - make_interval(secs => ?) returning id`,
    [staleSeconds],
  );
  await em.execute(
    `update graphile_worker._private_job_queues set locked_at = null, locked_by = null
     where locked_at is not null and locked_at < now() - make_interval(secs => ?)`,
    [staleSeconds],
  );
  return rows.length;
}

/** Runs `freeStaleLocks` now and every half period; returns the stop function. */
export function startLockRecovery(fork: () => EntityManager, staleSeconds: number, logger: Logger): () => void {
  const once = async () => {
    try {
      const freed = await freeStaleLocks(fork(), staleSeconds);
      if (freed) logger.warn({ freed, staleSeconds }, 'jobs of a runner that stopped answering were freed to run again');
    } catch (err) {
      logger.error({ err }, 'freeing stale job locks failed');
    }
  };
  void once();
  const timer = setInterval(() => void once(), Math.max(500, (staleSeconds * 1000) / 2));
  timer.unref();
  return () => clearInterval(timer);
}

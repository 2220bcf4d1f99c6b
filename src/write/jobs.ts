/**
 * Adding a job to the queue (graphile-worker, docs/notifications.md) inside a
 * write's transaction: the job exists exactly when that transaction commits.
 * The runner and the task registry live in src/jobs/, above the modules;
 * this is the one statement that writers below it need.
 */
import type { EntityManager } from '@mikro-orm/postgresql';

export interface JobOptions {
  /** Replaces a pending job with the same key (so a retried producer does not add a second one). */
  jobKey?: string;
  runAt?: Date;
  maxAttempts?: number;
}

/** Adds a job in the caller's transaction (`em` inside `transactional`). */
export async function enqueue(em: EntityManager, task: string, payload: Record<string, unknown>, options: JobOptions = {}): Promise<void> {
  await em.execute(
    'select (graphile_worker.add_job(?::text, ?::json, run_at => ?::timestamptz, max_attempts => ?::int, job_key => ?::text)).id',
    [task, JSON.stringify(payload), options.runAt?.toISOString() ?? null, options.maxAttempts ?? null, options.jobKey ?? null],
  );
}

/**
 * The one registry of job tasks (append yours) and of the periodic schedules.
 * A task gets its payload and a context: its own ORM (fork an EntityManager
 * per job), the configuration, the logger and graphile-worker's helpers.
 * A task that throws is retried with backoff; tasks must be idempotent.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { CronItem, JobHelpers } from 'graphile-worker';
import type { Config } from '../config';
import type { Logger } from '../core/logger';
import { DELIVER_EVENT_TASK } from '../write/transaction';
import { deliverEvent } from './deliver-event';
import { findSlippedMilestones, MILESTONE_SLIP_TASK } from './milestone-slipped';
import { deliverWebhook, WEBHOOK_TASK } from './webhook';
import { EMAIL_DIGEST_TASK, EMAIL_TASK, sendDigests, sendEventEmail } from './email';
import { RUN_EXPORT_TASK } from '../modules/export/export.service';
import { runExportTask } from './export';

export interface JobContext {
  orm: MikroORM;
  config: Config;
  logger: Logger;
  helpers: JobHelpers;
}

export type JobTask = (payload: Record<string, unknown>, context: JobContext) => Promise<void>;

export const tasks: Record<string, JobTask> = {
  [DELIVER_EVENT_TASK]: deliverEvent,
  [MILESTONE_SLIP_TASK]: findSlippedMilestones,
  [WEBHOOK_TASK]: deliverWebhook,
  [EMAIL_TASK]: sendEventEmail,
  [EMAIL_DIGEST_TASK]: sendDigests,
  [RUN_EXPORT_TASK]: runExportTask,
};

/** Periodic jobs (graphile-worker cron: one job per tick across every runner); none with JOBS_SCHEDULES=off. */
export function cronItems(config: Config): CronItem[] {
  if (!config.jobs.schedules) return [];
  return [
    { task: MILESTONE_SLIP_TASK, match: config.jobs.slipSchedule, identifier: MILESTONE_SLIP_TASK, options: { backfillPeriod: 0, jobKey: MILESTONE_SLIP_TASK } },
    // E-mail digests (README "E-mail"): daily at 07:00 UTC, weekly on Mondays at 07:00 UTC.
    { task: EMAIL_DIGEST_TASK, match: '0 7 * * *', identifier: 'email_digest_daily', payload: { mode: 'DAILY_DIGEST' }, options: { backfillPeriod: 0, jobKey: 'email_digest_daily' } },
    { task: EMAIL_DIGEST_TASK, match: '0 7 * * 1', identifier: 'email_digest_weekly', payload: { mode: 'WEEKLY_DIGEST' }, options: { backfillPeriod: 0, jobKey: 'email_digest_weekly' } },
  ];
}

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
  [RUN_EXPORT_TASK]: runExportTask,
};

/** Periodic jobs (graphile-worker cron: one job per tick across every runner). */
export function cronItems(config: Config): CronItem[] {
  return [
    { task: MILESTONE_SLIP_TASK, match: config.jobs.slipSchedule, identifier: MILESTONE_SLIP_TASK, options: { backfillPeriod: 0, jobKey: MILESTONE_SLIP_TASK } },
  ];
}

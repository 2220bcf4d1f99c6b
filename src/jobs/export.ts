/**
 * `run_export`: writes a QUEUED export job (src/modules/export, docs/exports.md)
 * as its requester, with progress in the job's row. Idempotent: a job that is
 * already DONE or FAILED is left as it is.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { runExport } from '../modules/export/export.service';
import type { JobContext } from './tasks';

export async function runExportTask(payload: Record<string, unknown>, context: JobContext): Promise<void> {
  const jobId = String(payload.jobId ?? '');
  if (!/^[0-9a-f-]{36}$/i.test(jobId)) throw new Error(`run_export: bad payload ${JSON.stringify(payload).slice(0, 100)}`);
  await runExport(context.orm.em.fork() as EntityManager, context.config, jobId);
}

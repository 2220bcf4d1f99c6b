/**
 * Exports (docs/exports.md): request, run, download.
 *
 * A request checks what it names through the policy (an invisible project or
 * report is NOT_FOUND, like a random id), creates the job and its audit event
 * in one transaction and, when the list is small, writes the file in the
 * same transaction (the job is DONE when the mutation answers). A larger
 * list is QUEUED, with a `run_export` job on the queue in the same
 * transaction, and written by `runExport` as the requester, with progress
 * in the job row.
 * Every file is read through the requester's scoped reader, the reads of
 * the GraphQL lists; the job and its file belong to the requester alone
 * (policy.exportJob).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { authed, type Context } from '../../access/context';
import { fieldRules, scoped } from '../../access/policy';
import { Reader } from '../../access/reader';
import { buildViewer } from '../../access/viewer';
import type { Config } from '../../config';
import { AppError, ForbiddenError, NotFoundError } from '../../core/errors';
import { parseGlobalId, toGlobalId } from '../../core/global-id';
import { DeliverableStatus } from '../../model/deliverable.entity';
import { ExportFormat, ExportJob, ExportKind, ExportStatus } from '../../model/export.entity';
import { FinancialReport } from '../../model/financial-report.entity';
import { User } from '../../model/identity.entity';
import { MilestoneStatus } from '../../model/milestone.entity';
import { Project } from '../../model/project.entity';
import { RiskStatus } from '../../model/risk.entity';
import { AuditAction, created } from '../../write/audit';
import { Checks } from '../../write/checks';
import { idOf } from '../../write/ids';
import { enqueue } from '../../write/jobs';
import { mutate, type MutationResult } from '../../write/transaction';
import { toCsv, toXlsx, type OnProgress } from './export.formats';
import type { RequestExportInput } from './export.inputs';
import { investorPack } from './export.pack';
import { sourceOf, tableOf, type ExportScope } from './export.tables';

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  [ExportFormat.CSV]: 'text/csv; charset=utf-8',
  [ExportFormat.XLSX]: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  [ExportFormat.PDF]: 'application/pdf',
};

const STATUSES: Partial<Record<ExportKind, string[]>> = {
  [ExportKind.DELIVERABLES]: Object.values(DeliverableStatus),
  [ExportKind.MILESTONES]: Object.values(MilestoneStatus),
  [ExportKind.RISKS]: Object.values(RiskStatus),
};

/** The job's parameters as stored: raw ids, checked already. */
interface Params extends ExportScope { asOf: string | null; requestId: string }

export interface ProducedFile { content: Buffer; rows: number }

/** Writes the file of a job as the context's viewer. */
export async function produce(ctx: Context, job: Pick<ExportJob, 'kind' | 'format'>, params: Params, onProgress?: OnProgress): Promise<ProducedFile> {
  if (job.kind === ExportKind.INVESTOR_PACK) {
    const pack = await investorPack(ctx, params.projectId!, params.asOf, onProgress);
    return { content: pack.pdf, rows: pack.sections };
  }
  const table = await tableOf(ctx, job.kind, params);
  await onProgress?.(0.1);
  const scaled: OnProgress = (done) => onProgress?.(0.1 + 0.8 * done);
  const content = job.format === ExportFormat.CSV ? await toCsv(table, scaled) : await toXlsx(table, scaled);
  return { content, rows: table.rows.length };
}

function fileNameOf(kind: ExportKind, format: ExportFormat, stem: string | null): string {
  const date = new Date().toISOString().slice(0, 10);
  const base = kind === ExportKind.INVESTOR_PACK ? 'investor-pack' : kind.toLowerCase().replace(/_/g, '-');
  const safe = (stem ?? '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return `${base}${safe ? `-${safe}` : ''}-${date}.${format.toLowerCase()}`;
}

/** The background task that writes a QUEUED export (registered in src/jobs/tasks.ts; named here, below the jobs layer). */
export const RUN_EXPORT_TASK = 'run_export';

export const exportService = {
  async request(ctx: Context, input: RequestExportInput): Promise<MutationResult<ExportJob>> {
    const { viewer, reader } = authed(ctx);
    const checks = new Checks();
    const isPack = input.kind === ExportKind.INVESTOR_PACK;
    if (isPack && input.format !== ExportFormat.PDF) checks.add('format', 'The investor pack is a PDF: use format PDF');
    if (!isPack && input.format === ExportFormat.PDF) checks.add('format', 'Lists are exported as CSV or XLSX; PDF is for the investor pack');
    if (isPack && !input.projectId) checks.add('projectId', 'The investor pack needs projectId');
    if (input.kind === ExportKind.REPORT_LINES && !input.reportId) checks.add('reportId', 'REPORT_LINES needs reportId, the report whose lines to export');
    const status = input.filter?.status ?? null;
    if (status !== null && input.kind !== ExportKind.AUDIT_EVENTS) {
      const allowed = STATUSES[input.kind];
      if (!allowed) checks.add('filter.status', `filter.status does not apply to ${input.kind}`);
      else if (!allowed.includes(status)) checks.add('filter.status', `filter.status must be one of ${allowed.join(', ')} (got "${status.slice(0, 40)}")`);
    }
    if (input.filter?.from && input.filter?.to && input.filter.to < input.filter.from) checks.add('filter.to', 'filter.to must not be before filter.from');
    if ((input.filter?.actorId || input.filter?.entityType) && input.kind !== ExportKind.AUDIT_EVENTS) {
      checks.add(input.filter.actorId ? 'filter.actorId' : 'filter.entityType', 'filter.actorId and filter.entityType apply to AUDIT_EVENTS only');
    }
    const result = await mutate(ctx, async (tx) => {
      checks.done();
      const projectId = input.projectId ? idOf(input.projectId, 'Project', 'projectId') : null;
      const reportId = input.reportId ? idOf(input.reportId, 'FinancialReport', 'reportId') : null;
      const actorId = input.filter?.actorId ? idOf(input.filter.actorId, 'User', 'filter.actorId') : null;
      // What the input names must be visible: the same NOT_FOUND as a random id otherwise.
      const project = projectId ? await reader.byId(Project).load(projectId) : null;
      if (projectId && !project) throw new NotFoundError('Project');
      const report = reportId ? await reader.byId(FinancialReport).load(reportId) : null;
      if (reportId && !report) throw new NotFoundError('FinancialReport');
      if (input.kind === ExportKind.AUDIT_EVENTS && viewer.side !== 'operator') throw new ForbiddenError('Only the operator\'s staff can read the audit trail');
      if (isPack) fieldRules.financials(viewer);
      const params: Params = {
        projectId, reportId, status, from: input.filter?.from ?? null, to: input.filter?.to ?? null,
        actorId, entityType: input.filter?.entityType ?? null, asOf: input.asOf ?? null, requestId: ctx.requestId,
      };
      const subject = project ?? (report ? await reader.byId(Project).load(report.project.id) : null);
      const job = tx.em.create(ExportJob, {
        requester: viewer.userId,
        project: subject?.id ?? null,
        kind: input.kind,
        format: input.format,
        status: ExportStatus.QUEUED,
        progress: 0,
        params: params as unknown as Record<string, unknown>,
        fileName: fileNameOf(input.kind, input.format, report ? `${subject?.code ?? ''}-${report.periodEnd}-r${report.revision}` : subject?.code ?? null),
        contentType: CONTENT_TYPES[input.format],
      } as never) as ExportJob;
      const source = isPack ? null : sourceOf(input.kind, params);
      const rows = source ? await tx.count(source.entity as never, source.where) : 0;
      if (rows <= ctx.config.exports.inlineMaxRows) {
        const file = await produce(ctx, job, params);
        Object.assign(job, { status: ExportStatus.DONE, progress: 100, content: file.content, size: file.content.length, rowCount: file.rows, finishedAt: new Date() });
      } else {
        // The job exists exactly when this transaction commits, with the export row it writes.
        await enqueue(tx.em, RUN_EXPORT_TASK, { jobId: job.id }, { jobKey: `${RUN_EXPORT_TASK}:${job.id}`, maxAttempts: 3 });
      }
      tx.audit(AuditAction.ExportJobRequest, job, subject?.id ?? null, created({
        kind: input.kind, format: input.format, project: subject ?? null, report: report ?? null,
        filter: input.filter ? { status, from: params.from, to: params.to, actorId: input.filter.actorId ?? null, entityType: params.entityType } : null, asOf: params.asOf, rows, inline: job.status === ExportStatus.DONE,
      }));
      return job;
    });
    return result;
  },

  /** The job's own file, for GET /exports/:id: the requester's DONE job, or null (NOT_FOUND); the download is audited. */
  async download(ctx: Context, globalId: string): Promise<ExportJob | null> {
    const { viewer } = authed(ctx);
    const decoded = parseGlobalId(globalId);
    if (!decoded || decoded.type !== 'ExportJob') return null;
    const [job] = await ctx.em.fork({ clear: true }).find(ExportJob, scoped(ExportJob, viewer, { id: decoded.id }), { populate: ['content'] as never });
    if (!job || job.status !== ExportStatus.DONE || !job.content) return null;
    await mutate(ctx, async (tx) => {
      tx.audit(AuditAction.ExportJobDownload, job, job.project?.id ?? null, created({ fileName: job.fileName, size: job.size }));
    });
    return job;
  },

  downloadUrl(job: ExportJob): string | null {
    return job.status === ExportStatus.DONE ? `/exports/${encodeURIComponent(toGlobalId('ExportJob', job.id))}` : null;
  },
};

/**
 * Writes a QUEUED job in the background, as its requester: the viewer is
 * built again from the user (a disabled user's job fails), so the file holds
 * what the requester may see when it is written.
 */
export async function runExport(em: EntityManager, config: Config, jobId: string): Promise<void> {
  // The runner, not a request: the job is found by its id, and everything it writes is read as its requester below.
  const [job] = await em.find(ExportJob, { id: jobId });
  // RUNNING: a runner stopped in the middle; the file is written again from the start.
  if (!job || (job.status !== ExportStatus.QUEUED && job.status !== ExportStatus.RUNNING)) return;
  const params = job.params as unknown as Params;
  const setProgress = async (fields: Partial<ExportJob>) => {
    await em.nativeUpdate(ExportJob, { id: jobId }, { ...fields, updatedAt: new Date() } as never);
  };
  try {
    await setProgress({ status: ExportStatus.RUNNING, progress: 1 });
    const [user] = await em.find(User, { id: job.requester.id }, { populate: ['organization'] });
    if (!user || user.disabledAt) throw new AppError('The requesting user is disabled', 'FORBIDDEN');
    const viewer = await buildViewer(em, user, null);
    const ctx: Context = { em, config, requestId: params.requestId, viewer, reader: new Reader(em, viewer, config.preparedReads), authProblem: null };
    let last = 1;
    const file = await produce(ctx, job, params, async (done) => {
      const progress = Math.min(99, Math.max(1, Math.floor(done * 100)));
      if (progress > last) {
        last = progress;
        await setProgress({ progress });
      }
    });
    await setProgress({ status: ExportStatus.DONE, progress: 100, content: file.content, size: file.content.length, rowCount: file.rows, finishedAt: new Date() });
  } catch (err) {
    // FAILED is final (the requester asks again): the same input would fail the same way on a retry.
    const message = err instanceof AppError ? err.message : 'The export failed; try again or ask an administrator';
    await setProgress({ status: ExportStatus.FAILED, error: message, finishedAt: new Date() });
    if (!(err instanceof AppError)) throw err;
  }
}


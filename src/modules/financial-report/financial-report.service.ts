/**
 * Financial report writes, by whoever manages the report's project.
 * History is never lost: a published report is immutable, a correction is a
 * new revision of the same period, and publishing it supersedes the previous
 * published revision in the same transaction.
 */
import type { Context } from '../../access/context';
import { mutate, type Tx } from '../../write/transaction';
import { Checks, fail, LIMITS, money, userError, UserErrorsAbort } from '../../write/checks';
import { transition } from '../../write/machine';
import { AuditAction, created, gid } from '../../write/audit';
import { idOf } from '../../write/ids';
import { can } from '../../access/policy';
import type { Viewer } from '../../access/viewer';
import { User } from '../../model/identity.entity';
import { UserErrorCode } from '../../core/user-error';
import { managedProject } from '../project/project.service';
import { FinancialReport, FinancialReportLine, ReportStatus, SpendCategory } from '../../model/financial-report.entity';
import type {
  CreateFinancialReportInput, DeleteFinancialReportInput, FinancialReportLineInput, PublishFinancialReportInput, RestateFinancialReportInput,
  UpdateFinancialReportInput,
} from './financial-report.mutation-inputs';
import { reportMachine, reportMay } from './financial-report.transitions';

interface LineValues { category: string; planned: string; actual: string; estimateToComplete: string }

function checkLines(checks: Checks, lines: FinancialReportLineInput[] | null | undefined): LineValues[] | undefined {
  if (lines === undefined) return undefined;
  if (lines === null) {
    checks.add('lines', 'lines cannot be null (send [] to remove every line)');
    return undefined;
  }
  const seen = new Set<string>();
  lines.forEach((line, i) => {
    if (seen.has(line.category)) checks.add(`lines.${i}.category`, `lines: ${line.category} appears more than once; one line per category`);
    seen.add(line.category);
  });
  return lines
    .map((l) => ({ category: l.category, planned: money(l.planned), actual: money(l.actual), estimateToComplete: money(l.estimateToComplete) }))
    .sort((a, b) => a.category.localeCompare(b.category));
}

const view = (l: LineValues): LineValues => ({ category: l.category, planned: l.planned, actual: l.actual, estimateToComplete: l.estimateToComplete });

async function linesOf(tx: Tx, reportId: string): Promise<FinancialReportLine[]> {
  return tx.find(FinancialReportLine, { report: reportId }, { orderBy: { category: 'asc' } });
}

/**
 * A partial restatement: categories of the published revision it replaces
 * that it leaves out would silently vanish from figures investors already
 * read (docs/state-machines.md#partial-reports).
 */
async function leftOutOfRestatement(tx: Tx, previous: FinancialReport, present: Set<SpendCategory>) {
  const before = new Set((await linesOf(tx, previous.id)).map((l) => l.category));
  const missing = Object.values(SpendCategory).filter((c) => before.has(c) && !present.has(c));
  const message = `Categories of revision ${previous.revision}, which this revision restates, are missing: ${missing.join(', ')}. ` +
    'Add their lines, or publish with confirmMissingCategories: true';
  return { missing, message };
}

/**
 * A new period's report becomes the one the forecast reads its estimate to
 * complete from (ETC = Σ of the latest report's lines), so a category that
 * still had an estimate in the previous period's report and has no line here
 * would silently lower EAC. A category whose estimate was 0.00 is finished and
 * may have no line. Periods before an already published later one do not feed
 * the forecast and are not checked.
 */
async function leftOutOfNewPeriod(tx: Tx, report: FinancialReport, present: Set<SpendCategory>) {
  const project = report.project.id;
  const none = { missing: [] as SpendCategory[], message: '' };
  const later = await tx.find(FinancialReport, { project, periodStart: { $gt: report.periodStart }, status: ReportStatus.PUBLISHED }, { fields: ['id'], limit: 1 });
  if (later.length) return none;
  const [earlier] = await tx.find(
    FinancialReport,
    { project, periodStart: { $lt: report.periodStart }, status: ReportStatus.PUBLISHED },
    { orderBy: { periodStart: 'desc' }, limit: 1 },
  );
  if (!earlier) return none;
  const open = (await linesOf(tx, earlier.id)).filter((l) => !present.has(l.category) && !/^-?0+(\.0+)?$/.test(l.estimateToComplete));
  if (!open.length) return none;
  const missing = Object.values(SpendCategory).filter((c) => open.some((l) => l.category === c));
  const listed = missing.map((c) => `${c} (${open.find((l) => l.category === c)!.estimateToComplete})`).join(', ');
  const message = `Categories of the report for ${earlier.periodStart} to ${earlier.periodEnd} still have an estimate to complete and no line in this one: ${listed}. ` +
    'Published without them, the forecast (EAC) drops by that estimate. Add their lines (actual 0.00 if nothing was spent), or publish with confirmMissingCategories: true';
  return { missing, message };
}

/** Makes the report's lines exactly `wanted`, updating rows in place; returns the before/after change, if any. */
async function replaceLines(tx: Tx, report: FinancialReport, wanted: LineValues[]) {
  const existing = await linesOf(tx, report.id);
  const before = existing.map(view);
  if (JSON.stringify(before) === JSON.stringify(wanted)) return null;
  const byCategory = new Map(existing.map((l) => [l.category as string, l]));
  for (const values of wanted) {
    const line = byCategory.get(values.category);
    if (line) {
      tx.apply(line, { planned: values.planned, actual: values.actual, estimateToComplete: values.estimateToComplete });
      byCategory.delete(values.category);
    } else {
      tx.em.create(FinancialReportLine, { report, ...values } as never);
    }
  }
  for (const line of byCategory.values()) tx.em.remove(line);
  return { before, after: wanted };
}

export const financialReportService = {
  async create(ctx: Context, viewer: Viewer, input: CreateFinancialReportInput) {
    const projectId = idOf(input.projectId, 'Project', 'projectId');
    const exists = userError(UserErrorCode.ALREADY_EXISTS, `A report for the period starting ${input.periodStart} already exists: edit its draft or restate it`, 'periodStart');
    return mutate(ctx, async (tx) => {
      const checks = new Checks();
      const summary = checks.text('summary', input.summary ?? '', 0, LIMITS.text);
      checks.order('periodEnd', input.periodStart, input.periodEnd, false, 'periodEnd must be after periodStart');
      const lines = checkLines(checks, input.lines ?? []) ?? [];
      checks.done();
      const project = await managedProject(tx, projectId, false);
      if ((await tx.count(FinancialReport, { project: project.id, periodStart: input.periodStart })) > 0) throw new UserErrorsAbort([exists]);
      const fields = { project, periodStart: input.periodStart, periodEnd: input.periodEnd, revision: 1, summary };
      const report = tx.em.create(FinancialReport, fields as never);
      for (const line of lines) tx.em.create(FinancialReportLine, { report, ...line } as never);
      tx.audit(AuditAction.FinancialReportCreate, report, project.id, created({ ...fields, status: report.status, lines }));
      return report;
    }, { unique: { financial_report_period_revision_unique: exists } });
  },

  async update(ctx: Context, viewer: Viewer, input: UpdateFinancialReportInput) {
    const id = idOf(input.id, 'FinancialReport', 'id');
    return mutate(ctx, async (tx) => {
      const checks = new Checks();
      const summary = checks.text('summary', input.summary, 0, LIMITS.text);
      const lines = checkLines(checks, input.lines);
      checks.done();
      const report = await tx.target(FinancialReport, id, { version: input.version, may: reportMay.update });
      transition(reportMachine, report.status, 'update');
      const changes = tx.apply(report, { summary });
      const lineChange = lines ? await replaceLines(tx, report, lines) : null;
      if (lineChange) {
        changes.lines = lineChange;
        tx.touch(report);
      }
      if (Object.keys(changes).length) tx.audit(AuditAction.FinancialReportUpdate, report, report.project.id, changes);
      return report;
    });
  },

  async publish(ctx: Context, viewer: Viewer, input: PublishFinancialReportInput) {
    const id = idOf(input.id, 'FinancialReport', 'id');
    const result = await mutate(ctx, async (tx) => {
      const report = await tx.target(FinancialReport, id, { version: input.version, may: reportMay.publish });
      const status = transition(reportMachine, report.status, 'publish');
      const lines = await linesOf(tx, report.id);
      if (lines.length === 0) fail(UserErrorCode.VALIDATION, 'A report needs at least one line before it is published', 'lines');
      const [previous] = await tx.find(FinancialReport, {
        project: report.project.id, periodStart: report.periodStart, status: ReportStatus.PUBLISHED, revision: { $lt: report.revision },
      });
      const present = new Set(lines.map((l) => l.category));
      const { missing, message } = previous
        ? await leftOutOfRestatement(tx, previous, present)
        : await leftOutOfNewPeriod(tx, report, present);
      if (missing.length && !input.confirmMissingCategories) fail(UserErrorCode.VALIDATION, message, 'confirmMissingCategories');
      if (previous) {
        const locked = await tx.target(FinancialReport, previous.id);
        const superseded = tx.apply(locked, { status: transition(reportMachine, locked.status, 'supersede') });
        tx.audit(AuditAction.FinancialReportSupersede, locked, locked.project.id, { ...superseded, supersededBy: { before: null, after: gid('FinancialReport', report.id) } });
      }
      const publisher = await tx.linked(User, viewer.userId);
      const changes = tx.apply(report, { status, publishedAt: new Date(), publishedBy: publisher });
      tx.audit(AuditAction.FinancialReportPublish, report, report.project.id, missing.length ? { ...changes, missingCategories: { before: null, after: missing } } : changes);
      return { report, missing };
    });
    return { object: result.object?.report ?? null, missingCategories: result.object?.missing ?? null, userErrors: result.userErrors };
  },

  async restate(ctx: Context, viewer: Viewer, input: RestateFinancialReportInput) {
    const id = idOf(input.id, 'FinancialReport', 'id');
    return mutate(ctx, async (tx) => {
      const published = await tx.target(FinancialReport, id, { version: input.version, may: reportMay.restate });
      transition(reportMachine, published.status, 'restate');
      const revisions = await tx.find(FinancialReport, { project: published.project.id, periodStart: published.periodStart }, { orderBy: { revision: 'desc' } });
      const draft = revisions.find((r) => r.status === ReportStatus.DRAFT);
      if (draft) fail(UserErrorCode.ALREADY_EXISTS, `Revision ${draft.revision} of this period is already a DRAFT restatement: edit and publish it`);
      const lines = (await linesOf(tx, published.id)).map(view);
      const fields = {
        project: published.project, periodStart: published.periodStart, periodEnd: published.periodEnd, revision: revisions[0].revision + 1, summary: published.summary,
      };
      const report = tx.em.create(FinancialReport, fields as never);
      for (const line of lines) tx.em.create(FinancialReportLine, { report, ...line } as never);
      tx.audit(AuditAction.FinancialReportRestate, report, published.project.id, {
        ...created({ ...fields, status: report.status, lines }),
        restates: { before: null, after: gid('FinancialReport', published.id) },
      });
      return report;
    }, { unique: { financial_report_period_revision_unique: userError(UserErrorCode.ALREADY_EXISTS, 'This period was restated at the same moment by someone else: reload it') } });
  },

  async delete(ctx: Context, viewer: Viewer, input: DeleteFinancialReportInput) {
    const id = idOf(input.id, 'FinancialReport', 'id');
    return mutate(ctx, async (tx) => {
      const report = await tx.target(FinancialReport, id, { version: input.version, may: reportMay.delete });
      transition(reportMachine, report.status, 'delete');
      const lines = await linesOf(tx, report.id);
      tx.audit(AuditAction.FinancialReportDelete, report, report.project.id, {
        status: { before: report.status, after: null },
        revision: { before: report.revision, after: null },
        periodStart: { before: report.periodStart, after: null },
        lines: { before: lines.map(view), after: null },
      });
      for (const line of lines) tx.em.remove(line);
      tx.em.remove(report);
      return gid('FinancialReport', report.id);
    });
  },
};

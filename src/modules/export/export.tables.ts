/**
 * The lists an export writes, as tables: columns and rows, read for one
 * viewer through its scoped reader — the same reads, with the same policy
 * condition, as the GraphQL lists (docs/exports.md). A field the viewer may
 * not read in the API (a milestone's planned value for a partner) is not a
 * column of the viewer's table; a link the viewer may not follow (a contract,
 * an owner) is an empty cell, as it is null in the API.
 */
import type { FilterQuery } from '@mikro-orm/core';
import { authed, type Context } from '../../access/context';
import type { Reader } from '../../access/reader';
import type { Viewer } from '../../access/viewer';
import { toGlobalId } from '../../core/global-id';
import { ForbiddenError, NotFoundError } from '../../core/errors';
import { AuditEvent } from '../../model/audit.entity';
import { Contract } from '../../model/contract.entity';
import { Deliverable } from '../../model/deliverable.entity';
import { FinancialReport, FinancialReportLine } from '../../model/financial-report.entity';
import { User } from '../../model/identity.entity';
import { Milestone } from '../../model/milestone.entity';
import { Project } from '../../model/project.entity';
import { Risk } from '../../model/risk.entity';
import { ExportKind } from '../../model/export.entity';
import { isOverdue } from '../milestone/milestone.inputs';

/** How a cell is written: text as is; money exactly (a decimal string); integers; dates and instants as ISO text. */
export type ColumnType = 'text' | 'money' | 'int' | 'bool' | 'date' | 'datetime';

export interface Column { key: string; header: string; type: ColumnType }

export type Cell = string | number | boolean | null;

export interface Table {
  /** Sheet name and file-name stem, e.g. "deliverables". */
  name: string;
  columns: Column[];
  rows: Record<string, Cell>[];
}

/** What the export is about, decoded and checked against the policy by the service. */
export interface ExportScope {
  projectId: string | null;
  reportId: string | null;
  status: string | null;
  from: string | null;
  to: string | null;
  /** Audit events only: the actor (raw id) and the object type. */
  actorId?: string | null;
  entityType?: string | null;
}

const col = (key: string, header: string, type: ColumnType = 'text'): Column => ({ key, header, type });

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/** The visible objects of these ids, by id (an invisible one is absent, as null in the API). */
async function visible<T extends { id: string }>(reader: Reader, entity: new () => T, ids: (string | null | undefined)[]): Promise<Map<string, T>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  const found = await reader.byId(entity as never).loadMany(wanted);
  const map = new Map<string, T>();
  for (const row of found) if (row && !(row instanceof Error)) map.set((row as T).id, row as T);
  return map;
}

function where<T>(parts: (FilterQuery<T> | null)[]): FilterQuery<T> {
  return { $and: parts.filter((p): p is FilterQuery<T> => p !== null) } as FilterQuery<T>;
}

function dueRange(scope: ExportScope): FilterQuery<{ dueDate: string }> | null {
  if (!scope.from && !scope.to) return null;
  return { dueDate: { ...(scope.from ? { $gte: scope.from } : {}), ...(scope.to ? { $lte: scope.to } : {}) } };
}

const deliverableWhere = (scope: ExportScope) => where<Deliverable>([
  scope.projectId ? { project: scope.projectId } : null,
  scope.status ? { status: scope.status } as FilterQuery<Deliverable> : null,
  dueRange(scope) as FilterQuery<Deliverable> | null,
]);

const milestoneWhere = (scope: ExportScope) => where<Milestone>([
  scope.projectId ? { project: scope.projectId } : null,
  scope.status ? { status: scope.status } as FilterQuery<Milestone> : null,
  dueRange(scope) as FilterQuery<Milestone> | null,
]);

const riskWhere = (scope: ExportScope) => where<Risk>([
  scope.projectId ? { project: scope.projectId } : null,
  scope.status ? { status: scope.status } as FilterQuery<Risk> : null,
]);

/** Audit events: `from` inclusive, `to` exclusive, as whole UTC days; `status` filters the action. */
function auditWhere(scope: ExportScope): FilterQuery<AuditEvent> {
  const range = scope.from || scope.to
    ? { occurredAt: { ...(scope.from ? { $gte: new Date(`${scope.from}T00:00:00Z`) } : {}), ...(scope.to ? { $lt: new Date(`${scope.to}T00:00:00Z`) } : {}) } }
    : null;
  return where<AuditEvent>([
    scope.projectId ? { project: scope.projectId } : null,
    scope.status ? { action: scope.status } : null,
    scope.actorId ? { actor: scope.actorId } : null,
    scope.entityType ? { entityType: scope.entityType } : null,
    range as FilterQuery<AuditEvent> | null,
  ]);
}

/**
 * The entity and condition a list export reads (the policy's condition is
 * ANDed in by whoever reads or counts it), so the service can count the rows
 * before deciding to write them during the request or in the background.
 */
export function sourceOf(kind: ExportKind, scope: ExportScope): { entity: new () => { id: string }; where: FilterQuery<any> } {
  switch (kind) {
    case ExportKind.DELIVERABLES: return { entity: Deliverable, where: deliverableWhere(scope) };
    case ExportKind.MILESTONES: return { entity: Milestone, where: milestoneWhere(scope) };
    case ExportKind.RISKS: return { entity: Risk, where: riskWhere(scope) };
    case ExportKind.REPORT_LINES: return { entity: FinancialReportLine, where: { report: scope.reportId } };
    case ExportKind.AUDIT_EVENTS: return { entity: AuditEvent, where: auditWhere(scope) };
    default: throw new Error(`export: ${kind} is not a list`);
  }
}

const readsFinancials = (v: Viewer) => v.side !== 'partner';

async function deliverables(reader: Reader, scope: ExportScope): Promise<Table> {
  const rows = await reader.list(Deliverable, { where: deliverableWhere(scope), sort: 'dueDate' });
  const projects = await visible(reader, Project, rows.map((d) => d.project.id));
  const contracts = await visible(reader, Contract, rows.map((d) => d.contract.id));
  const milestones = await visible(reader, Milestone, rows.map((d) => d.milestone?.id));
  return {
    name: 'deliverables',
    columns: [
      col('id', 'Id'), col('project', 'Project'), col('contract', 'Contract'), col('milestone', 'Milestone'), col('title', 'Title'),
      col('status', 'Status'), col('dueDate', 'Due date', 'date'), col('round', 'Round', 'int'), col('submittedAt', 'Submitted at', 'datetime'),
      col('decidedAt', 'Decided at', 'datetime'), col('submissionNote', 'Submission note'), col('rejectionReason', 'Rejection reason'),
    ],
    rows: rows.map((d) => ({
      id: toGlobalId('Deliverable', d.id),
      project: projects.get(d.project.id)?.code ?? null,
      contract: contracts.get(d.contract.id)?.reference ?? null,
      milestone: d.milestone ? milestones.get(d.milestone.id)?.title ?? null : null,
      title: d.title,
      status: d.status,
      dueDate: d.dueDate,
      round: d.round,
      submittedAt: iso(d.submittedAt),
      decidedAt: iso(d.decidedAt),
      submissionNote: d.submissionNote ?? null,
      rejectionReason: d.rejectionReason ?? null,
    })),
  };
}

async function milestones(reader: Reader, viewer: Viewer, scope: ExportScope): Promise<Table> {
  const rows = await reader.list(Milestone, { where: milestoneWhere(scope), sort: 'dueDate' });
  const projects = await visible(reader, Project, rows.map((m) => m.project.id));
  // Milestone.plannedValue is hidden from partners in the API (FORBIDDEN): not a column of theirs.
  const money = readsFinancials(viewer);
  return {
    name: 'milestones',
    columns: [
      col('id', 'Id'), col('project', 'Project'), col('title', 'Title'), col('status', 'Status'), col('dueDate', 'Due date', 'date'),
      col('progress', 'Progress (%)', 'int'), col('overdue', 'Overdue', 'bool'), col('completedAt', 'Completed at', 'datetime'),
      ...(money ? [col('plannedValue', 'Planned value', 'money'), col('currency', 'Currency')] : []),
    ],
    rows: rows.map((m) => ({
      id: toGlobalId('Milestone', m.id),
      project: projects.get(m.project.id)?.code ?? null,
      title: m.title,
      status: m.status,
      dueDate: m.dueDate,
      progress: m.progress,
      overdue: isOverdue(m),
      completedAt: iso(m.completedAt),
      ...(money ? { plannedValue: m.plannedValue ?? null, currency: projects.get(m.project.id)?.currency ?? null } : {}),
    })),
  };
}

async function risks(reader: Reader, scope: ExportScope): Promise<Table> {
  const rows = await reader.list(Risk, { where: riskWhere(scope), sort: 'score', desc: true });
  const projects = await visible(reader, Project, rows.map((r) => r.project.id));
  const contracts = await visible(reader, Contract, rows.map((r) => r.contract?.id));
  const owners = await visible(reader, User, rows.map((r) => r.owner?.id));
  return {
    name: 'risks',
    columns: [
      col('id', 'Id'), col('project', 'Project'), col('title', 'Title'), col('category', 'Category'), col('likelihood', 'Likelihood', 'int'),
      col('impact', 'Impact', 'int'), col('score', 'Score', 'int'), col('status', 'Status'), col('visibility', 'Visibility'),
      col('contract', 'Contract'), col('owner', 'Owner'), col('mitigation', 'Mitigation'),
    ],
    rows: rows.map((r) => ({
      id: toGlobalId('Risk', r.id),
      project: projects.get(r.project.id)?.code ?? null,
      title: r.title,
      category: r.category,
      likelihood: r.likelihood,
      impact: r.impact,
      score: r.score,
      status: r.status,
      visibility: r.visibility,
      contract: r.contract ? contracts.get(r.contract.id)?.reference ?? null : null,
      owner: r.owner ? owners.get(r.owner.id)?.name ?? null : null,
      mitigation: r.mitigationPlan,
    })),
  };
}

async function reportLines(reader: Reader, scope: ExportScope): Promise<Table> {
  const report = scope.reportId ? await reader.byId(FinancialReport).load(scope.reportId) : null;
  if (!report) throw new NotFoundError('FinancialReport');
  const project = await reader.byId(Project).load(report.project.id);
  const rows = await reader.list(FinancialReportLine, { where: { report: report.id }, sort: 'category' });
  return {
    name: 'report-lines',
    columns: [
      col('project', 'Project'), col('periodStart', 'Period start', 'date'), col('periodEnd', 'Period end', 'date'),
      col('revision', 'Revision', 'int'), col('reportStatus', 'Report status'), col('category', 'Category'),
      col('planned', 'Planned', 'money'), col('actual', 'Actual', 'money'), col('estimateToComplete', 'Estimate to complete', 'money'),
      col('currency', 'Currency'),
    ],
    rows: rows.map((l) => ({
      project: project?.code ?? null,
      periodStart: report.periodStart,
      periodEnd: report.periodEnd,
      revision: report.revision,
      reportStatus: report.status,
      category: l.category,
      planned: l.planned,
      actual: l.actual,
      estimateToComplete: l.estimateToComplete,
      currency: project?.currency ?? null,
    })),
  };
}

async function auditEvents(reader: Reader, viewer: Viewer, scope: ExportScope): Promise<Table> {
  // The same gate as Query.auditEvents: operator staff only.
  if (viewer.side !== 'operator') throw new ForbiddenError('Only the operator\'s staff can read the audit trail');
  const rows = await reader.list(AuditEvent, { where: auditWhere(scope), sort: 'occurredAt', desc: true });
  const actors = await visible(reader, User, rows.map((e) => e.actor?.id));
  const projects = await visible(reader, Project, rows.map((e) => e.project?.id));
  return {
    name: 'audit-events',
    columns: [
      col('occurredAt', 'Occurred at', 'datetime'), col('action', 'Action'), col('entityType', 'Entity type'), col('entityId', 'Entity id'),
      col('actor', 'Actor'), col('project', 'Project'), col('changes', 'Changes'), col('requestId', 'Request id'),
    ],
    rows: rows.map((e) => ({
      occurredAt: iso(e.occurredAt),
      action: e.action,
      entityType: e.entityType,
      entityId: toGlobalId(e.entityType, e.entityId),
      actor: e.actor ? actors.get(e.actor.id)?.email ?? null : null,
      project: e.project ? projects.get(e.project.id)?.code ?? null : null,
      changes: JSON.stringify(e.changes),
      requestId: e.requestId,
    })),
  };
}

/** The table of a list export, read as the context's viewer. */
export async function tableOf(ctx: Context, kind: ExportKind, scope: ExportScope): Promise<Table> {
  const { reader, viewer } = authed(ctx);
  switch (kind) {
    case ExportKind.DELIVERABLES: return deliverables(reader, scope);
    case ExportKind.MILESTONES: return milestones(reader, viewer, scope);
    case ExportKind.RISKS: return risks(reader, scope);
    case ExportKind.REPORT_LINES: return reportLines(reader, scope);
    case ExportKind.AUDIT_EVENTS: return auditEvents(reader, viewer, scope);
    default: throw new Error(`export: ${kind} is not a list`);
  }
}

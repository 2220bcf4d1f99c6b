/**
 * The audit trail of writes: which actions exist, how values appear in an
 * event, and the event itself, written in the mutation's own transaction.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEvent } from '../model/audit.entity';
import { toGlobalId } from '../core/global-id';
import { typeNameOf } from '../model/node';

/**
 * Every action an audit event can record, `<entity>.<action>`. The column and
 * the GraphQL field stay plain text (filters and old events are strings); this
 * list keeps writers from inventing a new spelling. A state machine's actions
 * written as `risk.${action}` must each be listed here, or the call does not
 * type-check.
 */
export const AuditAction = {
  ProjectCreate: 'project.create',
  ProjectUpdate: 'project.update',
  ProjectAssignManagers: 'project.assignManagers',
  ProjectActivate: 'project.activate',
  ProjectHold: 'project.hold',
  ProjectComplete: 'project.complete',
  ProjectCancel: 'project.cancel',

  MilestoneCreate: 'milestone.create',
  MilestoneUpdate: 'milestone.update',
  MilestoneProgress: 'milestone.progress',
  MilestoneStart: 'milestone.start',
  MilestoneComplete: 'milestone.complete',
  MilestoneReopen: 'milestone.reopen',
  MilestoneCancel: 'milestone.cancel',
  /** Written by the job that finds milestones past their due date (no actor). */
  MilestoneSlip: 'milestone.slip',

  ContractCreate: 'contract.create',
  ContractUpdate: 'contract.update',
  ContractActivate: 'contract.activate',
  ContractSuspend: 'contract.suspend',
  ContractResume: 'contract.resume',
  ContractComplete: 'contract.complete',
  ContractTerminate: 'contract.terminate',

  DeliverableCreate: 'deliverable.create',
  DeliverableUpdate: 'deliverable.update',
  DeliverableStart: 'deliverable.start',
  DeliverableSubmit: 'deliverable.submit',
  DeliverableAccept: 'deliverable.accept',
  DeliverableReject: 'deliverable.reject',

  FinancialReportCreate: 'financialReport.create',
  FinancialReportUpdate: 'financialReport.update',
  FinancialReportPublish: 'financialReport.publish',
  FinancialReportSupersede: 'financialReport.supersede',
  FinancialReportRestate: 'financialReport.restate',
  FinancialReportDelete: 'financialReport.delete',
  FinancialReportOpen: 'financialReport.open',
  FinancialReportAcknowledge: 'financialReport.acknowledge',
  FinancialReportRemind: 'financialReport.remind',

  QaThreadAsk: 'qaThread.ask',
  QaThreadPublish: 'qaThread.publish',
  QaThreadClose: 'qaThread.close',
  QaMessagePost: 'qaMessage.post',

  RiskCreate: 'risk.create',
  RiskRaise: 'risk.raise',
  RiskUpdate: 'risk.update',
  RiskReassess: 'risk.reassess',
  RiskChangeVisibility: 'risk.changeVisibility',
  RiskAssignOwner: 'risk.assignOwner',
  RiskMitigate: 'risk.mitigate',
  RiskClose: 'risk.close',
  RiskRealize: 'risk.realize',

  ProjectUpdatePost: 'projectUpdate.post',
  ProjectUpdateEdit: 'projectUpdate.edit',

  InvestmentRecord: 'investment.record',
  InvestmentUpdate: 'investment.update',

  OrganizationCreate: 'organization.create',
  UserCreate: 'user.create',
  UserChangeRole: 'user.changeRole',
  UserDisable: 'user.disable',

  ApiTokenCreate: 'apiToken.create',
  ApiTokenRevoke: 'apiToken.revoke',

  WebhookEndpointCreate: 'webhookEndpoint.create',
  WebhookEndpointUpdate: 'webhookEndpoint.update',
  WebhookEndpointDisable: 'webhookEndpoint.disable',
  WebhookEndpointEnable: 'webhookEndpoint.enable',
  WebhookEndpointDelete: 'webhookEndpoint.delete',
  WebhookEndpointRotateSecret: 'webhookEndpoint.rotateSecret',
  EmailPreferencesSet: 'emailPreferences.set',
  FileAttach: 'file.attach',
  FileDownload: 'file.download',
  DocumentFolderCreate: 'documentFolder.create',
  ProjectDocumentAdd: 'projectDocument.add',
  ExportJobRequest: 'exportJob.request',
  ExportJobDownload: 'exportJob.download',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

export type Changes = Record<string, { before: unknown; after: unknown }>;

/** How a value appears in an audit event: ids are global ids, instants ISO strings. */
export function auditValue(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null && 'id' in value && typeof (value as { id: unknown }).id === 'string') {
    return toGlobalId(typeNameOf(value), (value as { id: string }).id);
  }
  if (Array.isArray(value)) return value.map(auditValue);
  return value;
}

/** Whether two values look the same in an audit event (so a write of the same value is no change). */
export function sameAuditValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(auditValue(a)) === JSON.stringify(auditValue(b));
}

/** The changes of a newly created object: every given field, before null. */
export function created(fields: Record<string, unknown>): Changes {
  const changes: Changes = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) changes[key] = { before: null, after: auditValue(value) };
  }
  return changes;
}

/** A global id as audit events show it. */
export function gid(type: string, id: string): string {
  return toGlobalId(type, id);
}

export interface AuditRecord {
  /** null for the built-in administrator of the CLI (no user). */
  actor: string | null;
  action: AuditAction;
  target: { id: string };
  projectId: string | null;
  changes: Changes;
  requestId: string;
}

/** Adds the event to the transaction's unit of work: it is flushed with the change, or not at all. */
export function writeAudit(em: EntityManager, record: AuditRecord): AuditEvent {
  return em.create(AuditEvent, {
    actor: record.actor,
    action: record.action,
    entityType: typeNameOf(record.target),
    entityId: record.target.id,
    project: record.projectId,
    changes: record.changes,
    requestId: record.requestId,
    occurredAt: new Date(),
  } as never);
}

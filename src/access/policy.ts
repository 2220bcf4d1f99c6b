/**
 * Visibility rules of docs/visibility.md — the one source of truth.
 *
 * Each rule turns a viewer into a data-layer condition; every read path
 * (lists, node/nodes, nested connections, totalCount, to-one links, loaders,
 * aggregates, mutation targets) ANDs it into its query. Nothing here relies on
 * ORM filters or on the identity map (docs/pitfalls.md): conditions are explicit
 * WHERE clauses on queries that always reach PostgreSQL.
 *
 * The rules live in one file rather than one per module so the whole table
 * of docs/visibility.md can be read, reviewed and tested side by side.
 */
import type { EntityName, FilterQuery } from '@mikro-orm/core';
import { ForbiddenError } from '../core/errors';
import type { Viewer } from './viewer';
import { AuditEvent } from '../model/audit.entity';
import { Contract, ContractStatus } from '../model/contract.entity';
import { Deliverable, DeliverableReview, DeliverableSubmission } from '../model/deliverable.entity';
import { FinancialReport, FinancialReportLine, ReportStatus } from '../model/financial-report.entity';
import { ApiToken, Organization, User, UserRole } from '../model/identity.entity';
import { Investment } from '../model/investment.entity';
import { Milestone } from '../model/milestone.entity';
import { Project } from '../model/project.entity';
import { Risk, RiskAssessment, RiskVisibility } from '../model/risk.entity';
import { ProjectUpdate, UpdateAudience } from '../model/update.entity';
import { QaMessage, QaThread, ThreadSubjectType } from '../model/thread.entity';
import { ReportAcknowledgement } from '../model/acknowledgement.entity';
import { Notification, UserVisit } from '../model/event.entity';
import { WebhookDelivery, WebhookEndpoint } from '../model/webhook.entity';
import { EmailItem, EmailPreference } from '../model/email.entity';
import { DocumentFolder, File, FileStatus, FileSubjectType, ProjectDocument } from '../model/file.entity';
import { ExportJob } from '../model/export.entity';

/** Matches no row. */
const NONE = { id: { $in: [] as string[] } };

/** A scope value must never be missing: an undefined filter value would become `IS NULL` or vanish. */
function required<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`policy: ${what} is missing from the viewer`);
  return value;
}

function ids(set: ReadonlySet<string>): string[] {
  return [...required(set, 'an id set')];
}

/** `project IN P(v)`, or no condition for ADMIN. */
function inProjects(v: Viewer): Record<string, unknown> {
  const p = required(v.projectIds, 'projectIds');
  return p === 'all' ? {} : { project: { $in: ids(p) } };
}

/**
 * Objects with an audience (project updates, document-room documents): the
 * operator's staff see all of their projects'; investors INVESTORS and
 * STAKEHOLDERS; partners PARTNERS and STAKEHOLDERS.
 */
function inAudience(v: Viewer): Record<string, unknown> {
  if (v.side === 'operator') return inProjects(v);
  const audiences = v.side === 'investor'
    ? [UpdateAudience.INVESTORS, UpdateAudience.STAKEHOLDERS]
    : [UpdateAudience.PARTNERS, UpdateAudience.STAKEHOLDERS];
  return { ...inProjects(v), audience: { $in: audiences } };
}

export const policy = {
  project(v: Viewer): FilterQuery<Project> {
    const p = required(v.projectIds, 'projectIds');
    return p === 'all' ? {} : { id: { $in: ids(p) } };
  },

  milestone(v: Viewer): FilterQuery<Milestone> {
    return inProjects(v);
  },

  financialReport(v: Viewer): FilterQuery<FinancialReport> {
    if (v.side === 'operator') return inProjects(v);
    if (v.side === 'investor') return { ...inProjects(v), status: { $in: [ReportStatus.PUBLISHED, ReportStatus.SUPERSEDED] } };
    return NONE;
  },

  financialReportLine(v: Viewer): FilterQuery<FinancialReportLine> {
    if (v.side === 'partner') return NONE;
    return { report: policy.financialReport(v) } as FilterQuery<FinancialReportLine>;
  },

  risk(v: Viewer): FilterQuery<Risk> {
    if (v.side === 'operator') return inProjects(v);
    if (v.side === 'investor') {
      return { ...inProjects(v), visibility: { $in: [RiskVisibility.INVESTORS, RiskVisibility.STAKEHOLDERS] } };
    }
    return {
      ...inProjects(v),
      $or: [
        { visibility: RiskVisibility.STAKEHOLDERS },
        { visibility: RiskVisibility.CONTRACT, contract: { $in: ids(v.contractIds) } },
      ],
    };
  },

  riskAssessment(v: Viewer): FilterQuery<RiskAssessment> {
    return { risk: policy.risk(v) } as FilterQuery<RiskAssessment>;
  },

  contract(v: Viewer): FilterQuery<Contract> {
    if (v.side === 'operator') return inProjects(v);
    if (v.side === 'partner') {
      return { ...inProjects(v), counterparty: required(v.orgId, 'orgId'), status: { $ne: ContractStatus.DRAFT } };
    }
    return NONE;
  },

  deliverable(v: Viewer): FilterQuery<Deliverable> {
    if (v.side === 'operator') return inProjects(v);
    if (v.side === 'partner') return { ...inProjects(v), contract: { $in: ids(v.contractIds) } };
    return NONE;
  },

  /** A submission round: with its deliverable. */
  deliverableSubmission(v: Viewer): FilterQuery<DeliverableSubmission> {
    return { deliverable: policy.deliverable(v) } as FilterQuery<DeliverableSubmission>;
  },

  /** A review of a round: with its deliverable. */
  deliverableReview(v: Viewer): FilterQuery<DeliverableReview> {
    return { deliverable: policy.deliverable(v) } as FilterQuery<DeliverableReview>;
  },

  investment(v: Viewer): FilterQuery<Investment> {
    if (v.side === 'operator') return inProjects(v);
    if (v.side === 'investor') return { ...inProjects(v), organization: required(v.orgId, 'orgId') };
    return NONE;
  },

  projectUpdate(v: Viewer): FilterQuery<ProjectUpdate> {
    return inAudience(v) as FilterQuery<ProjectUpdate>;
  },

  /**
   * A thread: its subject is visible (the subject type's own rule, through
   * the typed key), and, while private, the viewer is of the asking
   * organization — or operator staff of the project, who see every subject
   * of their projects.
   */
  qaThread(v: Viewer): FilterQuery<QaThread> {
    const subject = {
      $or: THREAD_SUBJECTS.map(([type, key, rule]) => ({ subjectType: type, [key]: rule(v) })),
    };
    if (v.side === 'operator') return { $and: [inProjects(v), subject] } as FilterQuery<QaThread>;
    return { $and: [subject, { $or: [{ isPrivate: false }, { askerOrganization: required(v.orgId, 'orgId') }] }] } as FilterQuery<QaThread>;
  },

  qaMessage(v: Viewer): FilterQuery<QaMessage> {
    return { thread: policy.qaThread(v) } as FilterQuery<QaMessage>;
  },

  /** Operator staff: every reader of their projects' reports; an investor: their own organization's; partners: none. */
  reportAcknowledgement(v: Viewer): FilterQuery<ReportAcknowledgement> {
    if (v.side === 'operator') return { ...inProjects(v), report: policy.financialReport(v) } as FilterQuery<ReportAcknowledgement>;
    if (v.side === 'investor') return { organization: required(v.orgId, 'orgId'), report: policy.financialReport(v) } as FilterQuery<ReportAcknowledgement>;
    return NONE;
  },

  /** A folder of a project's document room: with its project (its documents have their own audiences). */
  documentFolder(v: Viewer): FilterQuery<DocumentFolder> {
    return { project: policy.project(v) } as FilterQuery<DocumentFolder>;
  },

  /** A document-room document: the audience rule of project updates (inAudience), on the document's own audience. */
  projectDocument(v: Viewer): FilterQuery<ProjectDocument> {
    return inAudience(v) as FilterQuery<ProjectDocument>;
  },

  /**
   * A file: while PENDING, its uploader only; once ATTACHED, exactly when its
   * object is — the object type's own rule through the typed key, one branch
   * per type (FILE_SUBJECTS), like a thread's subject.
   */
  file(v: Viewer): FilterQuery<File> {
    return {
      $or: [
        { status: FileStatus.PENDING, uploadedBy: required(v.userId, 'userId') },
        { status: FileStatus.ATTACHED, $or: FILE_SUBJECTS.map(([type, key, rule]) => ({ subjectType: type, [key]: rule(v) })) },
      ],
    } as FilterQuery<File>;
  },

  auditEvent(v: Viewer): FilterQuery<AuditEvent> {
    if (v.side !== 'operator') return NONE;
    if (v.role === UserRole.ADMIN) return {};
    return { project: { $in: ids(required(v.projectIds as ReadonlySet<string>, 'projectIds')) } };
  },

  organization(v: Viewer): FilterQuery<Organization> {
    if (v.side === 'operator') return {};
    return { id: { $in: [required(v.orgId, 'orgId'), ...ids(v.contactOrgIds)] } };
  },

  user(v: Viewer): FilterQuery<User> {
    if (v.side === 'operator') return {};
    return { $or: [{ organization: required(v.orgId, 'orgId') }, { id: { $in: ids(v.contactUserIds) } }] };
  },

  /** Tokens are private to their owner, whoever asks. */
  apiToken(v: Viewer): FilterQuery<ApiToken> {
    return { user: required(v.userId, 'userId') };
  },

  /** A notification is its recipient's own (who may be told at all is decided at delivery: src/access/recipients.ts). */
  notification(v: Viewer): FilterQuery<Notification> {
    return { user: required(v.userId, 'userId') };
  },

  /** Sign-in times are their user's own. */
  userVisit(v: Viewer): FilterQuery<UserVisit> {
    return { user: required(v.userId, 'userId') };
  },

  /** An organization's webhook endpoints: only to those who administer its webhooks (`can.manageWebhooks`), whatever their side. */
  webhookEndpoint(v: Viewer): FilterQuery<WebhookEndpoint> {
    if (!can.manageWebhooks(v)) return NONE;
    return { organization: required(v.orgId, 'orgId') };
  },

  /** A delivery: with its endpoint. */
  webhookDelivery(v: Viewer): FilterQuery<WebhookDelivery> {
    return { endpoint: policy.webhookEndpoint(v) } as FilterQuery<WebhookDelivery>;
  },

  /** E-mail preferences and queued e-mails are private to their user, whoever asks. */
  emailPreference(v: Viewer): FilterQuery<EmailPreference> {
    return { user: required(v.userId, 'userId') };
  },

  emailItem(v: Viewer): FilterQuery<EmailItem> {
    return { user: required(v.userId, 'userId') };
  },
  /** An export job and its file are private to the user who requested it, whoever asks (docs/exports.md). */
  exportJob(v: Viewer): FilterQuery<ExportJob> {
    return { requester: required(v.userId, 'userId') };
  },
};

type Rule = (v: Viewer) => FilterQuery<any>;

/** The objects a Q&A thread can be about: type, typed key on the thread, and that type's own rule. */
const THREAD_SUBJECTS: [ThreadSubjectType, string, Rule][] = [
  [ThreadSubjectType.FinancialReport, 'report', (v) => policy.financialReport(v)],
  [ThreadSubjectType.Risk, 'risk', (v) => policy.risk(v)],
  [ThreadSubjectType.Deliverable, 'deliverable', (v) => policy.deliverable(v)],
  [ThreadSubjectType.Milestone, 'milestone', (v) => policy.milestone(v)],
  [ThreadSubjectType.ProjectUpdate, 'update', (v) => policy.projectUpdate(v)],
];

/** The objects a file can be attached to: type, typed key on the file, and that type's own rule. */
const FILE_SUBJECTS: [FileSubjectType, string, Rule][] = [
  [FileSubjectType.DeliverableSubmission, 'submission', (v) => policy.deliverableSubmission(v)],
  [FileSubjectType.FinancialReport, 'report', (v) => policy.financialReport(v)],
  [FileSubjectType.Contract, 'contract', (v) => policy.contract(v)],
  [FileSubjectType.ProjectUpdate, 'update', (v) => policy.projectUpdate(v)],
  [FileSubjectType.Risk, 'risk', (v) => policy.risk(v)],
  [FileSubjectType.ProjectDocument, 'document', (v) => policy.projectDocument(v)],
];

/** Every entity a request can read, with its rule. An entity missing here cannot be read at all. */
const RULES = new Map<EntityName<any>, Rule>([
  [Project, policy.project],
  [Milestone, policy.milestone],
  [FinancialReport, policy.financialReport],
  [FinancialReportLine, policy.financialReportLine],
  [Risk, policy.risk],
  [RiskAssessment, policy.riskAssessment],
  [Contract, policy.contract],
  [Deliverable, policy.deliverable],
  [DeliverableSubmission, policy.deliverableSubmission],
  [DeliverableReview, policy.deliverableReview],
  [Investment, policy.investment],
  [ProjectUpdate, policy.projectUpdate],
  [QaThread, policy.qaThread],
  [QaMessage, policy.qaMessage],
  [ReportAcknowledgement, policy.reportAcknowledgement],
  [AuditEvent, policy.auditEvent],
  [Organization, policy.organization],
  [User, policy.user],
  [ApiToken, policy.apiToken],
  [Notification, policy.notification],
  [UserVisit, policy.userVisit],
  [WebhookEndpoint, policy.webhookEndpoint],
  [WebhookDelivery, policy.webhookDelivery],
  [EmailPreference, policy.emailPreference],
  [EmailItem, policy.emailItem],
  [DocumentFolder, policy.documentFolder],
  [ProjectDocument, policy.projectDocument],
  [File, policy.file],
  [ExportJob, policy.exportJob],
]);

/** The scope condition of `entity` for `viewer`; fails closed for an entity without a rule. */
export function scopeOf<T>(entity: EntityName<T>, viewer: Viewer): FilterQuery<T> {
  const rule = RULES.get(entity);
  if (!rule) throw new Error(`policy: no visibility rule for ${String((entity as any).name ?? entity)}`);
  return rule(required(viewer, 'viewer'));
}

/** `where AND scope`: the only way a request builds a read condition. */
export function scoped<T>(entity: EntityName<T>, viewer: Viewer, where: FilterQuery<T> = {}): FilterQuery<T> {
  return { $and: [scopeOf(entity, viewer), where] } as FilterQuery<T>;
}

/** Field-level rules: hidden fields on visible objects (docs/visibility.md). */
export const fieldRules = {
  /** Project.budget, totals and financial metrics, Milestone.plannedValue: not for partners. */
  financials(v: Viewer): void {
    if (v.side === 'partner') throw new ForbiddenError('Partners cannot read financial figures');
  },
};

// ---------------------------------------------------------------------------
// Write permissions (docs/visibility.md). Who may change what, once the
// target has been loaded through the read rules above: an object the viewer
// cannot see never reaches these checks (it is NOT_FOUND), so a MANAGER's
// "within projects they manage" is the read scope plus the checks below.
// The predicates on the viewer alone (operate, administer, actAsPartnerMember)
// are declared on root fields with @Access and checked before anything is
// loaded; the others are checked on a loaded object (Tx.target's `may`).

export const can = {
  /** Operator staff who write: ADMIN everywhere, MANAGER in managed projects. Investors and partners never. */
  operate(v: Viewer): boolean {
    return v.side === 'operator' && (v.role === UserRole.ADMIN || v.role === UserRole.MANAGER);
  },

  /** Users, organizations, investments, project creation and managers. */
  administer(v: Viewer): boolean {
    return v.side === 'operator' && v.role === UserRole.ADMIN;
  },

  /** Writes inside one project: ADMIN, or a MANAGER of that project. */
  manageProject(v: Viewer, projectId: string): boolean {
    if (!can.operate(v)) return false;
    const p = required(v.projectIds, 'projectIds');
    return p === 'all' || p.has(projectId);
  },

  /** An object of one project (milestone, contract, deliverable, report, risk): manageProject of its project. */
  manageProjectOf(v: Viewer, row: { project: { id: string } }): boolean {
    return can.manageProject(v, row.project.id);
  },

  /** Partner MEMBERs, who act on their own organization's contracts (see actOnContract). */
  actAsPartnerMember(v: Viewer): boolean {
    return v.side === 'partner' && v.role === UserRole.MEMBER;
  },

  /** Partner MEMBER acting on one of their organization's (non-draft) contracts. */
  actOnContract(v: Viewer, contractId: string): boolean {
    return can.actAsPartnerMember(v) && required(v.contractIds, 'contractIds').has(contractId);
  },

  /** An object of one contract (a deliverable): actOnContract of its contract. */
  actOnContractOf(v: Viewer, row: { contract: { id: string } }): boolean {
    return can.actOnContract(v, row.contract.id);
  },

  /** Investors and partners ask questions about what they see; the operator answers. */
  ask(v: Viewer): boolean {
    return v.side === 'investor' || v.side === 'partner';
  },

  /** Who writes in Q&A threads at all: the operator's staff (answers) and investors and partners (questions, follow-ups). */
  converse(v: Viewer): boolean {
    return can.operate(v) || can.ask(v);
  },

  /** A message in a thread: operator staff of its project, or a user of the asking organization. */
  postInThread(v: Viewer, thread: { project: { id: string }; askerOrganization: { id: string } }): boolean {
    return can.manageProject(v, thread.project.id) || (v.side !== 'operator' && thread.askerOrganization.id === v.orgId);
  },

  /** Investor users open and acknowledge the reports they read. */
  readReports(v: Viewer): boolean {
    return v.side === 'investor';
  },

  /** Project updates are edited by their author only (who must still manage the project). */
  editUpdate(v: Viewer, update: ProjectUpdate): boolean {
    return can.manageProject(v, update.project.id) && update.author.id === v.userId;
  },

  /**
   * Who administers an organization's webhooks (docs/webhooks.md): the operator's ADMINs for the
   * operator; investor and partner organizations have no ADMIN role, so there it is their most
   * capable role: an investor's users (VIEWER, their only role) and a partner's MEMBERs.
   */
  manageWebhooks(v: Viewer): boolean {
    if (v.side === 'operator') return v.role === UserRole.ADMIN;
    if (v.side === 'investor') return v.role === UserRole.VIEWER;
    return v.role === UserRole.MEMBER;
  },
};

/**
 * Visibility rules of DESIGN.md section 3 — the one source of truth.
 *
 * Each rule turns a viewer into a data-layer condition; every read path
 * (lists, node/nodes, nested connections, totalCount, to-one links, loaders,
 * aggregates, mutation targets) ANDs it into its query. Nothing here relies on
 * ORM filters or on the identity map (PITFALLS.md): conditions are explicit
 * WHERE clauses on queries that always reach PostgreSQL.
 *
 * The rules live in one file rather than one per module so the whole table
 * of section 3 can be read, reviewed and tested side by side.
 */
import type { EntityName, FilterQuery } from '@mikro-orm/core';
import { ForbiddenError } from '../core/errors';
import type { Viewer } from './viewer';
import { AuditEvent } from '../model/audit.entity';
import { Contract, ContractStatus } from '../model/contract.entity';
import { Deliverable } from '../model/deliverable.entity';
import { FinancialReport, FinancialReportLine, ReportStatus } from '../model/financial-report.entity';
import { ApiToken, Organization, User, UserRole } from '../model/identity.entity';
import { Investment } from '../model/investment.entity';
import { Milestone } from '../model/milestone.entity';
import { Project } from '../model/project.entity';
import { Risk, RiskAssessment, RiskVisibility } from '../model/risk.entity';
import { ProjectUpdate, UpdateAudience } from '../model/update.entity';

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

  investment(v: Viewer): FilterQuery<Investment> {
    if (v.side === 'operator') return inProjects(v);
    if (v.side === 'investor') return { ...inProjects(v), organization: required(v.orgId, 'orgId') };
    return NONE;
  },

  projectUpdate(v: Viewer): FilterQuery<ProjectUpdate> {
    if (v.side === 'operator') return inProjects(v);
    const audiences = v.side === 'investor'
      ? [UpdateAudience.INVESTORS, UpdateAudience.STAKEHOLDERS]
      : [UpdateAudience.PARTNERS, UpdateAudience.STAKEHOLDERS];
    return { ...inProjects(v), audience: { $in: audiences } };
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
};

type Rule = (v: Viewer) => FilterQuery<any>;

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
  [Investment, policy.investment],
  [ProjectUpdate, policy.projectUpdate],
  [AuditEvent, policy.auditEvent],
  [Organization, policy.organization],
  [User, policy.user],
  [ApiToken, policy.apiToken],
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

/** Field-level rules: hidden fields on visible objects (section 3). */
export const fieldRules = {
  /** Project.budget, totals and financial metrics, Milestone.plannedValue: not for partners. */
  financials(v: Viewer): void {
    if (v.side === 'partner') throw new ForbiddenError('Partners cannot read financial figures');
  },
};

// ---------------------------------------------------------------------------
// Write permissions (DESIGN.md section 1). Who may change what, once the
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

  /** Project updates are edited by their author only (who must still manage the project). */
  editUpdate(v: Viewer, update: ProjectUpdate): boolean {
    return can.manageProject(v, update.project.id) && update.author.id === v.userId;
  },
};

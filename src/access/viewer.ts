/**
 * The viewer: who is asking, computed once per request. It carries P(v) of
 * docs/visibility.md — the projects this viewer may see — so every scope
 * condition is one indexed `IN` rather than a join per query.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Contract, ContractStatus } from '../model/contract.entity';
import { ApiTokenScope, OrganizationKind, PARTNER_KINDS, User, UserRole } from '../model/identity.entity';
import { Investment } from '../model/investment.entity';
import { ProjectManager } from '../model/project.entity';

export type Side = 'operator' | 'investor' | 'partner';

export interface Viewer {
  userId: string;
  orgId: string;
  orgKind: OrganizationKind;
  role: UserRole;
  side: Side;
  /** P(v): 'all' for ADMIN only. */
  projectIds: 'all' | ReadonlySet<string>;
  /** Partners: their organization's non-DRAFT contracts (the ones that grant visibility). */
  contractIds: ReadonlySet<string>;
  /**
   * Partners: those of `contractIds` that were ACTIVE when the request began,
   * so what a partner may do next on a deliverable is known without a query
   * per row. Writes re-check the contract's status under lock.
   */
  activeContractIds?: ReadonlySet<string>;
  /** Non-operators: the managers of their visible projects (contacts) and those managers' organizations. */
  contactUserIds: ReadonlySet<string>;
  contactOrgIds: ReadonlySet<string>;
  /** Set when the request authenticated with an API token. */
  apiTokenId: string | null;
  /** What the request's credential may do: the API token's scope; absent or ADMIN (full) for a session from `login`. */
  tokenScope?: ApiTokenScope;
}

/**
 * The administration command line acts as no user: the rights of an operator
 * ADMIN (every check of the API still applies), and its audit events record
 * no actor (null) under a `cli:` request id. This id belongs to no row.
 */
export const SYSTEM_USER_ID = '00000000-0000-0000-0000-000000000000';

export function systemViewer(): Viewer {
  return {
    userId: SYSTEM_USER_ID,
    orgId: SYSTEM_USER_ID,
    orgKind: OrganizationKind.OPERATOR,
    role: UserRole.ADMIN,
    side: 'operator',
    projectIds: 'all',
    contractIds: new Set(),
    contactUserIds: new Set(),
    contactOrgIds: new Set(),
    apiTokenId: null,
  };
}

export function sideOf(kind: OrganizationKind): Side {
  if (kind === OrganizationKind.OPERATOR) return 'operator';
  if (kind === OrganizationKind.INVESTOR) return 'investor';
  if (PARTNER_KINDS.includes(kind)) return 'partner';
  throw new Error(`unknown organization kind ${kind}`);
}

/** Builds the viewer of an authenticated, enabled user (its organization must be loaded). */
export async function buildViewer(em: EntityManager, user: User, apiTokenId: string | null, tokenScope = ApiTokenScope.ADMIN): Promise<Viewer> {
  const org = user.organization;
  const side = sideOf(org.kind);
  let projectIds: 'all' | Set<string>;
  let contractIds = new Set<string>();
  const activeContractIds = new Set<string>();
  if (side === 'operator') {
    if (user.role === UserRole.ADMIN) {
      projectIds = 'all';
    } else {
      const rows = await em.find(ProjectManager, { user: user.id }, { fields: ['project'] });
      projectIds = new Set(rows.map((r) => r.project.id));
    }
  } else if (side === 'investor') {
    const rows = await em.find(Investment, { organization: org.id }, { fields: ['project'] });
    projectIds = new Set(rows.map((r) => r.project.id));
  } else {
    const rows = await em.find(
      Contract,
      { counterparty: org.id, status: { $ne: ContractStatus.DRAFT } },
      { fields: ['project', 'status'] },
    );
    projectIds = new Set(rows.map((r) => r.project.id));
    contractIds = new Set(rows.map((r) => r.id));
    for (const r of rows) if (r.status === ContractStatus.ACTIVE) activeContractIds.add(r.id);
  }

  const contactUserIds = new Set<string>();
  const contactOrgIds = new Set<string>();
  if (side !== 'operator' && projectIds !== 'all' && projectIds.size > 0) {
    const managers = await em.find(
      ProjectManager,
      { project: { $in: [...projectIds] } },
      { populate: ['user'], fields: ['user.id', 'user.organization'] },
    );
    for (const m of managers) {
      contactUserIds.add(m.user.id);
      contactOrgIds.add(m.user.organization.id);
    }
  }

  return {
    userId: user.id,
    orgId: org.id,
    orgKind: org.kind,
    role: user.role,
    side,
    projectIds,
    contractIds,
    activeContractIds,
    contactUserIds,
    contactOrgIds,
    apiTokenId,
    tokenScope,
  };
}

/**
 * The viewer: who is asking, computed once per request. It carries P(v) of
 * DESIGN.md section 3 — the projects this viewer may see — so every scope
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
  /** Non-operators: the managers of their visible projects (contacts) and those managers' organizations. */
  contactUserIds: ReadonlySet<string>;
  contactOrgIds: ReadonlySet<string>;
  /** Set when the request authenticated with an API token. */
  apiTokenId: string | null;
  /** What the request's credential may do: the API token's scope; absent or ADMIN (full) for a session from `login`. */
  tokenScope?: ApiTokenScope;
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
      { fields: ['project'] },
    );
    projectIds = new Set(rows.map((r) => r.project.id));
    contractIds = new Set(rows.map((r) => r.id));
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
    contactUserIds,
    contactOrgIds,
    apiTokenId,
    tokenScope,
  };
}

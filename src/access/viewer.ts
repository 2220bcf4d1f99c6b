/**
 * The viewer: who is asking, computed once per request. It carries P(v) of
 * docs/visibility.md — the projects this viewer may see — so every scope
 * condition is one indexed `IN` rather than a join per query.
 */
import { PopulateHint, type FilterQuery } from '@mikro-orm/core';
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
  /**
   * API tokens: whether the token may send any GraphQL document where trusted
   * documents are on; without it, only the portal's own operations. Absent
   * for a session from `login`, which is always held to the portal's.
   */
  tokenAllowsAnyDocument?: boolean;
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

/**
 * Builds the viewer of an authenticated, enabled user (its organization must be loaded).
 *
 * P(v) here and in `buildViewers` is what `usersWhoMaySeeProject` inverts:
 * a change to who sees which project changes all three (test/notify/candidates.spec.ts
 * compares them over every project).
 */
export async function buildViewer(
  em: EntityManager, user: User, apiTokenId: string | null, tokenScope = ApiTokenScope.ADMIN, tokenAllowsAnyDocument = false,
): Promise<Viewer> {
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
    ...(apiTokenId ? { tokenAllowsAnyDocument } : {}),
  };
}

/**
 * The viewers of many users at once (each user's organization loaded), with
 * the same meaning as `buildViewer` for each (the recipients of an event use
 * it: one query per kind of relation instead of a few per user). Every
 * viewer is a full sign-in session's (API token scope ADMIN).
 */
export async function buildViewers(em: EntityManager, users: User[]): Promise<Map<string, Viewer>> {
  const managerIds = users.filter((u) => sideOf(u.organization.kind) === 'operator' && u.role !== UserRole.ADMIN).map((u) => u.id);
  const investorOrgs = [...new Set(users.filter((u) => sideOf(u.organization.kind) === 'investor').map((u) => u.organization.id))];
  const partnerOrgs = [...new Set(users.filter((u) => sideOf(u.organization.kind) === 'partner').map((u) => u.organization.id))];
  // One after the other: inside a transaction they share one connection.
  const managed = managerIds.length ? await em.find(ProjectManager, { user: { $in: managerIds } }, { fields: ['project', 'user'] }) : [];
  const investments = investorOrgs.length ? await em.find(Investment, { organization: { $in: investorOrgs } }, { fields: ['project', 'organization'] }) : [];
  const contracts = partnerOrgs.length
    ? await em.find(Contract, { counterparty: { $in: partnerOrgs }, status: { $ne: ContractStatus.DRAFT } }, { fields: ['project', 'status', 'counterparty'] })
    : [];
  const add = (map: Map<string, Set<string>>, key: string, value: string) => {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(value);
  };
  const projectsOfManager = new Map<string, Set<string>>();
  for (const m of managed) add(projectsOfManager, m.user.id, m.project.id);
  const projectsOfInvestor = new Map<string, Set<string>>();
  for (const i of investments) add(projectsOfInvestor, i.organization.id, i.project.id);
  const projectsOfPartner = new Map<string, Set<string>>();
  const contractsOfPartner = new Map<string, Set<string>>();
  const activeOfPartner = new Map<string, Set<string>>();
  for (const c of contracts) {
    add(projectsOfPartner, c.counterparty.id, c.project.id);
    add(contractsOfPartner, c.counterparty.id, c.id);
    if (c.status === ContractStatus.ACTIVE) add(activeOfPartner, c.counterparty.id, c.id);
  }
  const outsideProjects = new Set([...projectsOfInvestor.values(), ...projectsOfPartner.values()].flatMap((s) => [...s]));
  const managersOfProject = new Map<string, { userId: string; orgId: string }[]>();
  if (outsideProjects.size) {
    const rows = await em.find(ProjectManager, { project: { $in: [...outsideProjects] } }, { populate: ['user'], fields: ['project', 'user.id', 'user.organization'] });
    for (const m of rows) {
      const list = managersOfProject.get(m.project.id) ?? [];
      list.push({ userId: m.user.id, orgId: m.user.organization.id });
      managersOfProject.set(m.project.id, list);
    }
  }

  const viewers = new Map<string, Viewer>();
  for (const user of users) {
    const org = user.organization;
    const side = sideOf(org.kind);
    let projectIds: 'all' | Set<string>;
    let contractIds = new Set<string>();
    let activeContractIds = new Set<string>();
    if (side === 'operator') {
      projectIds = user.role === UserRole.ADMIN ? 'all' : new Set(projectsOfManager.get(user.id) ?? []);
    } else if (side === 'investor') {
      projectIds = new Set(projectsOfInvestor.get(org.id) ?? []);
    } else {
      projectIds = new Set(projectsOfPartner.get(org.id) ?? []);
      contractIds = new Set(contractsOfPartner.get(org.id) ?? []);
      activeContractIds = new Set(activeOfPartner.get(org.id) ?? []);
    }
    const contactUserIds = new Set<string>();
    const contactOrgIds = new Set<string>();
    if (side !== 'operator' && projectIds !== 'all') {
      for (const p of projectIds) {
        for (const m of managersOfProject.get(p) ?? []) {
          contactUserIds.add(m.userId);
          contactOrgIds.add(m.orgId);
        }
      }
    }
    viewers.set(user.id, {
      userId: user.id, orgId: org.id, orgKind: org.kind, role: user.role, side, projectIds, contractIds, activeContractIds,
      contactUserIds, contactOrgIds, apiTokenId: null, tokenScope: ApiTokenScope.ADMIN,
    });
  }
  return viewers;
}

/**
 * The enabled users whose P(v) may contain `projectId` (organization loaded,
 * by e-mail): P(v) of `buildViewer` / `buildViewers` read the other way —
 *   operator side, ADMIN: every project;
 *   operator side, not ADMIN: the projects they manage (a `ProjectManager` row);
 *   investor side: the projects their organization has an `Investment` in;
 *   partner side: the projects of their organization's non-DRAFT contracts.
 * Every other user's viewer excludes the project, so nothing of the project
 * is visible to them; the recipients of an event about the project are read
 * from these users only (src/access/recipients.ts). Keep in step with
 * `buildViewer` and `buildViewers` above (test/notify/candidates.spec.ts
 * compares the three over every project).
 *
 * Four reads, each returning rows of the project's audience only: its
 * managers, its investor organizations and its partner organizations (by the
 * project's indexes), then those users.
 */
export async function usersWhoMaySeeProject(em: EntityManager, projectId: string): Promise<User[]> {
  if (!projectId) throw new Error('usersWhoMaySeeProject: a project id is required');
  // One after the other: inside a transaction they share one connection.
  const managers = await em.find(
    ProjectManager,
    { project: projectId, user: { role: { $ne: UserRole.ADMIN }, organization: { kind: OrganizationKind.OPERATOR } } },
    { fields: ['user'] },
  );
  const investments = await em.find(
    Investment,
    { project: projectId, organization: { kind: OrganizationKind.INVESTOR } },
    { fields: ['organization'] },
  );
  const contracts = await em.find(
    Contract,
    { project: projectId, status: { $ne: ContractStatus.DRAFT }, counterparty: { kind: { $in: [...PARTNER_KINDS] } } },
    { fields: ['counterparty'] },
  );
  const managerIds = [...new Set(managers.map((m) => m.user.id))];
  const orgIds = [...new Set([...investments.map((i) => i.organization.id), ...contracts.map((c) => c.counterparty.id)])];
  const who: FilterQuery<User>[] = [{ role: UserRole.ADMIN, organization: { kind: OrganizationKind.OPERATOR } }];
  if (managerIds.length) who.push({ id: { $in: managerIds } });
  // The organizations' kinds were checked above: an investor's investment, a partner's contract.
  if (orgIds.length) who.push({ organization: { $in: orgIds } });
  // populateWhere ALL: the global 'infer' (src/db/orm.ts) would make the ADMIN branch's `organization.kind` the
  // condition of the organization's populate join (`inner join … on … and kind = 'OPERATOR'`), dropping every other
  // branch's investors and partners; with ALL the organization is joined for the populate on its own.
  return em.find(User, { disabledAt: null, $or: who }, { populate: ['organization'], populateWhere: PopulateHint.ALL, orderBy: { email: 'asc' } });
}

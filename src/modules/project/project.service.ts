/**
 * Project writes: creation and managers are ADMIN's; fields and status are
 * for whoever manages the project.
 */
import type { Context } from '../../access/context';
import { isCurrencyCode } from '../../core/iso4217';
import { mutate, type Tx } from '../../write/transaction';
import { Checks, fail, LIMITS, money, requireThat, userError } from '../../write/checks';
import { actionTo } from '../../write/machine';
import { AuditAction, created, gid } from '../../write/audit';
import { idOf } from '../../write/ids';
import { NotFoundError } from '../../core/errors';
import { can } from '../../access/policy';
import type { Viewer } from '../../access/viewer';
import { Contract } from '../../model/contract.entity';
import { FinancialReport } from '../../model/financial-report.entity';
import { OrganizationKind, User, UserRole } from '../../model/identity.entity';
import { UserErrorCode } from '../../core/user-error';
import { Investment } from '../../model/investment.entity';
import { Milestone, MilestoneStatus } from '../../model/milestone.entity';
import { Project, ProjectManager } from '../../model/project.entity';
import type { AssignProjectManagersInput, ChangeProjectStatusInput, CreateProjectInput, UpdateProjectInput } from './project.mutation-inputs';
import { projectMachine } from './project.transitions';

const CODE = /^[A-Z0-9][A-Z0-9-]{1,39}$/;
export const MAX_MANAGERS = 20;

function checkCurrency(checks: Checks, value: string | null | undefined): string | undefined {
  if (value === undefined) return undefined;
  checks.notNull('currency', value);
  const code = (value ?? '').trim().toUpperCase();
  if (value !== null && !isCurrencyCode(code)) checks.add('currency', `currency must be an ISO 4217 code such as EUR or USD (got "${String(value).slice(0, 10)}")`);
  return code;
}

/**
 * Loads a project the viewer may manage, that a mutation writes a child of:
 * invisible → NOT_FOUND, visible but not theirs → FORBIDDEN. `lock`: FOR
 * SHARE ('share') to check a child against its fields. A mutation of the
 * project itself locks it with `target`.
 */
export async function managedProject(tx: Tx, id: string, lock: false | 'share'): Promise<Project> {
  const project = await tx.linked(Project, id, lock || undefined);
  requireThat(can.manageProject(tx.viewer, project.id));
  return project;
}

/** Permission on a project itself (the others check the project of a row). */
const manages = (v: Viewer, project: Project): boolean => can.manageProject(v, project.id);

export const projectService = {
  async create(ctx: Context, viewer: Viewer, input: CreateProjectInput) {
    const code = input.code.trim();
    const taken = userError(UserErrorCode.ALREADY_EXISTS, `A project with code ${code} already exists`, 'code');
    return mutate(ctx, async (tx) => {
      const checks = new Checks();
      if (!CODE.test(code)) checks.add('code', 'code must be 2–40 capital letters, digits and hyphens, starting with a letter or digit (e.g. PRJ-2026-02)');
      const name = checks.text('name', input.name, 1, LIMITS.name);
      const description = checks.text('description', input.description ?? '', 0, LIMITS.text);
      const currency = checkCurrency(checks, input.currency);
      checks.order('targetEndDate', input.startDate, input.targetEndDate, true, 'targetEndDate must be on or after startDate');
      checks.done();
      if ((await tx.count(Project, { code })) > 0) fail(taken.code, taken.message, 'code');
      const fields = { code, name, description, currency, budget: money(input.budget), startDate: input.startDate, targetEndDate: input.targetEndDate };
      const project = tx.em.create(Project, fields as never);
      tx.audit(AuditAction.ProjectCreate, project, project.id, created({ ...fields, status: project.status }));
      return project;
    }, { unique: { project_code_unique: taken } });
  },

  async update(ctx: Context, viewer: Viewer, input: UpdateProjectInput) {
    const id = idOf(input.id, 'Project', 'id');
    return mutate(ctx, async (tx) => {
      const checks = new Checks();
      const name = checks.text('name', input.name, 1, LIMITS.name);
      const description = checks.text('description', input.description, 0, LIMITS.text);
      const currency = checkCurrency(checks, input.currency);
      checks.notNull('budget', input.budget);
      checks.notNull('startDate', input.startDate);
      checks.notNull('targetEndDate', input.targetEndDate);
      checks.done();
      const project = await tx.target(Project, id, { version: input.version, may: manages });
      const startDate = input.startDate ?? project.startDate;
      const targetEndDate = input.targetEndDate ?? project.targetEndDate;
      const after = new Checks();
      after.order('targetEndDate', startDate, targetEndDate, true, 'targetEndDate must be on or after startDate');
      // A cancelled milestone is final (its due date cannot move any more), so it does not hold the dates back.
      await tx.checkCovers(
        after, { entity: Milestone, where: { project: id, status: { $ne: MilestoneStatus.CANCELLED } }, noun: 'milestone', remedy: 'move or cancel' },
        { field: 'startDate', value: startDate, was: project.startDate }, { field: 'targetEndDate', value: targetEndDate, was: project.targetEndDate },
      );
      if (currency !== undefined && currency !== project.currency) {
        // Every amount of a project is in its currency: changing it would silently re-denominate recorded amounts.
        const recorded = (await tx.count(Investment, { project: id })) + (await tx.count(Contract, { project: id })) + (await tx.count(FinancialReport, { project: id }));
        if (recorded > 0) after.add('currency', `currency cannot change once amounts are recorded in ${project.currency} (investments, contracts or financial reports)`);
      }
      after.done();
      const changes = tx.apply(project, {
        name, description, currency, budget: input.budget == null ? undefined : money(input.budget), startDate: input.startDate ?? undefined, targetEndDate: input.targetEndDate ?? undefined,
      });
      if (Object.keys(changes).length) tx.audit(AuditAction.ProjectUpdate, project, project.id, changes);
      return project;
    });
  },

  async changeStatus(ctx: Context, viewer: Viewer, input: ChangeProjectStatusInput) {
    const id = idOf(input.id, 'Project', 'id');
    return mutate(ctx, async (tx) => {
      const project = await tx.target(Project, id, { version: input.version, may: manages });
      const action = actionTo(projectMachine, project.status, input.status);
      const changes = tx.apply(project, { status: input.status });
      tx.audit(`project.${action}`, project, project.id, changes);
      return project;
      });
  },

  async assignManagers(ctx: Context, viewer: Viewer, input: AssignProjectManagersInput) {
      const id = idOf(input.id, 'Project', 'id');
      const userIds = [...new Set(input.managerIds.map((m, i) => idOf(m, 'User', `managerIds.${i}`)))];
      return mutate(ctx, async (tx) => {
      if (userIds.length > MAX_MANAGERS) fail(UserErrorCode.VALIDATION, `managerIds: at most ${MAX_MANAGERS} managers (got ${userIds.length})`, 'managerIds');
      const project = await tx.target(Project, id, { version: input.version, may: manages });
      const users = await tx.find(User, { id: { $in: userIds } }, { populate: ['organization'] });
      const byId = new Map(users.map((u) => [u.id, u]));
      const checks = new Checks();
      userIds.forEach((userId, i) => {
        const user = byId.get(userId);
        // A linked id follows the target's rule: missing or invisible is NOT_FOUND.
        if (!user) throw new NotFoundError('User');
        if (user.organization.kind !== OrganizationKind.OPERATOR || (user.role !== UserRole.ADMIN && user.role !== UserRole.MANAGER)) {
          checks.add(`managerIds.${i}`, `${user.name} cannot manage projects: only operator users with role ADMIN or MANAGER can`);
        } else if (user.disabledAt) {
          checks.add(`managerIds.${i}`, `${user.name} is disabled`);
        }
      });
      checks.done();
      const links = await tx.em.find(ProjectManager, { project: project.id });
      const before = links.map((l) => l.user.id);
      for (const link of links) if (!userIds.includes(link.user.id)) tx.em.remove(link);
      for (const user of users) if (!before.includes(user.id)) tx.em.create(ProjectManager, { project, user });
      const ids = (list: string[]) => [...list].sort().map((u) => gid('User', u));
      if (JSON.stringify([...before].sort()) !== JSON.stringify([...userIds].sort())) {
        tx.touch(project);
        tx.audit(AuditAction.ProjectAssignManagers, project, project.id, { managers: { before: ids(before), after: ids(userIds) } });
      }
      return project;
    });
  },
};

/** Milestone writes, by whoever manages the milestone's project. */
import type { Context } from '../../access/context';
import { mutate, type Tx } from '../../write/transaction';
import { Checks, LIMITS, money } from '../../write/checks';
import { actionTo, transition } from '../../write/machine';
import { AuditAction, created } from '../../write/audit';
import { idOf } from '../../write/ids';
import { can } from '../../access/policy';
import type { Viewer } from '../../access/viewer';
import { managedProject } from '../project/project.service';
import { Project } from '../../model/project.entity';
import { Milestone, MilestoneStatus } from '../../model/milestone.entity';
import type {
  CancelMilestoneInput, ChangeMilestoneStatusInput, CreateMilestoneInput, SetMilestoneProgressInput, UpdateMilestoneInput,
} from './milestone.mutation-inputs';
import { milestoneMachine, type MilestoneAction } from './milestone.transitions';

function checkDueDate(checks: Checks, project: Project, dueDate: string): void {
  if (dueDate < project.startDate || dueDate > project.targetEndDate) {
    checks.add('dueDate', `dueDate must be within the project's dates, ${project.startDate} to ${project.targetEndDate} (got ${dueDate})`);
  }
}

/** Applies a status action with its side effects on completedAt and progress. */
function applyStatus(tx: Tx, milestone: Milestone, action: MilestoneAction) {
  const status = transition(milestoneMachine, milestone.status, action);
  const changes = tx.apply(milestone, {
    status,
    ...(status === MilestoneStatus.DONE ? { completedAt: new Date(), progress: 100 } : {}),
    ...(action === 'reopen' ? { completedAt: null } : {}),
  });
  tx.audit(`milestone.${action}`, milestone, milestone.project.id, changes);
  return milestone;
}

export const milestoneService = {
  async create(ctx: Context, viewer: Viewer, input: CreateMilestoneInput) {
    const projectId = idOf(input.projectId, 'Project', 'projectId');
    return mutate(ctx, async (tx) => {
      const checks = new Checks();
      const title = checks.text('title', input.title, 1, LIMITS.title);
      const description = checks.text('description', input.description ?? '', 0, LIMITS.text);
      checks.done();
      // FOR SHARE: the project's dates cannot change until this milestone is written (see updateProject).
      const project = await managedProject(tx, projectId, 'share');
      checkDueDate(checks, project, input.dueDate);
      checks.done();
      const fields = { project, title, description, dueDate: input.dueDate, plannedValue: money(input.plannedValue) ?? null };
      const milestone = tx.em.create(Milestone, fields as never);
      tx.audit(AuditAction.MilestoneCreate, milestone, project.id, created({ ...fields, status: milestone.status, progress: 0 }));
      return milestone;
    });
  },

  async update(ctx: Context, viewer: Viewer, input: UpdateMilestoneInput) {
    const id = idOf(input.id, 'Milestone', 'id');
    return mutate(ctx, async (tx) => {
      const checks = new Checks();
      const title = checks.text('title', input.title, 1, LIMITS.title);
      const description = checks.text('description', input.description, 0, LIMITS.text);
      checks.notNull('dueDate', input.dueDate);
      checks.done();
      const milestone = await tx.target(Milestone, id, { version: input.version, may: can.manageProjectOf });
      transition(milestoneMachine, milestone.status, 'update');
      if (input.dueDate) {
        checkDueDate(checks, await tx.linked(Project, milestone.project.id, 'share'), input.dueDate);
        checks.done();
      }
      const changes = tx.apply(milestone, { title, description, dueDate: input.dueDate ?? undefined, plannedValue: money(input.plannedValue) });
      if (Object.keys(changes).length) tx.audit(AuditAction.MilestoneUpdate, milestone, milestone.project.id, changes);
      return milestone;
    });
  },

  async setProgress(ctx: Context, viewer: Viewer, input: SetMilestoneProgressInput) {
    const id = idOf(input.id, 'Milestone', 'id');
    return mutate(ctx, async (tx) => {
      const checks = new Checks();
      checks.int('progress', input.progress, 0, 100);
      checks.done();
      const milestone = await tx.target(Milestone, id, { version: input.version, may: can.manageProjectOf });
      transition(milestoneMachine, milestone.status, 'progress');
      const changes = tx.apply(milestone, { progress: input.progress });
      if (Object.keys(changes).length) tx.audit(AuditAction.MilestoneProgress, milestone, milestone.project.id, changes);
      return milestone;
    });
  },

  async changeStatus(ctx: Context, viewer: Viewer, input: ChangeMilestoneStatusInput) {
    const id = idOf(input.id, 'Milestone', 'id');
    return mutate(ctx, async (tx) => {
      const milestone = await tx.target(Milestone, id, { version: input.version, may: can.manageProjectOf });
      return applyStatus(tx, milestone, actionTo(milestoneMachine, milestone.status, input.status));
    });
  },

  async cancel(ctx: Context, viewer: Viewer, input: CancelMilestoneInput) {
    const id = idOf(input.id, 'Milestone', 'id');
    return mutate(ctx, async (tx) => applyStatus(tx, await tx.target(Milestone, id, { version: input.version, may: can.manageProjectOf }), 'cancel'));
  },
};

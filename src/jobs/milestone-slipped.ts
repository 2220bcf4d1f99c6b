/**
 * `milestone_slipped` (a periodic job, src/jobs/tasks.ts): finds milestones
 * past their due date that are neither DONE nor CANCELLED and raises
 * `milestone.slipped` once per milestone and due date — the event row itself
 * records that it was raised (its data holds the due date), so moving the
 * due date and missing it again raises it again. Each milestone is one
 * transaction, with its audit event (`milestone.slip`, no actor), exactly as
 * a mutation writes its events.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { systemViewer } from '../access/viewer';
import { today } from '../core/dates';
import { DomainEvent, EventType } from '../model/event.entity';
import { Milestone, MilestoneStatus } from '../model/milestone.entity';
import { AuditAction } from '../write/audit';
import { Tx } from '../write/transaction';
import type { JobTask } from './tasks';

export const MILESTONE_SLIP_TASK = 'milestone_slipped';

const OPEN = { $nin: [MilestoneStatus.DONE, MilestoneStatus.CANCELLED] };

async function alreadyRaised(em: EntityManager, milestone: { id: string; dueDate: string }): Promise<boolean> {
  const events = await em.find(DomainEvent, { type: EventType.MilestoneSlipped, subjectType: 'Milestone', subjectId: milestone.id }, { fields: ['data'] });
  return events.some((e) => (e.data as { dueDate?: string }).dueDate === milestone.dueDate);
}

/** Raises the event for every milestone that slipped as of `asOf` (YYYY-MM-DD); returns how many were raised. */
export async function raiseSlippedMilestones(em: EntityManager, asOf = today(), requestId = `job:${MILESTONE_SLIP_TASK}`): Promise<number> {
  const candidates = await em.find(Milestone, { dueDate: { $lt: asOf }, status: OPEN }, { fields: ['id', 'dueDate'], orderBy: { dueDate: 'asc', id: 'asc' } });
  let raised = 0;
  for (const candidate of candidates) {
    if (await alreadyRaised(em, candidate)) continue;
    raised += await em.fork().transactional(async (trx) => {
      const tx = new Tx(trx as EntityManager, systemViewer(), requestId);
      // Locked and read again: a concurrent completion or a second run of this job waits, then sees the result.
      const milestone = await tx.target(Milestone, candidate.id);
      if (milestone.dueDate >= asOf || milestone.status === MilestoneStatus.DONE || milestone.status === MilestoneStatus.CANCELLED) return 0;
      if (await alreadyRaised(trx as EntityManager, milestone)) return 0;
      tx.audit(AuditAction.MilestoneSlip, milestone, milestone.project.id, {});
      await trx.flush();
      await tx.writeEvents();
      return 1;
    });
  }
  return raised;
}

export const findSlippedMilestones: JobTask = async (_payload, { orm, logger }) => {
  const raised = await raiseSlippedMilestones(orm.em.fork());
  if (raised) logger.info({ raised }, 'milestones past their due date: events raised');
};

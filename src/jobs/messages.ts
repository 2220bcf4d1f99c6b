/**
 * What a message about an event says (docs/notifications.md): the event type,
 * the subject's global id, its label as the recipient reads it, the project's
 * name and when it happened — nothing else, and never money. Every channel
 * (inbox, e-mail, webhook, live) builds its content from `describeEvent`.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { scoped } from '../access/policy';
import { subjectEntity } from '../access/recipients';
import type { Viewer } from '../access/viewer';
import { toGlobalId } from '../core/global-id';
import { EventType, type DomainEvent } from '../model/event.entity';
import { Project } from '../model/project.entity';

export interface EventMessage {
  type: string;
  /** Global id of the subject (`node(id:)` finds it while it is visible). */
  subjectId: string;
  subjectType: string;
  /** The subject's own name: a title, or a report's period and revision. */
  label: string;
  /** One line saying what happened. */
  title: string;
  projectName: string | null;
  occurredAt: string;
}

/** The subject's label from its row (fields every side that sees the subject may read). */
function labelOf(subjectType: string, row: Record<string, any>): string {
  switch (subjectType) {
    case 'FinancialReport':
      return `Financial report ${String(row.periodStart).slice(0, 7)} (revision ${row.revision})`;
    case 'Investment':
      return 'Investment';
    default:
      return String(row.title ?? subjectType);
  }
}

function titleOf(event: Pick<DomainEvent, 'type' | 'data'>, label: string): string {
  const d = event.data as Record<string, any>;
  const q = `"${label}"`;
  switch (event.type) {
    case EventType.DeliverableSubmitted: return `Deliverable ${q} submitted for review (round ${d.round})`;
    case EventType.DeliverableAccepted: return `Deliverable ${q} accepted`;
    case EventType.DeliverableRejected: return `Deliverable ${q} rejected`;
    case EventType.ReportPublished: return `${label} published`;
    case EventType.ReportRestated: return `${label} published: it restates the earlier revision`;
    case EventType.ReportSuperseded: return `${label} superseded by a restatement`;
    case EventType.RiskRaised: return `Risk ${q} raised to ${d.band}`;
    case EventType.RiskReassessed: return `Risk ${q} reassessed: ${d.previousBand} → ${d.band}`;
    case EventType.RiskShared: return `Risk ${q} shared with investors`;
    case EventType.MilestoneCompleted: return `Milestone ${q} completed`;
    case EventType.MilestoneSlipped: return `Milestone ${q} is past its due date (${d.dueDate})`;
    case EventType.ContractStatusChanged: return `Contract ${q} is now ${d.to}`;
    case EventType.UpdatePosted: return `Update posted: ${q}`;
    case EventType.InvestmentRecorded: return 'Investment recorded';
    default: return `${event.type}: ${q}`;
  }
}

/**
 * The message of `event` as `viewer` may read it; null when the subject is
 * not (or no longer) visible to the viewer.
 */
export async function describeEvent(em: EntityManager, event: DomainEvent, viewer: Viewer): Promise<EventMessage | null> {
  const entity = subjectEntity(event.subjectType);
  const [row] = await em.find(entity, scoped(entity, viewer, { id: event.subjectId }));
  if (!row) return null;
  const projectId = event.project?.id ?? null;
  const [project] = projectId ? await em.find(Project, scoped(Project, viewer, { id: projectId }), { fields: ['name'] }) : [];
  const label = labelOf(event.subjectType, row);
  return {
    type: event.type,
    subjectId: toGlobalId(event.subjectType, event.subjectId),
    subjectType: event.subjectType,
    label,
    title: titleOf(event, label),
    projectName: project?.name ?? null,
    occurredAt: event.occurredAt.toISOString(),
  };
}

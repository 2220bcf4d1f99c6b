/**
 * What a message about an event says (webhook payload, e-mail), for one
 * reader: only what that reader may read, evaluated now (docs/webhooks.md#payloads).
 * The subject and its project are loaded through the policy with the
 * reader's viewer; an invisible subject gives no message at all. Messages
 * carry the event's type, the subject's global id and title as the reader
 * reads it, the project's name and the time — never a figure.
 */
import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { scoped } from '../../access/policy';
import type { Viewer } from '../../access/viewer';
import { toGlobalId } from '../../core/global-id';
import { Contract } from '../../model/contract.entity';
import { Deliverable } from '../../model/deliverable.entity';
import type { DomainEvent } from '../../model/event.entity';
import { FinancialReport } from '../../model/financial-report.entity';
import { Investment } from '../../model/investment.entity';
import { Milestone } from '../../model/milestone.entity';
import { Project } from '../../model/project.entity';
import { Risk } from '../../model/risk.entity';
import { ProjectUpdate } from '../../model/update.entity';

interface SubjectKind<T> {
  entity: EntityClass<T>;
  title(row: T): string;
}

function kind<T>(entity: EntityClass<T>, title: (row: T) => string): SubjectKind<T> {
  return { entity, title };
}

/** Each subject type: its entity and how its title reads (no figures). */
const SUBJECTS: Record<string, SubjectKind<any>> = {
  Deliverable: kind(Deliverable, (d) => d.title),
  FinancialReport: kind(FinancialReport, (r) => `Financial report ${r.periodStart} to ${r.periodEnd}${r.revision > 1 ? ` (revision ${r.revision})` : ''}`),
  Risk: kind(Risk, (r) => r.title),
  Milestone: kind(Milestone, (m) => m.title),
  Contract: kind(Contract, (c) => `${c.reference} ${c.title}`),
  ProjectUpdate: kind(ProjectUpdate, (u) => u.title),
  Investment: kind(Investment, () => 'Investment'),
};

/** Words for each event type, for titles and e-mail subjects. */
export const EVENT_LABELS: Record<string, string> = {
  'deliverable.submitted': 'Deliverable submitted',
  'deliverable.accepted': 'Deliverable accepted',
  'deliverable.rejected': 'Deliverable rejected',
  'report.published': 'Financial report published',
  'report.restated': 'Financial report restated',
  'report.superseded': 'Financial report superseded',
  'risk.raised': 'Risk raised',
  'risk.reassessed': 'Risk reassessed',
  'risk.shared': 'Risk shared',
  'milestone.completed': 'Milestone completed',
  'milestone.slipped': 'Milestone slipped',
  'contract.statusChanged': 'Contract status changed',
  'update.posted': 'Project update posted',
  'investment.recorded': 'Investment recorded',
};

export interface Message {
  /** The event's id, global (`DomainEvent`). */
  eventId: string;
  type: string;
  label: string;
  occurredAt: string;
  subject: { type: string; id: string; title: string };
  project: { id: string; name: string } | null;
}

/** The message about `event` for `viewer`, or null when the viewer does not see its subject now. */
export async function messageFor(em: EntityManager, event: DomainEvent, viewer: Viewer): Promise<Message | null> {
  const subjectKind = SUBJECTS[event.subjectType];
  if (!subjectKind) return null;
  const [subject] = await em.find(subjectKind.entity, scoped(subjectKind.entity, viewer, { id: event.subjectId } as never), { refresh: true } as never);
  if (!subject) return null;
  const projectId = event.project ? (event.project as unknown as { id: string }).id : null;
  let project: Message['project'] = null;
  if (projectId) {
    const [row] = await em.find(Project, scoped(Project, viewer, { id: projectId }), { refresh: true } as never);
    if (!row) return null;
    project = { id: toGlobalId('Project', row.id), name: row.name };
  }
  return {
    eventId: toGlobalId('DomainEvent', event.id),
    type: event.type,
    label: EVENT_LABELS[event.type] ?? event.type,
    occurredAt: new Date(event.occurredAt).toISOString(),
    subject: { type: event.subjectType, id: toGlobalId(event.subjectType, event.subjectId), title: subjectKind.title(subject) },
    project,
  };
}

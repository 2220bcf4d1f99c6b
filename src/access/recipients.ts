/**
 * Who may be told about a domain event (docs/notifications.md): the enabled
 * users for whom the event's subject is visible under the policy NOW — when
 * the event is delivered, not when it was written. An event about an INTERNAL
 * risk never reaches an investor; a user disabled, or moved out of the
 * subject's scope, after the change receives nothing more.
 *
 * This is the one function deciding it; every channel (inbox, live updates,
 * webhooks, e-mail) sends to these recipients only. It does not restate any
 * rule: visibility is asked of the policy (`scoped(Entity, viewer, { id })`).
 * To stay at a few queries per event whatever the number of users, users are
 * grouped by what their viewer depends on (side, role, organization, visible
 * projects and contracts) and each group is checked once.
 */
import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { scoped } from './policy';
import { buildViewers, type Viewer } from './viewer';
import { User } from '../model/identity.entity';
import { entities } from '../model/entities';

export interface Recipient {
  userId: string;
  email: string;
  name: string;
  organizationId: string;
  /** The recipient's viewer as of delivery: channels read the subject through it. */
  viewer: Viewer;
}

/** What recipientsOf needs of an event. */
export interface EventSubject {
  subjectType: string;
  subjectId: string;
  /** The subject's project, when it has one. */
  project?: { id: string } | null;
}

const ENTITY_BY_TYPE = new Map<string, EntityClass<any>>(entities.map((e) => [e.name, e as EntityClass<any>]));

/** The entity class of a subject type; throws for an unknown one (fails closed). */
export function subjectEntity(subjectType: string): EntityClass<any> {
  const entity = ENTITY_BY_TYPE.get(subjectType);
  if (!entity) throw new Error(`recipients: unknown subject type ${subjectType}`);
  return entity;
}

const sorted = (set: 'all' | ReadonlySet<string>) => (set === 'all' ? 'all' : [...set].sort().join(','));

/** Users whose viewers are equal up to their user id read exactly the same objects. */
function groupKey(v: Viewer): string {
  return [v.side, v.role, v.orgId, sorted(v.projectIds), sorted(v.contractIds)].join('|');
}

/**
 * Whether the subject is visible to the viewer, asked of the policy. P(v),
 * the viewer's visible projects, bounds every rule of an object of a project
 * (docs/visibility.md), so a viewer outside the subject's project is answered
 * without a query.
 */
async function visible(em: EntityManager, entity: EntityClass<any>, event: EventSubject, viewer: Viewer): Promise<boolean> {
  const projectId = event.project?.id;
  if (projectId && viewer.projectIds !== 'all' && !viewer.projectIds.has(projectId)) return false;
  return (await em.count(entity, scoped(entity, viewer, { id: event.subjectId }))) > 0;
}

/** The enabled users who may see the event's subject now, by e-mail. */
export async function recipientsOf(em: EntityManager, event: EventSubject): Promise<Recipient[]> {
  const entity = subjectEntity(event.subjectType);
  const users = await em.find(User, { disabledAt: null }, { populate: ['organization'], orderBy: { email: 'asc' } });
  const viewers = await buildViewers(em, users);
  const groups = new Map<string, { viewer: Viewer; users: User[] }>();
  for (const user of users) {
    const viewer = viewers.get(user.id)!;
    const key = groupKey(viewer);
    const group = groups.get(key);
    if (group) group.users.push(user);
    else groups.set(key, { viewer, users: [user] });
  }
  const recipients: Recipient[] = [];
  for (const group of groups.values()) {
    if (!(await visible(em, entity, event, group.viewer))) continue;
    for (const user of group.users) {
      recipients.push({ userId: user.id, email: user.email, name: user.name, organizationId: user.organization.id, viewer: viewers.get(user.id)! });
    }
  }
  return recipients.sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
}

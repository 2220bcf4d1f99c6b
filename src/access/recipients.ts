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
 * To stay at a few queries per event whatever the number of users, an event
 * about a project reads only the users whose visible projects P(v) can
 * include it (`usersWhoMaySeeProject`, the definition of P(v) read the other
 * way: every other user's viewer excludes the project, so none of them could
 * be a recipient), and builds only their viewers; an event without a project
 * reads every enabled user. Users are then grouped by what their viewer
 * depends on (side, role, organization, visible projects and contracts) and
 * each group is checked once — or not at all when another group's viewer
 * gave the policy the very same condition.
 */
import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { scoped } from './policy';
import { buildViewers, usersWhoMaySeeProject, type Viewer } from './viewer';
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
 * The exact text of a policy condition, when it has one: plain objects,
 * arrays, strings, finite numbers, booleans, null and valid dates only.
 * Anything else — undefined (which MikroORM reads as IS NULL), sets,
 * entities, class instances, symbol keys — gives null: such a condition is
 * asked on its own.
 */
export function conditionText(value: unknown): string | null {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string': return JSON.stringify(value);
    case 'boolean': return String(value);
    case 'number': return Number.isFinite(value) ? String(value) : null;
    case 'object': break;
    default: return null;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : `Date(${value.toISOString()})`;
  const parts: string[] = [];
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const part = i in value ? conditionText(value[i]) : null;
      if (part === null) return null;
      parts.push(part);
    }
    return `[${parts.join(',')}]`;
  }
  const proto = Object.getPrototypeOf(value);
  if ((proto !== Object.prototype && proto !== null) || Object.getOwnPropertySymbols(value).length) return null;
  for (const [key, item] of Object.entries(value)) {
    const part = conditionText(item);
    if (part === null) return null;
    parts.push(`${JSON.stringify(key)}:${part}`);
  }
  return `{${parts.join(',')}}`;
}

/**
 * Whether the subject is visible to the viewer, asked of the policy. P(v),
 * the viewer's visible projects, bounds every rule of an object of a project
 * (docs/visibility.md), so a viewer outside the subject's project is answered
 * without a query. Viewers for whom the policy gives the very same condition
 * (e.g. every investor, for a deliverable: none) get the same answer, so it
 * is asked once per distinct condition (`answers`, by its exact text).
 */
async function visible(
  em: EntityManager, entity: EntityClass<any>, event: EventSubject, viewer: Viewer, answers: Map<string, boolean>,
): Promise<boolean> {
  const projectId = event.project?.id;
  if (projectId && viewer.projectIds !== 'all' && !viewer.projectIds.has(projectId)) return false;
  const where = scoped(entity, viewer, { id: event.subjectId });
  const text = conditionText(where);
  const known = text === null ? undefined : answers.get(text);
  if (known !== undefined) return known;
  const answer = (await em.count(entity, where)) > 0;
  if (text !== null) answers.set(text, answer);
  return answer;
}

/**
 * The users an event's recipients are chosen from (organization loaded, by
 * e-mail): with a project, those whose P(v) can include it; otherwise every
 * enabled user.
 */
export function candidatesOf(em: EntityManager, event: EventSubject): Promise<User[]> {
  const projectId = event.project?.id;
  if (projectId) return usersWhoMaySeeProject(em, projectId);
  return em.find(User, { disabledAt: null }, { populate: ['organization'], orderBy: { email: 'asc' } });
}

/** The enabled users who may see the event's subject now, by e-mail. */
export async function recipientsOf(em: EntityManager, event: EventSubject): Promise<Recipient[]> {
  const entity = subjectEntity(event.subjectType);
  const users = await candidatesOf(em, event);
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
  const answers = new Map<string, boolean>();
  for (const group of groups.values()) {
    if (!(await visible(em, entity, event, group.viewer, answers))) continue;
    for (const user of group.users) {
      recipients.push({ userId: user.id, email: user.email, name: user.name, organizationId: user.organization.id, viewer: viewers.get(user.id)! });
    }
  }
  return recipients.sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
}

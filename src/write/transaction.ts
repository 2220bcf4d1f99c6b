/**
 * The transaction of a write mutation (issue "write workflows"). Every mutation:
 *
 * 1. has its role checked on the root field (@Access, FORBIDDEN) and decodes
 *    its ids (BAD_USER_INPUT) before anything is loaded;
 * 2. runs in ONE transaction on a clean fork of the request's EntityManager;
 * 3. loads its target through the policy layer, `SELECT … FOR UPDATE`, so an
 *    invisible object is NOT_FOUND exactly like a random id, and concurrent
 *    writers on one row queue instead of interleaving; then checks the
 *    viewer's permission on it (FORBIDDEN);
 * 4. compares the version the client sent (VERSION_CONFLICT), validates
 *    (VALIDATION), applies the state machine (INVALID_TRANSITION);
 * 5. writes its AuditEvent in the same transaction, and with it the domain
 *    event the change raises (src/write/events.ts): the outbox row, its
 *    delivery job and a NOTIFY, all committed with the change or not at all
 *    (docs/notifications.md).
 *
 * Linked ids in an input (the milestone of a deliverable, the contract of a
 * risk, a counterparty, a manager, an owner) follow the target's rule: missing
 * or invisible is the same top-level NOT_FOUND as a random id; visible but of
 * another project, or of the wrong kind, is a VALIDATION userError on that field.
 *
 * Expected failures are thrown as `UserErrorsAbort` so the transaction rolls
 * back (no partial change, no audit event) and are turned into the payload's
 * userErrors here. The flush keeps MikroORM's `WHERE version = ?` check as a
 * second line: an OptimisticLockError also becomes VERSION_CONFLICT instead of
 * an INTERNAL_SERVER_ERROR.
 */
import {
  LockMode, OptimisticLockError, type FindOptions, UniqueConstraintViolationException, type EntityClass, type FilterQuery,
} from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { EVENT_CHANNEL } from '../core/channels';
import { UserError, UserErrorCode } from '../core/user-error';
import { authed, type Context } from '../access/context';
import { ForbiddenError, NotFoundError } from '../core/errors';
import { scoped } from '../access/policy';
import { Reader } from '../access/reader';
import { SYSTEM_USER_ID, type Viewer } from '../access/viewer';
import { fail, userError, UserErrorsAbort, type Checks } from './checks';
import { auditValue, sameAuditValue, writeAudit, type AuditAction, type Changes } from './audit';
import { eventOf, subjectTypeOf } from './events';
import { v7 as uuidv7 } from 'uuid';

/** Children whose due dates a parent's dates must cover (see `Tx.checkCovers`). */
/** A domain event as `WRITE_EVENTS_SQL` reads it (column names). */
interface PendingEvent {
  id: string;
  type: string;
  subject_type: string;
  subject_id: string;
  project_id: string | null;
  audit_event_id: string;
  occurred_at: string;
  data: Record<string, unknown>;
}

/** The job that delivers an event (src/jobs/tasks.ts); named here because this layer sits below the jobs. */
export const DELIVER_EVENT_TASK = 'deliver_event';


const WRITE_EVENTS_SQL = `
  with ev as (
    insert into domain_event (id, type, subject_type, subject_id, project_id, audit_event_id, occurred_at, data)
    select x.id, x.type, x.subject_type, x.subject_id, x.project_id, x.audit_event_id, x.occurred_at, x.data
    from jsonb_to_recordset(?::jsonb) as x(id uuid, type text, subject_type text, subject_id uuid, project_id uuid, audit_event_id uuid, occurred_at timestamptz, data jsonb)
    returning id, type, subject_type, subject_id, project_id
  )
  select (graphile_worker.add_job('${DELIVER_EVENT_TASK}', json_build_object('eventId', ev.id), job_key => '${DELIVER_EVENT_TASK}:' || ev.id, max_attempts => 25)).id as job_id,
         pg_notify('${EVENT_CHANNEL}', json_build_object('id', ev.id, 'type', ev.type, 'subjectType', ev.subject_type, 'subjectId', ev.subject_id, 'projectId', ev.project_id)::text)
  from ev`;

export interface DatedChildren<T> {
  entity: EntityClass<T>;
  /** The parent's children, e.g. `{ project: id, status: { $ne: CANCELLED } }`. */
  where: FilterQuery<T>;
  noun: string;
  /** What the user can do about a child outside the dates: "move", "move or cancel". */
  remedy: string;
}

/** One of a parent's dates: the input field, the value after the change and before it. */
export interface DateBound { field: string; value: string; was: string }

/** What `Tx.target` checks once the row is loaded, in this order: `may`, then `version`. */
export interface TargetOptions<T> {
  /** The viewer's permission on the loaded row, e.g. `can.manageProjectOf`; false is FORBIDDEN. */
  may?: (viewer: Viewer, row: T) => boolean;
  /** The FORBIDDEN message when `may` refuses (the generic one otherwise). */
  denied?: string;
  /** The version the client read; a different current version is VERSION_CONFLICT and nothing is written. */
  version?: T extends { version: number } ? number : never;
  /** How the version conflict names the object (default: the entity's name, e.g. "Deliverable"). */
  what?: string;
}

export class Tx {
  /** Domain events raised by this transaction's audit events, written by `writeEvents` after the flush. */
  private readonly events: PendingEvent[] = [];

  constructor(readonly em: EntityManager, readonly viewer: Viewer, readonly requestId: string) {}

  /**
   * The object a mutation changes, locked for this transaction. Invisible (or
   * missing) is NOT_FOUND, the same answer as for a random id; then FORBIDDEN
   * unless `may` allows it; then VERSION_CONFLICT when `version` is stale.
   * Permission comes after visibility so FORBIDDEN never reveals that an
   * invisible id exists.
   */
  async target<T extends { id: string }>(entity: EntityClass<T>, id: string, options: TargetOptions<T> = {}): Promise<T> {
    const [row] = await this.em.find(entity, scoped(entity, this.viewer, { id } as FilterQuery<T>), { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!row) throw new NotFoundError(entity.name);
    if (options.may && !options.may(this.viewer, row)) throw new ForbiddenError(options.denied);
    if (options.version !== undefined) this.expectVersion(row as unknown as { version: number }, options.version, options.what ?? entity.name);
    return row;
  }

  /**
   * A linked object named in the input: visible or NOT_FOUND (same rule as the
   * target). Not locked, unless `share`: `FOR SHARE` keeps the row as read
   * until the transaction ends (other writers of children may proceed; a
   * writer of the row itself waits), for checks against its fields.
   */
  async linked<T extends { id: string }>(entity: EntityClass<T>, id: string, lock?: 'share'): Promise<T> {
    const options = { lockMode: lock === 'share' ? LockMode.PESSIMISTIC_READ : LockMode.NONE } as const;
    const [row] = await this.em.find(entity, scoped(entity, this.viewer, { id } as FilterQuery<T>), options);
    if (!row) throw new NotFoundError(entity.name);
    return row;
  }

  /** Visible rows matching `where`. */
  async find<T extends object>(entity: EntityClass<T>, where: FilterQuery<T>, options: FindOptions<T, any, any, any> = {}): Promise<T[]> {
    return (await this.em.find(entity, scoped(entity, this.viewer, where), options)) as T[];
  }

  /**
   * A parent's dates must keep covering its children's due dates (a project's
   * milestones, a contract's deliverables): when the dates change (and are in
   * order), adds a user error per side naming the first children the new
   * dates would leave outside. Children write their due date holding the
   * parent `FOR SHARE`, and the parent is locked here, so the check cannot
   * miss a concurrent write.
   */
  async checkCovers<T extends { id: string; title: string; dueDate: string }>(checks: Checks, children: DatedChildren<T>, start: DateBound, end: DateBound): Promise<void> {
    if (start.value > end.value || (start.value === start.was && end.value === end.was)) return;
    const outside = await this.find(children.entity, {
      $and: [children.where, { $or: [{ dueDate: { $lt: start.value } }, { dueDate: { $gt: end.value } }] }],
    } as FilterQuery<T>, { orderBy: { dueDate: 'asc', id: 'asc' } as never });
    const describe = (rows: T[]) => {
      const named = rows.slice(0, 3).map((c) => `"${c.title}" (${c.dueDate})`).join(', ');
      const list = rows.length > 3 ? `${named} and ${rows.length - 3} more` : named;
      const count = `${rows.length} ${rows.length === 1 ? children.noun : `${children.noun}s`}`;
      return `${count}: ${list}; ${children.remedy} ${rows.length === 1 ? 'it' : 'them'} first`;
    };
    const before = outside.filter((c) => c.dueDate < start.value);
    const after = outside.filter((c) => c.dueDate > end.value);
    if (before.length) checks.add(start.field, `${start.field} ${start.value} is after the due date of ${describe(before)}`);
    if (after.length) checks.add(end.field, `${end.field} ${end.value} is before the due date of ${describe(after)}`);
  }

  /** Number of visible rows matching `where`. */
  count<T extends object>(entity: EntityClass<T>, where: FilterQuery<T>): Promise<number> {
    return this.em.count(entity, scoped(entity, this.viewer, where));
  }

  /** The version the client saw must be the current one; otherwise nothing is written. */
  private expectVersion(target: { version: number }, version: number, what: string): void {
    if (target.version !== version) {
      fail(
        UserErrorCode.VERSION_CONFLICT,
        `${what} was changed by someone else since you read it (current version ${target.version}, you sent ${version}): reload it and retry`,
        'version',
      );
    }
  }

  /**
   * Applies the given fields (undefined = unchanged) and returns what changed,
   * before and after. Only the listed keys are ever written: inputs are never
   * assigned wholesale.
   */
  apply<T extends object>(target: T, patch: { [K in keyof T]?: T[K] }): Changes {
    const changes: Changes = {};
    for (const key of Object.keys(patch) as (keyof T & string)[]) {
      const after = patch[key];
      if (after === undefined) continue;
      const before = target[key];
      if (sameAuditValue(before, after)) continue;
      changes[key] = { before: auditValue(before), after: auditValue(after) };
      target[key] = after as T[keyof T & string];
    }
    return changes;
  }

  /**
   * Forces an UPDATE of the target row (and so its version check and
   * increment) when only its children changed, e.g. report lines or managers.
   */
  touch(target: { updatedAt: Date }): void {
    target.updatedAt = new Date(Math.max(Date.now(), target.updatedAt.getTime() + 1));
  }

  /** Records the change in the same transaction, and the domain event it raises, if any. */
  audit(action: AuditAction, target: { id: string }, projectId: string | null, changes: Changes): void {
    const audit = writeAudit(this.em, { actor: this.viewer.userId === SYSTEM_USER_ID ? null : this.viewer.userId, action, target, projectId, changes, requestId: this.requestId });
    const event = eventOf(action, target, changes);
    if (event) {
      this.events.push({
        id: uuidv7(), type: event.type, subject_type: subjectTypeOf(target), subject_id: target.id, project_id: projectId,
        audit_event_id: audit.id, occurred_at: audit.occurredAt.toISOString(), data: event.data,
      });
    }
  }

  /**
   * Writes the pending domain events after the flush (their audit events must
   * exist), in one statement: the outbox rows, a `deliver_event` job each
   * (graphile-worker's add_job, keyed by the event so it is added once) and a
   * NOTIFY on `vantage_event`, which PostgreSQL delivers only at commit.
   * Returns the ids written.
   */
  async writeEvents(): Promise<string[]> {
    if (!this.events.length) return [];
    const rows = this.events.splice(0);
    await this.em.execute(WRITE_EVENTS_SQL, [JSON.stringify(rows)]);
    return rows.map((r) => r.id);
  }
}

export interface MutationResult<T> {
  object: T | null;
  userErrors: UserError[];
}

export interface MutateOptions {
  /** User errors for unique constraints (by constraint name) hit at flush, e.g. a project code race. */
  unique?: Record<string, UserError>;
}

/**
 * Runs one mutation in one transaction on a clean fork (the request's
 * identity map never answers a write's lookups).
 */
export async function mutate<T>(ctx: Context, run: (tx: Tx) => Promise<T>, options: MutateOptions = {}): Promise<MutationResult<T>> {
  const { viewer } = authed(ctx);
  const fork = ctx.em.fork({ clear: true });
  try {
    const object = await fork.transactional(async (em) => {
      const tx = new Tx(em as EntityManager, viewer, ctx.requestId);
      const result = await run(tx);
      await em.flush();
      await tx.writeEvents();
      return result;
    });
    // Later fields of the same request must not read what the request cached before this change.
    ctx.em.clear();
    ctx.reader = new Reader(ctx.em, viewer, ctx.config.preparedReads);
    return { object, userErrors: [] };
  } catch (err) {
    if (err instanceof UserErrorsAbort) return { object: null, userErrors: err.userErrors };
    if (err instanceof OptimisticLockError) {
      return {
        object: null,
        userErrors: [userError(UserErrorCode.VERSION_CONFLICT, 'The object was changed by someone else while you saved it: reload it and retry', 'version')],
      };
    }
    if (err instanceof UniqueConstraintViolationException && options.unique) {
      const constraint = (err as unknown as { constraint?: string }).constraint ?? '';
      const mapped = options.unique[constraint];
      if (mapped) return { object: null, userErrors: [mapped] };
    }
    throw err;
  }
}

/**
 * Shared plumbing of write mutations (DESIGN.md section 4, issue "write
 * workflows"). Every mutation:
 *
 * 1. checks the viewer's role (FORBIDDEN) and decodes its ids (BAD_USER_INPUT);
 * 2. runs in ONE transaction on a clean fork of the request's EntityManager;
 * 3. loads its target through the policy layer, `SELECT … FOR UPDATE`, so an
 *    invisible object is NOT_FOUND exactly like a random id, and concurrent
 *    writers on one row queue instead of interleaving;
 * 4. compares the version the client sent (VERSION_CONFLICT), validates
 *    (VALIDATION), applies the state machine (INVALID_TRANSITION);
 * 5. writes its AuditEvent in the same transaction.
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
 * an INTERNAL_SERVER_ERROR (STACK.md).
 */
import {
  LockMode, OptimisticLockError, type FindOptions, UniqueConstraintViolationException, type EntityClass, type FilterQuery,
} from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Field, ID, InputType, Int, ObjectType, type ClassType } from 'type-graphql';
import { AuditEvent } from '../model/audit.entity';
import { UserError, UserErrorCode } from '../core/user-error';
import { authed, type Context } from '../access/context';
import { ForbiddenError, NotFoundError } from '../core/errors';
import { decodeId, toGlobalId } from '../core/global-id';
import { typeNameOf } from '../model/node';
import { scoped } from '../access/policy';
import { Reader } from '../access/reader';
import { SYSTEM_USER_ID, type Viewer } from '../access/viewer';

// ---------------------------------------------------------------------------
// User errors

/** Thrown inside a mutation to roll it back and answer with userErrors. */
export class UserErrorsAbort extends Error {
  constructor(readonly userErrors: UserError[]) {
    super(userErrors.map((e) => e.message).join('; '));
  }
}

export function userError(code: UserErrorCode, message: string, field: string | null = null): UserError {
  return { code, message, field: field ? ['input', ...field.split('.')] : null };
}

export function fail(code: UserErrorCode, message: string, field: string | null = null): never {
  throw new UserErrorsAbort([userError(code, message, field)]);
}

// ---------------------------------------------------------------------------
// Input checks: collect every problem of an input, then fail once.

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export class Checks {
  private readonly errors: UserError[] = [];

  add(field: string, message: string, code = UserErrorCode.VALIDATION): void {
    this.errors.push(userError(code, message, field));
  }

  /**
   * Trimmed text of `min`–`max` characters; undefined stays undefined (not given).
   * `null` is refused: texts are never null in the model.
   */
  text(field: string, value: string, min: number, max: number): string;
  text(field: string, value: string | null | undefined, min: number, max: number): string | undefined;
  text(field: string, value: string | null | undefined, min: number, max: number): string | undefined {
    if (value === undefined) return undefined;
    if (value === null) {
      this.add(field, `${field} cannot be null`);
      return undefined;
    }
    const text = value.trim();
    if (text.length < min || text.length > max) {
      this.add(field, min > 0 ? `${field} must be ${min}–${max} characters (got ${text.length})` : `${field} must be at most ${max} characters (got ${text.length})`);
    }
    return text;
  }

  int(field: string, value: number | null | undefined, min: number, max: number): void {
    if (value === undefined) return;
    if (value === null || !Number.isInteger(value) || value < min || value > max) {
      this.add(field, `${field} must be a whole number from ${min} to ${max} (got ${value})`);
    }
  }

  /** `end` after `start` (strictly, or on/after when `allowEqual`). */
  order(field: string, start: string, end: string, allowEqual: boolean, what: string): void {
    if (allowEqual ? end < start : end <= start) this.add(field, `${what} (got ${start} to ${end})`);
  }

  email(field: string, value: string): string {
    const email = value.trim().toLowerCase();
    if (email.length > 320 || !EMAIL.test(email)) this.add(field, `${field} must be an email address such as name@example.com`);
    return email;
  }

  notNull(field: string, value: unknown): void {
    if (value === null) this.add(field, `${field} cannot be null`);
  }

  /** Throws the collected errors, if any. */
  done(): void {
    if (this.errors.length) throw new UserErrorsAbort([...this.errors]);
  }
}

/**
 * A money string as the Decimal scalar let it through ("12", "12.5", "12.50")
 * in canonical form with two decimals, done on the text: never a float.
 */
export function money(value: string): string;
export function money(value: string | null | undefined): string | null | undefined;
export function money(value: string | null | undefined): string | null | undefined {
  if (value === null || value === undefined) return value;
  const [whole, fraction = ''] = value.split('.');
  return `${whole}.${fraction.padEnd(2, '0')}`;
}

// ---------------------------------------------------------------------------
// State machines as data

export interface Transition<S extends string> {
  from: readonly S[];
  /** The new state; null: the action keeps the state (an edit allowed only in `from`). */
  to: S | null;
}

export interface Machine<S extends string, A extends string> {
  entity: string;
  actions: Record<A, Transition<S>>;
}

export function machine<S extends string, A extends string>(entity: string, actions: Record<A, Transition<S>>): Machine<S, A> {
  return { entity, actions };
}

/** The state `action` leads to from `current`, or null when not allowed. */
export function nextState<S extends string, A extends string>(m: Machine<S, A>, current: S, action: A): S | null {
  const t = m.actions[action];
  if (!t.from.includes(current)) return null;
  return t.to ?? current;
}

/** Like nextState, but an invalid pair is the INVALID_TRANSITION user error naming the current state. */
export function transition<S extends string, A extends string>(m: Machine<S, A>, current: S, action: A): S {
  const next = nextState(m, current, action);
  if (next === null) {
    const from = m.actions[action].from;
    fail(
      UserErrorCode.INVALID_TRANSITION,
      `${m.entity} is ${current}: ${action} is allowed only when it is ${from.join(' or ')}`,
    );
  }
  return next;
}

/** For "change status" mutations: the action that leads from `current` to `target`. */
export function actionTo<S extends string, A extends string>(m: Machine<S, A>, current: S, target: S): A {
  const actions = Object.keys(m.actions) as A[];
  const found = actions.find((a) => m.actions[a].to === target && m.actions[a].from.includes(current));
  if (!found) {
    const reachable = actions.filter((a) => m.actions[a].to !== null && m.actions[a].from.includes(current)).map((a) => m.actions[a].to);
    fail(
      UserErrorCode.INVALID_TRANSITION,
      `${m.entity} is ${current}: it cannot become ${target}` + (reachable.length ? ` (allowed: ${[...new Set(reachable)].join(', ')})` : ' (it is final)'),
      'status',
    );
  }
  return found;
}

// ---------------------------------------------------------------------------
// Audit values

export type Changes = Record<string, { before: unknown; after: unknown }>;

/** How a value appears in an audit event: ids are global ids, instants ISO strings. */
export function auditValue(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null && 'id' in value && typeof (value as { id: unknown }).id === 'string') {
    return toGlobalId(typeNameOf(value), (value as { id: string }).id);
  }
  if (Array.isArray(value)) return value.map(auditValue);
  return value;
}

/** The changes of a newly created object: every given field, before null. */
export function created(fields: Record<string, unknown>): Changes {
  const changes: Changes = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) changes[key] = { before: null, after: auditValue(value) };
  }
  return changes;
}

/** Text limits shared by every input, so the same field has the same rule everywhere. */
export const LIMITS = {
  title: 200,
  name: 200,
  /** Descriptions, bodies, summaries, mitigation plans (markdown). */
  text: 20_000,
  /** Rejection and termination reasons, submission and assessment notes. */
  note: 2_000,
} as const;

/** "an INVESTOR", "a VENDOR": messages name enum values with the right article. */
export function withArticle(word: string): string {
  return `${/^[AEIOU]/i.test(word) ? 'an' : 'a'} ${word}`;
}

/** A global id as audit events show it. */
export function gid(type: string, id: string): string {
  return toGlobalId(type, id);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(auditValue(a)) === JSON.stringify(auditValue(b));
}

// ---------------------------------------------------------------------------
// The transaction

/** Children whose due dates a parent's dates must cover (see `Tx.checkCovers`). */
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

export class Tx {
  constructor(readonly em: EntityManager, readonly viewer: Viewer, readonly requestId: string) {}

  /**
   * The object with this id if the viewer may see it, locked for this
   * transaction; NOT_FOUND otherwise — the same answer as for a random id.
   */
  async target<T extends { id: string }>(entity: EntityClass<T>, id: string): Promise<T> {
    const [row] = await this.em.find(entity, scoped(entity, this.viewer, { id } as FilterQuery<T>), { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!row) throw new NotFoundError(entity.name);
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
  expectVersion(target: { version: number }, version: number, what: string): void {
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
      if (same(before, after)) continue;
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

  /** Records the change in the same transaction. */
  audit(action: string, target: { id: string }, projectId: string | null, changes: Changes): void {
    this.em.create(AuditEvent, {
      actor: this.viewer.userId === SYSTEM_USER_ID ? null : this.viewer.userId,
      action,
      entityType: typeNameOf(target),
      entityId: target.id,
      project: projectId,
      changes,
      requestId: this.requestId,
      occurredAt: new Date(),
    } as never);
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
 * identity map never answers a write's lookups: PITFALLS.md, identity map).
 */
export async function mutate<T>(ctx: Context, run: (tx: Tx) => Promise<T>, options: MutateOptions = {}): Promise<MutationResult<T>> {
  const { viewer } = authed(ctx);
  const fork = ctx.em.fork({ clear: true });
  try {
    const object = await fork.transactional(async (em) => {
      const tx = new Tx(em as EntityManager, viewer, ctx.requestId);
      const result = await run(tx);
      await em.flush();
      return result;
    });
    // Later fields of the same request must not read what the request cached before this change.
    ctx.em.clear();
    ctx.reader = new Reader(ctx.em, viewer);
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

// ---------------------------------------------------------------------------
// Role gates: checked before anything is loaded, so the answer never depends
// on whether an id exists.

export function requireThat(allowed: boolean, message?: string): void {
  if (!allowed) throw new ForbiddenError(message);
}

/** Decodes a global id of the expected type (BAD_USER_INPUT otherwise). */
export function idOf(globalId: string, type: string, field: string): string {
  return decodeId(globalId, type, `input.${field}`);
}

// ---------------------------------------------------------------------------
// GraphQL shapes shared by mutations

/** `XxxPayload { <key>: Type, userErrors }` for one mutation. */
export function payloadOf<T extends object>(type: ClassType<T>, key: string, name: string, description: string) {
  @ObjectType(name, { description })
  class Payload {
    @Field(() => type, { name: key, nullable: true, description: `The ${type.name} as it is after the mutation; null when it failed.` })
    object!: T | null;

    @Field(() => [UserError], { description: 'Expected failures (validation, invalid transition, version conflict); empty on success.' })
    userErrors!: UserError[];
  }
  return Payload;
}

export interface TargetInputShape { id: string; version: number }

/** `{ id, version }` input of a transition mutation that takes nothing else. */
export function targetInputOf(name: string, typeName: string, description: string) {
  @InputType(name, { description })
  class TargetInput {
    @Field(() => ID, { description: `Id of the ${typeName}.` })
    id!: string;

    @Field(() => Int, { description: `The version of the ${typeName} you read; a stale version is a VERSION_CONFLICT and nothing is written.` })
    version!: number;
  }
  return TargetInput;
}

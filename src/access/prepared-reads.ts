/**
 * The reader's statements, built once per shape and bound per request, then
 * sent as named, prepared statements: PostgreSQL parses and plans each once
 * per pooled connection and then only binds the values (arrays included, as
 * `= any($1)`), where MikroORM's `execute` inlines every value into a new
 * statement text each time.
 *
 * A filter (the policy's condition ANDed with the resolver's, from
 * `scoped()` in src/access/policy.ts) has a shape — its keys, operators and
 * nesting — and values. `shapeOf` replaces every value by a marker, so two
 * filters of the same shape give the same marked filter; the QueryBuilder
 * turns that into SQL once (`compileShape`), each marker becomes a numbered
 * parameter, and an `$in` list one array parameter (`= any($n)`), whatever
 * its length. Later requests of the shape only bind their own values.
 *
 * The policy's condition is in every statement exactly as the QueryBuilder
 * writes it: only where values go changes. A shape is compiled only when
 * every value comes back from the QueryBuilder as its intact marker and
 * every other bound value is a constant of the shape; otherwise (a value the
 * ORM converts, a Date, an entity, a raw fragment) the filter is not
 * cacheable and the reader builds that statement per request as before.
 */
import { createHash } from 'node:crypto';
import type { Configuration, EntityClass, FilterQuery } from '@mikro-orm/core';
import type { AbstractSqlConnection, EntityManager } from '@mikro-orm/postgresql';
import { scoped } from './policy';
import type { Viewer } from './viewer';

const MARK = '\u0001vantage:';
const LIST_OPERATORS = new Set(['$in', '$nin']);
const CONDITION_LISTS = new Set(['$and', '$or']);

export interface FilterShape {
  /** The filter with every value replaced by its marker. */
  marked: FilterQuery<any>;
  /** Identifies the shape: equal keys compile to the same statement. */
  key: string;
  values: unknown[];
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean';
}

/** The shape of `filter`, or null when it holds something whose SQL the shape cannot stand for. */
export function shapeOf(filter: FilterQuery<any>): FilterShape | null {
  const values: unknown[] = [];
  const walk = (node: unknown, key: string | null): unknown => {
    if (node === null || node === undefined) return node;
    if (isScalar(node)) {
      values.push(node);
      return `${MARK}${values.length - 1}`;
    }
    if (typeof node !== 'object') throw NOT_CACHEABLE;
    if (Array.isArray(node)) {
      if (key !== null && LIST_OPERATORS.has(key)) {
        if (!node.every(isScalar)) throw NOT_CACHEABLE;
        values.push([...node]);
        // One element, so the QueryBuilder writes `in (?)`: compileShape makes it `= any(?)`.
        return [`${MARK}${values.length - 1}`];
      }
      if (key !== null && CONDITION_LISTS.has(key)) return node.map((item) => walk(item, null));
      throw NOT_CACHEABLE;
    }
    if (!isPlainObject(node)) throw NOT_CACHEABLE;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k.startsWith('[raw]')) throw NOT_CACHEABLE;
      out[k] = walk(v, k);
    }
    return out;
  };
  try {
    const marked = walk(filter, null) as FilterQuery<any>;
    return { marked, key: JSON.stringify(marked), values };
  } catch (err) {
    if (err === NOT_CACHEABLE) return null;
    throw err;
  }
}

const NOT_CACHEABLE = new Error('not cacheable');

/** Where a statement's parameter comes from: a value of the filter, a constant of the shape, or an argument of the call. */
export type Slot = { value: number } | { constant: unknown } | { argument: number };

export interface CompiledShape {
  /** SQL with `?` placeholders, one per slot. */
  text: string;
  slots: Slot[];
}

/**
 * `sql` and `bindings` (from the QueryBuilder, on the marked filter of a
 * shape whose values are `values`) as a statement of the shape; null when a
 * value did not come back as its intact marker, or a list not as `in (?)`.
 */
export function compileShape(sql: string, bindings: readonly unknown[], values: readonly unknown[]): CompiledShape | null {
  const parts = sql.split('?');
  if (parts.length !== bindings.length + 1) return null;
  const seen = new Set<number>();
  const slots: Slot[] = [];
  let text = parts[0];
  for (let i = 0; i < bindings.length; i++) {
    const binding = bindings[i];
    const after = parts[i + 1];
    if (typeof binding === 'string' && binding.includes(MARK)) {
      if (!binding.startsWith(MARK)) return null;
      const index = Number(binding.slice(MARK.length));
      if (!Number.isInteger(index) || index < 0 || index >= values.length) return null;
      seen.add(index);
      if (Array.isArray(values[index])) {
        // `x in (?)` becomes `x = any(?)`, `x not in (?)` `x <> all(?)`: one array parameter for any length.
        const list = /(\s)(not )?in \($/.exec(text);
        if (!list || !after.startsWith(')')) return null;
        text = `${text.slice(0, list.index)}${list[1]}${list[2] ? '<> all(' : '= any('}`;
      }
      slots.push({ value: index });
    } else if (binding !== null && typeof binding === 'object') {
      return null;
    } else {
      slots.push({ constant: binding });
    }
    text += `?${after}`;
  }
  if (seen.size !== values.length) return null;
  return { text, slots };
}

/** A compiled statement's parameters: each slot's value of the filter, constant of the shape, or argument of the call. */
export function bindSlots(slots: readonly Slot[], values: readonly unknown[], args: readonly unknown[] = []): unknown[] {
  return slots.map((slot) => ('value' in slot ? values[slot.value] : 'constant' in slot ? slot.constant : args[slot.argument]));
}

/** `?` placeholders as PostgreSQL's `$1`, `$2`… (the text holds no other question mark: compileShape counted them). */
export function numbered(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

// Sending: as MikroORM's `execute` would (deadline hook, knex's query events for the metrics and statement
// counts, the ORM's query log), on the connection it is given; a replica falls back to the primary
// (`orOnPrimary` in src/db/replicas.ts).

export interface PreparedStatement {
  /** The server-side name: derived from the text, so one text is prepared once per connection; none: planned for each call. */
  readonly name?: string;
  /** SQL with `$1`, `$2`… placeholders. */
  readonly text: string;
}

function namedStatement(text: string): PreparedStatement {
  return { name: `v_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`, text };
}

interface PgClient {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: Record<string, unknown>[] }>;
}

interface KnexClient {
  acquireConnection(): Promise<PgClient>;
  releaseConnection(connection: PgClient): Promise<unknown>;
  emit(event: string, ...args: unknown[]): boolean;
}

/** What `Connection.executeQuery` (not in its public type) offers: the ORM's query log around a call. */
interface Logged {
  executeQuery<T>(query: string, run: () => Promise<T>, context?: Record<string, unknown>): Promise<T>;
  config: Configuration;
}

let sequence = 0;

async function send(connection: AbstractSqlConnection, statement: PreparedStatement, values: unknown[]): Promise<Record<string, unknown>[]> {
  const logged = connection as unknown as Logged;
  await connection.ensureConnection();
  logged.config.get('onQuery')(statement.text, values);
  const client = connection.getKnex().client as unknown as KnexClient;
  const query = { sql: statement.text, bindings: values, method: 'select', __knexQueryUid: `prepared-${++sequence}` };
  return logged.executeQuery(statement.text, async () => {
    client.emit('query', query);
    const pg = await client.acquireConnection();
    try {
      const { rows } = await pg.query(statement.name ? { name: statement.name, text: statement.text, values } : { text: statement.text, values });
      client.emit('query-response', rows, query);
      return rows;
    } catch (err) {
      client.emit('query-error', err, query);
      throw err;
    } finally {
      await client.releaseConnection(pg);
    }
  }, { query: statement.text });
}

/** A replica's connection, which answers on the primary what it cannot (src/db/replicas.ts). */
interface Replica {
  orOnPrimary<T>(run: (connection: AbstractSqlConnection) => Promise<T>): Promise<T>;
}

/**
 * The rows of `text` (`?` placeholders) with `values` bound, on `connection`
 * (outside any transaction), unnamed: PostgreSQL plans it with these values
 * each time. For statements whose text differs from call to call or whose
 * best plan depends on the values (the dashboards' aggregates), where a
 * named statement would be re-prepared or held to a generic plan.
 */
export function runBound(connection: AbstractSqlConnection, text: string, values: unknown[]): Promise<Record<string, unknown>[]> {
  return runPrepared(connection, { text: numbered(text) }, values);
}

/** The rows of `statement` bound to `values` on `connection` (outside any transaction). */
async function runPrepared(connection: AbstractSqlConnection, statement: PreparedStatement, values: unknown[]): Promise<Record<string, unknown>[]> {
  const replica = connection as Partial<Replica>;
  if (typeof replica.orOnPrimary === 'function') return replica.orOnPrimary((c) => send(c, statement, values));
  return send(connection, statement, values);
}

/**
 * Statements built so far, by entity, kind and shape (null: a shape that is
 * not cacheable). Shapes come from the code's filters, not from values, so
 * there are a few hundred at most; the bound only guards against a mistake.
 */
const statements = new Map<string, { statement: PreparedStatement; slots: Slot[] } | null>();
const MAX_STATEMENTS = 2_000;

export interface ScopedRead<T> {
  /** Identifies what `select` and `wrap` add to the SELECT (with the entity and the shape: the statement). */
  kind: string;
  entity: EntityClass<T>;
  /** The request's condition; the policy's is ANDed in here (`scoped`). */
  where: FilterQuery<T>;
  /** Properties to select, and any raw columns. */
  select: () => unknown[];
  /** The statement around the SELECT, adding one `?` per argument after it. */
  wrap: (select: string) => string;
  args: unknown[];
}

/**
 * The rows of `read` for `viewer` on `connection`, through the statement of
 * its shape, built on first use (the policy's condition in its WHERE, from
 * `scoped`, as the reader's QueryBuilder statements have it); null when the
 * condition has no cacheable shape: the caller then builds the statement
 * per call.
 */
export async function readPrepared<T>(em: EntityManager, connection: AbstractSqlConnection, viewer: Viewer, read: ScopedRead<T>): Promise<Record<string, unknown>[] | null> {
  const shape = shapeOf(scoped(read.entity, viewer, read.where));
  if (!shape) return null;
  const key = `${read.entity.name}\u0000${read.kind}\u0000${shape.key}`;
  let compiled = statements.get(key);
  if (compiled === undefined) {
    const select = em.createQueryBuilder(read.entity, 'e')
      .select(read.select() as never)
      .where(shape.marked)
      .getKnexQuery()
      .toSQL();
    const inner = compileShape(select.sql, select.bindings, shape.values);
    compiled = inner && {
      statement: namedStatement(numbered(read.wrap(inner.text))),
      slots: [...inner.slots, ...read.args.map((_, argument): Slot => ({ argument }))],
    };
    if (statements.size >= MAX_STATEMENTS) statements.clear();
    statements.set(key, compiled);
  }
  if (!compiled) return null;
  const params = bindSlots(compiled.slots, shape.values, read.args);
  return runPrepared(connection, compiled.statement, params);
}


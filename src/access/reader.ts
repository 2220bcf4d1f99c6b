/**
 * Scoped reads for one request. Every query a resolver issues goes through
 * here, which ANDs the policy condition into it; loaders are created per
 * request and never shared between viewers (docs/visibility.md, loaders and caches).
 *
 * Reads are read-only: each is one statement built by the QueryBuilder with
 * the policy's condition in its WHERE (`scopedQuery`), and the rows become plain objects of the entity's
 * class (`readModelOf`), not managed entities. The identity map is never
 * consulted (so it cannot answer a lookup without the condition, docs/pitfalls.md,
 * MikroORM #7084) and never filled: entity creation, identity-map
 * registration and change-tracking setup were the largest server cost on
 * large responses (README, Performance). Writes load their own managed,
 * locked entities (src/write/transaction.ts).
 *
 * Statements go out on a 'read' connection: a replica when the request is a
 * query operation and its viewer has no unreplayed write, else the primary
 * (src/db/replicas.ts). The policy condition is in the statement either way.
 */
import { raw, ReferenceKind, type EntityClass, type EntityProperty, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import {
  connectionFromSlice, connectionFromSorted, connectionFromWindow, decodeCursor, pageRequest,
  type ConnectionArgs, type Connection, type PageRequest, type SortValue,
} from '../core/pagination';
import { scoped } from './policy';
import { readPrepared, type ScopedRead } from './prepared-reads';
import type { Viewer } from './viewer';

/**
 * Batches larger than this are split into several queries (keeps IN lists
 * bounded). Every object costs at least one point and the default cost limit
 * is 10,000 (src/http/limits/cost.ts), so no admissible request at the
 * default limit has more parents in one batch: its SQL statements per request
 * do not depend on the data's size.
 */
export const MAX_BATCH = 10_000;

export interface ListSpec<T> {
  where?: FilterQuery<T>;
  /** Property to sort by; ties are broken by id. */
  sort: keyof T & string;
  desc?: boolean;
}

interface ReadModel<T> {
  /** Properties to select: every stored column but lazy ones (a password hash is never read here). */
  select: string[];
  build(row: Record<string, unknown>): T;
  /**
   * The SQL that orders by a property the way the connections compare it in
   * JavaScript (src/core/pagination.ts): text in code-point order (`collate
   * "C"`), enums by their names rather than their declaration order.
   */
  orderExpression(property: string): string;
  /** The column of a property (a to-one relation: its foreign key). */
  column(property: string): string;
  /**
   * The SQL value of a property that compares with a cursor's sort value
   * exactly as the connections compare in JavaScript (src/core/pagination.ts),
   * and which cursor values it can take; null when no such expression is
   * known (the list is then paged in JavaScript).
   */
  keyset(property: string): { expression: string; fits(value: SortValue): boolean } | null;
}

const readModels = new WeakMap<EntityClass<any>, ReadModel<any>>();

/**
 * How a row of `entity` becomes an object of its class, converted as the ORM
 * converts it (dates, decimals as strings, JSON); a to-one relation becomes
 * `{ id }`, like the ORM's unloaded reference, and is resolved through the
 * scoped loaders.
 */
function readModelOf<T>(em: EntityManager, entity: EntityClass<T>): ReadModel<T> {
  let model = readModels.get(entity) as ReadModel<T> | undefined;
  if (model) return model;
  const platform = em.getPlatform();
  const meta = em.getMetadata().get(entity.name);
  const props = meta.props.filter((p: EntityProperty) => p.persist !== false && !p.lazy && !p.formula
    && (p.kind === ReferenceKind.SCALAR || (p.kind === ReferenceKind.MANY_TO_ONE) || (p.kind === ReferenceKind.ONE_TO_ONE && p.owner)));
  for (const p of props) {
    if (p.fieldNames.length !== 1) throw new Error(`reader: ${entity.name}.${p.name} spans ${p.fieldNames.length} columns`);
  }
  const convert = props.map((p: EntityProperty) => {
    const field = p.fieldNames[0];
    const name = p.name;
    if (p.kind !== ReferenceKind.SCALAR) return (row: Record<string, unknown>, out: any) => { out[name] = row[field] == null ? null : { id: row[field] }; };
    if (p.runtimeType === 'Date') return (row: Record<string, unknown>, out: any) => { out[name] = row[field] == null ? null : platform.parseDate(row[field] as string); };
    const type = p.customType;
    if (type) return (row: Record<string, unknown>, out: any) => { out[name] = row[field] == null ? null : type.convertToJSValue(row[field], platform); };
    return (row: Record<string, unknown>, out: any) => { out[name] = row[field] ?? null; };
  });
  // The ORM defines accessors on the entity's prototype that route every assignment into its change tracking;
  // plain data properties on an intermediate prototype shadow them, so these objects stay plain (and `instanceof` holds).
  const prototype = Object.create(entity.prototype, Object.fromEntries(props.map((p: EntityProperty) => [p.name, { value: null, writable: true, enumerable: true, configurable: true }])));
  const byName = new Map(props.map((p: EntityProperty) => [p.name, p]));
  const column = (property: string) => {
    const p = byName.get(property);
    if (!p) throw new Error(`reader: ${entity.name} has no stored property ${property}`);
    return p.fieldNames[0];
  };
  model = {
    select: props.map((p: EntityProperty) => p.name),
    column,
    keyset(property) {
      const p = byName.get(property);
      if (!p || p.kind !== ReferenceKind.SCALAR) return null;
      const ref = `"e"."${column(property)}"`;
      const columnType = (p.columnTypes?.[0] ?? '').toLowerCase();
      const text = (value: SortValue) => value === null || typeof value === 'string';
      if (p.enum) return { expression: `${ref}::text collate "C"`, fits: text };
      if (/^(text|varchar|character varying|char)/.test(columnType)) return { expression: `${ref} collate "C"`, fits: text };
      // A timestamp's sort value is its ISO text (sortValueOf below), compared as text.
      if (p.runtimeType === 'Date' && /^timestamp/.test(columnType)) {
        return { expression: `to_char(${ref} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') collate "C"`, fits: text };
      }
      // A date is read as its ISO text (YYYY-MM-DD).
      if (columnType === 'date' && p.runtimeType !== 'Date') return { expression: `${ref}::text collate "C"`, fits: text };
      if (p.runtimeType === 'number' && /^(int|integer|smallint)/.test(columnType)) {
        return { expression: ref, fits: (value) => value === null || typeof value === 'number' };
      }
      return null;
    },
    orderExpression(property) {
      const p = byName.get(property)!;
      const ref = `"e"."${column(property)}"`;
      if (p.enum) return `${ref}::text collate "C"`;
      if (/^(text|varchar|character varying|char)/i.test(p.columnTypes?.[0] ?? '')) return `${ref} collate "C"`;
      return ref;
    },
    build(row) {
      const out = Object.create(prototype);
      for (const c of convert) c(row, out);
      return out;
    },
  };
  readModels.set(entity, model);
  return model;
}

/**
 * ORDER BY for a list: the sort property as the connections compare it
 * (`orderExpression`), ties broken by id; `reverse` flips both, nulls included.
 */
function orderOf<T>(model: ReadModel<T>, spec: ListSpec<T>, reverse: boolean): string {
  const desc = !!spec.desc !== reverse;
  return `${model.orderExpression(spec.sort)} ${desc ? 'desc nulls first' : 'asc nulls last'}, "e"."id" ${desc ? 'desc' : 'asc'}`;
}

/** A first or last page without a cursor, which SQL can cut: its size and end; null for a page after or before a cursor. */
function windowOf(request: PageRequest): { limit: number; fromEnd: boolean } | null {
  if (request.after || request.before) return null;
  return request.first !== null ? { limit: request.first, fromEnd: false } : { limit: request.last!, fromEnd: true };
}

/**
 * The SQL condition "the row comes after (or before) this cursor" in the
 * connection's order, as `compare` in src/core/pagination.ts decides it:
 * nulls after every value in ascending order, ties broken by the id's text.
 */
function beyondCursor(expression: string, cursor: [SortValue, string], after: boolean, desc: boolean): { sql: string; bindings: (string | number)[] } {
  const [value, id] = cursor;
  const x = expression;
  const i = '"e"."id"::text collate "C"';
  // In ascending terms (nulls greatest): after in an ascending list, before in a descending one.
  const greater = after !== desc;
  if (greater) {
    return value === null
      ? { sql: `(${x} is null and ${i} > ?)`, bindings: [id] }
      : { sql: `(${x} > ? or (${x} = ? and ${i} > ?) or ${x} is null)`, bindings: [value, value, id] };
  }
  return value === null
    ? { sql: `(${x} is not null or ${i} < ?)`, bindings: [id] }
    : { sql: `(${x} < ? or (${x} = ? and ${i} < ?))`, bindings: [value, value, id] };
}

function sortValueOf(value: unknown): SortValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' || typeof value === 'string') return value;
  return String(value);
}

export class Reader {
  private readonly loaders = new Map<string, DataLoader<string, any>>();
  /**
   * The parent each child row was listed under by `childConnection`, with the
   * child's parent key: `link` answers that key with the parent itself. Only
   * the row's own parent, known before the row is returned, so whether a link
   * costs a statement depends on the query's shape, never on which sibling
   * branch finished first.
   */
  private readonly parents = new WeakMap<object, { key: string; row: { id: string } }>();

  /** `usePrepared`: statements by shape (PREPARED_READS), else built by the QueryBuilder for every call. */
  constructor(readonly em: EntityManager, readonly viewer: Viewer, private readonly usePrepared: boolean) {}

  /** The SELECT of visible rows matching `where`: the policy's condition ANDed in, in SQL (not yet sent). */
  private scopedQuery<T extends { id: string }>(entity: EntityClass<T>, where: FilterQuery<T>, extra: unknown[] = []) {
    const model = readModelOf(this.em, entity);
    return this.em.createQueryBuilder(entity, 'e')
      .select([...model.select, ...extra] as never)
      .where(scoped(entity, this.viewer, where))
      .getKnexQuery();
  }

  /**
   * The rows of a read through its prepared statement (src/access/prepared-reads.ts);
   * null when PREPARED_READS is off, inside a transaction (its statements
   * belong to it), or when the condition has no cacheable shape: the caller
   * then builds the statement with the QueryBuilder.
   */
  private async prepared<T extends { id: string }>(entity: EntityClass<T>, read: Omit<ScopedRead<T>, 'entity'>): Promise<Record<string, unknown>[] | null> {
    if (!this.usePrepared || this.em.getTransactionContext()) return null;
    return readPrepared(this.em, this.em.getConnection('read'), this.viewer, { ...read, entity });
  }

  /** One statement: the rows matching `where` AND the viewer's policy, as read-only objects, in `order` when given. */
  private async select<T extends { id: string }>(entity: EntityClass<T>, where: FilterQuery<T>, order?: string): Promise<T[]> {
    const model = readModelOf(this.em, entity);
    const orderBy = order ? ` order by ${order}` : '';
    let rows = await this.prepared(entity, {
      kind: `select${orderBy}`, where, select: () => model.select, wrap: (select) => `${select}${orderBy}`, args: [],
    });
    if (!rows) {
      const query = this.scopedQuery(entity, where);
      if (order) query.orderByRaw(order);
      rows = await this.em.getConnection('read').execute<Record<string, unknown>[]>(query, [], 'all');
    }
    return rows.map((row) => model.build(row));
  }

  /**
   * One statement for the first (or last) `limit` visible rows per parent
   * (`partitionKey`; null: the whole list), with each partition's visible
   * count: `row_number()` and `count(*)` over the policy-scoped query, cut
   * in SQL. Each partition returns at least its first row, so its count is
   * known even for `first: 0`. Pages come back in the connection's order.
   */
  private async window<T extends { id: string }>(
    entity: EntityClass<T>, where: FilterQuery<T>, spec: ListSpec<T>, partitionKey: string | null, limit: number, fromEnd: boolean,
  ): Promise<Map<string, { rows: T[]; total: number }>> {
    const model = readModelOf(this.em, entity);
    // The last rows are the first ones in the reverse order.
    const order = orderOf(model, spec, fromEnd);
    const fk = partitionKey ? model.column(partitionKey) : null;
    const partition = fk ? `partition by "e"."${fk}" ` : '';
    const columns = [`row_number() over (${partition}order by ${order}) as "__rn"`, `count(*) over (${partition}) as "__total"`];
    const outerOrder = `${fk ? `"w"."${fk}" asc, ` : ''}"w"."__rn" asc`;
    let rows = await this.prepared(entity, {
      kind: `window ${columns.join(', ')} order by ${outerOrder}`,
      where,
      select: () => [...model.select, ...columns.map((c) => raw(c))],
      wrap: (select) => `select * from (${select}) as "w" where "w"."__rn" <= ? order by ${outerOrder}`,
      args: [Math.max(limit, 1)],
    });
    if (!rows) {
      const inner = this.scopedQuery(entity, where, columns.map((c) => raw(c)));
      const outer = this.em.getKnex().select('*').from(inner.as('w')).where('w.__rn', '<=', Math.max(limit, 1))
        .orderBy([...(fk ? [{ column: `w.${fk}` }] : []), { column: 'w.__rn' }]);
      rows = await this.em.getConnection('read').execute<Record<string, unknown>[]>(outer, [], 'all');
    }
    const pages = new Map<string, { rows: T[]; total: number }>();
    for (const r of rows) {
      const key = fk ? String(r[fk]) : '';
      let page = pages.get(key);
      if (!page) pages.set(key, (page = { rows: [], total: Number(r.__total) }));
      if (Number(r.__rn) <= limit) page.rows.push(model.build(r));
    }
    if (fromEnd) for (const page of pages.values()) page.rows.reverse();
    return pages;
  }

  /** All visible rows matching `where`, sorted. */
  async list<T extends { id: string }>(entity: EntityClass<T>, spec: ListSpec<T>): Promise<T[]> {
    return this.select(entity, spec.where ?? {}, orderOf(readModelOf(this.em, entity), spec, false));
  }

  /**
   * A root connection over the visible rows matching `where`, paged in SQL:
   * a first or last page without a cursor is a window; a page after or
   * before a cursor is cut by keyset conditions on the sort value and id.
   * Only a sort property with no SQL expression that compares exactly as the
   * cursors do (ReadModel.keyset) pages the whole sorted list.
   */
  async connection<T extends { id: string }>(entity: EntityClass<T>, args: ConnectionArgs, spec: ListSpec<T>): Promise<Connection<T>> {
    const request = pageRequest(args);
    const sortKey = (item: T) => sortValueOf(item[spec.sort]);
    const cut = windowOf(request);
    if (cut) {
      const pages = await this.window(entity, spec.where ?? {}, spec, null, cut.limit, cut.fromEnd);
      const page = pages.get('') ?? { rows: [], total: 0 };
      return connectionFromWindow(page.rows, page.total, request, sortKey, !!spec.desc);
    }
    const after = request.after ? decodeCursor(request.after, 'after') : null;
    const before = request.before ? decodeCursor(request.before, 'before') : null;
    const keyset = readModelOf(this.em, entity).keyset(spec.sort);
    if (keyset && [after, before].every((c) => !c || keyset.fits(c[0]))) {
      const conditions = [
        ...(after ? [beyondCursor(keyset.expression, after, true, !!spec.desc)] : []),
        ...(before ? [beyondCursor(keyset.expression, before, false, !!spec.desc)] : []),
      ];
      const fromEnd = request.first === null;
      const limit = fromEnd ? request.last! : request.first!;
      const cut = await this.afterCursor(entity, spec.where ?? {}, spec, conditions, limit, fromEnd);
      return connectionFromSlice(cut.rows, cut.total, cut.slice, request, sortKey, !!spec.desc);
    }
    const items = await this.list(entity, spec);
    return connectionFromSorted(items, request, sortKey, !!spec.desc);
  }

  /**
   * One statement for a page after and/or before cursors (keyset conditions
   * in SQL): the first (or last) `limit` rows between the cursors, the number
   * of rows between them (`slice`) and of all visible rows (`total`), so
   * pageInfo is exact. Rows outside the cursors sort after those inside, and
   * at least one row comes back, so the counts are known even for an empty
   * page.
   */
  private async afterCursor<T extends { id: string }>(
    entity: EntityClass<T>, where: FilterQuery<T>, spec: ListSpec<T>, conditions: { sql: string; bindings: (string | number)[] }[], limit: number, fromEnd: boolean,
  ): Promise<{ rows: T[]; total: number; slice: number }> {
    const model = readModelOf(this.em, entity);
    const knex = this.em.getKnex();
    const inside = `coalesce(${conditions.map((c) => c.sql).join(' and ')}, false)`;
    const bindings = conditions.flatMap((c) => c.bindings);
    const order = orderOf(model, spec, fromEnd);
    const inner = this.scopedQuery(entity, where);
    inner.select(
      knex.raw('count(*) over () as "__total"'),
      knex.raw(`${inside} as "__in"`, bindings),
      knex.raw(`count(*) filter (where ${inside}) over () as "__slice"`, bindings),
      knex.raw(`row_number() over (order by ${inside} desc, ${order}) as "__rn"`, bindings),
    );
    const outer = knex.select('*').from(inner.as('w')).where('w.__rn', '<=', Math.max(limit, 1)).orderBy('w.__rn');
    const found = await this.em.getConnection('read').execute<Record<string, unknown>[]>(outer, [], 'all');
    const rows = found.filter((r) => r.__in === true && Number(r.__rn) <= limit).map((r) => model.build(r));
    if (fromEnd) rows.reverse();
    return { rows, total: Number(found[0]?.__total ?? 0), slice: Number(found[0]?.__slice ?? 0) };
  }

  /** The visible object with this id, or null: an invisible object is exactly a missing one. */
  byId<T extends { id: string }>(entity: EntityClass<T>): DataLoader<string, T | null> {
    const key = `byId:${entity.name}`;
    let loader = this.loaders.get(key) as DataLoader<string, T | null> | undefined;
    if (!loader) {
      loader = new DataLoader<string, T | null>(
        async (ids) => {
          const rows = await this.select(entity, { id: { $in: [...ids] } } as unknown as FilterQuery<T>);
          const byId = new Map(rows.map((r) => [r.id, r]));
          return ids.map((id) => byId.get(id) ?? null);
        },
        { maxBatchSize: MAX_BATCH },
      );
      this.loaders.set(key, loader);
    }
    return loader;
  }

  /**
   * Visible children of many parents in one query per batch: `parentKey IN (...)`
   * plus the policy condition, then grouped by parent. `cacheKey` must identify
   * the filter and order (the same arguments share one loader).
   */
  childrenOf<T extends { id: string }>(entity: EntityClass<T>, parentKey: keyof T & string, spec: ListSpec<T>, cacheKey: string): DataLoader<string, T[]> {
    const key = `children:${entity.name}:${parentKey}:${cacheKey}`;
    let loader = this.loaders.get(key) as DataLoader<string, T[]> | undefined;
    if (!loader) {
      loader = new DataLoader<string, T[]>(
        async (parentIds) => {
          const where = { $and: [spec.where ?? {}, { [parentKey]: { $in: [...parentIds] } }] } as FilterQuery<T>;
          const rows = await this.list(entity, { ...spec, where });
          const groups = new Map<string, T[]>(parentIds.map((id) => [id, []]));
          for (const row of rows) {
            const ref = row[parentKey] as unknown as { id: string } | null;
            if (ref) groups.get(ref.id)?.push(row);
          }
          return parentIds.map((id) => groups.get(id)!);
        },
        { maxBatchSize: MAX_BATCH },
      );
      this.loaders.set(key, loader);
    }
    return loader;
  }

  /**
   * The first or last `limit` visible children of many parents, with each
   * parent's visible count, in one statement per batch (a window per parent).
   */
  pagesOf<T extends { id: string }>(
    entity: EntityClass<T>, parentKey: keyof T & string, spec: ListSpec<T>, cacheKey: string, limit: number, fromEnd: boolean,
  ): DataLoader<string, { rows: T[]; total: number }> {
    const key = `pages:${entity.name}:${parentKey}:${cacheKey}:${fromEnd ? 'last' : 'first'}:${limit}`;
    let loader = this.loaders.get(key) as DataLoader<string, { rows: T[]; total: number }> | undefined;
    if (!loader) {
      loader = new DataLoader<string, { rows: T[]; total: number }>(
        async (parentIds) => {
          const where = { $and: [spec.where ?? {}, { [parentKey]: { $in: [...parentIds] } }] } as FilterQuery<T>;
          const found = await this.window(entity, where, spec, parentKey, limit, fromEnd);
          return parentIds.map((id) => found.get(id) ?? { rows: [], total: 0 });
        },
        { maxBatchSize: MAX_BATCH },
      );
      this.loaders.set(key, loader);
    }
    return loader;
  }

  /**
   * A nested connection of `parent` (the object being resolved), batched
   * across parents. A first or last page without a cursor is cut per parent
   * in SQL; a page after or before a cursor pages the parent's whole sorted
   * list. Each child row remembers its parent for `link`.
   */
  async childConnection<T extends { id: string }>(
    entity: EntityClass<T>,
    parentKey: keyof T & string,
    parent: { id: string },
    args: ConnectionArgs,
    spec: ListSpec<T>,
    cacheKey: string,
  ): Promise<Connection<T>> {
    const request = pageRequest(args);
    const sortKey = (item: T) => sortValueOf(item[spec.sort]);
    const cut = windowOf(request);
    if (cut) {
      const page = await this.pagesOf(entity, parentKey, spec, cacheKey, cut.limit, cut.fromEnd).load(parent.id);
      this.listedUnder(page.rows, parentKey, parent);
      return connectionFromWindow(page.rows, page.total, request, sortKey, !!spec.desc);
    }
    const items = await this.childrenOf(entity, parentKey, spec, cacheKey).load(parent.id);
    this.listedUnder(items, parentKey, parent);
    return connectionFromSorted(items, request, sortKey, !!spec.desc);
  }

  private listedUnder(rows: object[], key: string, parent: { id: string }): void {
    for (const row of rows) this.parents.set(row, { key, row: parent });
  }

  /**
   * The visible object a row's to-one link `key` points to (null when the
   * link is empty or the object invisible): the parent the row was listed
   * under when it is that object (no statement), else `byId`.
   */
  link<T extends { id: string }>(row: object, key: string, entity: EntityClass<T>): Promise<T | null> {
    const ref = (row as Record<string, { id: string } | null | undefined>)[key];
    if (!ref) return Promise.resolve(null);
    const parent = this.parents.get(row);
    if (parent && parent.key === key && parent.row.id === ref.id && parent.row instanceof entity) return Promise.resolve(parent.row as T);
    return this.byId(entity).load(ref.id);
  }
}

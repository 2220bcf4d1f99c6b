/**
 * Relay cursor connections. Cursors are opaque keyset positions
 * (base64url of [sortValue, id]) so a page boundary stays put when rows are
 * inserted before it.
 */
import { ArgsType, Field, Int, ObjectType, registerEnumType, type ClassType } from 'type-graphql';
import { BadUserInputError } from './errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirection, { name: 'OrderDirection', description: 'Sort direction.' });

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: `Return the first n items (default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}).` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Return items after this cursor.' })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: `Return the last n items (at most ${MAX_PAGE_SIZE}).` })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'Return items before this cursor.' })
  before?: string | null;
}

@ObjectType({ description: 'Where a page stands in its connection.' })
export class PageInfo {
  @Field({ description: 'Whether more items follow this page.' })
  hasNextPage!: boolean;

  @Field({ description: 'Whether items precede this page.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of the page.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of the page.' })
  endCursor!: string | null;
}

export interface Edge<T> { cursor: string; node: T }
export interface Connection<T> { edges: Edge<T>[]; nodes: T[]; pageInfo: PageInfo; totalCount: number }

/** Builds `XConnection` and `XEdge` types for a node type. */
export function connectionOf<T extends object>(nodeType: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { description: `A ${name} in a connection, with its cursor.` })
  class EdgeType {
    @Field({ description: 'Opaque position of this edge, for after/before.' })
    cursor!: string;

    @Field(() => nodeType, { description: `The ${name}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} objects.` })
  class ConnectionType {
    @Field(() => [EdgeType], { description: 'The edges of this page.' })
    edges!: EdgeType[];

    @Field(() => [nodeType], { description: 'The nodes of this page (shortcut for edges.node).' })
    nodes!: T[];

    @Field(() => PageInfo, { description: 'Pagination information.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Number of items in the whole connection the viewer may see, across all pages.' })
    totalCount!: number;
  }
  return ConnectionType;
}

export type SortValue = string | number | null;

export function encodeCursor(sort: SortValue, id: string): string {
  return Buffer.from(JSON.stringify([sort, id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, field: string): [SortValue, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) && value.length === 2 && typeof value[1] === 'string' &&
      (value[0] === null || typeof value[0] === 'string' || typeof value[0] === 'number')
    ) {
      return value as [SortValue, string];
    }
  } catch {
    /* fall through */
  }
  throw new BadUserInputError(`${field}: "${String(cursor).slice(0, 60)}" is not a valid cursor`, field);
}

export interface PageRequest { first: number | null; last: number | null; after: string | null; before: string | null }

/** Validates first/last and fills the default page size. */
export function pageRequest(args: ConnectionArgs): PageRequest {
  for (const key of ['first', 'last'] as const) {
    const n = args[key];
    if (n === undefined || n === null) continue;
    if (!Number.isInteger(n) || n < 0) throw new BadUserInputError(`${key} must be zero or more (got ${n})`, key);
    if (n > MAX_PAGE_SIZE) throw new BadUserInputError(`${key} must be at most ${MAX_PAGE_SIZE} (got ${n}); page through larger lists with after/before`, key);
  }
  if (args.first != null && args.last != null) throw new BadUserInputError('Pass either first or last, not both', 'first');
  const first = args.first ?? (args.last == null ? DEFAULT_PAGE_SIZE : null);
  return { first, last: args.last ?? null, after: args.after ?? null, before: args.before ?? null };
}

/**
 * Strings in code-point order, which is PostgreSQL's `collate "C"` order on
 * UTF-8 (src/access/reader.ts cuts pages in SQL with it). JavaScript's `<`
 * compares UTF-16 code units, which puts characters beyond U+FFFF (surrogate
 * pairs) before U+E000–U+FFFF; the usual fix-up moves them after.
 */
function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x += x >= 0xe000 ? -0x800 : 0x2000;
      y += y >= 0xe000 ? -0x800 : 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

function compareParts(sa: SortValue, ia: string, sb: SortValue, ib: string, desc: boolean): number {
  let c = 0;
  if (sa !== sb) {
    if (sa === null) c = 1; // nulls last in ascending order
    else if (sb === null) c = -1;
    else if (typeof sa === 'string' && typeof sb === 'string') c = compareStrings(sa, sb) < 0 ? -1 : 1;
    else c = sa < sb ? -1 : 1;
  }
  if (c === 0) c = ia < ib ? -1 : ia > ib ? 1 : 0;
  return desc ? -c : c;
}

function compare(a: [SortValue, string], b: [SortValue, string], desc: boolean): number {
  return compareParts(a[0], a[1], b[0], b[1], desc);
}

/**
 * Pages a fully loaded, scoped list. Used for nested connections, which are
 * batched per request: one query per level, whatever the number of parents.
 *
 * The list is re-sorted here with the same comparison the cursors use: the
 * database orders native enums by declaration and text by its collation, and
 * a cursor compared differently from the order it came from skips or repeats
 * rows on the next page.
 */
export function connectionFromSorted<T extends { id: string }>(
  rows: T[],
  request: PageRequest,
  sortKey: (item: T) => SortValue,
  desc: boolean,
): Connection<T> {
  const key = (item: T): [SortValue, string] => [sortKey(item), item.id];
  const items = sorted(rows, sortKey, desc);
  let slice = items;
  if (request.after) {
    const after = decodeCursor(request.after, 'after');
    slice = slice.filter((item) => compare(key(item), after, desc) > 0);
  }
  if (request.before) {
    const before = decodeCursor(request.before, 'before');
    slice = slice.filter((item) => compare(key(item), before, desc) < 0);
  }
  let hasNextPage = false;
  let hasPreviousPage = false;
  if (request.first !== null) {
    hasNextPage = slice.length > request.first;
    hasPreviousPage = request.after !== null && slice.length < items.length;
    slice = slice.slice(0, request.first);
  } else if (request.last !== null) {
    hasPreviousPage = slice.length > request.last;
    hasNextPage = request.before !== null && slice.length < items.length;
    slice = slice.slice(Math.max(0, slice.length - request.last));
  }
  return pageOf(slice, items.length, hasNextPage, hasPreviousPage, sortKey);
}

/** Rows in the cursors' order; rows usually arrive in it already, which is checked without allocating. */
function sorted<T extends { id: string }>(rows: T[], sortKey: (item: T) => SortValue, desc: boolean): T[] {
  for (let i = 1; i < rows.length; i++) {
    if (compareParts(sortKey(rows[i - 1]), rows[i - 1].id, sortKey(rows[i]), rows[i].id, desc) > 0) {
      return rows
        .map((row) => ({ row, k: [sortKey(row), row.id] as [SortValue, string] }))
        .sort((a, b) => compare(a.k, b.k, desc))
        .map((x) => x.row);
    }
  }
  return rows;
}

/** The connection object; cursors are encoded only when asked for (most documents read `nodes` only). */
function pageOf<T extends { id: string }>(page: T[], totalCount: number, hasNextPage: boolean, hasPreviousPage: boolean, sortKey: (item: T) => SortValue): Connection<T> {
  const cursorOf = (node: T) => encodeCursor(sortKey(node), node.id);
  let edges: Edge<T>[] | null = null;
  return {
    get edges() {
      return (edges ??= page.map((node) => ({ cursor: cursorOf(node), node })));
    },
    nodes: page,
    totalCount,
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      get startCursor() {
        return page.length ? cursorOf(page[0]) : null;
      },
      get endCursor() {
        return page.length ? cursorOf(page[page.length - 1]) : null;
      },
    },
  };
}

/**
 * A first or last page cut in SQL (src/access/reader.ts): `page` holds the
 * page's rows in order, `total` the number of visible rows in the whole
 * connection. Only for requests without a cursor.
 */
export function connectionFromWindow<T extends { id: string }>(
  page: T[],
  total: number,
  request: PageRequest,
  sortKey: (item: T) => SortValue,
  desc: boolean,
): Connection<T> {
  if (request.after || request.before) throw new Error('connectionFromWindow: a page after or before a cursor is cut from the whole list');
  const more = total > page.length;
  return pageOf(sorted(page, sortKey, desc), total, request.first !== null && more, request.first === null && more, sortKey);
}

/**
 * A page after and/or before cursors cut in SQL (src/access/reader.ts):
 * `page` holds the page's rows, `slice` the number of rows between the
 * cursors, `total` the number of visible rows in the whole connection. The
 * same pageInfo as `connectionFromSorted` gives for the whole list.
 */
export function connectionFromSlice<T extends { id: string }>(
  page: T[],
  total: number,
  slice: number,
  request: PageRequest,
  sortKey: (item: T) => SortValue,
  desc: boolean,
): Connection<T> {
  const rows = sorted(page, sortKey, desc);
  if (request.first !== null) {
    return pageOf(rows, total, slice > request.first, request.after !== null && slice < total, sortKey);
  }
  return pageOf(rows, total, request.before !== null && slice < total, slice > request.last!, sortKey);
}

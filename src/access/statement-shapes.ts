/**
 * The reader's statements, built once per shape and bound per request.
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
import type { FilterQuery } from '@mikro-orm/core';

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

/** `?` placeholders as PostgreSQL's `$1`, `$2`… (the text holds no other question mark: compileShape counted them). */
export function numbered(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

/** Shared plumbing for filter/orderBy inputs of connections. */
import { OrderDirection } from '../core/pagination';
import type { ListSpec } from './reader';
import type { FilterQuery } from '@mikro-orm/core';

export interface OrderInputValue<F extends string> { field: F; direction: OrderDirection }

/** Turns a filter condition and an order input into a list spec plus the loader cache key. */
export function listSpec<T, F extends string>(
  where: FilterQuery<T>,
  order: OrderInputValue<F> | null | undefined,
  columns: Record<F, keyof T & string>,
  fallback: OrderInputValue<F>,
  filterForKey: unknown,
): { spec: ListSpec<T>; key: string } {
  const o = order ?? fallback;
  const spec: ListSpec<T> = { where, sort: columns[o.field], desc: o.direction === OrderDirection.DESC };
  return { spec, key: JSON.stringify([filterForKey ?? null, o.field, o.direction]) };
}

/** `{ prop: { $in: values } }` when values are given, else no condition. */
export function oneOf<T>(prop: string, values: readonly T[] | null | undefined): Record<string, unknown> {
  return values && values.length ? { [prop]: { $in: [...values] } } : {};
}

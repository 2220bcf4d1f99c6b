/**
 * Scoped reads for one request. Every query a resolver issues goes through
 * here, which ANDs the policy condition into it; loaders are created per
 * request and never shared between viewers (DESIGN.md section 3, rule 4).
 *
 * Queries use `em.find`, which always reaches PostgreSQL with the full WHERE:
 * `em.findOne` by primary key can answer from the identity map without any
 * condition (PITFALLS.md, MikroORM #7084), so it is not used on read paths.
 */
import type { EntityClass, FilterQuery, QueryOrderMap } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { connectionFromSorted, pageRequest, type ConnectionArgs, type Connection, type SortValue } from './pagination';
import { scoped } from './policy';
import type { Viewer } from './viewer';

/** Batches larger than this are split into several queries (keeps IN lists and bind parameters bounded). */
export const MAX_BATCH = 500;

export interface ListSpec<T> {
  where?: FilterQuery<T>;
  /** Property to sort by; ties are broken by id. */
  sort: keyof T & string;
  desc?: boolean;
}

function sortValueOf(value: unknown): SortValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' || typeof value === 'string') return value;
  return String(value);
}

export class Reader {
  private readonly loaders = new Map<string, DataLoader<string, any>>();

  constructor(readonly em: EntityManager, readonly viewer: Viewer) {}

  private orderBy<T>(spec: ListSpec<T>): QueryOrderMap<T>[] {
    const dir = spec.desc ? 'desc' : 'asc';
    return [{ [spec.sort]: dir === 'asc' ? 'asc nulls last' : 'desc nulls first' } as QueryOrderMap<T>, { id: dir } as QueryOrderMap<T>];
  }

  /** All visible rows matching `where`, sorted. */
  async list<T extends { id: string }>(entity: EntityClass<T>, spec: ListSpec<T>): Promise<T[]> {
    return this.em.find(entity, scoped(entity, this.viewer, spec.where ?? {}), { orderBy: this.orderBy(spec) });
  }

  /** A root connection over the visible rows matching `where`. */
  async connection<T extends { id: string }>(entity: EntityClass<T>, args: ConnectionArgs, spec: ListSpec<T>): Promise<Connection<T>> {
    const request = pageRequest(args);
    const items = await this.list(entity, spec);
    return connectionFromSorted(items, request, (item) => sortValueOf(item[spec.sort]), !!spec.desc);
  }

  /** The visible object with this id, or null: an invisible object is exactly a missing one. */
  byId<T extends { id: string }>(entity: EntityClass<T>): DataLoader<string, T | null> {
    const key = `byId:${entity.name}`;
    let loader = this.loaders.get(key) as DataLoader<string, T | null> | undefined;
    if (!loader) {
      loader = new DataLoader<string, T | null>(
        async (ids) => {
          const rows = await this.em.find(entity, scoped(entity, this.viewer, { id: { $in: [...ids] } } as unknown as FilterQuery<T>));
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

  /** A nested connection: batched across parents, paged per parent. */
  async childConnection<T extends { id: string }>(
    entity: EntityClass<T>,
    parentKey: keyof T & string,
    parentId: string,
    args: ConnectionArgs,
    spec: ListSpec<T>,
    cacheKey: string,
  ): Promise<Connection<T>> {
    const request = pageRequest(args);
    const items = await this.childrenOf(entity, parentKey, spec, cacheKey).load(parentId);
    return connectionFromSorted(items, request, (item) => sortValueOf(item[spec.sort]), !!spec.desc);
  }
}

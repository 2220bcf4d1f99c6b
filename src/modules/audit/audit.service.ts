/**
 * Reading the audit trail. Writing happens in src/write/transaction.ts, inside
 * each mutation's transaction. Visibility is policy.auditEvent: ADMIN all,
 * MANAGER the events of the projects they manage, nobody else.
 */
import type { FilterQuery } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import { registerEnumType } from 'type-graphql';
import { authed, type Context } from '../../access/context';
import { BadUserInputError } from '../../core/errors';
import { decodeId, parseGlobalId } from '../../core/global-id';
import { connectionFromSorted, decodeCursor, encodeCursor, pageRequest, type Connection, type ConnectionArgs } from '../../core/pagination';
import { MAX_BATCH } from '../../access/reader';
import { scoped } from '../../access/policy';
import { AuditEvent } from '../../model/audit.entity';

/** The types whose changes are audited; values are the GraphQL type names stored in entityType. */
export enum AuditEntityType {
  PROJECT = 'Project',
  INVESTMENT = 'Investment',
  MILESTONE = 'Milestone',
  CONTRACT = 'Contract',
  DELIVERABLE = 'Deliverable',
  FINANCIAL_REPORT = 'FinancialReport',
  RISK = 'Risk',
  PROJECT_UPDATE = 'ProjectUpdate',
  ORGANIZATION = 'Organization',
  USER = 'User',
  API_TOKEN = 'ApiToken',
}
registerEnumType(AuditEntityType, { name: 'AuditEntityType', description: 'Type of the object an audit event is about.' });

export interface AuditFilterValue {
  projectId?: string | null;
  entityType?: AuditEntityType | null;
  entityId?: string | null;
  actorId?: string | null;
  action?: string | null;
  from?: Date | null;
  to?: Date | null;
}

function whereOf(filter: AuditFilterValue | null | undefined): FilterQuery<AuditEvent> {
  const f = filter ?? {};
  const where: FilterQuery<AuditEvent>[] = [];
  if (f.projectId) where.push({ project: decodeId(f.projectId, 'Project', 'filter.projectId') });
  if (f.entityType) where.push({ entityType: f.entityType });
  if (f.entityId) {
    const decoded = parseGlobalId(f.entityId);
    if (!decoded) throw new BadUserInputError(`filter.entityId: "${String(f.entityId).slice(0, 60)}" is not a valid id`, 'filter.entityId');
    where.push({ entityType: decoded.type, entityId: decoded.id });
  }
  if (f.actorId) where.push({ actor: decodeId(f.actorId, 'User', 'filter.actorId') });
  if (f.action) where.push({ action: f.action });
  if (f.from) where.push({ occurredAt: { $gte: f.from } });
  if (f.to) where.push({ occurredAt: { $lt: f.to } });
  if (f.from && f.to && f.to <= f.from) throw new BadUserInputError('filter.to must be after filter.from', 'filter.to');
  return { $and: where };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const cursorOf = (e: AuditEvent) => encodeCursor(e.occurredAt.toISOString(), e.id);

export const auditService = {
  /**
   * Newest first. The audit table only grows, so this connection pages in
   * PostgreSQL (keyset on occurredAt, id) instead of loading every row.
   */
  async events(ctx: Context, filter: AuditFilterValue | null | undefined, args: ConnectionArgs): Promise<Connection<AuditEvent>> {
    const { viewer, reader } = authed(ctx);
    const request = pageRequest(args);
    const base = scoped(AuditEvent, viewer, whereOf(filter));
    const bounds: FilterQuery<AuditEvent>[] = [base];
    const position = (cursor: string, field: string, op: '$lt' | '$gt'): FilterQuery<AuditEvent> => {
      const [at, id] = decodeCursor(cursor, field);
      const t = new Date(String(at));
      // Both halves reach SQL as typed values: refuse a forged cursor here rather than as a database error.
      if (typeof at !== 'string' || Number.isNaN(t.getTime()) || !UUID.test(id)) throw new BadUserInputError(`${field}: not a valid cursor`, field);
      return { $or: [{ occurredAt: { [op]: t } }, { occurredAt: t, id: { [op]: id } }] } as FilterQuery<AuditEvent>;
    };
    // Descending order: "after" means older.
    if (request.after) bounds.push(position(request.after, 'after', '$lt'));
    if (request.before) bounds.push(position(request.before, 'before', '$gt'));
    const totalCount = await reader.em.count(AuditEvent, base);
    const fromEnd = request.first === null && request.last !== null;
    const size = fromEnd ? request.last! : request.first!;
    const dir = fromEnd ? 'asc' : 'desc';
    const rows = await reader.em.find(AuditEvent, { $and: bounds } as FilterQuery<AuditEvent>, {
      orderBy: [{ occurredAt: dir }, { id: dir }],
      limit: size + 1,
    });
    const more = rows.length > size;
    const page = rows.slice(0, size);
    if (fromEnd) page.reverse();
    const edges = page.map((node) => ({ cursor: cursorOf(node), node }));
    return {
      edges,
      nodes: page,
      totalCount,
      pageInfo: {
        hasNextPage: fromEnd ? request.before !== null : more,
        hasPreviousPage: fromEnd ? more : request.after !== null,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
    };
  },

  /** The events of one object, newest first; batched across the objects of a request. */
  async trail(ctx: Context, entityId: string, args: ConnectionArgs): Promise<Connection<AuditEvent>> {
    const request = pageRequest(args);
    const items = await trailLoader(ctx).load(entityId);
    return connectionFromSorted(items, request, (e) => e.occurredAt.toISOString(), true);
  },
};

const loaders = new WeakMap<object, DataLoader<string, AuditEvent[]>>();

function trailLoader(ctx: Context): DataLoader<string, AuditEvent[]> {
  const { reader } = authed(ctx);
  let loader = loaders.get(reader);
  if (!loader) {
    loader = new DataLoader<string, AuditEvent[]>(
      async (ids) => {
        const rows = await reader.list(AuditEvent, { where: { entityId: { $in: [...ids] } }, sort: 'occurredAt', desc: true });
        const groups = new Map<string, AuditEvent[]>(ids.map((id) => [id, []]));
        for (const row of rows) groups.get(row.entityId)?.push(row);
        return ids.map((id) => groups.get(id)!);
      },
      { maxBatchSize: MAX_BATCH },
    );
    loaders.set(reader, loader);
  }
  return loader;
}

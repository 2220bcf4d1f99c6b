/**
 * Per-request DataLoaders of the dashboards, kept on the request's reader so
 * they are never shared across viewers (docs/visibility.md, loaders and caches). Each
 * batch is one statement of dashboard.queries.ts whatever the number of
 * keys; the key (JSON of its parts) doubles as the statement's `grp`, so
 * result rows map back to keys without parsing.
 *
 * Summaries that name objects (next milestone, top risks, next deliverable)
 * load those objects in the same batch, through the policy, right after the
 * aggregate: loading them later from each field would batch by timing (the
 * portfolio's summary and its rows' summaries finish at different moments),
 * and the statement count would vary from request to request.
 */
import type { EntityClass, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { authed, type Context } from '../../access/context';
import { fieldRules } from '../../access/policy';
import { MAX_BATCH, type Reader } from '../../access/reader';
import type { Viewer } from '../../access/viewer';
import { Deliverable } from '../../model/deliverable.entity';
import { Milestone } from '../../model/milestone.entity';
import { Risk } from '../../model/risk.entity';
import {
  committedTotals, contractTotals, deliverableStats, figures, milestoneSummaries, riskSummaries, series,
  type ContractTotalsRow, type DeliverableRow, type FigureRow, type MilestoneRow, type RiskRow, type SeriesRow,
} from './dashboard.queries';

export type MilestoneFigures = MilestoneRow & { next: Milestone | null };
export type RiskFigures = RiskRow & { risks: Map<string, Risk> };
export type DeliverableFigures = DeliverableRow & { next: Deliverable | null };

export interface DashboardLoaders {
  figures: DataLoader<string, FigureRow | null>;
  series: DataLoader<string, SeriesRow[]>;
  milestones: DataLoader<string, MilestoneFigures | null>;
  risks: DataLoader<string, RiskFigures | null>;
  commitments: DataLoader<string, ContractTotalsRow[]>;
  totalCommitted: DataLoader<string, string | null>;
  deliverables: DataLoader<string, DeliverableFigures | null>;
}

/**
 * The visible objects with these ids, by id: one scoped read through the
 * request's reader (its prepared statement, read-only objects like every
 * other read; none when there is no id).
 */
async function visibleById<T extends { id: string }>(reader: Reader, entity: EntityClass<T>, ids: (string | null)[]): Promise<Map<string, T>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (!wanted.length) return new Map();
  const rows = await reader.list(entity, { where: { id: { $in: wanted } } as unknown as FilterQuery<T>, sort: 'id' as keyof T & string });
  return new Map(rows.map((row) => [row.id, row]));
}

export async function withNextMilestones(reader: Reader, rows: MilestoneRow[]): Promise<MilestoneFigures[]> {
  const found = await visibleById(reader, Milestone, rows.map((r) => r.next_id));
  return rows.map((r) => ({ ...r, next: r.next_id ? found.get(r.next_id) ?? null : null }));
}

export async function withTopRisks(reader: Reader, rows: RiskRow[]): Promise<RiskFigures[]> {
  const found = await visibleById(reader, Risk, rows.flatMap((r) => r.top_risks.map((t) => t.id)));
  return rows.map((r) => ({ ...r, risks: found }));
}

export async function withNextDeliverables(reader: Reader, rows: DeliverableRow[]): Promise<DeliverableFigures[]> {
  const found = await visibleById(reader, Deliverable, rows.map((r) => r.next_id));
  return rows.map((r) => ({ ...r, next: r.next_id ? found.get(r.next_id) ?? null : null }));
}

export const keyOf = (...parts: (string | number | null)[]): string => JSON.stringify(parts);
const partsOf = (key: string): (string | number | null)[] => JSON.parse(key);

/** Whether the viewer may read financial figures (planned values included), by the policy's field rule. */
export function readsFinancials(viewer: Viewer): boolean {
  try {
    fieldRules.financials(viewer);
    return true;
  } catch {
    return false;
  }
}

function single<R extends { grp: string }>(keys: readonly string[], rows: R[]): (R | null)[] {
  const byKey = new Map(rows.map((r) => [r.grp, r]));
  return keys.map((key) => byKey.get(key) ?? null);
}

function grouped<R extends { grp: string }>(keys: readonly string[], rows: R[]): R[][] {
  const byKey = new Map<string, R[]>(keys.map((key) => [key, []]));
  for (const row of rows) byKey.get(row.grp)?.push(row);
  return keys.map((key) => byKey.get(key)!);
}

const cache = new WeakMap<object, DashboardLoaders>();

export function dashboardLoaders(ctx: Context): DashboardLoaders {
  const { reader, viewer } = authed(ctx);
  let loaders = cache.get(reader);
  if (!loaders) {
    const em = reader.em;
    const options = { maxBatchSize: MAX_BATCH };
    const projectKeys = (keys: readonly string[]) =>
      keys.map((grp) => {
        const [projectId, asOf] = partsOf(grp) as [string, string];
        return { grp, projectId, asOf };
      });
    loaders = {
      /** Key: keyOf(projectId, asOf). */
      figures: new DataLoader(async (keys) => single(keys, await figures(em, viewer, projectKeys(keys))), options),
      /** Key: keyOf(projectId, asOf). */
      series: new DataLoader(async (keys) => grouped(keys, await series(em, viewer, projectKeys(keys))), options),
      /** Key: keyOf(projectId, asOf). */
      milestones: new DataLoader(
        async (keys) => single(keys, await withNextMilestones(reader, await milestoneSummaries(em, viewer, projectKeys(keys), readsFinancials(viewer)))),
        options,
      ),
      /** Key: keyOf(projectId, top). */
      risks: new DataLoader(async (keys) => {
        const riskKeys = keys.map((grp) => {
          const [projectId, top] = partsOf(grp) as [string, number];
          return { grp, projectId, top };
        });
        return single(keys, await withTopRisks(reader, await riskSummaries(em, viewer, riskKeys)));
      }, options),
      /** Key: keyOf(projectId). */
      commitments: new DataLoader(async (keys) => {
        const rows = await contractTotals(em, viewer, { commitmentsOf: keys.map((key) => partsOf(key)[0] as string) });
        // The statement groups by project id; map back to the loader's keys.
        const byProject = new Map<string, ContractTotalsRow[]>();
        for (const row of rows) byProject.set(row.grp, [...(byProject.get(row.grp) ?? []), row]);
        return keys.map((key) => byProject.get(partsOf(key)[0] as string) ?? []);
      }, options),
      /** Key: a project id. */
      totalCommitted: new DataLoader(async (projectIds) => {
        const rows = await committedTotals(em, viewer, [...projectIds]);
        const byProject = new Map(rows.map((r) => [r.grp, r.committed]));
        return projectIds.map((id) => byProject.get(id) ?? null);
      }, options),
      /** Key: keyOf(contractId | null, asOf); a null contract means every deliverable the viewer may see. */
      deliverables: new DataLoader(async (keys) => {
        const deliverableKeys = keys.map((grp) => {
          const [contractId, asOf] = partsOf(grp) as [string | null, string];
          return { grp, contractId, asOf };
        });
        return single(keys, await withNextDeliverables(reader, await deliverableStats(em, viewer, deliverableKeys)));
      }, options),
    };
    cache.set(reader, loaders);
  }
  return loaders;
}

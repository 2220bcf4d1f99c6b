/**
 * Per-request DataLoaders of the dashboards, kept on the request's reader so
 * they are never shared across viewers (DESIGN.md section 3, rule 4). Each
 * batch is one statement of dashboard.queries.ts whatever the number of
 * keys; the key (JSON of its parts) doubles as the statement's `grp`, so
 * result rows map back to keys without parsing.
 */
import DataLoader from 'dataloader';
import { authed, type Context } from '../../core/context';
import { fieldRules } from '../../core/policy';
import { MAX_BATCH } from '../../core/reader';
import type { Viewer } from '../../core/viewer';
import {
  contractTotals, deliverableStats, figures, milestoneSummaries, riskSummaries, series,
  type ContractTotalsRow, type DeliverableRow, type FigureRow, type MilestoneRow, type RiskRow, type SeriesRow,
} from './dashboard.queries';

export interface DashboardLoaders {
  figures: DataLoader<string, FigureRow | null>;
  series: DataLoader<string, SeriesRow[]>;
  milestones: DataLoader<string, MilestoneRow | null>;
  risks: DataLoader<string, RiskRow | null>;
  commitments: DataLoader<string, ContractTotalsRow[]>;
  deliverables: DataLoader<string, DeliverableRow | null>;
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
        async (keys) => single(keys, await milestoneSummaries(em, viewer, projectKeys(keys), readsFinancials(viewer))),
        options,
      ),
      /** Key: keyOf(projectId, top). */
      risks: new DataLoader(async (keys) => {
        const riskKeys = keys.map((grp) => {
          const [projectId, top] = partsOf(grp) as [string, number];
          return { grp, projectId, top };
        });
        return single(keys, await riskSummaries(em, viewer, riskKeys));
      }, options),
      /** Key: keyOf(projectId). */
      commitments: new DataLoader(async (keys) => {
        const rows = await contractTotals(em, viewer, { commitmentsOf: keys.map((key) => partsOf(key)[0] as string) });
        // The statement groups by project id; map back to the loader's keys.
        const byProject = new Map<string, ContractTotalsRow[]>();
        for (const row of rows) byProject.set(row.grp, [...(byProject.get(row.grp) ?? []), row]);
        return keys.map((key) => byProject.get(partsOf(key)[0] as string) ?? []);
      }, options),
      /** Key: keyOf(contractId | null, asOf); a null contract means every deliverable the viewer may see. */
      deliverables: new DataLoader(async (keys) => {
        const deliverableKeys = keys.map((grp) => {
          const [contractId, asOf] = partsOf(grp) as [string | null, string];
          return { grp, contractId, asOf };
        });
        return single(keys, await deliverableStats(em, viewer, deliverableKeys));
      }, options),
    };
    cache.set(reader, loaders);
  }
  return loaders;
}

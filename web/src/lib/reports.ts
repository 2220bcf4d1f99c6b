import type { ReportFieldsFragment } from '../gql/graphql';
import { sum } from './money';

export interface ReportPeriod {
  periodStart: string;
  periodEnd: string;
  /** Every revision the viewer may see, oldest first. */
  revisions: ReportFieldsFragment[];
  /** The revision that counts: the PUBLISHED one, else the newest. */
  current: ReportFieldsFragment;
  restated: boolean;
}

export function groupByPeriod(reports: readonly ReportFieldsFragment[]): ReportPeriod[] {
  const byStart = new Map<string, ReportFieldsFragment[]>();
  for (const r of reports) byStart.set(r.periodStart, [...(byStart.get(r.periodStart) ?? []), r]);
  return [...byStart.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([periodStart, revs]) => {
      const revisions = [...revs].sort((a, b) => a.revision - b.revision);
      const current = revisions.find((r) => r.status === 'PUBLISHED') ?? revisions[revisions.length - 1];
      return {
        periodStart,
        periodEnd: revisions[0].periodEnd,
        revisions,
        current,
        restated: revisions.some((r) => r.status === 'SUPERSEDED') || revisions.some((r) => r.revision > 1 && r.status === 'PUBLISHED'),
      };
    });
}

export function reportTotals(report: ReportFieldsFragment): { planned: string; actual: string; estimateToComplete: string } {
  const lines = report.lines.nodes;
  return {
    planned: sum(lines.map((l) => l.planned)),
    actual: sum(lines.map((l) => l.actual)),
    estimateToComplete: sum(lines.map((l) => l.estimateToComplete)),
  };
}


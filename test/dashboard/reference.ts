/**
 * The dashboard formulas of docs/money.md, computed in the test from
 * plain rows with integer cents (BigInt) — independently of the server's SQL.
 * Tests feed them either the demo tables of src/db/seed.ts or the rows a
 * viewer can list through the API, and compare with the server's figures.
 */
import { addDays } from '../../src/core/dates';

// ---------------------------------------------------------------- arithmetic

/** "1234.5" | "-0.07" → cents. Only exact decimal strings with at most 2 decimals are accepted. */
export function cents(value: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(value);
  if (!m) throw new Error(`not a money string: ${value}`);
  const c = BigInt(m[2]) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -c : c;
}

/** Division rounded half away from zero (PostgreSQL's round on numeric). */
export function roundDiv(n: bigint, d: bigint): bigint {
  if (d === 0n) throw new Error('division by zero');
  const negative = (n < 0n) !== (d < 0n);
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const q = (2n * an + ad) / (2n * ad);
  return negative ? -q : q;
}

/** A fixed-point string of `scaled` / 10^places. */
export function fixed(scaled: bigint, places: number): string {
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(places + 1, '0');
  const text = `${digits.slice(0, digits.length - places)}.${digits.slice(digits.length - places)}`;
  return negative ? `-${text}` : text;
}

export const money = (c: bigint): string => fixed(c, 2);
export const sum = (values: bigint[]): bigint => values.reduce((a, b) => a + b, 0n);

/** n / d with 4 decimal places, null when d is 0. */
export function ratio4(n: bigint, d: bigint): string | null {
  return d === 0n ? null : fixed(roundDiv(n * 10000n, d), 4);
}

// ---------------------------------------------------------------- rows

export const CATEGORIES = ['LABOR', 'VENDORS', 'INFRASTRUCTURE', 'LICENSES', 'OTHER'] as const;

export interface ReportRow {
  periodStart: string; periodEnd: string; revision: number; status: string;
  lines: { category: string; planned: string; actual: string; estimateToComplete: string }[];
}
export interface MilestoneRow { id: string; dueDate: string; status: string; progress: number; plannedValue: string | null }
export interface RiskRow { id: string; score: number; status: string; assessments: { id: string; likelihood: number; impact: number; assessedAt: string }[] }
export interface ContractRow { status: string; value: string; org?: string }
export interface DeliverableRow { id: string; status: string; dueDate: string; decidedAt: string | null }

// ---------------------------------------------------------------- figures

export interface InvestmentRow { amount: string; committedOn: string; org?: string }

const monthEnd = (date: string): string => {
  const [y, m] = date.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${date.slice(0, 7)}-${String(last).padStart(2, '0')}`;
};

/**
 * `committed` as an investor of organization `viewerOrg` may read it (docs/visibility.md,
 * written here from the rule, not from the statement): its own commitments up to asOf plus
 * the others' cumulative sum through the latest month end where the other organizations that
 * committed since the previous such month end are at least two; null when commitments of
 * others up to asOf exist and no such month end precedes asOf.
 */
export function disclosedCommitted(investments: InvestmentRow[], viewerOrg: string, asOf: string): string | null {
  const own = investments.filter((i) => i.org === viewerOrg && i.committedOn <= asOf);
  const others = investments.filter((i) => i.org !== viewerOrg);
  const months = [...new Set(others.map((i) => monthEnd(i.committedOn)))].sort();
  const cuts: string[] = [];
  let pending = new Set<string>();
  for (const m of months) {
    if (pending.size >= 2) pending = new Set();
    for (const i of others) if (monthEnd(i.committedOn) === m) pending.add(i.org!);
    if (pending.size >= 2) cuts.push(m);
  }
  const through = cuts.filter((c) => c <= asOf).pop() ?? null;
  const withheld = others.some((i) => i.committedOn <= asOf && (through === null || i.committedOn > through));
  if (withheld && through === null) return null;
  const disclosed = others.filter((i) => i.committedOn <= (withheld ? through! : asOf));
  return money(sum([...own, ...disclosed].map((i) => cents(i.amount))));
}

/** `viewerOrg`: an investor's organization (committed follows the disclosure rule); absent for the operator. */
export function financials(input: { budget: string; investments: InvestmentRow[]; reports: ReportRow[]; asOf: string; viewerOrg?: string }) {
  const byPeriod = new Map<string, ReportRow>();
  for (const r of input.reports) {
    if (r.status !== 'PUBLISHED' || r.periodEnd > input.asOf) continue;
    const current = byPeriod.get(r.periodStart);
    if (!current || r.revision > current.revision) byPeriod.set(r.periodStart, r);
  }
  const series = [...byPeriod.values()].sort((a, b) => (a.periodStart < b.periodStart ? -1 : 1));
  let cumPlanned = 0n;
  let cumActual = 0n;
  const spendByPeriod = series.map((r) => {
    const planned = sum(r.lines.map((l) => cents(l.planned)));
    const actual = sum(r.lines.map((l) => cents(l.actual)));
    cumPlanned += planned;
    cumActual += actual;
    return {
      periodStart: r.periodStart, periodEnd: r.periodEnd, revision: r.revision, planned: money(planned), actual: money(actual),
      cumulativePlanned: money(cumPlanned), cumulativeActual: money(cumActual),
      estimateToComplete: money(sum(r.lines.map((l) => cents(l.estimateToComplete)))),
    };
  });
  const last = series[series.length - 1];
  const ac = cumActual;
  const etc = last ? sum(last.lines.map((l) => cents(l.estimateToComplete))) : null;
  const lastThree = series.slice(-3).map((r) => sum(r.lines.map((l) => cents(l.actual))));
  const budget = cents(input.budget);
  return {
    budget: money(budget),
    committed: input.viewerOrg === undefined
      ? money(sum(input.investments.filter((i) => i.committedOn <= input.asOf).map((i) => cents(i.amount))))
      : disclosedCommitted(input.investments, input.viewerOrg, input.asOf),
    actualToDate: money(ac),
    estimateToComplete: etc === null ? null : money(etc),
    estimateAtCompletion: etc === null ? null : money(ac + etc),
    varianceAtCompletion: etc === null ? null : money(budget - (ac + etc)),
    burnRate: lastThree.length ? money(roundDiv(sum(lastThree), BigInt(lastThree.length))) : null,
    reportedThrough: last ? last.periodEnd : null,
    publishedPeriods: series.length,
    spendByPeriod,
    spendByCategory: CATEGORIES.map((category) => {
      const lines = series.flatMap((r) => r.lines.filter((l) => l.category === category));
      const lastLine = last?.lines.find((l) => l.category === category);
      return {
        category,
        planned: money(sum(lines.map((l) => cents(l.planned)))),
        actual: money(sum(lines.map((l) => cents(l.actual)))),
        estimateToComplete: money(lastLine ? cents(lastLine.estimateToComplete) : 0n),
      };
    }),
    // for earned value
    ac,
  };
}

export function earnedValue(milestones: MilestoneRow[], ac: bigint, asOf: string) {
  const live = milestones.filter((m) => m.status !== 'CANCELLED');
  const ev = roundDiv(sum(live.map((m) => (m.plannedValue === null ? 0n : cents(m.plannedValue) * BigInt(m.progress)))), 100n);
  const pv = sum(live.filter((m) => m.dueDate <= asOf && m.plannedValue !== null).map((m) => cents(m.plannedValue!)));
  return {
    plannedValue: money(pv),
    earnedValue: money(ev),
    actualCost: money(ac),
    costPerformanceIndex: ratio4(ev, ac),
    schedulePerformanceIndex: ratio4(ev, pv),
    costVariance: money(ev - ac),
    scheduleVariance: money(ev - pv),
    ev,
    pv,
  };
}

const OPEN_MILESTONE = ['PLANNED', 'IN_PROGRESS'];

export function milestoneSummary(milestones: MilestoneRow[], asOf: string, weighted: boolean) {
  const live = milestones.filter((m) => m.status !== 'CANCELLED');
  const open = milestones.filter((m) => OPEN_MILESTONE.includes(m.status));
  const pvTotal = sum(live.map((m) => (m.plannedValue === null ? 0n : cents(m.plannedValue))));
  let percentComplete: string | null;
  let basis: string;
  if (weighted && pvTotal > 0n) {
    basis = 'PLANNED_VALUE';
    const weightedProgress = sum(live.map((m) => (m.plannedValue === null ? 0n : cents(m.plannedValue) * BigInt(m.progress))));
    percentComplete = fixed(roundDiv(weightedProgress * 100n, pvTotal), 2);
  } else {
    basis = 'MILESTONE_COUNT';
    percentComplete = live.length ? fixed(roundDiv(BigInt(live.reduce((a, m) => a + m.progress, 0)) * 100n, BigInt(live.length)), 2) : null;
  }
  const next = open
    .filter((m) => m.dueDate >= asOf)
    .sort((a, b) => (a.dueDate !== b.dueDate ? (a.dueDate < b.dueDate ? -1 : 1) : a.id < b.id ? -1 : 1))[0];
  return {
    total: milestones.length,
    done: milestones.filter((m) => m.status === 'DONE').length,
    overdue: open.filter((m) => m.dueDate < asOf).length,
    dueNext30Days: open.filter((m) => m.dueDate >= asOf && m.dueDate <= addDays(asOf, 30)).length,
    percentComplete,
    percentCompleteBasis: basis,
    nextMilestoneId: next?.id ?? null,
  };
}

export function riskSummary(risks: RiskRow[], top: number) {
  const open = risks
    .filter((r) => r.status === 'OPEN' || r.status === 'MITIGATING')
    .map((r) => {
      const history = [...r.assessments].sort((a, b) => (a.assessedAt !== b.assessedAt ? (a.assessedAt > b.assessedAt ? -1 : 1) : a.id > b.id ? -1 : 1));
      const latest = history[0];
      const scoreOf = (a: { likelihood: number; impact: number }) => a.likelihood * a.impact;
      // The trend compares with the last real change: the most recent earlier assessment with another
      // score; when every earlier one has the same score, the one before the latest (change 0).
      const previous = history.slice(1).find((a) => scoreOf(a) !== scoreOf(latest)) ?? history[1];
      const change = latest && previous ? latest.likelihood * latest.impact - previous.likelihood * previous.impact : null;
      return { id: r.id, score: r.score, previousScore: previous ? previous.likelihood * previous.impact : null, change };
    });
  const band = (lo: number, hi: number) => open.filter((r) => r.score >= lo && r.score <= hi).length;
  return {
    open: open.length,
    bySeverity: { low: band(1, 4), medium: band(5, 9), high: band(10, 14), critical: band(15, 25) },
    exposure: open.reduce((a, r) => a + r.score, 0),
    exposureChange: open.reduce((a, r) => a + (r.change ?? 0), 0),
    rising: open.filter((r) => (r.change ?? 0) > 0).length,
    falling: open.filter((r) => (r.change ?? 0) < 0).length,
    topRisks: [...open].sort((a, b) => (a.score !== b.score ? b.score - a.score : a.id < b.id ? -1 : 1)).slice(0, top),
  };
}

/**
 * Contracts counted and summed by status. `investor`: the values follow the disclosure rule of
 * docs/visibility.md (rows need `org`): a status's value only when it has no contract or
 * contracts of two counterparties or more, the total only when the contracts have two
 * counterparties or more and the withheld statuses are not all one counterparty's.
 */
export function contractTotals(contracts: ContractRow[], statuses: readonly string[], investor = false) {
  const counted = contracts.filter((c) => statuses.includes(c.status));
  const orgs = (rows: ContractRow[]) => new Set(rows.map((c) => { if (!c.org) throw new Error('contract row without org'); return c.org; })).size;
  const withheld = (rows: ContractRow[]) => investor && rows.length > 0 && orgs(rows) < 2;
  const withheldStatuses = statuses.filter((status) => withheld(counted.filter((c) => c.status === status)));
  const isolates = investor && orgs(counted.filter((c) => withheldStatuses.includes(c.status))) === 1;
  return {
    count: counted.length,
    value: withheld(counted) || isolates ? null : money(sum(counted.map((c) => cents(c.value)))),
    byStatus: statuses.map((status) => {
      const these = counted.filter((c) => c.status === status);
      return { status, count: these.length, value: withheldStatuses.includes(status) ? null : money(sum(these.map((c) => cents(c.value)))) };
    }),
  };
}

export const COMMITTED_STATUSES = ['ACTIVE', 'SUSPENDED', 'COMPLETED', 'TERMINATED'] as const;
export const CONTRACT_STATUSES = ['DRAFT', ...COMMITTED_STATUSES] as const;
const DELIVERABLE_STATUSES = ['PLANNED', 'IN_PROGRESS', 'SUBMITTED', 'ACCEPTED', 'REJECTED'] as const;
const OWED = ['PLANNED', 'IN_PROGRESS', 'REJECTED'];

export function deliverableStats(deliverables: DeliverableRow[], asOf: string) {
  const count = (status: string) => deliverables.filter((d) => d.status === status).length;
  const accepted = count('ACCEPTED');
  const decided = accepted + count('REJECTED');
  const onTime = deliverables.filter((d) => d.status === 'ACCEPTED' && d.decidedAt !== null && d.decidedAt.slice(0, 10) <= d.dueDate).length;
  const next = deliverables
    .filter((d) => OWED.includes(d.status) && d.dueDate >= asOf)
    .sort((a, b) => (a.dueDate !== b.dueDate ? (a.dueDate < b.dueDate ? -1 : 1) : a.id < b.id ? -1 : 1))[0];
  return {
    total: deliverables.length,
    byStatus: DELIVERABLE_STATUSES.map((status) => ({ status, count: count(status) })),
    overdue: deliverables.filter((d) => OWED.includes(d.status) && d.dueDate < asOf).length,
    awaitingReview: count('SUBMITTED'),
    decided,
    acceptanceRate: ratio4(BigInt(accepted), BigInt(decided)),
    onTimeRate: ratio4(BigInt(onTime), BigInt(accepted)),
    nextDueId: next?.id ?? null,
  };
}

/** Per-currency portfolio totals from per-project references. */
export function currencyTotals(projects: { currency: string; f: ReturnType<typeof financials>; ev: ReturnType<typeof earnedValue> }[]) {
  const currencies = [...new Set(projects.map((p) => p.currency))].sort();
  return currencies.map((currency) => {
    const these = projects.filter((p) => p.currency === currency);
    const reporting = these.filter((p) => p.f.estimateToComplete !== null);
    const total = (values: (string | null)[]) => sum(values.map((v) => cents(v!)));
    const ev = sum(these.map((p) => p.ev.ev));
    const pv = sum(these.map((p) => p.ev.pv));
    const ac = sum(these.map((p) => p.f.ac));
    return {
      currency,
      projectCount: these.length,
      reportingProjectCount: reporting.length,
      budget: money(total(these.map((p) => p.f.budget))),
      committed: these.some((p) => p.f.committed === null) ? null : money(total(these.map((p) => p.f.committed))),
      actualToDate: money(ac),
      estimateToComplete: reporting.length ? money(total(reporting.map((p) => p.f.estimateToComplete))) : null,
      estimateAtCompletion: reporting.length ? money(total(reporting.map((p) => p.f.estimateAtCompletion))) : null,
      varianceAtCompletion: reporting.length ? money(total(reporting.map((p) => p.f.varianceAtCompletion))) : null,
      burnRate: reporting.length ? money(total(reporting.map((p) => p.f.burnRate))) : null,
      plannedValue: money(pv),
      earnedValue: money(ev),
      costVariance: money(ev - ac),
      scheduleVariance: money(ev - pv),
      costPerformanceIndex: ratio4(ev, ac),
      schedulePerformanceIndex: ratio4(ev, pv),
    };
  });
}

/** Drops the helper fields the API does not return. */
export function apiShape<T extends Record<string, unknown>>(value: T, drop: string[]): Omit<T, never> {
  const copy: Record<string, unknown> = { ...value };
  for (const key of drop) delete copy[key];
  return copy as T;
}

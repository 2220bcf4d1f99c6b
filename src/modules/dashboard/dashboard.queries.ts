/**
 * The dashboard statements. Each function is ONE SQL statement that answers
 * a whole batch of keys (a DataLoader batch or a portfolio), so N projects
 * cost the same number of statements as one.
 *
 * Keys travel as a JSON recordset `k(grp, project_id, as_of, …)`: `grp` is
 * what a result row is reported under (a project id, a contract id, or 'all'
 * for a portfolio), so the same aggregate serves one project and a sum over
 * every visible project.
 *
 * Definitions (the schema descriptions in dashboard.types.ts state them to
 * clients; docs/money.md):
 * - financial figures read PUBLISHED revisions only (a SUPERSEDED revision is
 *   by definition not the latest published one; DRAFTs are unpublished), the
 *   highest published revision per period, of periods ending on or before
 *   asOf. asOf selects periods, not what was known then: a restatement
 *   applies to every asOf covering its period.
 * - CANCELLED milestones are out of the plan: they count in `total` only.
 * - "open" risks are OPEN or MITIGATING (CLOSED and REALIZED no longer
 *   threaten the plan).
 * - a deliverable is still owed while PLANNED, IN_PROGRESS or REJECTED.
 */
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { scopeOf } from '../../access/policy';
import type { Viewer } from '../../access/viewer';
import { Contract, ContractStatus } from '../../model/contract.entity';
import { Deliverable } from '../../model/deliverable.entity';
import { FinancialReport, FinancialReportLine, ReportStatus } from '../../model/financial-report.entity';
import { Investment } from '../../model/investment.entity';
import { Milestone, MilestoneStatus } from '../../model/milestone.entity';
import { Project } from '../../model/project.entity';
import { Risk, RiskAssessment, RiskStatus } from '../../model/risk.entity';
import { idsWhere, money, ratio, run, sql, Sql, visibleIds } from './dashboard.sql';

/** Which projects a statement covers: the given ones (a loader batch) or every visible one (a portfolio). */
export type Coverage = { projectIds: string[] } | 'all';

export const OPEN_RISK_STATUSES = [RiskStatus.OPEN, RiskStatus.MITIGATING];
export const COMMITTED_CONTRACT_STATUSES = [ContractStatus.ACTIVE, ContractStatus.SUSPENDED, ContractStatus.COMPLETED, ContractStatus.TERMINATED];

/** The coverage as a condition (`{}` for every visible project: the scope alone decides). */
function ofProjects<T>(coverage: Coverage, path: (ids: string[]) => Record<string, unknown>): Record<string, unknown> {
  return coverage === 'all' ? {} : path(coverage.projectIds);
}

/** `k(grp, project_id, as_of, top)` from explicit keys. */
function keyRows(rows: { grp: string; project_id: string; as_of?: string; top?: number }[]): Sql {
  return sql`select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as k(grp text, project_id uuid, as_of date, top int)`;
}

/** `k` over every project the viewer may see, all in group 'all'. */
function allVisibleProjects(em: EntityManager, viewer: Viewer, asOf: string | null, top: number | null): Sql {
  return sql`select 'all'::text as grp, p.id as project_id, ${asOf}::date as as_of, ${top}::int as top
    from project p where p.id in (${visibleIds(em, Project, viewer, {})})`;
}

export interface ProjectKey { grp: string; projectId: string; asOf: string }

function keysFor(em: EntityManager, viewer: Viewer, keys: ProjectKey[] | { all: true; asOf: string }): { k: Sql; coverage: Coverage } {
  if ('all' in keys) return { k: allVisibleProjects(em, viewer, keys.asOf, null), coverage: 'all' };
  return {
    k: keyRows(keys.map((key) => ({ grp: key.grp, project_id: key.projectId, as_of: key.asOf }))),
    coverage: { projectIds: [...new Set(keys.map((key) => key.projectId))] },
  };
}

/**
 * Common table expressions of the financial and earned-value figures, ending
 * in `fig`: one row per key with budget, committed, ac, etc, eac, vac, burn,
 * reported_through, periods, pv, ev (numeric, unrounded except ev and burn).
 * Also defines `chosen` (the report revision used per period) and `fl`
 * (visible published lines), which the series statement reads.
 *
 * `fl`, `act`, `evm`, `com` and `dis` are MATERIALIZED, computed once per
 * statement. Referenced once, PostgreSQL would inline them, and it estimates
 * the key recordset at 100 rows and every join of `fig` at 1: at scale M it
 * ran the whole report aggregate inside a nested loop once per key (340 ms
 * for 23 projects instead of 25 ms), read each visible line through an index
 * probe per line, and ran `dis`'s correlated subqueries once per column that
 * reads them.
 */
function figureCtes(em: EntityManager, viewer: Viewer, k: Sql, coverage: Coverage): Sql {
  const published = { status: ReportStatus.PUBLISHED } as const;
  const reports = visibleIds(em, FinancialReport, viewer, { ...published, ...ofProjects<FinancialReport>(coverage, (ids) => ({ project: { $in: ids } })) });
  const lines = visibleIds(em, FinancialReportLine, viewer, {
    report: { ...published, ...ofProjects<FinancialReport>(coverage, (ids) => ({ project: { $in: ids } })) },
  } as FilterQuery<FinancialReportLine>);
  const milestones = visibleIds(em, Milestone, viewer, {
    status: { $ne: MilestoneStatus.CANCELLED },
    ...ofProjects<Milestone>(coverage, (ids) => ({ project: { $in: ids } })),
  });
  // docs/visibility.md: investors read "own org's investments, plus project total committed". The total is
  // a project-level financial figure, so it is scoped by the project rule (as Project.totalCommitted),
  // not by the per-row investment rule.
  const investments = idsWhere(em, Investment, { $and: [{ project: scopeOf(Project, viewer) }, ofProjects<Investment>(coverage, (ids) => ({ project: { $in: ids } }))] });
  const projects = visibleIds(em, Project, viewer, ofProjects<Project>(coverage, (ids) => ({ id: { $in: ids } })));

  return sql`k as (${k}),
    kp as (select distinct project_id, as_of from k),
    p as (select p.id, p.code, p.budget, p.currency from project p where p.id in (${projects})),
    fr as (select r.id, r.project_id, r.period_start, r.period_end, r.revision from financial_report r where r.id in (${reports})),
    chosen as (
      select distinct on (kp.project_id, kp.as_of, fr.period_start)
        kp.project_id, kp.as_of, fr.id as report_id, fr.period_start, fr.period_end, fr.revision
      from kp join fr on fr.project_id = kp.project_id and fr.period_end <= kp.as_of
      order by kp.project_id, kp.as_of, fr.period_start, fr.revision desc),
    fl as materialized (select l.report_id, l.category, l.planned, l.actual, l.estimate_to_complete from financial_report_line l where l.id in (${lines})),
    per as (
      select c.project_id, c.as_of, c.report_id, c.period_start, c.period_end, c.revision,
        coalesce(sum(fl.planned), 0) as planned, coalesce(sum(fl.actual), 0) as actual, coalesce(sum(fl.estimate_to_complete), 0) as etc,
        row_number() over (partition by c.project_id, c.as_of order by c.period_start desc) as recency
      from chosen c left join fl on fl.report_id = c.report_id
      group by c.project_id, c.as_of, c.report_id, c.period_start, c.period_end, c.revision),
    act as materialized (
      select project_id, as_of, count(*) as periods, sum(actual) as ac,
        sum(etc) filter (where recency = 1) as etc,
        max(period_end) filter (where recency = 1) as reported_through,
        round(avg(actual) filter (where recency <= 3), 2) as burn
      from per group by project_id, as_of),
    ms as (select m.project_id, m.due_date, m.planned_value, m.progress from milestone m where m.id in (${milestones})),
    evm as materialized (
      select kp.project_id, kp.as_of,
        round(coalesce(sum(ms.planned_value * ms.progress), 0) / 100, 2) as ev,
        coalesce(sum(ms.planned_value) filter (where ms.due_date <= kp.as_of), 0) as pv
      from kp left join ms on ms.project_id = kp.project_id group by kp.project_id, kp.as_of),
    inv as (select i.project_id, i.organization_id as org, i.committed_amount, i.committed_on from investment i where i.id in (${investments})),
    com as materialized (
      select kp.project_id, kp.as_of, coalesce(sum(inv.committed_amount), 0) as committed
      from kp left join inv on inv.project_id = kp.project_id and inv.committed_on <= kp.as_of group by kp.project_id, kp.as_of),
    ${disclosureCtes(viewer)},
    fig as (
      select k.grp, k.project_id, p.code, k.as_of, p.currency, p.budget, ${committedExpression(viewer)} as committed,
        coalesce(act.ac, 0) as ac, act.etc, act.ac + act.etc as eac, p.budget - (act.ac + act.etc) as vac,
        act.burn, act.reported_through, coalesce(act.periods, 0) as periods, evm.ev, evm.pv,
        dis.own, dis.others, dis.through, dis.withheld
      from k join p on p.id = k.project_id
      join com on com.project_id = k.project_id and com.as_of = k.as_of
      join dis on dis.project_id = k.project_id and dis.as_of = k.as_of
      join evm on evm.project_id = k.project_id and evm.as_of = k.as_of
      left join act on act.project_id = k.project_id and act.as_of = k.as_of)`;
}

/**
 * `committed` of a project as this viewer may read it: the operator every
 * investment up to asOf; an investor only what the disclosure rule gives it,
 * its own commitments plus the other investors' disclosed cumulative sum
 * (null when none is disclosed yet). An exact total would give an investor
 * the others' sum by subtracting its own (docs/visibility.md).
 */
function committedExpression(viewer: Viewer): Sql {
  return viewer.side === 'investor'
    ? sql.raw('case when dis.others is null then null else dis.own + dis.others end')
    : sql.raw('com.committed');
}

/** Why a co-investor figure is not (entirely) given: the disclosure rule of docs/visibility.md. */
export const CO_INVESTOR_WITHHELD =
  'Other investors\' commitments are disclosed by calendar month, and only once each disclosed step groups at least two other investor organizations; later commitments are withheld.';

/**
 * `dis(project_id, as_of, own, others, through, withheld)`: the investment
 * figures the viewer may read without learning another organization's
 * single value (docs/visibility.md#aggregates-over-other-organizations).
 *
 * Operators read everything: others = every investment up to asOf, own null.
 * An investor reads its own organization's investments exactly, and the other
 * organizations' only as cumulative sums at month ends ("cuts") chosen from
 * the data alone, never from asOf: walking the months in which others
 * committed, a month end is a cut once the other organizations that
 * committed since the previous cut are at least two. Every difference
 * between two cuts therefore mixes two organizations or more, and stepping
 * asOf day by day only ever returns cut values. `others` is the sum through
 * the latest cut on or before asOf (null when none and something is
 * withheld); `withheld` says that commitments after it are left out.
 */
function disclosureCtes(viewer: Viewer): Sql {
  if (viewer.side !== 'investor') {
    return sql`dis as materialized (
      select com.project_id, com.as_of, null::numeric as own, com.committed as others, com.as_of as through, false as withheld from com)`;
  }
  return sql`oth as (
      select inv.project_id, inv.org, inv.committed_amount, inv.committed_on,
        (date_trunc('month', inv.committed_on) + interval '1 month' - interval '1 day')::date as month_end
      from inv where inv.org <> ${viewer.orgId}::uuid),
    om as (
      select project_id, month_end, array_agg(distinct org) as orgs, row_number() over (partition by project_id order by month_end) as n
      from oth group by project_id, month_end),
    walk(project_id, n, month_end, pending) as (
      select project_id, n, month_end, orgs from om where n = 1
      union all
      select om.project_id, om.n, om.month_end,
        case when cardinality(w.pending) >= 2 then om.orgs else array(select distinct x from unnest(w.pending || om.orgs) as x) end
      from walk w join om on om.project_id = w.project_id and om.n = w.n + 1),
    cut as (select project_id, month_end from walk where cardinality(pending) >= 2),
    -- Per key, by joins grouped once (not a subquery per key scanning every investment).
    dis0 as (
      select kp.project_id, kp.as_of,
        coalesce(sum(inv.committed_amount) filter (where inv.org = ${viewer.orgId}::uuid and inv.committed_on <= kp.as_of), 0) as own
      from kp left join inv on inv.project_id = kp.project_id
      group by kp.project_id, kp.as_of),
    dth as (
      select kp.project_id, kp.as_of, max(cut.month_end) as through
      from kp left join cut on cut.project_id = kp.project_id and cut.month_end <= kp.as_of
      group by kp.project_id, kp.as_of),
    dis1 as (
      select d.project_id, d.as_of, d0.own, d.through,
        coalesce(sum(o.committed_amount) filter (where o.committed_on <= d.through), 0) as cut_sum,
        coalesce(bool_or(o.committed_on <= d.as_of and (d.through is null or o.committed_on > d.through)), false) as withheld
      from dth d
      join dis0 d0 on d0.project_id = d.project_id and d0.as_of = d.as_of
      left join oth o on o.project_id = d.project_id
      group by d.project_id, d.as_of, d0.own, d.through),
    dis as materialized (
      select project_id, as_of, own,
        case when withheld and through is null then null else cut_sum end as others,
        case when withheld then through else as_of end as through,
        withheld
      from dis1)`;
}

export interface FigureRow {
  grp: string; as_of: string; currency: string;
  budget: string; committed: string | null; ac: string; etc: string | null; eac: string | null; vac: string | null;
  burn: string | null; reported_through: string | null; periods: number;
  pv: string; ev: string; cv: string; sv: string; cpi: string | null; spi: string | null;
  own: string | null; others: string | null; through: string | null; withheld: boolean; total_disclosed: string | null;
}

/** Financial and earned-value figures per (project, asOf). */
export function figures(em: EntityManager, viewer: Viewer, keys: ProjectKey[]): Promise<FigureRow[]> {
  const { k, coverage } = keysFor(em, viewer, keys);
  return run<FigureRow>(em, sql`with recursive ${figureCtes(em, viewer, k, coverage)}
    select grp, as_of::text as as_of, currency, ${money('budget')} as budget, ${money('committed')} as committed,
      ${money('ac')} as ac, ${money('etc')} as etc, ${money('eac')} as eac, ${money('vac')} as vac, ${money('burn')} as burn,
      reported_through::text as reported_through, periods::int as periods,
      ${money('pv')} as pv, ${money('ev')} as ev, ${money('ev - ac')} as cv, ${money('ev - pv')} as sv,
      ${ratio('ev', 'ac')} as cpi, ${ratio('ev', 'pv')} as spi,
      ${money('own')} as own, ${money('others')} as others, through::text as through, withheld, ${money('own + others')} as total_disclosed
    from fig`);
}

export interface CommittedRow { grp: string; committed: string | null }

/** The date Project.totalCommitted is computed for: after every investment, so the operator reads them all. */
export const EVERY_COMMITMENT = 'infinity';

/**
 * Project.totalCommitted per project: `committed` of the financial figures
 * as of `EVERY_COMMITMENT`, i.e. every investment for the operator, the
 * disclosed total for an investor. Only the investment CTEs are referenced,
 * so PostgreSQL evaluates nothing else of figureCtes.
 */
export function committedTotals(em: EntityManager, viewer: Viewer, projectIds: string[]): Promise<CommittedRow[]> {
  const { k, coverage } = keysFor(em, viewer, projectIds.map((id) => ({ grp: id, projectId: id, asOf: EVERY_COMMITMENT })));
  return run<CommittedRow>(em, sql`with recursive ${figureCtes(em, viewer, k, coverage)}
    select k.grp, ${money(committedExpression(viewer).text)} as committed
    from k join p on p.id = k.project_id
    join com on com.project_id = k.project_id and com.as_of = k.as_of
    join dis on dis.project_id = k.project_id and dis.as_of = k.as_of`);
}

export interface CurrencyTotalsRow {
  currency: string; projects: number; reporting: number;
  budget: string; committed: string | null; committed_withheld: boolean; ac: string; etc: string | null; eac: string | null; vac: string | null; burn: string | null;
  pv: string; ev: string; cv: string; sv: string; cpi: string | null; spi: string | null;
  forecast_budget: string | null; unforecast_budget: string; unforecast_ids: string[];
}

/** The figures summed per currency over every visible project (amounts of different currencies are never added). */
export function currencyTotals(em: EntityManager, viewer: Viewer, asOf: string): Promise<CurrencyTotalsRow[]> {
  const { k, coverage } = keysFor(em, viewer, { all: true, asOf });
  return run<CurrencyTotalsRow>(em, sql`with recursive ${figureCtes(em, viewer, k, coverage)},
    t as (select currency, count(*) as projects, count(etc) as reporting, sum(budget) as budget,
      -- A sum of disclosed figures is disclosed too; a project whose figure is withheld makes the sum unknown.
      case when bool_and(committed is not null) then sum(committed) end as committed, bool_or(committed is null) as committed_withheld,
      sum(ac) as ac, sum(etc) as etc, sum(eac) as eac, sum(vac) as vac, sum(burn) as burn, sum(pv) as pv, sum(ev) as ev,
      -- EAC and VAC exist for reporting projects only: their budgets are the ones to set the forecast against.
      sum(budget) filter (where etc is not null) as forecast_budget,
      coalesce(sum(budget) filter (where etc is null), 0) as unforecast_budget,
      coalesce(array_agg(project_id order by code) filter (where etc is null), '{}') as unforecast_ids
      from fig group by currency)
    select currency, projects::int as projects, reporting::int as reporting, ${money('budget')} as budget, ${money('committed')} as committed, committed_withheld,
      ${money('ac')} as ac, ${money('etc')} as etc, ${money('eac')} as eac, ${money('vac')} as vac, ${money('burn')} as burn,
      ${money('pv')} as pv, ${money('ev')} as ev, ${money('ev - ac')} as cv, ${money('ev - pv')} as sv,
      ${ratio('ev', 'ac')} as cpi, ${ratio('ev', 'pv')} as spi,
      ${money('forecast_budget')} as forecast_budget, ${money('unforecast_budget')} as unforecast_budget, unforecast_ids::text[] as unforecast_ids
    from t order by currency`);
}

export interface SeriesRow {
  kind: 'PERIOD' | 'CATEGORY'; grp: string; as_of: string;
  period_start: string | null; period_end: string | null; revision: number | null; category: string | null;
  planned: string; actual: string; cum_planned: string | null; cum_actual: string | null; etc: string | null;
}

/** Spend by period (with running totals) and by category, per (project, asOf), in chart order. */
export function series(em: EntityManager, viewer: Viewer, keys: ProjectKey[]): Promise<SeriesRow[]> {
  const { k, coverage } = keysFor(em, viewer, keys);
  return run<SeriesRow>(em, sql`with recursive ${figureCtes(em, viewer, k, coverage)}
    select kind, grp, as_of, period_start, period_end, revision, category, planned, actual, cum_planned, cum_actual, etc from (
      select 'PERIOD' as kind, k.grp, k.as_of::text as as_of, per.period_start::text as period_start, per.period_end::text as period_end,
        per.revision::int as revision, null::text as category, ${money('per.planned')} as planned, ${money('per.actual')} as actual,
        round(sum(per.planned) over w, 2)::text as cum_planned, round(sum(per.actual) over w, 2)::text as cum_actual, ${money('per.etc')} as etc,
        per.period_start as sort_date, 0 as sort_category
      from k join per on per.project_id = k.project_id and per.as_of = k.as_of
      window w as (partition by k.grp, k.as_of order by per.period_start)
      union all
      select 'CATEGORY', k.grp, k.as_of::text, null, null, null, cat.category::text,
        ${money('coalesce(sum(fl.planned), 0)')}, ${money('coalesce(sum(fl.actual), 0)')}, null, null,
        ${money('coalesce(sum(fl.estimate_to_complete) filter (where per.recency = 1), 0)')},
        null, cat.n
      from k cross join unnest(enum_range(null::spend_category)) with ordinality as cat(category, n)
      left join per on per.project_id = k.project_id and per.as_of = k.as_of
      left join fl on fl.report_id = per.report_id and fl.category = cat.category
      group by k.grp, k.as_of, cat.category, cat.n
    ) s order by grp, as_of, kind desc, sort_date, sort_category`);
}

export interface MilestoneRow {
  grp: string; as_of: string; total: number; done: number; overdue: number; due_soon: number;
  percent: string | null; basis: 'PLANNED_VALUE' | 'MILESTONE_COUNT'; next_id: string | null;
  complete: string | null; complete_basis: 'PLANNED_VALUE' | 'MILESTONE_COUNT' | 'PROJECT_MEAN';
}

/**
 * Milestone counts per (project, asOf) or over every visible project.
 * `weighted`: whether percent complete may be weighted by planned value
 * (false for viewers who may not read planned values, so the figure cannot
 * reveal them).
 */
export function milestoneSummaries(em: EntityManager, viewer: Viewer, keys: ProjectKey[] | { all: true; asOf: string }, weighted: boolean): Promise<MilestoneRow[]> {
  const { k, coverage } = keysFor(em, viewer, keys);
  return run<MilestoneRow>(em, sql`with ${milestoneCtes(em, viewer, k, coverage, weighted)}
    select grp, as_of::text as as_of, total, done, overdue, due_soon, percent::text as percent, basis, next_id,
      complete::text as complete, complete_basis from msum`);
}

const OPEN_MILESTONE = `('${MilestoneStatus.PLANNED}', '${MilestoneStatus.IN_PROGRESS}')`;

function milestoneCtes(em: EntityManager, viewer: Viewer, k: Sql, coverage: Coverage, weighted: boolean): Sql {
  const visible = visibleIds(em, Milestone, viewer, ofProjects<Milestone>(coverage, (ids) => ({ project: { $in: ids } })));
  const planned = sql.raw(`mm.status <> '${MilestoneStatus.CANCELLED}'`);
  return sql`k as (${k}),
    mm as (select m.id, m.project_id, m.due_date, m.status, m.progress, m.planned_value from milestone m where m.id in (${visible})),
    magg as (
      select k.grp, k.as_of,
        count(mm.id)::int as total,
        count(mm.id) filter (where mm.status = '${sql.raw(MilestoneStatus.DONE)}')::int as done,
        count(mm.id) filter (where mm.status in ${sql.raw(OPEN_MILESTONE)} and mm.due_date < k.as_of)::int as overdue,
        count(mm.id) filter (where mm.status in ${sql.raw(OPEN_MILESTONE)} and mm.due_date >= k.as_of and mm.due_date <= k.as_of + 30)::int as due_soon,
        sum(mm.planned_value) filter (where ${planned}) as pv_total,
        sum(mm.planned_value * mm.progress) filter (where ${planned}) as pv_progress,
        avg(mm.progress) filter (where ${planned}) as mean_progress,
        (array_agg(mm.id order by mm.due_date, mm.id) filter (where mm.status in ${sql.raw(OPEN_MILESTONE)} and mm.due_date >= k.as_of))[1] as next_id
      from k left join mm on mm.project_id = k.project_id
      group by k.grp, k.as_of),
    -- The one percent complete every viewer reads (docs/money.md#percent-complete): per project,
    -- value-weighted over the non-cancelled milestones, the mean progress only when their planned
    -- values sum to 0; a group of several projects (the portfolio) takes the mean of its projects'
    -- figures, since planned values of different projects (and currencies) do not weigh each other.
    -- Only the ratio leaves the statement, never a planned value, so partners read it too.
    mproj as (
      select k.grp, k.project_id,
        case when coalesce(sum(mm.planned_value) filter (where ${planned}), 0) > 0
          then sum(mm.planned_value * mm.progress) filter (where ${planned}) / sum(mm.planned_value) filter (where ${planned})
          else avg(mm.progress) filter (where ${planned}) end as complete,
        coalesce(sum(mm.planned_value) filter (where ${planned}), 0) > 0 as by_value
      from k join mm on mm.project_id = k.project_id
      group by k.grp, k.project_id),
    mcomp as (
      select grp, round(avg(complete), 2) as complete, bool_and(by_value) filter (where complete is not null) as by_value
      from mproj group by grp),
    msum as (
      select magg.*,
        case when ${weighted}::boolean and pv_total > 0 then round(pv_progress / pv_total, 2) else round(mean_progress, 2) end as percent,
        case when ${weighted}::boolean and pv_total > 0 then 'PLANNED_VALUE' else 'MILESTONE_COUNT' end as basis,
        mcomp.complete,
        case when magg.grp = 'all' then 'PROJECT_MEAN'
          when mcomp.by_value then 'PLANNED_VALUE' else 'MILESTONE_COUNT' end as complete_basis
      from magg left join mcomp on mcomp.grp = magg.grp)`;
}

export interface RiskRow {
  grp: string; top: number; open: number; low: number; medium: number; high: number; critical: number;
  exposure: number; exposure_change: number; rising: number; falling: number;
  top_risks: { id: string; score: number; previous: number | null; change: number | null }[];
}

export interface RiskKey { grp: string; projectId: string; top: number }

/** Open-risk figures per (project, top) or over every visible project. */
export function riskSummaries(em: EntityManager, viewer: Viewer, keys: RiskKey[] | { all: true; top: number }): Promise<RiskRow[]> {
  const k = 'all' in keys
    ? allVisibleProjects(em, viewer, null, keys.top)
    : keyRows(keys.map((key) => ({ grp: key.grp, project_id: key.projectId, top: key.top })));
  const coverage: Coverage = 'all' in keys ? 'all' : { projectIds: [...new Set(keys.map((key) => key.projectId))] };
  return run<RiskRow>(em, sql`with ${riskCtes(em, viewer, k, coverage)}
    select rsum.*, (
      select coalesce(json_agg(json_build_object('id', t.id, 'score', t.score, 'previous', t.previous, 'change', t.change) order by t.score desc, t.id), '[]'::json)
      from (select rt.id, rt.score, rt.previous, rt.change from rt where rt.grp = rsum.grp order by rt.score desc, rt.id limit rsum.top) t
    ) as top_risks
    from rsum`);
}

function riskCtes(em: EntityManager, viewer: Viewer, k: Sql, coverage: Coverage): Sql {
  const open = { status: { $in: OPEN_RISK_STATUSES } };
  const risks = visibleIds(em, Risk, viewer, { ...open, ...ofProjects<Risk>(coverage, (ids) => ({ project: { $in: ids } })) });
  const assessments = visibleIds(em, RiskAssessment, viewer, {
    risk: { ...open, ...ofProjects<Risk>(coverage, (ids) => ({ project: { $in: ids } })) },
  } as FilterQuery<RiskAssessment>);
  return sql`k as (${k}),
    rk as (select r.id, r.project_id, r.score from risk r where r.id in (${risks})),
    ra as (
      select a.risk_id, a.likelihood * a.impact as score,
        row_number() over (partition by a.risk_id order by a.assessed_at desc, a.id desc) as n
      from risk_assessment a where a.id in (${assessments})),
    -- The trend compares the latest assessment with the last real change of score: the most recent
    -- earlier assessment scoring differently, else (never changed) the one before the latest. A review
    -- that keeps the figures therefore does not reset a rising or falling trend to 0. One pass over
    -- the assessments, grouped per risk.
    rl as (select ra.*, first_value(ra.score) over (partition by ra.risk_id order by ra.n) as latest from ra),
    trend as (
      select risk_id, min(latest) as latest,
        coalesce((array_agg(score order by n) filter (where n > 1 and score <> latest))[1],
                 (array_agg(score order by n) filter (where n > 1))[1]) as previous
      from rl group by risk_id),
    rt as (
      select g.grp, rk.id, rk.score::int as score, trend.previous::int as previous, (trend.latest - trend.previous)::int as change
      from (select distinct grp, project_id from k) g
      join rk on rk.project_id = g.project_id
      left join trend on trend.risk_id = rk.id),
    rsum as (
      select g.grp, g.top,
        count(rt.id)::int as open,
        count(rt.id) filter (where rt.score between 1 and 4)::int as low,
        count(rt.id) filter (where rt.score between 5 and 9)::int as medium,
        count(rt.id) filter (where rt.score between 10 and 14)::int as high,
        count(rt.id) filter (where rt.score >= 15)::int as critical,
        coalesce(sum(rt.score), 0)::int as exposure,
        coalesce(sum(rt.change), 0)::int as exposure_change,
        count(rt.id) filter (where rt.change > 0)::int as rising,
        count(rt.id) filter (where rt.change < 0)::int as falling
      from (select distinct grp, top from k) g left join rt on rt.grp = g.grp
      group by g.grp, g.top)`;
}

export interface ContractTotalsRow { grp: string; status: string | null; count: number; value: string | null; disclosed_value: string | null; withheld_reason: string | null }

export const CONTRACT_GROUP_WITHHELD = 'Fewer than two counterparties: investors read contract values only for groups of contracts of at least two organizations.';
export const CONTRACT_TOTAL_WITHHELD = 'The statuses whose value is withheld all belong to one counterparty: the total minus the other statuses would reveal it.';

/**
 * Contracts counted and summed by status: per project for `commitments`
 * (investors and the operator; never DRAFT, which commits nobody yet), or over
 * every contract the viewer may see for the partner summary.
 *
 * For an investor reading `commitments`, the values follow the disclosure
 * rule of docs/visibility.md: a status's value only when its contracts have
 * at least two counterparties (or none), and the total only when it has at
 * least two counterparties and the withheld statuses do not all belong to
 * one (else total − disclosed statuses would give that one away). Counts are
 * always given, and `value` is the disclosed value for an investor (no exact
 * sum leaves the statement). Everyone else reads its own or every contract's value.
 */
export function contractTotals(
  em: EntityManager,
  viewer: Viewer,
  mode: { commitmentsOf: string[] } | { visibleToViewer: true },
): Promise<ContractTotalsRow[]> {
  let source: Sql;
  let statuses: ContractStatus[];
  let groups: Sql;
  if ('commitmentsOf' in mode) {
    // docs/visibility.md: investors see no contract rows, "only the project's aggregate commitments". The
    // aggregate is a project-level figure scoped by the project rule; its rows are never returned.
    source = idsWhere(em, Contract, { $and: [{ project: scopeOf(Project, viewer) }, { project: { $in: mode.commitmentsOf } }, { status: { $in: COMMITTED_CONTRACT_STATUSES } }] });
    statuses = COMMITTED_CONTRACT_STATUSES;
    groups = sql`select distinct x.id::text as grp, x.id as project_id from jsonb_to_recordset(${JSON.stringify(mode.commitmentsOf.map((id) => ({ id })))}::jsonb) as x(id uuid)`;
  } else {
    source = visibleIds(em, Contract, viewer, {});
    statuses = Object.values(ContractStatus);
    groups = sql`select 'all'::text as grp, null::uuid as project_id`;
  }
  const guarded = 'commitmentsOf' in mode && viewer.side === 'investor';
  const statusList = sql.raw(`array[${statuses.map((s) => `'${s}'`).join(', ')}]::contract_status[]`);
  return run<ContractTotalsRow>(em, sql`with
    g as (${groups}),
    cc as (select c.project_id, c.status, c.value, c.counterparty_id from contract c where c.id in (${source})),
    gc as (select g.grp, cc.* from g join cc on (g.project_id is null or cc.project_id = g.project_id)),
    st as (
      select g.grp, s.status, s.n, count(gc.status)::int as count, coalesce(sum(gc.value), 0) as value,
        ${guarded}::boolean and count(gc.status) > 0 and count(distinct gc.counterparty_id) < 2 as withheld
      from g cross join unnest(${statusList}) with ordinality as s(status, n)
      left join gc on gc.grp = g.grp and gc.status = s.status
      group by g.grp, s.status, s.n),
    tot as (
      select g.grp, count(gc.status)::int as count, coalesce(sum(gc.value), 0) as value,
        ${guarded}::boolean and count(gc.status) > 0 and count(distinct gc.counterparty_id) < 2 as few,
        ${guarded}::boolean and count(distinct gc.counterparty_id) filter (where st.withheld) = 1 as isolates
      from g left join gc on gc.grp = g.grp left join st on st.grp = g.grp and st.status = gc.status
      group by g.grp)
    select grp, status, count, case when ${guarded}::boolean then disclosed_value else value end as value, disclosed_value, withheld_reason from (
      select grp, null::text as status, 0::bigint as n, count, ${money('value')} as value,
        case when few or isolates then null else ${money('value')} end as disclosed_value,
        case when few then ${CONTRACT_GROUP_WITHHELD}::text when isolates then ${CONTRACT_TOTAL_WITHHELD}::text end as withheld_reason
      from tot
      union all
      select grp, status::text, n, count, ${money('value')},
        case when withheld then null else ${money('value')} end,
        case when withheld then ${CONTRACT_GROUP_WITHHELD}::text end
      from st) r
    order by grp, n`);
}

export interface DeliverableRow {
  grp: string; as_of: string; total: number;
  planned: number; in_progress: number; submitted: number; accepted: number; rejected: number;
  overdue: number; decided: number; on_time: number; acceptance_rate: string | null; on_time_rate: string | null; next_id: string | null;
  reviewed: number; first_time_accepted: number; first_time_acceptance_rate: string | null; average_rounds: string | null;
}

export interface DeliverableKey { grp: string; contractId: string | null; asOf: string }

const OWED = `('PLANNED', 'IN_PROGRESS', 'REJECTED')`;

/** Deliverable figures per (contract, asOf), or over every visible deliverable (contractId null). */
export function deliverableStats(em: EntityManager, viewer: Viewer, keys: DeliverableKey[]): Promise<DeliverableRow[]> {
  const contractIds = keys.map((key) => key.contractId).filter((id): id is string => id !== null);
  const everything = keys.some((key) => key.contractId === null);
  const visible = visibleIds(em, Deliverable, viewer, everything ? {} : { contract: { $in: contractIds } });
  const k = sql`select * from jsonb_to_recordset(${JSON.stringify(keys.map((key) => ({ grp: key.grp, contract_id: key.contractId, as_of: key.asOf })))}::jsonb)
    as k(grp text, contract_id uuid, as_of date)`;
  return run<DeliverableRow>(em, sql`with k as (${k}),
    -- A review is visible with its deliverable (policy.deliverableReview), so joining the visible deliverables' round-1 reviews scopes them.
    dd as (select d.id, d.contract_id, d.status, d.due_date, d.decided_at, d.round, r1.decision as first_decision
      from deliverable d left join deliverable_review r1 on r1.deliverable_id = d.id and r1.round = 1
      where d.id in (${visible})),
    dagg as (
      select k.grp, k.as_of,
        count(dd.id)::int as total,
        count(dd.id) filter (where dd.status = 'PLANNED')::int as planned,
        count(dd.id) filter (where dd.status = 'IN_PROGRESS')::int as in_progress,
        count(dd.id) filter (where dd.status = 'SUBMITTED')::int as submitted,
        count(dd.id) filter (where dd.status = 'ACCEPTED')::int as accepted,
        count(dd.id) filter (where dd.status = 'REJECTED')::int as rejected,
        count(dd.id) filter (where dd.status in ${sql.raw(OWED)} and dd.due_date < k.as_of)::int as overdue,
        count(dd.id) filter (where dd.status = 'ACCEPTED' and (dd.decided_at at time zone 'UTC')::date <= dd.due_date)::int as on_time,
        count(dd.id) filter (where dd.first_decision is not null)::int as reviewed,
        count(dd.id) filter (where dd.first_decision = 'ACCEPTED')::int as first_time_accepted,
        sum(dd.round) filter (where dd.status = 'ACCEPTED') as accepted_rounds,
        (array_agg(dd.id order by dd.due_date, dd.id) filter (where dd.status in ${sql.raw(OWED)} and dd.due_date >= k.as_of))[1] as next_id
      from k left join dd on (k.contract_id is null or dd.contract_id = k.contract_id)
      group by k.grp, k.as_of)
    select grp, as_of::text as as_of, total, planned, in_progress, submitted, accepted, rejected, overdue,
      (accepted + rejected) as decided, on_time,
      ${ratio('accepted', 'accepted + rejected')} as acceptance_rate, ${ratio('on_time', 'accepted')} as on_time_rate, next_id,
      reviewed, first_time_accepted, ${ratio('first_time_accepted', 'reviewed')} as first_time_acceptance_rate,
      round(accepted_rounds::numeric / nullif(accepted, 0), 2)::text as average_rounds
    from dagg`);
}

export type OrderFamily = 'figures' | 'milestones' | 'risks' | 'project';

/** Portfolio metrics: the family whose statement computes it and the SQL expression to sort by. */
export const ORDER_EXPRESSIONS: Record<string, { family: OrderFamily; expr: string }> = {
  CODE: { family: 'project', expr: 'pr.code' },
  NAME: { family: 'project', expr: 'pr.name' },
  BUDGET: { family: 'figures', expr: 'f.budget' },
  COMMITTED: { family: 'figures', expr: 'f.committed' },
  ACTUAL_TO_DATE: { family: 'figures', expr: 'f.ac' },
  ESTIMATE_AT_COMPLETION: { family: 'figures', expr: 'f.eac' },
  VARIANCE_AT_COMPLETION: { family: 'figures', expr: 'f.vac' },
  BURN_RATE: { family: 'figures', expr: 'f.burn' },
  COST_PERFORMANCE_INDEX: { family: 'figures', expr: 'round(f.ev / nullif(f.ac, 0), 4)' },
  SCHEDULE_PERFORMANCE_INDEX: { family: 'figures', expr: 'round(f.ev / nullif(f.pv, 0), 4)' },
  COST_VARIANCE: { family: 'figures', expr: '(f.ev - f.ac)' },
  SCHEDULE_VARIANCE: { family: 'figures', expr: '(f.ev - f.pv)' },
  PERCENT_COMPLETE: { family: 'milestones', expr: 'f.complete' },
  OVERDUE_MILESTONES: { family: 'milestones', expr: 'f.overdue' },
  OPEN_RISKS: { family: 'risks', expr: 'f.open' },
  RISK_EXPOSURE: { family: 'risks', expr: 'f.exposure' },
};

export interface RankRow { project_id: string }

/** The visible projects ranked by one metric (nulls last, then by code). One statement. */
export function rankProjects(
  em: EntityManager,
  viewer: Viewer,
  asOf: string,
  metric: keyof typeof ORDER_EXPRESSIONS,
  descending: boolean,
  weighted: boolean,
): Promise<RankRow[]> {
  const { family, expr } = ORDER_EXPRESSIONS[metric];
  const k = sql`select p.id::text as grp, p.id as project_id, ${asOf}::date as as_of, 0 as top from project p where p.id in (${visibleIds(em, Project, viewer, {})})`;
  let ctes: Sql;
  let join: Sql;
  if (family === 'figures') {
    ctes = figureCtes(em, viewer, k, 'all');
    join = sql.raw('left join fig f on f.grp = k.grp');
  } else if (family === 'milestones') {
    ctes = milestoneCtes(em, viewer, k, 'all', weighted);
    join = sql.raw('left join msum f on f.grp = k.grp');
  } else if (family === 'risks') {
    ctes = riskCtes(em, viewer, k, 'all');
    join = sql.raw('left join rsum f on f.grp = k.grp');
  } else {
    ctes = sql`k as (${k})`;
    join = sql.raw('');
  }
  const direction = sql.raw(descending ? 'desc' : 'asc');
  return run<RankRow>(em, sql`with recursive ${ctes}
    select k.project_id
    from k join project pr on pr.id = k.project_id ${join}
    order by ${sql.raw(expr)} ${direction} nulls last, pr.code asc, pr.id asc`);
}

/**
 * Dashboard figures for one request: applies the field rules of docs/visibility.md
 * (financial figures are FORBIDDEN for partners), validates arguments, and
 * turns the rows PostgreSQL computed into GraphQL objects. No arithmetic
 * happens here: every number comes from an aggregate in dashboard.queries.ts.
 */
import { authed, type Context } from '../../access/context';
import { today } from '../../core/dates';
import { BadUserInputError } from '../../core/errors';
import { connectionFromSorted, OrderDirection, pageRequest, type Connection, type ConnectionArgs } from '../../core/pagination';
import { fieldRules, scoped } from '../../access/policy';
import { ContractStatus } from '../../model/contract.entity';
import { DeliverableStatus } from '../../model/deliverable.entity';
import { SpendCategory } from '../../model/financial-report.entity';
import { Project } from '../../model/project.entity';
import {
  dashboardLoaders, keyOf, readsFinancials, withNextMilestones, withTopRisks,
  type DeliverableFigures, type MilestoneFigures, type RiskFigures,
} from './dashboard.loaders';
import {
  CO_INVESTOR_WITHHELD, contractTotals, currencyTotals, milestoneSummaries, rankProjects, riskSummaries,
  type ContractTotalsRow, type CurrencyTotalsRow,
} from './dashboard.queries';
import {
  CategorySpend, ContractTotals, DeliverableStats, EarnedValueMetrics, InvestorCommitments, FINANCIAL_METRICS, MilestoneSummary, PartnerSummary, PercentCompleteBasis,
  Portfolio, PortfolioCurrencyTotals, PortfolioMetric, PortfolioOrder, PortfolioRow, ProjectFinancials, RiskSummary, SpendPeriod,
} from './dashboard.types';

export const DEFAULT_TOP_RISKS = 5;
export const MAX_TOP_RISKS = 50;

function asOfOrToday(asOf: string | null | undefined): string {
  return asOf ?? today();
}

function checkTop(top: number): number {
  if (!Number.isInteger(top) || top < 0 || top > MAX_TOP_RISKS) throw new BadUserInputError(`top must be between 0 and ${MAX_TOP_RISKS} (got ${top})`, 'top');
  return top;
}

export const dashboardService = {
  async financials(ctx: Context, projectId: string, asOf?: string | null): Promise<ProjectFinancials | null> {
    fieldRules.financials(authed(ctx).viewer);
    const row = await dashboardLoaders(ctx).figures.load(keyOf(projectId, asOfOrToday(asOf)));
    if (!row) return null;
    return Object.assign(new ProjectFinancials(), {
      projectId,
      asOf: row.as_of,
      currency: row.currency,
      budget: row.budget,
      committed: row.committed,
      actualToDate: row.ac,
      estimateToComplete: row.etc,
      estimateAtCompletion: row.eac,
      varianceAtCompletion: row.vac,
      burnRate: row.burn,
      reportedThrough: row.reported_through,
      publishedPeriods: row.periods,
      investorCommitments: Object.assign(new InvestorCommitments(), {
        own: row.own,
        others: row.others,
        othersThrough: row.through,
        total: row.others === null ? null : row.own === null ? row.others : row.total_disclosed,
        withheldReason: row.withheld ? CO_INVESTOR_WITHHELD : null,
      }),
    });
  },

  async spendByPeriod(ctx: Context, f: ProjectFinancials): Promise<SpendPeriod[]> {
    const rows = await dashboardLoaders(ctx).series.load(keyOf(f.projectId, f.asOf));
    return rows.filter((r) => r.kind === 'PERIOD').map((r) => Object.assign(new SpendPeriod(), {
      periodStart: r.period_start!, periodEnd: r.period_end!, revision: r.revision!, planned: r.planned, actual: r.actual,
      cumulativePlanned: r.cum_planned!, cumulativeActual: r.cum_actual!, estimateToComplete: r.etc!,
    }));
  },

  async spendByCategory(ctx: Context, f: ProjectFinancials): Promise<CategorySpend[]> {
    const rows = await dashboardLoaders(ctx).series.load(keyOf(f.projectId, f.asOf));
    return rows.filter((r) => r.kind === 'CATEGORY').map((r) => Object.assign(new CategorySpend(), {
      category: r.category as SpendCategory, planned: r.planned, actual: r.actual, estimateToComplete: r.etc!,
    }));
  },

  async earnedValue(ctx: Context, projectId: string, asOf?: string | null): Promise<EarnedValueMetrics | null> {
    fieldRules.financials(authed(ctx).viewer);
    const row = await dashboardLoaders(ctx).figures.load(keyOf(projectId, asOfOrToday(asOf)));
    if (!row) return null;
    return Object.assign(new EarnedValueMetrics(), {
      asOf: row.as_of,
      currency: row.currency,
      plannedValue: row.pv,
      earnedValue: row.ev,
      actualCost: row.ac,
      costPerformanceIndex: row.cpi,
      schedulePerformanceIndex: row.spi,
      costVariance: row.cv,
      scheduleVariance: row.sv,
    });
  },

  async milestoneSummary(ctx: Context, projectId: string, asOf?: string | null): Promise<MilestoneSummary | null> {
    const row = await dashboardLoaders(ctx).milestones.load(keyOf(projectId, asOfOrToday(asOf)));
    return row && toMilestoneSummary(row);
  },

  async riskSummary(ctx: Context, projectId: string, top: number): Promise<RiskSummary | null> {
    const row = await dashboardLoaders(ctx).risks.load(keyOf(projectId, checkTop(top)));
    return row && toRiskSummary(row);
  },

  async totalCommitted(ctx: Context, projectId: string): Promise<string | null> {
    fieldRules.financials(authed(ctx).viewer);
    return dashboardLoaders(ctx).totalCommitted.load(projectId);
  },

  async commitments(ctx: Context, projectId: string): Promise<ContractTotals> {
    fieldRules.financials(authed(ctx).viewer);
    return toContractTotals(await dashboardLoaders(ctx).commitments.load(keyOf(projectId)));
  },

  async deliverableStats(ctx: Context, contractId: string | null, asOf?: string | null): Promise<DeliverableStats> {
    const row = await dashboardLoaders(ctx).deliverables.load(keyOf(contractId, asOfOrToday(asOf)));
    return toDeliverableStats(row!);
  },

  partnerSummary(asOf: string | null | undefined): PartnerSummary {
    return Object.assign(new PartnerSummary(), { asOf: asOfOrToday(asOf) });
  },

  async partnerContractTotals(ctx: Context): Promise<ContractTotals> {
    const { reader, viewer } = authed(ctx);
    return toContractTotals(await contractTotals(reader.em, viewer, { visibleToViewer: true }));
  },

  portfolio(asOf: string | null | undefined, order: PortfolioOrder | null | undefined): Portfolio {
    return Object.assign(new Portfolio(), {
      asOf: asOfOrToday(asOf),
      order: order ?? Object.assign(new PortfolioOrder(), { metric: PortfolioMetric.CODE, direction: OrderDirection.ASC }),
    });
  },

  async portfolioProjectCount(ctx: Context): Promise<number> {
    const { reader, viewer } = authed(ctx);
    return reader.em.count(Project, scoped(Project, viewer));
  },

  async portfolioTotals(ctx: Context, p: Portfolio): Promise<PortfolioCurrencyTotals[]> {
    const { reader, viewer } = authed(ctx);
    fieldRules.financials(viewer);
    return (await currencyTotals(reader.em, viewer, p.asOf)).map(toCurrencyTotals);
  },

  async portfolioMilestones(ctx: Context, p: Portfolio): Promise<MilestoneSummary> {
    const { reader, viewer } = authed(ctx);
    // Planned values of different currencies cannot weigh each other: the portfolio counts milestones.
    const [row] = await withNextMilestones(reader, await milestoneSummaries(reader.em, viewer, { all: true, asOf: p.asOf }, false));
    // No visible project: the aggregate has no group at all, and the summary is all zeros.
    return toMilestoneSummary(row ?? {
      grp: 'all', as_of: p.asOf, total: 0, done: 0, overdue: 0, due_soon: 0, percent: null, basis: 'MILESTONE_COUNT', next_id: null, next: null,
      complete: null, complete_basis: 'PROJECT_MEAN',
    });
  },

  async portfolioRisks(ctx: Context, top: number): Promise<RiskSummary> {
    const { reader, viewer } = authed(ctx);
    const [row] = await withTopRisks(reader, await riskSummaries(reader.em, viewer, { all: true, top: checkTop(top) }));
    return toRiskSummary(row ?? {
      grp: 'all', top, open: 0, low: 0, medium: 0, high: 0, critical: 0, exposure: 0, exposure_change: 0, rising: 0, falling: 0, top_risks: [], risks: new Map(),
    });
  },

  async portfolioRows(ctx: Context, p: Portfolio, args: ConnectionArgs): Promise<Connection<PortfolioRow>> {
    const { reader, viewer } = authed(ctx);
    const request = pageRequest(args);
    // Sorting by a figure reveals it as surely as showing it.
    if (FINANCIAL_METRICS.has(p.order.metric)) fieldRules.financials(viewer);
    const ranked = await rankProjects(reader.em, viewer, p.asOf, p.order.metric, p.order.direction === OrderDirection.DESC, readsFinancials(viewer));
    const rows = ranked.map((r, i) => Object.assign(new PortfolioRow(), { id: r.project_id, projectId: r.project_id, asOf: p.asOf, rank: i + 1 }));
    // The rank is the sort key of the cursors: pages follow the ranking of the request that made them.
    return connectionFromSorted(rows, request, (row) => row.rank, false);
  },
};

function toMilestoneSummary(row: MilestoneFigures): MilestoneSummary {
  return Object.assign(new MilestoneSummary(), {
    nextMilestone: row.next,
    asOf: row.as_of,
    total: row.total,
    done: row.done,
    overdue: row.overdue,
    dueNext30Days: row.due_soon,
    percentComplete: row.percent,
    percentCompleteBasis: row.basis as PercentCompleteBasis,
    completionPercent: row.complete,
    completionBasis: row.complete_basis as PercentCompleteBasis,
  });
}

function toRiskSummary(row: RiskFigures): RiskSummary {
  return Object.assign(new RiskSummary(), {
    open: row.open,
    bySeverity: { low: row.low, medium: row.medium, high: row.high, critical: row.critical },
    exposure: row.exposure,
    exposureChange: row.exposure_change,
    rising: row.rising,
    falling: row.falling,
    // A risk that vanished between the aggregate and the lookup is left out rather than shown half.
    topRisks: row.top_risks
      .filter((t) => row.risks.has(t.id))
      .map((t) => ({ risk: row.risks.get(t.id)!, score: t.score, previousScore: t.previous, change: t.change })),
  });
}

function toContractTotals(rows: ContractTotalsRow[]): ContractTotals {
  const total = rows.find((r) => r.status === null);
  if (!total) throw new Error('contract totals: the statement returned no total row');
  return Object.assign(new ContractTotals(), {
    count: total.count,
    value: total.value,
    disclosedValue: total.disclosed_value,
    withheldReason: total.withheld_reason,
    byStatus: rows.filter((r) => r.status !== null).map((r) => ({
      status: r.status as ContractStatus, count: r.count, value: r.value, disclosedValue: r.disclosed_value, withheldReason: r.withheld_reason,
    })),
  });
}

function toDeliverableStats(row: DeliverableFigures): DeliverableStats {
  const counts: Record<DeliverableStatus, number> = {
    PLANNED: row.planned, IN_PROGRESS: row.in_progress, SUBMITTED: row.submitted, ACCEPTED: row.accepted, REJECTED: row.rejected,
  };
  return Object.assign(new DeliverableStats(), {
    nextDue: row.next,
    asOf: row.as_of,
    total: row.total,
    byStatus: Object.values(DeliverableStatus).map((status) => ({ status, count: counts[status] })),
    overdue: row.overdue,
    awaitingReview: row.submitted,
    decided: row.decided,
    acceptanceRate: row.acceptance_rate,
    onTimeRate: row.on_time_rate,
    reviewed: row.reviewed,
    firstTimeAccepted: row.first_time_accepted,
    firstTimeAcceptanceRate: row.first_time_acceptance_rate,
    averageRounds: row.average_rounds,
  });
}

function toCurrencyTotals(row: CurrencyTotalsRow): PortfolioCurrencyTotals {
  return Object.assign(new PortfolioCurrencyTotals(), {
    currency: row.currency,
    projectCount: row.projects,
    reportingProjectCount: row.reporting,
    budget: row.budget,
    committed: row.committed,
    committedWithheldReason: row.committed_withheld ? CO_INVESTOR_WITHHELD : null,
    actualToDate: row.ac,
    estimateToComplete: row.etc,
    estimateAtCompletion: row.eac,
    varianceAtCompletion: row.vac,
    burnRate: row.burn,
    plannedValue: row.pv,
    earnedValue: row.ev,
    costVariance: row.cv,
    scheduleVariance: row.sv,
    costPerformanceIndex: row.cpi,
    schedulePerformanceIndex: row.spi,
    forecastBudget: row.forecast_budget,
    budgetWithoutForecast: row.unforecast_budget,
    withoutForecastIds: row.unforecast_ids,
  });
}

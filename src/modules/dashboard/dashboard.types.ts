/**
 * GraphQL types of the dashboards. Every field states its formula: the
 * descriptions are the definitions clients rely on (docs/money.md).
 * Values are computed by PostgreSQL (dashboard.queries.ts) and arrive here
 * as exact decimal strings.
 */
import { GraphQLScalarType } from 'graphql';
import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionOf, OrderDirection } from '../../core/pagination';
import { DecimalScalar, LocalDateScalar, SignedDecimalScalar } from '../../core/scalars';

export { SignedDecimalScalar };
import { ContractStatus } from '../../model/contract.entity';
import { Deliverable, DeliverableStatus } from '../../model/deliverable.entity';
import { SpendCategory } from '../../model/financial-report.entity';
import { Milestone } from '../../model/milestone.entity';
import { Risk } from '../../model/risk.entity';

const RATIO = /^-?\d+\.\d+$/;

function outputOnly(name: string, pattern: RegExp) {
  return (value: unknown): string => {
    if (typeof value !== 'string' || !pattern.test(value)) throw new TypeError(`${name} values are exact decimal strings computed by the server`);
    return value;
  };
}

function refuseInput(name: string): () => never {
  return () => {
    throw new TypeError(`${name} is an output type`);
  };
}

export const RatioScalar = new GraphQLScalarType({
  name: 'Ratio',
  description:
    'An exact dimensionless decimal as a string, rounded half away from zero by PostgreSQL to the number of decimal places each field states (indices and rates: 4 places, e.g. "1.0050"; percentages: 2 places, e.g. "54.82"). Never a float.',
  serialize: outputOnly('Ratio', RATIO),
  parseValue: refuseInput('Ratio'),
  parseLiteral: refuseInput('Ratio'),
});

export enum PercentCompleteBasis {
  PLANNED_VALUE = 'PLANNED_VALUE',
  MILESTONE_COUNT = 'MILESTONE_COUNT',
  PROJECT_MEAN = 'PROJECT_MEAN',
}
registerEnumType(PercentCompleteBasis, {
  name: 'PercentCompleteBasis',
  description: 'How percentComplete weighs the milestones.',
  valuesConfig: {
    PLANNED_VALUE: { description: 'Σ(plannedValue × progress) / Σ plannedValue over non-cancelled milestones (a milestone without planned value weighs 0).' },
    MILESTONE_COUNT: { description: 'Mean progress of the non-cancelled milestones: used when their planned values sum to 0 (and, for the older percentComplete only, always for partners and the portfolio).' },
    PROJECT_MEAN: { description: 'Portfolio completionPercent: the mean of the visible projects\' completionPercent, each project weighing the same (planned values of different projects and currencies do not weigh each other).' },
  },
});

export enum PortfolioMetric {
  CODE = 'CODE',
  NAME = 'NAME',
  BUDGET = 'BUDGET',
  COMMITTED = 'COMMITTED',
  ACTUAL_TO_DATE = 'ACTUAL_TO_DATE',
  ESTIMATE_AT_COMPLETION = 'ESTIMATE_AT_COMPLETION',
  VARIANCE_AT_COMPLETION = 'VARIANCE_AT_COMPLETION',
  BURN_RATE = 'BURN_RATE',
  COST_PERFORMANCE_INDEX = 'COST_PERFORMANCE_INDEX',
  SCHEDULE_PERFORMANCE_INDEX = 'SCHEDULE_PERFORMANCE_INDEX',
  COST_VARIANCE = 'COST_VARIANCE',
  SCHEDULE_VARIANCE = 'SCHEDULE_VARIANCE',
  PERCENT_COMPLETE = 'PERCENT_COMPLETE',
  OVERDUE_MILESTONES = 'OVERDUE_MILESTONES',
  OPEN_RISKS = 'OPEN_RISKS',
  RISK_EXPOSURE = 'RISK_EXPOSURE',
}
registerEnumType(PortfolioMetric, {
  name: 'PortfolioMetric',
  description:
    'What portfolio rows are sorted by (the project figure of the same name). Projects without a value (e.g. no published report) come last in either direction; ties by project code. Financial metrics are FORBIDDEN for partners. Amounts in different currencies are compared as plain numbers.',
});

/** The metrics a partner may not sort by: sorting would reveal the financial figures. */
export const FINANCIAL_METRICS: ReadonlySet<PortfolioMetric> = new Set([
  PortfolioMetric.BUDGET, PortfolioMetric.COMMITTED, PortfolioMetric.ACTUAL_TO_DATE, PortfolioMetric.ESTIMATE_AT_COMPLETION,
  PortfolioMetric.VARIANCE_AT_COMPLETION, PortfolioMetric.BURN_RATE, PortfolioMetric.COST_PERFORMANCE_INDEX,
  PortfolioMetric.SCHEDULE_PERFORMANCE_INDEX, PortfolioMetric.COST_VARIANCE, PortfolioMetric.SCHEDULE_VARIANCE,
]);

@InputType({ description: 'Ordering of portfolio rows, e.g. { metric: VARIANCE_AT_COMPLETION, direction: ASC } for the worst VAC first.' })
export class PortfolioOrder {
  @Field(() => PortfolioMetric, { description: 'Metric to sort by.' })
  metric!: PortfolioMetric;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC, description: 'Direction (nulls always last).' })
  direction!: OrderDirection;
}

@ObjectType({ description: 'Planned and actual spend of one reporting period, for charts.' })
export class SpendPeriod {
  @Field(() => LocalDateScalar, { description: 'First day of the period.' })
  periodStart!: string;

  @Field(() => LocalDateScalar, { description: 'Last day of the period.' })
  periodEnd!: string;

  @Field(() => Int, { description: 'The published revision the figures come from (the highest published one of the period).' })
  revision!: number;

  @Field(() => DecimalScalar, { description: 'Σ planned of the revision\'s lines.' })
  planned!: string;

  @Field(() => DecimalScalar, { description: 'Σ actual of the revision\'s lines.' })
  actual!: string;

  @Field(() => DecimalScalar, { description: 'Σ planned of this and every earlier period in the series.' })
  cumulativePlanned!: string;

  @Field(() => DecimalScalar, { description: 'Σ actual of this and every earlier period in the series (the last one equals actualToDate).' })
  cumulativeActual!: string;

  @Field(() => DecimalScalar, { description: 'Σ estimateToComplete of the revision\'s lines, as of the period\'s end.' })
  estimateToComplete!: string;
}

@ObjectType({ description: 'Spend of one category over the periods of the series, for charts.' })
export class CategorySpend {
  @Field(() => SpendCategory, { description: 'Category.' })
  category!: SpendCategory;

  @Field(() => DecimalScalar, { description: 'Σ planned of this category\'s lines over the series\' periods ("0.00" when none).' })
  planned!: string;

  @Field(() => DecimalScalar, { description: 'Σ actual of this category\'s lines over the series\' periods ("0.00" when none).' })
  actual!: string;

  @Field(() => DecimalScalar, { description: 'This category\'s estimateToComplete in the latest period of the series ("0.00" when none).' })
  estimateToComplete!: string;
}

@ObjectType({
  description:
    'Investments in a project as of a date, split so that no investor can derive another organization\'s commitment (docs/visibility.md): the viewer\'s own organization exactly, the other investors only as a group of at least two organizations, by month. Operators read every investment.',
})
export class InvestorCommitments {
  @Field(() => DecimalScalar, { nullable: true, description: 'Investor: Σ committedAmount of the viewer\'s organization committed on or before asOf. Operators: null (they are no investor).' })
  own!: string | null;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Σ committedAmount of the other investors, committed on or before othersThrough. Operators: every investment up to asOf. Investors: a cumulative sum at a month end where the other organizations that committed since the previous such month end are at least two; null when no such month end exists yet and something is withheld (withheldReason says why).',
  })
  others!: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'The date others is counted through: asOf when nothing is withheld, else the month end of the last disclosed step (null when none).' })
  othersThrough!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'own + others (operators: others); null when others is null.' })
  total!: string | null;

  @Field(() => String, { nullable: true, description: 'Why commitments of other investors up to asOf are left out of others; null when nothing is withheld.' })
  withheldReason!: string | null;
}

@ObjectType({
  description:
    'Financial figures of a project as of a date, from "the series": PUBLISHED financial report revisions only (drafts are unpublished; a superseded revision was replaced by its restatement), the highest published revision per period, of periods ending on or before asOf, oldest first. asOf selects periods, not what was known at the time: a restatement applies to every asOf covering its period. Amounts are in the project\'s currency, exact to the cent.',
})
export class ProjectFinancials {
  projectId!: string;

  @Field(() => LocalDateScalar, { description: 'The date the figures are computed for (default: today, UTC).' })
  asOf!: string;

  @Field({ description: 'ISO 4217 currency of every amount here.' })
  currency!: string;

  @Field(() => DecimalScalar, { description: 'BAC (budget at completion): the project\'s budget, whatever asOf. The amount EAC is compared with: VAC = BAC − EAC.' })
  budget!: string;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Σ committedAmount of the investments committed on or before asOf, as the disclosure rule lets this viewer read it (docs/visibility.md). Operators: every investment, exact. Investors: investorCommitments.total (own organization\'s commitments up to asOf + the other investors\' disclosed sum through investorCommitments.othersThrough); null when that is null (investorCommitments.withheldReason says why). Never an exact sum from which an investor could subtract its own to learn the others\'.',
  })
  committed!: string | null;

  @Field(() => InvestorCommitments, { description: 'The investments as the disclosure rule lets this viewer read them (docs/visibility.md): own organization exactly, other investors grouped.' })
  investorCommitments!: InvestorCommitments;

  @Field(() => DecimalScalar, { description: 'AC (actual cost to date): Σ actual over the lines of the reports in the series; "0.00" without published reports. The same AC as EarnedValueMetrics.actualCost, so EAC = AC + ETC and CV = EV − AC share it.' })
  actualToDate!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'ETC (estimate to complete): Σ estimateToComplete of the latest report in the series — the operator\'s bottom-up re-estimate of the remaining work, not derived from CPI; null without published reports (no forecast yet).' })
  estimateToComplete!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'EAC (estimate at completion) = AC + ETC: the forecast of the total cost; null without published reports.' })
  estimateAtCompletion!: string | null;

  @Field(() => SignedDecimalScalar, { nullable: true, description: 'VAC (variance at completion) = BAC − EAC (negative: forecast overrun); null without published reports. A forecast at completion: it can be negative while CPI ≥ 1 and CV ≥ 0, which measure the work done so far.' })
  varianceAtCompletion!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Mean actual per period (monthly reports: per month) over the last three periods of the series (fewer if fewer exist), rounded to the cent; null without published reports.' })
  burnRate!: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'End of the latest period in the series; null without published reports.' })
  reportedThrough!: string | null;

  @Field(() => Int, { description: 'Number of periods in the series.' })
  publishedPeriods!: number;
}

@ObjectType({
  description:
    'Earned value of a project as of a date, over its non-cancelled milestones. Milestone progress has no history, so EV is the current progress; asOf moves PV and AC.',
})
export class EarnedValueMetrics {
  @Field(() => LocalDateScalar, { description: 'The date the figures are computed for (default: today, UTC).' })
  asOf!: string;

  @Field({ description: 'ISO 4217 currency of every amount here.' })
  currency!: string;

  @Field(() => DecimalScalar, { description: 'PV (planned value) = Σ plannedValue of the non-cancelled milestones due on or before asOf.' })
  plannedValue!: string;

  @Field(() => DecimalScalar, { description: 'EV (earned value) = Σ(plannedValue × progress) / 100 over the non-cancelled milestones, rounded to the cent: the planned value of the work done so far, at the current progress.' })
  earnedValue!: string;

  @Field(() => DecimalScalar, { description: 'AC (actual cost) = actualToDate of Project.financials for the same asOf.' })
  actualCost!: string;

  @Field(() => RatioScalar, { nullable: true, description: 'CPI (cost performance index) = EV / AC, 4 decimal places; null when AC is 0. Performance on the work done so far (above 1: it cost less than its planned value); not a forecast — see Project.financials.varianceAtCompletion.' })
  costPerformanceIndex!: string | null;

  @Field(() => RatioScalar, { nullable: true, description: 'SPI (schedule performance index) = EV / PV, 4 decimal places; null when PV is 0 (below 1: behind schedule).' })
  schedulePerformanceIndex!: string | null;

  @Field(() => SignedDecimalScalar, { description: 'CV (cost variance) = EV − AC: performance on the work done so far (negative: over cost), not a forecast.' })
  costVariance!: string;

  @Field(() => SignedDecimalScalar, { description: 'SV (schedule variance) = EV − PV.' })
  scheduleVariance!: string;
}

@ObjectType({ description: 'Milestone counts as of a date: statuses and progress are the current ones, asOf is the reference date for overdue and due soon.' })
export class MilestoneSummary {

  @Field(() => LocalDateScalar, { description: 'The reference date (default: today, UTC).' })
  asOf!: string;

  @Field(() => Int, { description: 'Number of milestones, all statuses.' })
  total!: number;

  @Field(() => Int, { description: 'Number of DONE milestones.' })
  done!: number;

  @Field(() => Int, { description: 'PLANNED or IN_PROGRESS milestones due before asOf.' })
  overdue!: number;

  @Field(() => Int, { description: 'PLANNED or IN_PROGRESS milestones due from asOf to asOf + 30 days, both included.' })
  dueNext30Days!: number;

  @Field(() => RatioScalar, {
    nullable: true,
    description: 'Percent complete as this viewer may weigh it, 0–100 with 2 decimal places, over the non-cancelled milestones, weighted as percentCompleteBasis says (partners and the portfolio: mean progress); null without any. Depends on the viewer: show completionPercent, the one figure every viewer reads.',
    deprecationReason: 'Depends on the viewer (a partner and an investor read different numbers for the same milestones): use completionPercent, the same for everyone.',
  })
  percentComplete!: string | null;

  @Field(() => PercentCompleteBasis, {
    description: 'How percentComplete weighs the milestones.',
    deprecationReason: 'Goes with percentComplete: use completionBasis.',
  })
  percentCompleteBasis!: PercentCompleteBasis;

  @Field(() => RatioScalar, {
    nullable: true,
    description: 'Percent complete, the same number for every viewer, 0–100 with 2 decimal places: for a project Σ(plannedValue × progress) / Σ plannedValue over its non-cancelled milestones (a milestone without planned value weighs 0), or their mean progress when those planned values sum to 0; for the portfolio the mean of its projects\' figures. Computed by PostgreSQL; only the ratio is returned, so partners read it without reading any planned value. Null without a non-cancelled milestone.',
  })
  completionPercent!: string | null;

  @Field(() => PercentCompleteBasis, { description: 'How completionPercent was computed: PLANNED_VALUE, MILESTONE_COUNT (planned values sum to 0) or PROJECT_MEAN (portfolio).' })
  completionBasis!: PercentCompleteBasis;

  @Field(() => Milestone, { nullable: true, description: 'The PLANNED or IN_PROGRESS milestone due next on or after asOf (ties by creation); null when none.' })
  nextMilestone!: Milestone | null;
}

@ObjectType({ description: 'Open risks counted by severity band of their score (likelihood × impact).' })
export class RiskSeverityCounts {
  @Field(() => Int, { description: 'Score 1–4.' })
  low!: number;

  @Field(() => Int, { description: 'Score 5–9.' })
  medium!: number;

  @Field(() => Int, { description: 'Score 10–14.' })
  high!: number;

  @Field(() => Int, { description: 'Score 15–25.' })
  critical!: number;
}

@ObjectType({ description: 'An open risk with the change of its score since its last real change: the latest assessment compared with the most recent earlier one that scored differently (a review that kept the figures does not reset the trend).' })
export class RiskTrendItem {
  @Field(() => Risk, { description: 'The risk.' })
  risk!: Risk;

  @Field(() => Int, { description: 'Current score (likelihood × impact).' })
  score!: number;

  @Field(() => Int, { nullable: true, description: 'Score of the most recent earlier assessment that scored differently from the latest; when every earlier one scored the same, the one before the latest (change 0); null when assessed only once.' })
  previousScore!: number | null;

  @Field(() => Int, { nullable: true, description: 'Latest assessment\'s score − previousScore (positive: rising); null when assessed only once.' })
  change!: number | null;
}

@ObjectType({
  description:
    'Open risks — status OPEN or MITIGATING (CLOSED and REALIZED risks no longer threaten the plan) — among the risks the viewer may see: figures never include risks hidden from the viewer.',
})
export class RiskSummary {
  @Field(() => Int, { description: 'Number of open risks.' })
  open!: number;

  @Field(() => RiskSeverityCounts, { description: 'Open risks by severity band.' })
  bySeverity!: RiskSeverityCounts;

  @Field(() => Int, { description: 'Exposure = Σ score of the open risks.' })
  exposure!: number;

  @Field(() => Int, { description: 'Overall trend: Σ change over the open risks assessed at least twice (negative: risk is falling).' })
  exposureChange!: number;

  @Field(() => Int, { description: 'Open risks whose latest score is higher than their previousScore (the last real change, see RiskTrendItem).' })
  rising!: number;

  @Field(() => Int, { description: 'Open risks whose latest score is lower than their previousScore (the last real change, see RiskTrendItem).' })
  falling!: number;

  @Field(() => [RiskTrendItem], { description: 'The `top` open risks by score (highest first, ties by creation), each with its trend.' })
  topRisks!: RiskTrendItem[];
}

@ObjectType({ description: 'Contracts of one status, counted and summed.' })
export class ContractStatusTotal {
  @Field(() => ContractStatus, { description: 'Status.' })
  status!: ContractStatus;

  @Field(() => Int, { description: 'Number of contracts.' })
  count!: number;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Σ value of these contracts. Operators and partners (their own contracts): exact. Investors: the same as disclosedValue (null with withheldReason when it would reveal one counterparty\'s contract value; docs/visibility.md).',
  })
  value!: string | null;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Σ value, or null when it would reveal one organization\'s contract value to an investor: investors read a group\'s value only when it has no contract or contracts of at least two counterparties (docs/visibility.md). Operators and partners (their own contracts): always the value.',
  })
  disclosedValue!: string | null;

  @Field(() => String, { nullable: true, description: 'Why disclosedValue is null; null when it is given.' })
  withheldReason!: string | null;
}

@ObjectType({ description: 'Contracts counted and summed, in total and by status (every status listed, zeros included).' })
export class ContractTotals {
  @Field(() => Int, { description: 'Number of contracts.' })
  count!: number;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Σ value of the contracts. Operators and partners (their own contracts): exact. Investors: the same as disclosedValue (null with withheldReason when it would reveal one counterparty\'s contract value; docs/visibility.md).',
  })
  value!: string | null;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Σ value, or null for an investor when it would reveal one organization\'s contract value: when the contracts have fewer than two counterparties, or when the statuses whose value is withheld all belong to one counterparty (the total minus the disclosed statuses would give it away).',
  })
  disclosedValue!: string | null;

  @Field(() => String, { nullable: true, description: 'Why disclosedValue is null; null when it is given.' })
  withheldReason!: string | null;

  @Field(() => [ContractStatusTotal], { description: 'Count and Σ value per status, in state-machine order.' })
  byStatus!: ContractStatusTotal[];
}

@ObjectType({ description: 'Deliverables of one status, counted.' })
export class DeliverableStatusCount {
  @Field(() => DeliverableStatus, { description: 'Status.' })
  status!: DeliverableStatus;

  @Field(() => Int, { description: 'Number of deliverables.' })
  count!: number;
}

@ObjectType({ description: 'Deliverable figures over the deliverables the viewer may see, as of a date (statuses are the current ones).' })
export class DeliverableStats {

  @Field(() => LocalDateScalar, { description: 'The reference date for overdue and next due (default: today, UTC).' })
  asOf!: string;

  @Field(() => Int, { description: 'Number of deliverables.' })
  total!: number;

  @Field(() => [DeliverableStatusCount], { description: 'Count per status, every status listed, in workflow order.' })
  byStatus!: DeliverableStatusCount[];

  @Field(() => Int, { description: 'Still owed (PLANNED, IN_PROGRESS or REJECTED) and due before asOf. A SUBMITTED deliverable waits for review and is not overdue.' })
  overdue!: number;

  @Field(() => Int, { description: 'SUBMITTED: waiting for the operator\'s review.' })
  awaitingReview!: number;

  @Field(() => Int, { description: 'Decided = ACCEPTED + REJECTED (the current status; a rejected then resubmitted deliverable counts by its current status).' })
  decided!: number;

  @Field(() => RatioScalar, {
    nullable: true,
    description: 'Acceptance rate = ACCEPTED / decided, 4 decimal places; null when nothing is decided. By final state only: see firstTimeAcceptanceRate and averageRounds for the rounds it took.',
  })
  acceptanceRate!: string | null;

  @Field(() => Int, { description: 'Reviewed = deliverables whose first submission (round 1) has been decided, whatever their current status.' })
  reviewed!: number;

  @Field(() => Int, { description: 'First-time accepted = deliverables whose round-1 review is ACCEPTED (accepted without any rejection).' })
  firstTimeAccepted!: number;

  @Field(() => RatioScalar, {
    nullable: true,
    description: 'First-time acceptance rate = firstTimeAccepted / reviewed, 4 decimal places; null when nothing is reviewed.',
  })
  firstTimeAcceptanceRate!: string | null;

  @Field(() => RatioScalar, {
    nullable: true,
    description: 'Average rounds to acceptance = Σ round (submissions made) over ACCEPTED deliverables / ACCEPTED, 2 decimal places (1.00: every one accepted at its first submission); null when nothing is accepted.',
  })
  averageRounds!: string | null;

  @Field(() => RatioScalar, {
    nullable: true,
    description: 'On-time rate = ACCEPTED deliverables accepted (decidedAt, UTC date) on or before their due date / ACCEPTED, 4 decimal places; null when nothing is accepted.',
  })
  onTimeRate!: string | null;

  @Field(() => Deliverable, { nullable: true, description: 'The deliverable still owed (PLANNED, IN_PROGRESS or REJECTED) due next on or after asOf (ties by creation); null when none.' })
  nextDue!: Deliverable | null;
}

@ObjectType({ description: 'What a partner owes and what was decided, over the contracts and deliverables the viewer may see (an investor sees none: all zeros).' })
export class PartnerSummary {
  @Field(() => LocalDateScalar, { description: 'The reference date (default: today, UTC).' })
  asOf!: string;
}

@ObjectType({ description: 'The financial and earned-value figures of the visible projects of one currency, summed (amounts of different currencies are never added).' })
export class PortfolioCurrencyTotals {
  @Field({ description: 'ISO 4217 currency.' })
  currency!: string;

  @Field(() => Int, { description: 'Visible projects in this currency.' })
  projectCount!: number;

  @Field(() => Int, { description: 'Of those, projects with at least one published report in the series (the ones with a forecast).' })
  reportingProjectCount!: number;

  @Field(() => DecimalScalar, { description: 'Σ budget (BAC) of every visible project of this currency, with or without a forecast. Compare estimateAtCompletion with forecastBudget, not with this.' })
  budget!: string;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Σ budget (BAC) of the reporting projects only: the budgets estimateAtCompletion is a forecast of, so varianceAtCompletion = forecastBudget − estimateAtCompletion. Null when none reports.',
  })
  forecastBudget!: string | null;

  @Field(() => DecimalScalar, { description: 'Σ budget of the projects without a forecast (no published report yet): budget = forecastBudget + budgetWithoutForecast.' })
  budgetWithoutForecast!: string;

  /** Ids of the projects without a forecast, resolved by PortfolioCurrencyTotalsResolver through the reader. */
  withoutForecastIds!: string[];

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Σ ProjectFinancials.committed of these projects (for an investor, the disclosed figures: docs/visibility.md); null when a project\'s figure is null for this viewer (committedWithheldReason says why).',
  })
  committed!: string | null;

  @Field(() => String, { nullable: true, description: 'Why committed is null: another investor\'s commitments in one of the projects are not disclosed yet. Null when committed is given.' })
  committedWithheldReason!: string | null;

  @Field(() => DecimalScalar, { description: 'Σ actualToDate.' })
  actualToDate!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Σ estimateToComplete of the reporting projects; null when none reports.' })
  estimateToComplete!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Σ estimateAtCompletion (EAC = AC + ETC) of the reporting projects; null when none reports. Its budget is forecastBudget.' })
  estimateAtCompletion!: string | null;

  @Field(() => SignedDecimalScalar, { nullable: true, description: 'Σ varianceAtCompletion of the reporting projects = forecastBudget − estimateAtCompletion (negative: forecast overrun); null when none reports.' })
  varianceAtCompletion!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Σ burnRate of the reporting projects (the portfolio\'s spend per period); null when none reports.' })
  burnRate!: string | null;

  @Field(() => DecimalScalar, { description: 'Σ PV.' })
  plannedValue!: string;

  @Field(() => DecimalScalar, { description: 'Σ EV (of the per-project EVs, each rounded to the cent).' })
  earnedValue!: string;

  @Field(() => SignedDecimalScalar, { description: 'Σ EV − Σ AC.' })
  costVariance!: string;

  @Field(() => SignedDecimalScalar, { description: 'Σ EV − Σ PV.' })
  scheduleVariance!: string;

  @Field(() => RatioScalar, { nullable: true, description: 'Σ EV / Σ AC, 4 decimal places; null when Σ AC is 0.' })
  costPerformanceIndex!: string | null;

  @Field(() => RatioScalar, { nullable: true, description: 'Σ EV / Σ PV, 4 decimal places; null when Σ PV is 0.' })
  schedulePerformanceIndex!: string | null;
}

@ObjectType({ description: 'The viewer\'s visible projects as of a date: totals over all of them and ranked per-project rows. A MANAGER\'s portfolio is the projects they manage.' })
export class Portfolio {
  order!: PortfolioOrder;

  @Field(() => LocalDateScalar, { description: 'The date every figure is computed for (default: today, UTC).' })
  asOf!: string;
}

@ObjectType({ description: 'One project of a portfolio with its figures for the portfolio\'s asOf.' })
export class PortfolioRow {
  /** The project's id: identifies the row in its connection's cursors. */
  id!: string;

  projectId!: string;

  @Field(() => LocalDateScalar, { description: 'The portfolio\'s asOf.' })
  asOf!: string;

  @Field(() => Int, { description: 'Position in the portfolio\'s order, from 1.' })
  rank!: number;
}

export const PortfolioRowConnection = connectionOf(PortfolioRow, 'PortfolioRow');

/**
 * GraphQL types of the dashboards. Every field states its formula: the
 * descriptions are the definitions clients rely on (DESIGN.md section 5).
 * Values are computed by PostgreSQL (dashboard.queries.ts) and arrive here
 * as exact decimal strings.
 */
import { GraphQLScalarType } from 'graphql';
import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionOf, OrderDirection } from '../../core/pagination';
import { DecimalScalar, LocalDateScalar } from '../../core/scalars';
import { ContractStatus } from '../../model/contract.entity';
import { Deliverable, DeliverableStatus } from '../../model/deliverable.entity';
import { SpendCategory } from '../../model/financial-report.entity';
import { Milestone } from '../../model/milestone.entity';
import { Risk } from '../../model/risk.entity';

const SIGNED_DECIMAL = /^-?\d+\.\d{2}$/;
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

export const SignedDecimalScalar = new GraphQLScalarType({
  name: 'SignedDecimal',
  description:
    'An exact decimal amount with 2 decimals that may be negative (variances such as VAC, CV, SV), as a string ("-88850.50"). Never a float. The currency is the project\'s.',
  serialize: outputOnly('SignedDecimal', SIGNED_DECIMAL),
  parseValue: refuseInput('SignedDecimal'),
  parseLiteral: refuseInput('SignedDecimal'),
});

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
}
registerEnumType(PercentCompleteBasis, {
  name: 'PercentCompleteBasis',
  description: 'How percentComplete weighs the milestones.',
  valuesConfig: {
    PLANNED_VALUE: { description: 'Σ(plannedValue × progress) / Σ plannedValue over non-cancelled milestones (a milestone without planned value weighs 0).' },
    MILESTONE_COUNT: { description: 'Mean progress of the non-cancelled milestones: used when their planned values sum to 0, and always for partners, who may not read planned values.' },
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
    'Financial figures of a project as of a date, from "the series": PUBLISHED financial report revisions only (drafts are unpublished; a superseded revision was replaced by its restatement), the highest published revision per period, of periods ending on or before asOf, oldest first. asOf selects periods, not what was known at the time: a restatement applies to every asOf covering its period. Amounts are in the project\'s currency, exact to the cent.',
})
export class ProjectFinancials {
  projectId!: string;

  @Field(() => LocalDateScalar, { description: 'The date the figures are computed for (default: today, UTC).' })
  asOf!: string;

  @Field({ description: 'ISO 4217 currency of every amount here.' })
  currency!: string;

  @Field(() => DecimalScalar, { description: 'The project\'s budget (BAC).' })
  budget!: string;

  @Field(() => DecimalScalar, { description: 'Σ committedAmount of every investment in the project (all investors, as Project.totalCommitted) committed on or before asOf.' })
  committed!: string;

  @Field(() => DecimalScalar, { description: 'AC: Σ actual over the lines of the reports in the series; "0.00" without published reports.' })
  actualToDate!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'ETC: Σ estimateToComplete of the latest report in the series; null without published reports (no forecast yet).' })
  estimateToComplete!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'EAC = AC + ETC; null without published reports.' })
  estimateAtCompletion!: string | null;

  @Field(() => SignedDecimalScalar, { nullable: true, description: 'VAC = budget − EAC (negative: forecast overrun); null without published reports.' })
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

  @Field(() => DecimalScalar, { description: 'PV = Σ plannedValue of the milestones due on or before asOf.' })
  plannedValue!: string;

  @Field(() => DecimalScalar, { description: 'EV = Σ(plannedValue × progress) / 100 over the milestones, rounded to the cent.' })
  earnedValue!: string;

  @Field(() => DecimalScalar, { description: 'AC = actualToDate of Project.financials for the same asOf.' })
  actualCost!: string;

  @Field(() => RatioScalar, { nullable: true, description: 'CPI = EV / AC, 4 decimal places; null when AC is 0.' })
  costPerformanceIndex!: string | null;

  @Field(() => RatioScalar, { nullable: true, description: 'SPI = EV / PV, 4 decimal places; null when PV is 0.' })
  schedulePerformanceIndex!: string | null;

  @Field(() => SignedDecimalScalar, { description: 'CV = EV − AC.' })
  costVariance!: string;

  @Field(() => SignedDecimalScalar, { description: 'SV = EV − PV.' })
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

  @Field(() => RatioScalar, { nullable: true, description: 'Percent complete, 0–100 with 2 decimal places, over the non-cancelled milestones, weighted as percentCompleteBasis says; null without any.' })
  percentComplete!: string | null;

  @Field(() => PercentCompleteBasis, { description: 'How percentComplete weighs the milestones.' })
  percentCompleteBasis!: PercentCompleteBasis;

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

@ObjectType({ description: 'An open risk with the change of its score between its two most recent assessments.' })
export class RiskTrendItem {
  @Field(() => Risk, { description: 'The risk.' })
  risk!: Risk;

  @Field(() => Int, { description: 'Current score (likelihood × impact).' })
  score!: number;

  @Field(() => Int, { nullable: true, description: 'Score of the assessment before the latest one; null when assessed only once.' })
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

  @Field(() => Int, { description: 'Open risks whose latest assessment scored higher than the previous one.' })
  rising!: number;

  @Field(() => Int, { description: 'Open risks whose latest assessment scored lower than the previous one.' })
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

  @Field(() => DecimalScalar, { description: 'Σ value of these contracts.' })
  value!: string;
}

@ObjectType({ description: 'Contracts counted and summed, in total and by status (every status listed, zeros included).' })
export class ContractTotals {
  @Field(() => Int, { description: 'Number of contracts.' })
  count!: number;

  @Field(() => DecimalScalar, { description: 'Σ value of the contracts.' })
  value!: string;

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

  @Field(() => RatioScalar, { nullable: true, description: 'Acceptance rate = ACCEPTED / decided, 4 decimal places; null when nothing is decided.' })
  acceptanceRate!: string | null;

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

  @Field(() => DecimalScalar, { description: 'Σ budget.' })
  budget!: string;

  @Field(() => DecimalScalar, { description: 'Σ committed.' })
  committed!: string;

  @Field(() => DecimalScalar, { description: 'Σ actualToDate.' })
  actualToDate!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Σ estimateToComplete of the reporting projects; null when none reports.' })
  estimateToComplete!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Σ estimateAtCompletion of the reporting projects; null when none reports.' })
  estimateAtCompletion!: string | null;

  @Field(() => SignedDecimalScalar, { nullable: true, description: 'Σ varianceAtCompletion of the reporting projects; null when none reports.' })
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

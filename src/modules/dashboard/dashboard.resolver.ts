/**
 * Dashboard fields on Project, Contract and Viewer, and the lazy parts of the
 * dashboard types. Thin: arguments in, dashboardService out.
 */
import { Arg, Args, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { authed, type Context } from '../../access/context';
import { ConnectionArgs } from '../../core/pagination';
import { DecimalScalar, LocalDateScalar } from '../../core/scalars';
import { Contract } from '../../model/contract.entity';
import { ContractConnection } from '../contract/contract.resolver';
import { Viewer } from '../identity/identity.types';
import { Project } from '../../model/project.entity';
import { DEFAULT_TOP_RISKS, dashboardService, MAX_TOP_RISKS } from './dashboard.service';
import {
  CategorySpend, ContractTotals, DeliverableStats, EarnedValueMetrics, MilestoneSummary, PartnerSummary, Portfolio,
  PortfolioCurrencyTotals, PortfolioOrder, PortfolioRow, PortfolioRowConnection, ProjectFinancials, RiskSummary, SpendPeriod,
} from './dashboard.types';

const AS_OF = { nullable: true, description: 'The date to compute for (YYYY-MM-DD); default today (UTC).' } as const;
const TOP = { defaultValue: DEFAULT_TOP_RISKS, description: `How many top risks to list (0–${MAX_TOP_RISKS}).` } as const;
const FORBIDDEN_FOR_PARTNERS = 'Partners: null with a FORBIDDEN error.';

@Resolver(() => Project)
export class ProjectDashboardResolver {
  @FieldResolver(() => DecimalScalar, {
    nullable: true,
    description: `Σ committedAmount of the project's investments, whatever their date, as the disclosure rule lets this viewer read it (docs/visibility.md). Operators: every investor's investments, exact. Investors: their own organization's investments plus the other investors' disclosed sum (financials(asOf).investorCommitments.total for a date after every commitment); null while nothing of the others is disclosed yet and something is withheld (financials.investorCommitments.withheldReason says why). An exact total would let an investor subtract its own and learn the others'. ${FORBIDDEN_FOR_PARTNERS}`,
  })
  totalCommitted(@Root() p: Project, @Ctx() ctx: Context) {
    return dashboardService.totalCommitted(ctx, p.id);
  }

  @FieldResolver(() => ProjectFinancials, { nullable: true, description: `Budget, committed, actual, forecast and spend series from published reports. ${FORBIDDEN_FOR_PARTNERS}` })
  financials(@Root() p: Project, @Arg('asOf', () => LocalDateScalar, AS_OF) asOf: string | null, @Ctx() ctx: Context) {
    return dashboardService.financials(ctx, p.id, asOf);
  }

  @FieldResolver(() => EarnedValueMetrics, { nullable: true, description: `Earned value (PV, EV, AC, CPI, SPI, CV, SV). ${FORBIDDEN_FOR_PARTNERS}` })
  earnedValue(@Root() p: Project, @Arg('asOf', () => LocalDateScalar, AS_OF) asOf: string | null, @Ctx() ctx: Context) {
    return dashboardService.earnedValue(ctx, p.id, asOf);
  }

  @FieldResolver(() => MilestoneSummary, { nullable: true, description: 'Milestone counts and percent complete.' })
  milestoneSummary(@Root() p: Project, @Arg('asOf', () => LocalDateScalar, AS_OF) asOf: string | null, @Ctx() ctx: Context) {
    return dashboardService.milestoneSummary(ctx, p.id, asOf);
  }

  @FieldResolver(() => RiskSummary, { nullable: true, description: 'Open risks the viewer may see: by severity, exposure, trend and the top ones.' })
  riskSummary(@Root() p: Project, @Arg('top', () => Int, TOP) top: number, @Ctx() ctx: Context) {
    return dashboardService.riskSummary(ctx, p.id, top);
  }

  @FieldResolver(() => ContractTotals, {
    nullable: true,
    description: `The project's contracts counted and summed by status (ACTIVE, SUSPENDED, COMPLETED, TERMINATED; a DRAFT commits nobody yet and is never counted), without revealing any contract: investors see this aggregate only. ${FORBIDDEN_FOR_PARTNERS}`,
  })
  commitments(@Root() p: Project, @Ctx() ctx: Context) {
    return dashboardService.commitments(ctx, p.id);
  }
}

@Resolver(() => Contract)
export class ContractDashboardResolver {
  @FieldResolver(() => DeliverableStats, { description: 'Figures over this contract\'s deliverables.' })
  deliverableStats(@Root() c: Contract, @Arg('asOf', () => LocalDateScalar, AS_OF) asOf: string | null, @Ctx() ctx: Context) {
    return dashboardService.deliverableStats(ctx, c.id, asOf);
  }
}

@Resolver(() => Viewer)
export class ViewerDashboardResolver {
  @FieldResolver(() => Portfolio, { description: 'The viewer\'s visible projects as of a date: totals and ranked rows.' })
  portfolio(
    @Root() _v: Viewer,
    @Arg('asOf', () => LocalDateScalar, AS_OF) asOf: string | null,
    @Arg('orderBy', () => PortfolioOrder, { nullable: true, description: 'Row order; default by project code.' }) orderBy: PortfolioOrder | null,
    @Ctx() ctx: Context,
  ) {
    authed(ctx);
    return dashboardService.portfolio(asOf, orderBy);
  }

  @FieldResolver(() => PartnerSummary, { description: 'The partner view: contracts and deliverables the viewer may see, summed.' })
  partnerSummary(@Root() _v: Viewer, @Arg('asOf', () => LocalDateScalar, AS_OF) asOf: string | null, @Ctx() ctx: Context) {
    authed(ctx);
    return dashboardService.partnerSummary(asOf);
  }
}

@Resolver(() => PartnerSummary)
export class PartnerSummaryResolver {
  @FieldResolver(() => ContractTotals, { description: 'The contracts the viewer may see (a partner: its own non-draft ones), counted and summed by status.' })
  contractTotals(@Ctx() ctx: Context) {
    return dashboardService.partnerContractTotals(ctx);
  }

  @FieldResolver(() => DeliverableStats, { description: 'Figures over every deliverable the viewer may see.' })
  deliverableStats(@Root() s: PartnerSummary, @Ctx() ctx: Context) {
    return dashboardService.deliverableStats(ctx, null, s.asOf);
  }

  @FieldResolver(() => ContractConnection, { description: 'The contracts the viewer may see, by reference; each has its deliverableStats.' })
  contracts(@Args() args: ConnectionArgs, @Ctx() ctx: Context) {
    return authed(ctx).reader.connection(Contract, args, { sort: 'reference' });
  }
}

@Resolver(() => ProjectFinancials)
export class ProjectFinancialsResolver {
  @FieldResolver(() => [SpendPeriod], { description: 'One entry per period of the series, oldest first.' })
  spendByPeriod(@Root() f: ProjectFinancials, @Ctx() ctx: Context) {
    return dashboardService.spendByPeriod(ctx, f);
  }

  @FieldResolver(() => [CategorySpend], { description: 'One entry per spend category (all five, in LABOR, VENDORS, INFRASTRUCTURE, LICENSES, OTHER order).' })
  spendByCategory(@Root() f: ProjectFinancials, @Ctx() ctx: Context) {
    return dashboardService.spendByCategory(ctx, f);
  }
}

@Resolver(() => Portfolio)
export class PortfolioResolver {
  @FieldResolver(() => Int, { description: 'Number of projects the viewer may see.' })
  projectCount(@Ctx() ctx: Context) {
    return dashboardService.portfolioProjectCount(ctx);
  }

  @FieldResolver(() => [PortfolioCurrencyTotals], { nullable: true, description: `Financial and earned-value figures summed per currency, by currency code. ${FORBIDDEN_FOR_PARTNERS}` })
  totals(@Root() p: Portfolio, @Ctx() ctx: Context) {
    return dashboardService.portfolioTotals(ctx, p);
  }

  @FieldResolver(() => MilestoneSummary, { description: 'Milestone counts over every visible project; percentComplete is the mean progress of their milestones (MILESTONE_COUNT), completionPercent the mean of the projects\' completionPercent (PROJECT_MEAN): planned values of different currencies do not add up.' })
  milestoneSummary(@Root() p: Portfolio, @Ctx() ctx: Context) {
    return dashboardService.portfolioMilestones(ctx, p);
  }

  @FieldResolver(() => RiskSummary, { description: 'Open risks the viewer may see over every visible project; topRisks across them.' })
  riskSummary(@Arg('top', () => Int, TOP) top: number, @Ctx() ctx: Context) {
    return dashboardService.portfolioRisks(ctx, top);
  }

  @FieldResolver(() => PortfolioRowConnection, {
    nullable: true,
    description: 'The visible projects in the portfolio\'s order, with their figures. Ordering by a financial metric is FORBIDDEN for partners (null with the error).',
  })
  projects(@Root() p: Portfolio, @Args() args: ConnectionArgs, @Ctx() ctx: Context) {
    return dashboardService.portfolioRows(ctx, p, args);
  }
}

@Resolver(() => PortfolioCurrencyTotals)
export class PortfolioCurrencyTotalsResolver {
  @FieldResolver(() => [Project], { description: 'The projects of this currency without a forecast (no published report as of the portfolio\'s asOf), by id: their budgets are in budgetWithoutForecast, not in forecastBudget.' })
  async projectsWithoutForecast(@Root() t: PortfolioCurrencyTotals, @Ctx() ctx: Context): Promise<Project[]> {
    const found = await authed(ctx).reader.byId(Project).loadMany(t.withoutForecastIds);
    return found.filter((p): p is Project => p instanceof Project);
  }
}

@Resolver(() => PortfolioRow)
export class PortfolioRowResolver {
  @FieldResolver(() => Project, { nullable: true, description: 'The project.' })
  project(@Root() r: PortfolioRow, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(Project).load(r.projectId);
  }

  @FieldResolver(() => ProjectFinancials, { nullable: true, description: `Project.financials for the portfolio's asOf. ${FORBIDDEN_FOR_PARTNERS}` })
  financials(@Root() r: PortfolioRow, @Ctx() ctx: Context) {
    return dashboardService.financials(ctx, r.projectId, r.asOf);
  }

  @FieldResolver(() => EarnedValueMetrics, { nullable: true, description: `Project.earnedValue for the portfolio's asOf. ${FORBIDDEN_FOR_PARTNERS}` })
  earnedValue(@Root() r: PortfolioRow, @Ctx() ctx: Context) {
    return dashboardService.earnedValue(ctx, r.projectId, r.asOf);
  }

  @FieldResolver(() => MilestoneSummary, { nullable: true, description: 'Project.milestoneSummary for the portfolio\'s asOf.' })
  milestoneSummary(@Root() r: PortfolioRow, @Ctx() ctx: Context) {
    return dashboardService.milestoneSummary(ctx, r.projectId, r.asOf);
  }

  @FieldResolver(() => RiskSummary, { nullable: true, description: 'Project.riskSummary.' })
  riskSummary(@Root() r: PortfolioRow, @Arg('top', () => Int, TOP) top: number, @Ctx() ctx: Context) {
    return dashboardService.riskSummary(ctx, r.projectId, top);
  }

  @FieldResolver(() => ContractTotals, { nullable: true, description: `Project.commitments. ${FORBIDDEN_FOR_PARTNERS}` })
  commitments(@Root() r: PortfolioRow, @Ctx() ctx: Context) {
    return dashboardService.commitments(ctx, r.projectId);
  }
}

/** Every resolver class of the dashboards, for src/schema.ts. */
export const dashboardResolvers = [
  ProjectDashboardResolver, ContractDashboardResolver, ViewerDashboardResolver, PartnerSummaryResolver, ProjectFinancialsResolver,
  PortfolioResolver, PortfolioRowResolver, PortfolioCurrencyTotalsResolver,
] as const;

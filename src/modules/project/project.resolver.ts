import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Access } from '../../access/access';
import { authed, type Context } from '../../access/context';
import { connectionOf, ConnectionArgs } from '../../core/pagination';
import { fieldRules } from '../../access/policy';
import { DecimalScalar } from '../../core/scalars';
import { Contract } from '../../model/contract.entity';
import { ContractFilter, contractSpec } from '../contract/contract.inputs';
import { ContractConnection } from '../contract/contract.resolver';
import { FinancialReport } from '../../model/financial-report.entity';
import { ReportFilter, ReportOrder, reportSpec } from '../financial-report/financial-report.inputs';
import { FinancialReportConnection } from '../financial-report/financial-report.resolver';
import { User } from '../../model/identity.entity';
import { Investment } from '../../model/investment.entity';
import { InvestmentConnection } from '../investment/investment.resolver';
import { Milestone } from '../../model/milestone.entity';
import { MilestoneFilter, MilestoneOrder, milestoneSpec } from '../milestone/milestone.inputs';
import { MilestoneConnection } from '../milestone/milestone.resolver';
import { Risk } from '../../model/risk.entity';
import { RiskFilter, RiskOrder, riskSpec } from '../risk/risk.inputs';
import { RiskConnection } from '../risk/risk.resolver';
import { ProjectUpdate } from '../../model/update.entity';
import { UpdateFilter, updateSpec } from '../update/update.inputs';
import { ProjectUpdateConnection } from '../update/update.resolver';
import { Project } from '../../model/project.entity';
import { ProjectFilter, ProjectOrder, projectSpec } from './project.inputs';
import { projectLoaders } from './project.loaders';

export const ProjectConnection = connectionOf(Project, 'Project');

@Resolver(() => Project)
export class ProjectResolver {
  @Access('authenticated')
  @Query(() => ProjectConnection, { description: 'The projects the viewer may see.' })
  projects(
    @Args() args: ConnectionArgs,
    @Arg('filter', () => ProjectFilter, { nullable: true }) filter: ProjectFilter | null,
    @Arg('orderBy', () => ProjectOrder, { nullable: true }) orderBy: ProjectOrder | null,
    @Ctx() ctx: Context,
  ) {
    return authed(ctx).reader.connection(Project, args, projectSpec(filter, orderBy).spec);
  }

  @FieldResolver(() => DecimalScalar, { nullable: true, description: 'Total budget. Hidden from partners (FORBIDDEN).' })
  budget(@Root() project: Project, @Ctx() ctx: Context): string {
    fieldRules.financials(authed(ctx).viewer);
    return project.budget;
  }

  @FieldResolver(() => DecimalScalar, {
    nullable: true,
    description: 'Sum of all investors\' committed amounts (the whole project, not only the viewer\'s). Hidden from partners (FORBIDDEN).',
  })
  totalCommitted(@Root() project: Project, @Ctx() ctx: Context): Promise<string> {
    fieldRules.financials(authed(ctx).viewer);
    return projectLoaders(ctx).totalCommitted.load(project.id);
  }

  @FieldResolver(() => [User], { description: 'The operator\'s managers of this project (the contacts for investors and partners).' })
  managers(@Root() project: Project, @Ctx() ctx: Context): Promise<User[]> {
    return projectLoaders(ctx).managers.load(project.id);
  }

  @FieldResolver(() => MilestoneConnection, { description: 'Milestones, by due date unless ordered otherwise.' })
  milestones(
    @Root() project: Project,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => MilestoneFilter, { nullable: true }) filter: MilestoneFilter | null,
    @Arg('orderBy', () => MilestoneOrder, { nullable: true }) orderBy: MilestoneOrder | null,
    @Ctx() ctx: Context,
  ) {
    const { spec, key } = milestoneSpec(filter, orderBy);
    return authed(ctx).reader.childConnection(Milestone, 'project', project.id, args, spec, key);
  }

  @FieldResolver(() => ContractConnection, { description: 'Contracts the viewer may see: all for the operator, a partner\'s own non-draft ones, none for investors.' })
  contracts(
    @Root() project: Project,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => ContractFilter, { nullable: true }) filter: ContractFilter | null,
    @Ctx() ctx: Context,
  ) {
    const { spec, key } = contractSpec(filter);
    return authed(ctx).reader.childConnection(Contract, 'project', project.id, args, spec, key);
  }

  @FieldResolver(() => FinancialReportConnection, { description: 'Financial report revisions: all for the operator, published and superseded ones for investors, none for partners.' })
  financialReports(
    @Root() project: Project,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => ReportFilter, { nullable: true }) filter: ReportFilter | null,
    @Arg('orderBy', () => ReportOrder, { nullable: true }) orderBy: ReportOrder | null,
    @Ctx() ctx: Context,
  ) {
    const { spec, key } = reportSpec(filter, orderBy);
    return authed(ctx).reader.childConnection(FinancialReport, 'project', project.id, args, spec, key);
  }

  @FieldResolver(() => RiskConnection, { description: 'Risks the viewer may see, highest score first unless ordered otherwise.' })
  risks(
    @Root() project: Project,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => RiskFilter, { nullable: true }) filter: RiskFilter | null,
    @Arg('orderBy', () => RiskOrder, { nullable: true }) orderBy: RiskOrder | null,
    @Ctx() ctx: Context,
  ) {
    const { spec, key } = riskSpec(filter, orderBy);
    return authed(ctx).reader.childConnection(Risk, 'project', project.id, args, spec, key);
  }

  @FieldResolver(() => ProjectUpdateConnection, { description: 'Progress updates for the viewer\'s audience, newest first.' })
  updates(
    @Root() project: Project,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => UpdateFilter, { nullable: true }) filter: UpdateFilter | null,
    @Ctx() ctx: Context,
  ) {
    const { spec, key } = updateSpec(filter);
    return authed(ctx).reader.childConnection(ProjectUpdate, 'project', project.id, args, spec, key);
  }

  @FieldResolver(() => InvestmentConnection, { description: 'Investments: all for the operator, the viewer\'s own organization\'s for investors, none for partners.' })
  investments(@Root() project: Project, @Args() args: ConnectionArgs, @Ctx() ctx: Context) {
    return authed(ctx).reader.childConnection(Investment, 'project', project.id, args, { sort: 'committedOn' }, '');
  }
}

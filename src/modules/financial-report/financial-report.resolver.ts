import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { authed, type Context } from '../../access/context';
import { connectionOf, ConnectionArgs } from '../../core/pagination';
import { User } from '../../model/identity.entity';
import { Project } from '../../model/project.entity';
import { FinancialReport, FinancialReportLine } from '../../model/financial-report.entity';
import { changesOf, ReportLineChange, restatementLoaders } from './financial-report.changes';
import { ReportFilter, ReportOrder, reportSpec } from './financial-report.inputs';

export const FinancialReportConnection = connectionOf(FinancialReport, 'FinancialReport');
export const FinancialReportLineConnection = connectionOf(FinancialReportLine, 'FinancialReportLine');

@Resolver(() => FinancialReport)
export class FinancialReportResolver {
  @FieldResolver(() => Project, { description: 'The project.' })
  project(@Root() r: FinancialReport, @Ctx() ctx: Context) {
    return authed(ctx).reader.link(r, 'project', Project);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who published it.' })
  publishedBy(@Root() r: FinancialReport, @Ctx() ctx: Context) {
    return r.publishedBy ? authed(ctx).reader.byId(User).load(r.publishedBy.id) : null;
  }

  @FieldResolver(() => FinancialReport, {
    nullable: true,
    description: 'The revision this one restates: the highest PUBLISHED or SUPERSEDED revision of the same period below this one. Null for an original (revision 1, or no earlier published revision) and when the viewer may not see it.',
  })
  restates(@Root() r: FinancialReport, @Ctx() ctx: Context) {
    return restatementLoaders(ctx).restated.load(r);
  }

  @FieldResolver(() => [ReportLineChange], {
    nullable: true,
    description: 'What this revision changes in the one it restates (restates), category by category, unchanged categories left out, in category order; [] when nothing differs. Null when it restates nothing the viewer may see.',
  })
  changes(@Root() r: FinancialReport, @Ctx() ctx: Context) {
    return changesOf(ctx, r);
  }

  @FieldResolver(() => FinancialReportLineConnection, { description: 'Lines by category.' })
  lines(@Root() r: FinancialReport, @Args() args: ConnectionArgs, @Ctx() ctx: Context) {
    return authed(ctx).reader.childConnection(FinancialReportLine, 'report', r, args, { sort: 'category' }, '');
  }
}

@Resolver(() => FinancialReportLine)
export class FinancialReportLineResolver {
  @FieldResolver(() => FinancialReport, { description: 'The report revision this line belongs to.' })
  report(@Root() line: FinancialReportLine, @Ctx() ctx: Context) {
    return authed(ctx).reader.link(line, 'report', FinancialReport);
  }
}

/** Project.financialReports: the financial-report module adds it, so the project module need not know its children. */
@Resolver(() => Project)
export class ProjectFinancialReportsResolver {
  @FieldResolver(() => FinancialReportConnection, { description: 'Financial report revisions: all for the operator, published and superseded ones for investors, none for partners.' })
  financialReports(
    @Root() project: Project,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => ReportFilter, { nullable: true }) filter: ReportFilter | null,
    @Arg('orderBy', () => ReportOrder, { nullable: true }) orderBy: ReportOrder | null,
    @Ctx() ctx: Context,
  ) {
    const { spec, key } = reportSpec(filter, orderBy);
    return authed(ctx).reader.childConnection(FinancialReport, 'project', project, args, spec, key);
  }
}

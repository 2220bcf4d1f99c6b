import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { authed, type Context } from '../../access/context';
import { connectionOf, ConnectionArgs } from '../../core/pagination';
import { User } from '../../model/identity.entity';
import { Project } from '../../model/project.entity';
import { FinancialReport, FinancialReportLine } from '../../model/financial-report.entity';

export const FinancialReportConnection = connectionOf(FinancialReport, 'FinancialReport');
export const FinancialReportLineConnection = connectionOf(FinancialReportLine, 'FinancialReportLine');

@Resolver(() => FinancialReport)
export class FinancialReportResolver {
  @FieldResolver(() => Project, { description: 'The project.' })
  project(@Root() r: FinancialReport, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(Project).load(r.project.id);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who published it.' })
  publishedBy(@Root() r: FinancialReport, @Ctx() ctx: Context) {
    return r.publishedBy ? authed(ctx).reader.byId(User).load(r.publishedBy.id) : null;
  }

  @FieldResolver(() => FinancialReportLineConnection, { description: 'Lines by category.' })
  lines(@Root() r: FinancialReport, @Args() args: ConnectionArgs, @Ctx() ctx: Context) {
    return authed(ctx).reader.childConnection(FinancialReportLine, 'report', r.id, args, { sort: 'category' }, '');
  }
}

@Resolver(() => FinancialReportLine)
export class FinancialReportLineResolver {
  @FieldResolver(() => FinancialReport, { description: 'The report revision this line belongs to.' })
  report(@Root() line: FinancialReportLine, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(FinancialReport).load(line.report.id);
  }
}

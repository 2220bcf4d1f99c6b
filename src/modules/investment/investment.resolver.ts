import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { authed, type Context } from '../../access/context';
import { connectionOf, ConnectionArgs } from '../../core/pagination';
import { Organization } from '../../model/identity.entity';
import { Project } from '../../model/project.entity';
import { Investment } from '../../model/investment.entity';

export const InvestmentConnection = connectionOf(Investment, 'Investment');

@Resolver(() => Investment)
export class InvestmentResolver {
  @FieldResolver(() => Project, { description: 'The project.' })
  project(@Root() i: Investment, @Ctx() ctx: Context) {
    return authed(ctx).reader.link(i, 'project', Project);
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'The investor organization.' })
  organization(@Root() i: Investment, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(Organization).load(i.organization.id);
  }
}

/** Project.investments: the investment module adds it, so the project module need not know its children. */
@Resolver(() => Project)
export class ProjectInvestmentsResolver {
  @FieldResolver(() => InvestmentConnection, { description: 'Investments: all for the operator, the viewer\'s own organization\'s for investors, none for partners.' })
  investments(@Root() project: Project, @Args() args: ConnectionArgs, @Ctx() ctx: Context) {
    return authed(ctx).reader.childConnection(Investment, 'project', project, args, { sort: 'committedOn' }, '');
  }
}

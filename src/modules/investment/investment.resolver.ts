import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { authed, type Context } from '../../access/context';
import { connectionOf } from '../../core/pagination';
import { Organization } from '../../model/identity.entity';
import { Project } from '../../model/project.entity';
import { Investment } from '../../model/investment.entity';

export const InvestmentConnection = connectionOf(Investment, 'Investment');

@Resolver(() => Investment)
export class InvestmentResolver {
  @FieldResolver(() => Project, { description: 'The project.' })
  project(@Root() i: Investment, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(Project).load(i.project.id);
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'The investor organization.' })
  organization(@Root() i: Investment, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(Organization).load(i.organization.id);
  }
}

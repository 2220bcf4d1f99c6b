import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { authed, type Context } from '../../access/context';
import { connectionOf } from '../../core/pagination';
import { Contract } from '../../model/contract.entity';
import { Milestone } from '../../model/milestone.entity';
import { Project } from '../../model/project.entity';
import { Deliverable } from '../../model/deliverable.entity';

export const DeliverableConnection = connectionOf(Deliverable, 'Deliverable');

@Resolver(() => Deliverable)
export class DeliverableResolver {
  @FieldResolver(() => Project, { description: 'The project (the contract\'s).' })
  project(@Root() d: Deliverable, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(Project).load(d.project.id);
  }

  @FieldResolver(() => Contract, { description: 'The contract it is delivered under.' })
  contract(@Root() d: Deliverable, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(Contract).load(d.contract.id);
  }

  @FieldResolver(() => Milestone, { nullable: true, description: 'The milestone it contributes to, if any.' })
  milestone(@Root() d: Deliverable, @Ctx() ctx: Context) {
    return d.milestone ? authed(ctx).reader.byId(Milestone).load(d.milestone.id) : null;
  }
}

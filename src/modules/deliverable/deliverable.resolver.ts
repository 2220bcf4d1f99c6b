import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { authed, type Context } from '../../access/context';
import { connectionOf, ConnectionArgs } from '../../core/pagination';
import { Contract } from '../../model/contract.entity';
import { Milestone } from '../../model/milestone.entity';
import { Project } from '../../model/project.entity';
import { Deliverable } from '../../model/deliverable.entity';
import { DeliverableFilter, DeliverableOrder, deliverableSpec } from './deliverable.inputs';

export const DeliverableConnection = connectionOf(Deliverable, 'Deliverable');

@Resolver(() => Deliverable)
export class DeliverableResolver {
  @FieldResolver(() => Project, { description: 'The project (the contract\'s).' })
  project(@Root() d: Deliverable, @Ctx() ctx: Context) {
    return authed(ctx).reader.link(d, 'project', Project);
  }

  @FieldResolver(() => Contract, { description: 'The contract it is delivered under.' })
  contract(@Root() d: Deliverable, @Ctx() ctx: Context) {
    return authed(ctx).reader.link(d, 'contract', Contract);
  }

  @FieldResolver(() => Milestone, { nullable: true, description: 'The milestone it contributes to, if any.' })
  milestone(@Root() d: Deliverable, @Ctx() ctx: Context) {
    return authed(ctx).reader.link(d, 'milestone', Milestone);
  }
}

/** Contract.deliverables: the deliverable module adds it, so the contract module need not know its children. */
@Resolver(() => Contract)
export class ContractDeliverablesResolver {
  @FieldResolver(() => DeliverableConnection, { description: 'Deliverables of this contract, by due date unless ordered otherwise.' })
  deliverables(
    @Root() c: Contract,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => DeliverableFilter, { nullable: true }) filter: DeliverableFilter | null,
    @Arg('orderBy', () => DeliverableOrder, { nullable: true }) orderBy: DeliverableOrder | null,
    @Ctx() ctx: Context,
  ) {
    const { spec, key } = deliverableSpec(filter, orderBy);
    return authed(ctx).reader.childConnection(Deliverable, 'contract', c, args, spec, key);
  }
}

/** Milestone.deliverables: the deliverable module adds it, so the milestone module need not know its children. */
@Resolver(() => Milestone)
export class MilestoneDeliverablesResolver {
  @FieldResolver(() => DeliverableConnection, { description: 'Deliverables linked to this milestone that the viewer may see.' })
  deliverables(
    @Root() m: Milestone,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => DeliverableFilter, { nullable: true }) filter: DeliverableFilter | null,
    @Arg('orderBy', () => DeliverableOrder, { nullable: true }) orderBy: DeliverableOrder | null,
    @Ctx() ctx: Context,
  ) {
    const { spec, key } = deliverableSpec(filter, orderBy);
    return authed(ctx).reader.childConnection(Deliverable, 'milestone', m, args, spec, key);
  }
}

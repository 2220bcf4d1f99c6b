import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { authed, type Context } from '../../access/context';
import { connectionOf, ConnectionArgs } from '../../core/pagination';
import { Deliverable } from '../../model/deliverable.entity';
import { DeliverableFilter, DeliverableOrder, deliverableSpec } from '../deliverable/deliverable.inputs';
import { DeliverableConnection } from '../deliverable/deliverable.resolver';
import { Organization } from '../../model/identity.entity';
import { Project } from '../../model/project.entity';
import { Contract } from '../../model/contract.entity';

export const ContractConnection = connectionOf(Contract, 'Contract');

@Resolver(() => Contract)
export class ContractResolver {
  @FieldResolver(() => Project, { description: 'The project.' })
  project(@Root() c: Contract, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(Project).load(c.project.id);
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'The partner organization delivering under this contract.' })
  counterparty(@Root() c: Contract, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(Organization).load(c.counterparty.id);
  }

  @FieldResolver(() => DeliverableConnection, { description: 'Deliverables of this contract, by due date unless ordered otherwise.' })
  deliverables(
    @Root() c: Contract,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => DeliverableFilter, { nullable: true }) filter: DeliverableFilter | null,
    @Arg('orderBy', () => DeliverableOrder, { nullable: true }) orderBy: DeliverableOrder | null,
    @Ctx() ctx: Context,
  ) {
    const { spec, key } = deliverableSpec(filter, orderBy);
    return authed(ctx).reader.childConnection(Deliverable, 'contract', c.id, args, spec, key);
  }
}

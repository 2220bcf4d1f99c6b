import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { authed, type Context } from '../../access/context';
import { connectionOf, ConnectionArgs } from '../../core/pagination';
import { Organization } from '../../model/identity.entity';
import { Project } from '../../model/project.entity';
import { Contract } from '../../model/contract.entity';
import { ContractFilter, contractSpec } from './contract.inputs';

export const ContractConnection = connectionOf(Contract, 'Contract');

@Resolver(() => Contract)
export class ContractResolver {
  @FieldResolver(() => Project, { description: 'The project.' })
  project(@Root() c: Contract, @Ctx() ctx: Context) {
    return authed(ctx).reader.link(c, 'project', Project);
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'The partner organization delivering under this contract.' })
  counterparty(@Root() c: Contract, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(Organization).load(c.counterparty.id);
  }
}

/** Project.contracts: the contract module adds it, so the project module need not know its children. */
@Resolver(() => Project)
export class ProjectContractsResolver {
  @FieldResolver(() => ContractConnection, { description: 'Contracts the viewer may see: all for the operator, a partner\'s own non-draft ones, none for investors.' })
  contracts(
    @Root() project: Project,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => ContractFilter, { nullable: true }) filter: ContractFilter | null,
    @Ctx() ctx: Context,
  ) {
    const { spec, key } = contractSpec(filter);
    return authed(ctx).reader.childConnection(Contract, 'project', project, args, spec, key);
  }
}

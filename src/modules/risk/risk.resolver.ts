import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { authed, type Context } from '../../access/context';
import { connectionOf, ConnectionArgs } from '../../core/pagination';
import { Contract } from '../../model/contract.entity';
import { User } from '../../model/identity.entity';
import { Project } from '../../model/project.entity';
import { Risk, RiskAssessment } from '../../model/risk.entity';
import { RiskFilter, RiskOrder, riskSpec } from './risk.inputs';

export const RiskConnection = connectionOf(Risk, 'Risk');
export const RiskAssessmentConnection = connectionOf(RiskAssessment, 'RiskAssessment');

@Resolver(() => Risk)
export class RiskResolver {
  @FieldResolver(() => Project, { description: 'The project.' })
  project(@Root() r: Risk, @Ctx() ctx: Context) {
    return authed(ctx).reader.link(r, 'project', Project);
  }

  @FieldResolver(() => Contract, { nullable: true, description: 'The contract the risk concerns, when the viewer may see it.' })
  contract(@Root() r: Risk, @Ctx() ctx: Context) {
    return authed(ctx).reader.link(r, 'contract', Contract);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who owns the risk (null until triaged, or when not visible to the viewer).' })
  owner(@Root() r: Risk, @Ctx() ctx: Context) {
    return r.owner ? authed(ctx).reader.byId(User).load(r.owner.id) : null;
  }

  @FieldResolver(() => RiskAssessmentConnection, { description: 'Assessment history, oldest first.' })
  assessments(@Root() r: Risk, @Args() args: ConnectionArgs, @Ctx() ctx: Context) {
    return authed(ctx).reader.childConnection(RiskAssessment, 'risk', r, args, { sort: 'assessedAt' }, '');
  }
}

@Resolver(() => RiskAssessment)
export class RiskAssessmentResolver {
  @FieldResolver(() => Risk, { description: 'The risk.' })
  risk(@Root() a: RiskAssessment, @Ctx() ctx: Context) {
    return authed(ctx).reader.link(a, 'risk', Risk);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who assessed it, when the viewer may see that user.' })
  assessedBy(@Root() a: RiskAssessment, @Ctx() ctx: Context) {
    return a.assessedBy ? authed(ctx).reader.byId(User).load(a.assessedBy.id) : null;
  }
}

/** Project.risks: the risk module adds it, so the project module need not know its children. */
@Resolver(() => Project)
export class ProjectRisksResolver {
  @FieldResolver(() => RiskConnection, { description: 'Risks the viewer may see, highest score first unless ordered otherwise.' })
  risks(
    @Root() project: Project,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => RiskFilter, { nullable: true }) filter: RiskFilter | null,
    @Arg('orderBy', () => RiskOrder, { nullable: true }) orderBy: RiskOrder | null,
    @Ctx() ctx: Context,
  ) {
    const { spec, key } = riskSpec(filter, orderBy);
    return authed(ctx).reader.childConnection(Risk, 'project', project, args, spec, key);
  }
}

import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { authed, type Context } from '../../access/context';
import { connectionOf, ConnectionArgs } from '../../core/pagination';
import { fieldRules } from '../../access/policy';
import { DecimalScalar } from '../../core/scalars';
import { Deliverable } from '../../model/deliverable.entity';
import { DeliverableFilter, DeliverableOrder, deliverableSpec } from '../deliverable/deliverable.inputs';
import { DeliverableConnection } from '../deliverable/deliverable.resolver';
import { Project } from '../../model/project.entity';
import { Milestone } from '../../model/milestone.entity';
import { isOverdue } from './milestone.inputs';

export const MilestoneConnection = connectionOf(Milestone, 'Milestone');

@Resolver(() => Milestone)
export class MilestoneResolver {
  @FieldResolver(() => Project, { description: 'The project.' })
  project(@Root() m: Milestone, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(Project).load(m.project.id);
  }

  @FieldResolver(() => DecimalScalar, { nullable: true, description: 'The part of the budget this milestone represents (earned value). Hidden from partners (FORBIDDEN).' })
  plannedValue(@Root() m: Milestone, @Ctx() ctx: Context): string | null {
    fieldRules.financials(authed(ctx).viewer);
    return m.plannedValue ?? null;
  }

  @FieldResolver(() => Boolean, { description: 'Due date passed (UTC) and not DONE or CANCELLED.' })
  overdue(@Root() m: Milestone): boolean {
    return isOverdue(m);
  }

  @FieldResolver(() => DeliverableConnection, { description: 'Deliverables linked to this milestone that the viewer may see.' })
  deliverables(
    @Root() m: Milestone,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => DeliverableFilter, { nullable: true }) filter: DeliverableFilter | null,
    @Arg('orderBy', () => DeliverableOrder, { nullable: true }) orderBy: DeliverableOrder | null,
    @Ctx() ctx: Context,
  ) {
    const { spec, key } = deliverableSpec(filter, orderBy);
    return authed(ctx).reader.childConnection(Deliverable, 'milestone', m.id, args, spec, key);
  }
}

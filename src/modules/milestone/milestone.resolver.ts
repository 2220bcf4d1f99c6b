import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { authed, type Context } from '../../access/context';
import { connectionOf, ConnectionArgs } from '../../core/pagination';
import { fieldRules } from '../../access/policy';
import { DecimalScalar } from '../../core/scalars';
import { Project } from '../../model/project.entity';
import { Milestone } from '../../model/milestone.entity';
import { isOverdue, MilestoneFilter, MilestoneOrder, milestoneSpec } from './milestone.inputs';

export const MilestoneConnection = connectionOf(Milestone, 'Milestone');

@Resolver(() => Milestone)
export class MilestoneResolver {
  @FieldResolver(() => Project, { description: 'The project.' })
  project(@Root() m: Milestone, @Ctx() ctx: Context) {
    return authed(ctx).reader.link(m, 'project', Project);
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
}

/** Project.milestones: the milestone module adds it, so the project module need not know its children. */
@Resolver(() => Project)
export class ProjectMilestonesResolver {
  @FieldResolver(() => MilestoneConnection, { description: 'Milestones, by due date unless ordered otherwise.' })
  milestones(
    @Root() project: Project,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => MilestoneFilter, { nullable: true }) filter: MilestoneFilter | null,
    @Arg('orderBy', () => MilestoneOrder, { nullable: true }) orderBy: MilestoneOrder | null,
    @Ctx() ctx: Context,
  ) {
    const { spec, key } = milestoneSpec(filter, orderBy);
    return authed(ctx).reader.childConnection(Milestone, 'project', project, args, spec, key);
  }
}

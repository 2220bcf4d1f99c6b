import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Access } from '../../access/access';
import { authed, type Context } from '../../access/context';
import { connectionOf, ConnectionArgs } from '../../core/pagination';
import { fieldRules } from '../../access/policy';
import { DecimalScalar } from '../../core/scalars';
import { User } from '../../model/identity.entity';
import { Project } from '../../model/project.entity';
import { ProjectFilter, ProjectOrder, projectSpec } from './project.inputs';
import { projectLoaders } from './project.loaders';

export const ProjectConnection = connectionOf(Project, 'Project');

@Resolver(() => Project)
export class ProjectResolver {
  @Access('authenticated')
  @Query(() => ProjectConnection, { description: 'The projects the viewer may see.' })
  projects(
    @Args() args: ConnectionArgs,
    @Arg('filter', () => ProjectFilter, { nullable: true }) filter: ProjectFilter | null,
    @Arg('orderBy', () => ProjectOrder, { nullable: true }) orderBy: ProjectOrder | null,
    @Ctx() ctx: Context,
  ) {
    return authed(ctx).reader.connection(Project, args, projectSpec(filter, orderBy).spec);
  }

  @FieldResolver(() => DecimalScalar, { nullable: true, description: 'Total budget. Hidden from partners (FORBIDDEN).' })
  budget(@Root() project: Project, @Ctx() ctx: Context): string {
    fieldRules.financials(authed(ctx).viewer);
    return project.budget;
  }

  @FieldResolver(() => [User], { description: 'The operator\'s managers of this project (the contacts for investors and partners).' })
  managers(@Root() project: Project, @Ctx() ctx: Context): Promise<User[]> {
    return projectLoaders(ctx).managers.load(project.id);
  }
}

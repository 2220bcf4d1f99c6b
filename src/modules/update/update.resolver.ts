import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { authed, type Context } from '../../access/context';
import { connectionOf, ConnectionArgs } from '../../core/pagination';
import { User } from '../../model/identity.entity';
import { Project } from '../../model/project.entity';
import { ProjectUpdate } from '../../model/update.entity';
import { UpdateFilter, updateSpec } from './update.inputs';

export const ProjectUpdateConnection = connectionOf(ProjectUpdate, 'ProjectUpdate');

@Resolver(() => ProjectUpdate)
export class ProjectUpdateResolver {
  @FieldResolver(() => Project, { description: 'The project.' })
  project(@Root() u: ProjectUpdate, @Ctx() ctx: Context) {
    return authed(ctx).reader.link(u, 'project', Project);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who wrote it.' })
  author(@Root() u: ProjectUpdate, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(User).load(u.author.id);
  }
}

/** Project.updates: the update module adds it, so the project module need not know its children. */
@Resolver(() => Project)
export class ProjectUpdatesResolver {
  @FieldResolver(() => ProjectUpdateConnection, { description: 'Progress updates for the viewer\'s audience, newest first.' })
  updates(
    @Root() project: Project,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => UpdateFilter, { nullable: true }) filter: UpdateFilter | null,
    @Ctx() ctx: Context,
  ) {
    const { spec, key } = updateSpec(filter);
    return authed(ctx).reader.childConnection(ProjectUpdate, 'project', project, args, spec, key);
  }
}

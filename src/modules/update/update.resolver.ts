import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { authed, type Context } from '../../access/context';
import { connectionOf } from '../../core/pagination';
import { User } from '../../model/identity.entity';
import { Project } from '../../model/project.entity';
import { ProjectUpdate } from '../../model/update.entity';

export const ProjectUpdateConnection = connectionOf(ProjectUpdate, 'ProjectUpdate');

@Resolver(() => ProjectUpdate)
export class ProjectUpdateResolver {
  @FieldResolver(() => Project, { description: 'The project.' })
  project(@Root() u: ProjectUpdate, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(Project).load(u.project.id);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who wrote it.' })
  author(@Root() u: ProjectUpdate, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(User).load(u.author.id);
  }
}

import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { authed, type Context } from '../../core/context';
import { connectionOf } from '../../core/pagination';
import { User } from '../identity/identity.entity';
import { Project } from '../project/project.entity';
import { ProjectUpdate } from './update.entity';

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

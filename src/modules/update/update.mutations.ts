import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../access/access';
import { can } from '../../access/policy';
import { authed, type Context } from '../../access/context';
import { EditProjectUpdateInput, EditProjectUpdatePayload, PostProjectUpdateInput, PostProjectUpdatePayload } from './update.mutation-inputs';
import { projectUpdateService } from './update.service';

/** FORBIDDEN messages of the role gates below. */
const OPERATE = 'Only the operator\'s administrators and project managers can post project updates';

@Resolver()
export class ProjectUpdateMutations {
  @Access(can.operate, OPERATE)
  @Mutation(() => PostProjectUpdatePayload, { description: 'Posts a progress update on a project (ADMIN, or a MANAGER of the project); the viewer is its author.' })
  postProjectUpdate(@Arg('input', () => PostProjectUpdateInput) input: PostProjectUpdateInput, @Ctx() ctx: Context) {
    return projectUpdateService.post(ctx, authed(ctx).viewer, input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => EditProjectUpdatePayload, { description: 'Edits one of your own project updates.' })
  editProjectUpdate(@Arg('input', () => EditProjectUpdateInput) input: EditProjectUpdateInput, @Ctx() ctx: Context) {
    return projectUpdateService.edit(ctx, authed(ctx).viewer, input);
  }
}

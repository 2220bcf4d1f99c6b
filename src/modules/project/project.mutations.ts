import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../access/access';
import { can } from '../../access/policy';
import { authed, type Context } from '../../access/context';
import {
  AssignProjectManagersInput, AssignProjectManagersPayload, ChangeProjectStatusInput, ChangeProjectStatusPayload, CreateProjectInput,
  CreateProjectPayload, UpdateProjectInput, UpdateProjectPayload,
} from './project.mutation-inputs';
import { projectService } from './project.service';

/** FORBIDDEN messages of the role gates below. */
const OPERATE = 'Only the operator\'s administrators and project managers can do this';
const CREATE = 'Only administrators can create projects';
const ASSIGN = 'Only administrators can assign project managers';

@Resolver()
export class ProjectMutations {
  @Access(can.administer, CREATE)
  @Mutation(() => CreateProjectPayload, { description: 'Creates a project (ADMIN). It starts PLANNED; assign its managers with assignProjectManagers.' })
  createProject(@Arg('input', () => CreateProjectInput) input: CreateProjectInput, @Ctx() ctx: Context) {
    return projectService.create(ctx, authed(ctx).viewer, input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => UpdateProjectPayload, { description: 'Changes a project\'s fields (ADMIN, or a MANAGER of the project).' })
  updateProject(@Arg('input', () => UpdateProjectInput) input: UpdateProjectInput, @Ctx() ctx: Context) {
    return projectService.update(ctx, authed(ctx).viewer, input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => ChangeProjectStatusPayload, { description: 'Moves a project to another status (ADMIN, or a MANAGER of the project).' })
  changeProjectStatus(@Arg('input', () => ChangeProjectStatusInput) input: ChangeProjectStatusInput, @Ctx() ctx: Context) {
    return projectService.changeStatus(ctx, authed(ctx).viewer, input);
  }

  @Access(can.administer, ASSIGN)
  @Mutation(() => AssignProjectManagersPayload, { description: 'Sets who manages a project (ADMIN).' })
  assignProjectManagers(@Arg('input', () => AssignProjectManagersInput) input: AssignProjectManagersInput, @Ctx() ctx: Context) {
    return projectService.assignManagers(ctx, authed(ctx).viewer, input);
  }
}

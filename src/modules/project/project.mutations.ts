import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../access/access';
import { authed, type Context } from '../../access/context';
import {
  AssignProjectManagersInput, AssignProjectManagersPayload, ChangeProjectStatusInput, ChangeProjectStatusPayload, CreateProjectInput,
  CreateProjectPayload, UpdateProjectInput, UpdateProjectPayload,
} from './project.mutation-inputs';
import { projectService } from './project.service';

@Resolver()
export class ProjectMutations {
  @Access('admin')
  @Mutation(() => CreateProjectPayload, { description: 'Creates a project (ADMIN). It starts PLANNED; assign its managers with assignProjectManagers.' })
  createProject(@Arg('input', () => CreateProjectInput) input: CreateProjectInput, @Ctx() ctx: Context) {
    return projectService.create(ctx, authed(ctx).viewer, input);
  }

  @Access('operator')
  @Mutation(() => UpdateProjectPayload, { description: 'Changes a project\'s fields (ADMIN, or a MANAGER of the project).' })
  updateProject(@Arg('input', () => UpdateProjectInput) input: UpdateProjectInput, @Ctx() ctx: Context) {
    return projectService.update(ctx, authed(ctx).viewer, input);
  }

  @Access('operator')
  @Mutation(() => ChangeProjectStatusPayload, { description: 'Moves a project to another status (ADMIN, or a MANAGER of the project).' })
  changeProjectStatus(@Arg('input', () => ChangeProjectStatusInput) input: ChangeProjectStatusInput, @Ctx() ctx: Context) {
    return projectService.changeStatus(ctx, authed(ctx).viewer, input);
  }

  @Access('admin')
  @Mutation(() => AssignProjectManagersPayload, { description: 'Sets who manages a project (ADMIN).' })
  assignProjectManagers(@Arg('input', () => AssignProjectManagersInput) input: AssignProjectManagersInput, @Ctx() ctx: Context) {
    return projectService.assignManagers(ctx, authed(ctx).viewer, input);
  }
}

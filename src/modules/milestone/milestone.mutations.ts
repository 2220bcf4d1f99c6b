import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../access/access';
import { can } from '../../access/policy';
import { authed, type Context } from '../../access/context';
import {
  CancelMilestoneInput, CancelMilestonePayload, ChangeMilestoneStatusInput, ChangeMilestoneStatusPayload, CreateMilestoneInput, CreateMilestonePayload,
  SetMilestoneProgressInput, SetMilestoneProgressPayload, UpdateMilestoneInput, UpdateMilestonePayload,
} from './milestone.mutation-inputs';
import { milestoneService } from './milestone.service';

/** FORBIDDEN messages of the role gates below. */
const OPERATE = 'Only the operator\'s administrators and project managers can change milestones';

@Resolver()
export class MilestoneMutations {
  @Access(can.operate, OPERATE)
  @Mutation(() => CreateMilestonePayload, { description: 'Adds a milestone to a project (ADMIN, or a MANAGER of the project).' })
  createMilestone(@Arg('input', () => CreateMilestoneInput) input: CreateMilestoneInput, @Ctx() ctx: Context) {
    return milestoneService.create(ctx, authed(ctx).viewer, input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => UpdateMilestonePayload, { description: 'Changes a milestone\'s title, description, due date or planned value (not once CANCELLED).' })
  updateMilestone(@Arg('input', () => UpdateMilestoneInput) input: UpdateMilestoneInput, @Ctx() ctx: Context) {
    return milestoneService.update(ctx, authed(ctx).viewer, input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => SetMilestoneProgressPayload, { description: 'Sets the progress of a PLANNED or IN_PROGRESS milestone.' })
  setMilestoneProgress(@Arg('input', () => SetMilestoneProgressInput) input: SetMilestoneProgressInput, @Ctx() ctx: Context) {
    return milestoneService.setProgress(ctx, authed(ctx).viewer, input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => ChangeMilestoneStatusPayload, { description: 'Moves a milestone to another status; DONE records completedAt.' })
  changeMilestoneStatus(@Arg('input', () => ChangeMilestoneStatusInput) input: ChangeMilestoneStatusInput, @Ctx() ctx: Context) {
    return milestoneService.changeStatus(ctx, authed(ctx).viewer, input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => CancelMilestonePayload, { description: 'Cancels a PLANNED or IN_PROGRESS milestone (final).' })
  cancelMilestone(@Arg('input', () => CancelMilestoneInput) input: CancelMilestoneInput, @Ctx() ctx: Context) {
    return milestoneService.cancel(ctx, authed(ctx).viewer, input);
  }
}

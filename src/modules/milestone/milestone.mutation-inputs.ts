import { Field, ID, InputType, Int } from 'type-graphql';
import { payloadOf, targetInputOf } from '../../write/payloads';
import { DecimalScalar, LocalDateScalar } from '../../core/scalars';
import { Milestone, MilestoneStatus } from '../../model/milestone.entity';

@InputType({ description: 'A new milestone of a project. It starts PLANNED with progress 0.' })
export class CreateMilestoneInput {
  @Field(() => ID, { description: 'Id of the project.' })
  projectId!: string;

  @Field({ description: 'Title, 1–200 characters.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Description (markdown, at most 20000 characters).' })
  description?: string | null;

  @Field(() => LocalDateScalar, { description: 'Due date, within the project\'s start and target end dates.' })
  dueDate!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'The part of the budget it represents (earned value).' })
  plannedValue?: string | null;
}

@InputType({ description: 'Changes to a milestone; omitted fields stay as they are.' })
export class UpdateMilestoneInput {
  @Field(() => ID, { description: 'Id of the milestone.' })
  id!: string;

  @Field(() => Int, { description: 'The version you read; a stale version is a VERSION_CONFLICT and nothing is written.' })
  version!: number;

  @Field(() => String, { nullable: true, description: 'Title, 1–200 characters.' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'Description (markdown).' })
  description?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Due date, within the project\'s dates.' })
  dueDate?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Planned value; null clears it.' })
  plannedValue?: string | null;
}

@InputType({ description: 'New progress of a PLANNED or IN_PROGRESS milestone.' })
export class SetMilestoneProgressInput {
  @Field(() => ID, { description: 'Id of the milestone.' })
  id!: string;

  @Field(() => Int, { description: 'The version you read.' })
  version!: number;

  @Field(() => Int, { description: 'Progress in percent, 0–100.' })
  progress!: number;
}

@InputType({
  description: 'A milestone status change: PLANNED → IN_PROGRESS; PLANNED|IN_PROGRESS → DONE (sets completedAt and progress 100); DONE → IN_PROGRESS (reopens); PLANNED|IN_PROGRESS → CANCELLED.',
})
export class ChangeMilestoneStatusInput {
  @Field(() => ID, { description: 'Id of the milestone.' })
  id!: string;

  @Field(() => Int, { description: 'The version you read.' })
  version!: number;

  @Field(() => MilestoneStatus, { description: 'The new status.' })
  status!: MilestoneStatus;
}

export const CancelMilestoneInput = targetInputOf('CancelMilestoneInput', 'Milestone', 'The PLANNED or IN_PROGRESS milestone to cancel (final).');
export type CancelMilestoneInput = InstanceType<typeof CancelMilestoneInput>;

export const CreateMilestonePayload = payloadOf(Milestone, 'milestone', 'CreateMilestonePayload', 'Result of createMilestone.');
export const UpdateMilestonePayload = payloadOf(Milestone, 'milestone', 'UpdateMilestonePayload', 'Result of updateMilestone.');
export const SetMilestoneProgressPayload = payloadOf(Milestone, 'milestone', 'SetMilestoneProgressPayload', 'Result of setMilestoneProgress.');
export const ChangeMilestoneStatusPayload = payloadOf(Milestone, 'milestone', 'ChangeMilestoneStatusPayload', 'Result of changeMilestoneStatus.');
export const CancelMilestonePayload = payloadOf(Milestone, 'milestone', 'CancelMilestonePayload', 'Result of cancelMilestone.');

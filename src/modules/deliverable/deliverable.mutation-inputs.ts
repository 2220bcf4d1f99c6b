import { Field, ID, InputType, Int } from 'type-graphql';
import { payloadOf, targetInputOf } from '../../write/payloads';
import { LocalDateScalar } from '../../core/scalars';
import { Deliverable } from '../../model/deliverable.entity';

@InputType({ description: 'A new deliverable on a contract. It starts PLANNED.' })
export class CreateDeliverableInput {
  @Field(() => ID, { description: 'Id of the contract (DRAFT, ACTIVE or SUSPENDED).' })
  contractId!: string;

  @Field(() => ID, { nullable: true, description: 'Id of a milestone of the same project it contributes to.' })
  milestoneId?: string | null;

  @Field({ description: 'Title, 1–200 characters.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Description (markdown, at most 20000 characters).' })
  description?: string | null;

  @Field(() => LocalDateScalar, { description: 'Due date, within the contract\'s start and end dates.' })
  dueDate!: string;
}

@InputType({ description: 'Changes to a deliverable (not once ACCEPTED); omitted fields stay as they are.' })
export class UpdateDeliverableInput {
  @Field(() => ID, { description: 'Id of the deliverable.' })
  id!: string;

  @Field(() => Int, { description: 'The version you read; a stale version is a VERSION_CONFLICT and nothing is written.' })
  version!: number;

  @Field(() => ID, { nullable: true, description: 'Id of a milestone of the same project; null unlinks it.' })
  milestoneId?: string | null;

  @Field(() => String, { nullable: true, description: 'Title, 1–200 characters.' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'Description (markdown).' })
  description?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Due date, within the contract\'s dates.' })
  dueDate?: string | null;
}

@InputType({ description: 'A partner\'s submission of a deliverable, while its contract is ACTIVE.' })
export class SubmitDeliverableInput {
  @Field(() => ID, { description: 'Id of the deliverable (IN_PROGRESS, or REJECTED for a resubmission).' })
  id!: string;

  @Field(() => Int, { description: 'The version you read.' })
  version!: number;

  @Field(() => String, { nullable: true, description: 'Note for the reviewer, at most 2000 characters.' })
  note?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Ids of files the submitter uploaded (POST /files) for this round, at most 20; they stay with the round.' })
  fileIds?: string[] | null;
}

@InputType({ description: 'The operator rejects a SUBMITTED deliverable.' })
export class RejectDeliverableInput {
  @Field(() => ID, { description: 'Id of the deliverable.' })
  id!: string;

  @Field(() => Int, { description: 'The version you read.' })
  version!: number;

  @Field({ description: 'Why, 1–2000 characters (the partner reads it).' })
  reason!: string;
}

@InputType({ description: 'The operator accepts a SUBMITTED deliverable (final).' })
export class AcceptDeliverableInput {
  @Field(() => ID, { description: 'Id of the deliverable.' })
  id!: string;

  @Field(() => Int, { description: 'The version you read.' })
  version!: number;

  @Field(() => String, { nullable: true, description: 'Optional comment for the partner, at most 2000 characters; kept on the round\'s review.' })
  comment?: string | null;
}

export const StartDeliverableInput = targetInputOf('StartDeliverableInput', 'Deliverable', 'A partner starts work on a PLANNED (or REJECTED) deliverable, while its contract is ACTIVE.');
export type StartDeliverableInput = InstanceType<typeof StartDeliverableInput>;

export const CreateDeliverablePayload = payloadOf(Deliverable, 'deliverable', 'CreateDeliverablePayload', 'Result of createDeliverable.');
export const UpdateDeliverablePayload = payloadOf(Deliverable, 'deliverable', 'UpdateDeliverablePayload', 'Result of updateDeliverable.');
export const StartDeliverablePayload = payloadOf(Deliverable, 'deliverable', 'StartDeliverablePayload', 'Result of startDeliverable.');
export const SubmitDeliverablePayload = payloadOf(Deliverable, 'deliverable', 'SubmitDeliverablePayload', 'Result of submitDeliverable.');
export const AcceptDeliverablePayload = payloadOf(Deliverable, 'deliverable', 'AcceptDeliverablePayload', 'Result of acceptDeliverable.');
export const RejectDeliverablePayload = payloadOf(Deliverable, 'deliverable', 'RejectDeliverablePayload', 'Result of rejectDeliverable.');

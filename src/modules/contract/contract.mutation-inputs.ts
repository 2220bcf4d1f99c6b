import { Field, ID, InputType, Int } from 'type-graphql';
import { payloadOf, targetInputOf } from '../../write/payloads';
import { DecimalScalar, LocalDateScalar } from '../../core/scalars';
import { Contract, ContractKind } from '../../model/contract.entity';

@InputType({ description: 'A new contract with a partner organization. It starts as a DRAFT, invisible to the partner until activated.' })
export class CreateContractInput {
  @Field(() => ID, { description: 'Id of the project.' })
  projectId!: string;

  @Field(() => ID, { description: 'Id of the partner organization (VENDOR or SUBCONTRACTOR).' })
  counterpartyId!: string;

  @Field({ description: 'Contract reference, 1–60 characters, e.g. ATL-C-003.' })
  reference!: string;

  @Field({ description: 'Title, 1–200 characters.' })
  title!: string;

  @Field(() => ContractKind, { description: 'How it is priced.' })
  kind!: ContractKind;

  @Field(() => DecimalScalar, { description: 'Contract value in the project\'s currency.' })
  value!: string;

  @Field(() => LocalDateScalar, { description: 'Start date.' })
  startDate!: string;

  @Field(() => LocalDateScalar, { description: 'End date, on or after the start date.' })
  endDate!: string;
}

@InputType({ description: 'Changes to a DRAFT contract; omitted fields stay as they are.' })
export class UpdateContractInput {
  @Field(() => ID, { description: 'Id of the contract.' })
  id!: string;

  @Field(() => Int, { description: 'The version you read; a stale version is a VERSION_CONFLICT and nothing is written.' })
  version!: number;

  @Field(() => ID, { nullable: true, description: 'Id of the partner organization.' })
  counterpartyId?: string | null;

  @Field(() => String, { nullable: true, description: 'Contract reference, 1–60 characters.' })
  reference?: string | null;

  @Field(() => String, { nullable: true, description: 'Title, 1–200 characters.' })
  title?: string | null;

  @Field(() => ContractKind, { nullable: true, description: 'How it is priced.' })
  kind?: ContractKind | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Contract value.' })
  value?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Start date, on or before every due date of the contract\'s deliverables.' })
  startDate?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'End date, on or after the start date and every due date of the contract\'s deliverables.' })
  endDate?: string | null;
}

@InputType({ description: 'Terminates an ACTIVE or SUSPENDED contract (final).' })
export class TerminateContractInput {
  @Field(() => ID, { description: 'Id of the contract.' })
  id!: string;

  @Field(() => Int, { description: 'The version you read.' })
  version!: number;

  @Field({ description: 'Why it is terminated, 1–2000 characters (the partner reads it).' })
  reason!: string;
}

export const ActivateContractInput = targetInputOf('ActivateContractInput', 'Contract', 'Activates a DRAFT contract: the partner sees it from now on.');
export type ActivateContractInput = InstanceType<typeof ActivateContractInput>;
export const SuspendContractInput = targetInputOf('SuspendContractInput', 'Contract', 'Suspends an ACTIVE contract (deliverables cannot be submitted meanwhile).');
export type SuspendContractInput = InstanceType<typeof SuspendContractInput>;
export const ResumeContractInput = targetInputOf('ResumeContractInput', 'Contract', 'Resumes a SUSPENDED contract.');
export type ResumeContractInput = InstanceType<typeof ResumeContractInput>;
export const CompleteContractInput = targetInputOf('CompleteContractInput', 'Contract', 'Completes an ACTIVE contract (final).');
export type CompleteContractInput = InstanceType<typeof CompleteContractInput>;

export const CreateContractPayload = payloadOf(Contract, 'contract', 'CreateContractPayload', 'Result of createContract.');
export const UpdateContractPayload = payloadOf(Contract, 'contract', 'UpdateContractPayload', 'Result of updateContract.');
export const ActivateContractPayload = payloadOf(Contract, 'contract', 'ActivateContractPayload', 'Result of activateContract.');
export const SuspendContractPayload = payloadOf(Contract, 'contract', 'SuspendContractPayload', 'Result of suspendContract.');
export const ResumeContractPayload = payloadOf(Contract, 'contract', 'ResumeContractPayload', 'Result of resumeContract.');
export const CompleteContractPayload = payloadOf(Contract, 'contract', 'CompleteContractPayload', 'Result of completeContract.');
export const TerminateContractPayload = payloadOf(Contract, 'contract', 'TerminateContractPayload', 'Result of terminateContract.');

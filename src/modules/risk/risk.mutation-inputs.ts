import { Field, ID, InputType, Int } from 'type-graphql';
import { payloadOf } from '../../write/payloads';
import { Risk, RiskCategory, RiskStatus, RiskVisibility } from '../../model/risk.entity';

@InputType({ description: 'A new risk in a project\'s register (operator). The viewer becomes its owner; it starts OPEN with a first assessment.' })
export class CreateRiskInput {
  @Field(() => ID, { description: 'Id of the project.' })
  projectId!: string;

  @Field(() => ID, { nullable: true, description: 'Id of a contract of the same project the risk concerns (needed for CONTRACT visibility).' })
  contractId?: string | null;

  @Field({ description: 'Title, 1–200 characters.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Description (markdown, at most 20000 characters).' })
  description?: string | null;

  @Field(() => RiskCategory, { description: 'Category.' })
  category!: RiskCategory;

  @Field(() => Int, { description: 'Likelihood, 1–5.' })
  likelihood!: number;

  @Field(() => Int, { description: 'Impact, 1–5.' })
  impact!: number;

  @Field(() => String, { nullable: true, description: 'How it is handled (markdown, at most 20000 characters).' })
  mitigationPlan?: string | null;

  @Field(() => RiskVisibility, { nullable: true, description: 'Who besides the operator sees it (default INTERNAL).' })
  visibility?: RiskVisibility | null;
}

@InputType({ description: 'A partner MEMBER raises a risk on one of their own contracts: visible to the operator and to their organization (CONTRACT), without an owner until the operator triages it.' })
export class RaiseRiskInput {
  @Field(() => ID, { description: 'Id of your organization\'s contract.' })
  contractId!: string;

  @Field({ description: 'Title, 1–200 characters.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Description (markdown, at most 20000 characters).' })
  description?: string | null;

  @Field(() => RiskCategory, { description: 'Category.' })
  category!: RiskCategory;

  @Field(() => Int, { description: 'Likelihood, 1–5.' })
  likelihood!: number;

  @Field(() => Int, { description: 'Impact, 1–5.' })
  impact!: number;
}

@InputType({ description: 'Changes to an OPEN or MITIGATING risk; omitted fields stay as they are. Likelihood and impact change through reassessRisk.' })
export class UpdateRiskInput {
  @Field(() => ID, { description: 'Id of the risk.' })
  id!: string;

  @Field(() => Int, { description: 'The version you read; a stale version is a VERSION_CONFLICT and nothing is written.' })
  version!: number;

  @Field(() => String, { nullable: true, description: 'Title, 1–200 characters.' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'Description (markdown).' })
  description?: string | null;

  @Field(() => RiskCategory, { nullable: true, description: 'Category.' })
  category?: RiskCategory | null;

  @Field(() => String, { nullable: true, description: 'Mitigation plan (markdown).' })
  mitigationPlan?: string | null;
}

@InputType({ description: 'A new assessment of an OPEN or MITIGATING risk, appended to its history.' })
export class ReassessRiskInput {
  @Field(() => ID, { description: 'Id of the risk.' })
  id!: string;

  @Field(() => Int, { description: 'The version you read.' })
  version!: number;

  @Field(() => Int, { description: 'Likelihood, 1–5.' })
  likelihood!: number;

  @Field(() => Int, { description: 'Impact, 1–5.' })
  impact!: number;

  @Field(() => String, { nullable: true, description: 'Why the assessment changed, at most 2000 characters.' })
  note?: string | null;
}

@InputType({ description: 'A risk status change: OPEN → MITIGATING → CLOSED; OPEN|MITIGATING → REALIZED.' })
export class ChangeRiskStatusInput {
  @Field(() => ID, { description: 'Id of the risk.' })
  id!: string;

  @Field(() => Int, { description: 'The version you read.' })
  version!: number;

  @Field(() => RiskStatus, { description: 'The new status.' })
  status!: RiskStatus;
}

@InputType({ description: 'Who besides the operator sees a risk. CONTRACT needs the risk to concern a contract.' })
export class ChangeRiskVisibilityInput {
  @Field(() => ID, { description: 'Id of the risk.' })
  id!: string;

  @Field(() => Int, { description: 'The version you read.' })
  version!: number;

  @Field(() => RiskVisibility, { description: 'The new visibility.' })
  visibility!: RiskVisibility;
}

@InputType({ description: 'Triage: makes an operator user who can manage the risk\'s project (ADMIN or one of its MANAGERs) the owner of an OPEN or MITIGATING risk.' })
export class AssignRiskOwnerInput {
  @Field(() => ID, { description: 'Id of the risk.' })
  id!: string;

  @Field(() => Int, { description: 'The version you read.' })
  version!: number;

  @Field(() => ID, { description: 'Id of the new owner.' })
  ownerId!: string;
}

export const CreateRiskPayload = payloadOf(Risk, 'risk', 'CreateRiskPayload', 'Result of createRisk.');
export const RaiseRiskPayload = payloadOf(Risk, 'risk', 'RaiseRiskPayload', 'Result of raiseRisk.');
export const UpdateRiskPayload = payloadOf(Risk, 'risk', 'UpdateRiskPayload', 'Result of updateRisk.');
export const ReassessRiskPayload = payloadOf(Risk, 'risk', 'ReassessRiskPayload', 'Result of reassessRisk.');
export const ChangeRiskStatusPayload = payloadOf(Risk, 'risk', 'ChangeRiskStatusPayload', 'Result of changeRiskStatus.');
export const ChangeRiskVisibilityPayload = payloadOf(Risk, 'risk', 'ChangeRiskVisibilityPayload', 'Result of changeRiskVisibility.');
export const AssignRiskOwnerPayload = payloadOf(Risk, 'risk', 'AssignRiskOwnerPayload', 'Result of assignRiskOwner.');

import { Field, ID, InputType, Int } from 'type-graphql';
import { payloadOf } from '../../write/payloads';
import { DecimalScalar, LocalDateScalar } from '../../core/scalars';
import { Investment } from '../../model/investment.entity';

@InputType({ description: 'Money an investor organization committed to a project (ADMIN). The investor sees the project from now on.' })
export class RecordInvestmentInput {
  @Field(() => ID, { description: 'Id of the project.' })
  projectId!: string;

  @Field(() => ID, { description: 'Id of the INVESTOR organization.' })
  organizationId!: string;

  @Field(() => DecimalScalar, { description: 'Committed amount, in the project\'s currency.' })
  committedAmount!: string;

  @Field(() => LocalDateScalar, { description: 'Date of the commitment.' })
  committedOn!: string;
}

@InputType({ description: 'Corrects an investment (ADMIN); omitted fields stay as they are.' })
export class UpdateInvestmentInput {
  @Field(() => ID, { description: 'Id of the investment.' })
  id!: string;

  @Field(() => Int, { description: 'The version you read; a stale version is a VERSION_CONFLICT and nothing is written.' })
  version!: number;

  @Field(() => DecimalScalar, { nullable: true, description: 'Committed amount.' })
  committedAmount?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Date of the commitment.' })
  committedOn?: string | null;
}

export const RecordInvestmentPayload = payloadOf(Investment, 'investment', 'RecordInvestmentPayload', 'Result of recordInvestment.');
export const UpdateInvestmentPayload = payloadOf(Investment, 'investment', 'UpdateInvestmentPayload', 'Result of updateInvestment.');

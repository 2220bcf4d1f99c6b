import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { payloadOf, targetInputOf } from '../../write/payloads';
import { DecimalScalar, LocalDateScalar } from '../../core/scalars';
import { UserError } from '../../core/user-error';
import { FinancialReport, SpendCategory } from '../../model/financial-report.entity';

@InputType({ description: 'Planned and actual spend of one category in the report\'s period.' })
export class FinancialReportLineInput {
  @Field(() => SpendCategory, { description: 'Category; at most one line per category.' })
  category!: SpendCategory;

  @Field(() => DecimalScalar, { description: 'Planned spend in the period.' })
  planned!: string;

  @Field(() => DecimalScalar, { description: 'Actual spend in the period.' })
  actual!: string;

  @Field(() => DecimalScalar, { description: 'Estimate to complete for this category, as of the period\'s end.' })
  estimateToComplete!: string;
}

@InputType({ description: 'A new DRAFT financial report (revision 1) for a period that has none yet.' })
export class CreateFinancialReportInput {
  @Field(() => ID, { description: 'Id of the project.' })
  projectId!: string;

  @Field(() => LocalDateScalar, { description: 'First day of the period.' })
  periodStart!: string;

  @Field(() => LocalDateScalar, { description: 'Last day of the period, after the first.' })
  periodEnd!: string;

  @Field(() => String, { nullable: true, description: 'Summary for readers (markdown, at most 20000 characters).' })
  summary?: string | null;

  @Field(() => [FinancialReportLineInput], { nullable: true, description: 'Lines, at most one per category.' })
  lines?: FinancialReportLineInput[] | null;
}

@InputType({ description: 'Changes to a DRAFT report: its summary, and its lines (replaced as a whole when given).' })
export class UpdateFinancialReportInput {
  @Field(() => ID, { description: 'Id of the report.' })
  id!: string;

  @Field(() => Int, { description: 'The version you read; a stale version is a VERSION_CONFLICT and nothing is written.' })
  version!: number;

  @Field(() => String, { nullable: true, description: 'Summary (markdown, at most 20000 characters).' })
  summary?: string | null;

  @Field(() => [FinancialReportLineInput], { nullable: true, description: 'All lines of the report from now on; categories left out are removed.' })
  lines?: FinancialReportLineInput[] | null;
}

@InputType({
  description: 'Publishes a DRAFT report (investors see it from now on); a restatement supersedes the revision it corrects, in the same transaction.',
})
export class PublishFinancialReportInput {
  @Field(() => ID, { description: 'Id of the FinancialReport.' })
  id!: string;

  @Field(() => Int, { description: 'The version of the FinancialReport you read; a stale version is a VERSION_CONFLICT and nothing is written.' })
  version!: number;

  @Field(() => Boolean, {
    defaultValue: false,
    description: 'Publish even though the draft leaves out categories (docs/state-machines.md#partial-reports): for a restatement, categories of the revision it restates; for a new period, categories that still had an estimate to complete in the previous period\'s report (their estimate would leave EAC). Without it, such a draft is refused with a VALIDATION error naming them.',
  })
  confirmMissingCategories!: boolean;
}
export const RestateFinancialReportInput = targetInputOf(
  'RestateFinancialReportInput', 'FinancialReport',
  'Starts a correction of a PUBLISHED report: a new DRAFT revision of the same period, prefilled from it.',
);
export type RestateFinancialReportInput = InstanceType<typeof RestateFinancialReportInput>;
export const DeleteFinancialReportInput = targetInputOf('DeleteFinancialReportInput', 'FinancialReport', 'Deletes a DRAFT report. Published reports are never deleted.');
export type DeleteFinancialReportInput = InstanceType<typeof DeleteFinancialReportInput>;

export const CreateFinancialReportPayload = payloadOf(FinancialReport, 'financialReport', 'CreateFinancialReportPayload', 'Result of createFinancialReport.');
export const UpdateFinancialReportPayload = payloadOf(FinancialReport, 'financialReport', 'UpdateFinancialReportPayload', 'Result of updateFinancialReport.');
@ObjectType('PublishFinancialReportPayload', { description: 'Result of publishFinancialReport.' })
export class PublishFinancialReportPayload {
  @Field(() => FinancialReport, { name: 'financialReport', nullable: true, description: 'The FinancialReport as it is after the mutation; null when it failed.' })
  object!: FinancialReport | null;

  @Field(() => [SpendCategory], {
    nullable: true,
    description: 'The categories this report leaves out, published because confirmMissingCategories was true: of the revision it restates, or, for a new period, those that still had an estimate to complete in the previous period\'s report (the audit event records them too); [] when none is missing; null when it failed.',
  })
  missingCategories!: SpendCategory[] | null;

  @Field(() => [UserError], { description: 'Expected failures (validation, invalid transition, version conflict); empty on success.' })
  userErrors!: UserError[];
}
export const RestateFinancialReportPayload = payloadOf(
  FinancialReport, 'financialReport', 'RestateFinancialReportPayload', 'Result of restateFinancialReport: the new DRAFT revision.',
);

@ObjectType({ description: 'Result of deleteFinancialReport.' })
export class DeleteFinancialReportPayload {
  @Field(() => ID, { name: 'deletedFinancialReportId', nullable: true, description: 'Id of the deleted report; null when it failed.' })
  object!: string | null;

  @Field(() => [UserError], { description: 'Expected failures (invalid transition, version conflict); empty on success.' })
  userErrors!: UserError[];
}

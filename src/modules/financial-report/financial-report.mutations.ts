import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../access/access';
import { can } from '../../access/policy';
import { authed, type Context } from '../../access/context';
import {
  CreateFinancialReportInput, CreateFinancialReportPayload, DeleteFinancialReportInput, DeleteFinancialReportPayload, PublishFinancialReportInput,
  PublishFinancialReportPayload, RestateFinancialReportInput, RestateFinancialReportPayload, UpdateFinancialReportInput, UpdateFinancialReportPayload,
} from './financial-report.mutation-inputs';
import { financialReportService } from './financial-report.service';

/** FORBIDDEN messages of the role gates below. */
const OPERATE = 'Only the operator\'s administrators and project managers can change financial reports';

@Resolver()
export class FinancialReportMutations {
  @Access(can.operate, OPERATE)
  @Mutation(() => CreateFinancialReportPayload, { description: 'Creates the DRAFT report of a period (ADMIN, or a MANAGER of the project).' })
  createFinancialReport(@Arg('input', () => CreateFinancialReportInput) input: CreateFinancialReportInput, @Ctx() ctx: Context) {
    return financialReportService.create(ctx, authed(ctx).viewer, input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => UpdateFinancialReportPayload, { description: 'Sets the summary and lines of a DRAFT report. Published reports are immutable.' })
  updateFinancialReport(@Arg('input', () => UpdateFinancialReportInput) input: UpdateFinancialReportInput, @Ctx() ctx: Context) {
    return financialReportService.update(ctx, authed(ctx).viewer, input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => PublishFinancialReportPayload, { description: 'Publishes a DRAFT report; for a restatement, the revision it corrects becomes SUPERSEDED.' })
  publishFinancialReport(@Arg('input', () => PublishFinancialReportInput) input: PublishFinancialReportInput, @Ctx() ctx: Context) {
    return financialReportService.publish(ctx, authed(ctx).viewer, input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => RestateFinancialReportPayload, { description: 'Starts the restatement of a PUBLISHED report: a new DRAFT revision prefilled from it.' })
  restateFinancialReport(@Arg('input', () => RestateFinancialReportInput) input: RestateFinancialReportInput, @Ctx() ctx: Context) {
    return financialReportService.restate(ctx, authed(ctx).viewer, input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => DeleteFinancialReportPayload, { description: 'Deletes a DRAFT report. Published and superseded reports are never deleted.' })
  deleteFinancialReport(@Arg('input', () => DeleteFinancialReportInput) input: DeleteFinancialReportInput, @Ctx() ctx: Context) {
    return financialReportService.delete(ctx, authed(ctx).viewer, input);
  }
}

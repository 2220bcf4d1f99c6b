import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { authed, type Context } from '../../access/context';
import { actionEnum, availableActions } from '../../write/actions';
import { FinancialReport } from '../../model/financial-report.entity';
import { reportMachine, reportMay } from './financial-report.transitions';

export const FinancialReportActionType = actionEnum(reportMachine, 'FinancialReportAction', 'A move in the financial report state machine, as offered by FinancialReport.availableActions.', {
  update: 'updateFinancialReport: edit the summary and lines of a DRAFT. ADMIN, or a MANAGER of the project.',
  delete: 'deleteFinancialReport: delete a DRAFT. ADMIN, or a MANAGER of the project.',
  publish: 'publishFinancialReport: DRAFT → PUBLISHED; the revision it corrects, if any, becomes SUPERSEDED. ADMIN, or a MANAGER of the project.',
  restate: 'restateFinancialReport: a new DRAFT revision of a PUBLISHED report\'s period. ADMIN, or a MANAGER of the project.',
  supersede: 'PUBLISHED → SUPERSEDED. Never offered: it happens when a later revision of the period is published.',
});

@Resolver(() => FinancialReport)
export class FinancialReportActionsResolver {
  @FieldResolver(() => [FinancialReportActionType.enum], {
    description: 'What the viewer may do next on this report: the moves its status allows that the viewer is entitled to, in the state machine\'s order. '
      + 'Checked on submit only: publishing needs at least one line; restating fails when a DRAFT revision of the period already exists.',
  })
  availableActions(@Root() r: FinancialReport, @Ctx() ctx: Context): string[] {
    return FinancialReportActionType.of(availableActions(reportMachine, reportMay, authed(ctx).viewer, r));
  }
}

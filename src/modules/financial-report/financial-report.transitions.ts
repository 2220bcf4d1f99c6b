import { machine } from '../../write/machine';
import { ReportStatus as S } from '../../model/financial-report.entity';

/**
 * DRAFT → PUBLISHED → SUPERSEDED. Only a DRAFT is edited or deleted; a
 * PUBLISHED report is corrected by `restate` (a new DRAFT revision of the
 * same period), and publishing that revision supersedes it.
 */
export const reportMachine = machine('FinancialReport', {
  update: { from: [S.DRAFT], to: null },
  delete: { from: [S.DRAFT], to: null },
  publish: { from: [S.DRAFT], to: S.PUBLISHED },
  restate: { from: [S.PUBLISHED], to: null },
  supersede: { from: [S.PUBLISHED], to: S.SUPERSEDED },
});
export type ReportAction = keyof typeof reportMachine.actions;

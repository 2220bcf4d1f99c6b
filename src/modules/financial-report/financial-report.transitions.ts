import { machine } from '../../write/machine';
import type { Permissions } from '../../write/actions';
import { can } from '../../access/policy';
import { type FinancialReport, ReportStatus as S } from '../../model/financial-report.entity';

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

/**
 * Who may perform each action, state aside: whoever manages the report's
 * project. `supersede` is never a viewer's move: it happens to the published
 * revision when a later revision of its period is published.
 */
export const reportMay: Permissions<ReportAction, FinancialReport> = {
  update: (v, r) => can.manageProject(v, r.project.id),
  delete: (v, r) => can.manageProject(v, r.project.id),
  publish: (v, r) => can.manageProject(v, r.project.id),
  restate: (v, r) => can.manageProject(v, r.project.id),
  supersede: () => false,
};

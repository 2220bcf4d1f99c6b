import { machine } from '../../write/machine';
import { MilestoneStatus as S } from '../../model/milestone.entity';

/**
 * PLANNED → IN_PROGRESS → DONE, DONE → IN_PROGRESS (reopened), PLANNED|IN_PROGRESS → CANCELLED (final).
 * `progress` and `update` keep the status and are refused on final states.
 */
export const milestoneMachine = machine('Milestone', {
  start: { from: [S.PLANNED], to: S.IN_PROGRESS },
  complete: { from: [S.PLANNED, S.IN_PROGRESS], to: S.DONE },
  reopen: { from: [S.DONE], to: S.IN_PROGRESS },
  cancel: { from: [S.PLANNED, S.IN_PROGRESS], to: S.CANCELLED },
  progress: { from: [S.PLANNED, S.IN_PROGRESS], to: null },
  update: { from: [S.PLANNED, S.IN_PROGRESS, S.DONE], to: null },
});
export type MilestoneAction = keyof typeof milestoneMachine.actions;

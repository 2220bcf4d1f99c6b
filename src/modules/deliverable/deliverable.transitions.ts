import { machine } from '../../write/machine';
import { DeliverableStatus as S } from '../../model/deliverable.entity';

/**
 * DESIGN.md section 2: PLANNED → IN_PROGRESS → SUBMITTED → ACCEPTED | REJECTED;
 * REJECTED → IN_PROGRESS | SUBMITTED (resubmission). An ACCEPTED deliverable is final.
 */
export const deliverableMachine = machine('Deliverable', {
  start: { from: [S.PLANNED, S.REJECTED], to: S.IN_PROGRESS },
  submit: { from: [S.IN_PROGRESS, S.REJECTED], to: S.SUBMITTED },
  accept: { from: [S.SUBMITTED], to: S.ACCEPTED },
  reject: { from: [S.SUBMITTED], to: S.REJECTED },
  update: { from: [S.PLANNED, S.IN_PROGRESS, S.SUBMITTED, S.REJECTED], to: null },
});
export type DeliverableAction = keyof typeof deliverableMachine.actions;

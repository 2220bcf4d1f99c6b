import { machine } from '../../write/machine';
import { can } from '../../access/policy';
import type { Permissions } from '../../write/actions';
import { type QaThread, ThreadStatus as S } from '../../model/thread.entity';

/**
 * A thread is OPEN while the asker wrote last, ANSWERED while the operator
 * did; a message from either side moves it between the two. CLOSED is final.
 * Publishing a private thread shares an answer, so it needs one.
 */
export const threadMachine = machine('QaThread', {
  answer: { from: [S.OPEN, S.ANSWERED], to: S.ANSWERED },
  followUp: { from: [S.OPEN, S.ANSWERED], to: S.OPEN },
  close: { from: [S.OPEN, S.ANSWERED], to: S.CLOSED },
  publish: { from: [S.ANSWERED, S.CLOSED], to: null },
});
export type ThreadAction = keyof typeof threadMachine.actions;

/**
 * Who may perform each action, state aside. A message from operator staff of
 * the project answers; one from the asking organization follows up (the
 * operator has no question of its own to follow up). Only staff close and
 * publish.
 */
export const threadMay: Permissions<ThreadAction, QaThread> = {
  answer: (v, t) => v.side === 'operator' && can.postInThread(v, t),
  followUp: (v, t) => v.side !== 'operator' && can.postInThread(v, t),
  close: (v, t) => can.manageProject(v, t.project.id),
  publish: (v, t) => can.manageProject(v, t.project.id),
};

import { machine } from '../../write/machine';
import { ThreadStatus as S } from '../../model/thread.entity';

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

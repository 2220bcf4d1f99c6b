import { machine } from '../../write/machine';
import { RiskStatus as S } from '../../model/risk.entity';

/**
 * DESIGN.md section 2: OPEN → MITIGATING → CLOSED; OPEN|MITIGATING → REALIZED.
 * CLOSED and REALIZED are final: no edits, reassessments or new owners.
 */
export const riskMachine = machine('Risk', {
  mitigate: { from: [S.OPEN], to: S.MITIGATING },
  close: { from: [S.MITIGATING], to: S.CLOSED },
  realize: { from: [S.OPEN, S.MITIGATING], to: S.REALIZED },
  reassess: { from: [S.OPEN, S.MITIGATING], to: null },
  update: { from: [S.OPEN, S.MITIGATING], to: null },
  assignOwner: { from: [S.OPEN, S.MITIGATING], to: null },
});
export type RiskAction = keyof typeof riskMachine.actions;

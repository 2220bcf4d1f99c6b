import { machine } from '../../write/machine';
import type { Permissions } from '../../write/actions';
import { can } from '../../access/policy';
import { type Risk, RiskStatus as S } from '../../model/risk.entity';

/**
 * docs/state-machines.md: OPEN → MITIGATING → CLOSED; OPEN|MITIGATING → REALIZED.
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

/**
 * Who may perform each action, state aside: whoever manages the risk's
 * project. Partners raise new risks on their contracts but never change one.
 */
export const riskMay: Permissions<RiskAction, Risk> = {
  mitigate: (v, r) => can.manageProject(v, r.project.id),
  close: (v, r) => can.manageProject(v, r.project.id),
  realize: (v, r) => can.manageProject(v, r.project.id),
  reassess: (v, r) => can.manageProject(v, r.project.id),
  update: (v, r) => can.manageProject(v, r.project.id),
  assignOwner: (v, r) => can.manageProject(v, r.project.id),
};

import { machine } from '../../write/machine';
import type { Permissions } from '../../write/actions';
import { can } from '../../access/policy';
import { today } from '../../core/dates';
import { type Contract, ContractStatus as S } from '../../model/contract.entity';

/** docs/state-machines.md: DRAFT → ACTIVE ⇄ SUSPENDED; ACTIVE → COMPLETED; ACTIVE|SUSPENDED → TERMINATED. Fields change only while DRAFT. */
export const contractMachine = machine('Contract', {
  activate: { from: [S.DRAFT], to: S.ACTIVE },
  suspend: { from: [S.ACTIVE], to: S.SUSPENDED },
  resume: { from: [S.SUSPENDED], to: S.ACTIVE },
  complete: { from: [S.ACTIVE], to: S.COMPLETED },
  terminate: { from: [S.ACTIVE, S.SUSPENDED], to: S.TERMINATED },
  update: { from: [S.DRAFT], to: null },
});
export type ContractAction = keyof typeof contractMachine.actions;

/** Who may perform each action, state aside: whoever manages the contract's project. Partners only read their contracts. */
export const contractMay: Permissions<ContractAction, Contract> = {
  activate: (v, c) => can.manageProject(v, c.project.id),
  suspend: (v, c) => can.manageProject(v, c.project.id),
  resume: (v, c) => can.manageProject(v, c.project.id),
  complete: (v, c) => can.manageProject(v, c.project.id),
  terminate: (v, c) => can.manageProject(v, c.project.id),
  update: (v, c) => can.manageProject(v, c.project.id),
};

/** COMPLETED and TERMINATED are final: nothing is owed under them any more. */
export const FINAL_CONTRACT: readonly S[] = [S.COMPLETED, S.TERMINATED];

/** End date passed (UTC) and the contract is not closed (COMPLETED or TERMINATED). */
export function isContractOverdue(c: Pick<Contract, 'endDate' | 'status'>, on = today()): boolean {
  return c.endDate < on && !FINAL_CONTRACT.includes(c.status);
}

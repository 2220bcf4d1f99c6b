import { machine } from '../../write/machine';
import { ContractStatus as S } from '../../model/contract.entity';

/** DESIGN.md section 2: DRAFT → ACTIVE ⇄ SUSPENDED; ACTIVE → COMPLETED; ACTIVE|SUSPENDED → TERMINATED. Fields change only while DRAFT. */
export const contractMachine = machine('Contract', {
  activate: { from: [S.DRAFT], to: S.ACTIVE },
  suspend: { from: [S.ACTIVE], to: S.SUSPENDED },
  resume: { from: [S.SUSPENDED], to: S.ACTIVE },
  complete: { from: [S.ACTIVE], to: S.COMPLETED },
  terminate: { from: [S.ACTIVE, S.SUSPENDED], to: S.TERMINATED },
  update: { from: [S.DRAFT], to: null },
});
export type ContractAction = keyof typeof contractMachine.actions;

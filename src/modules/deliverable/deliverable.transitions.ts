import { machine } from '../../write/machine';
import type { Permissions } from '../../write/actions';
import { can } from '../../access/policy';
import type { Viewer } from '../../access/viewer';
import { today } from '../../core/dates';
import { type Deliverable, DeliverableStatus as S } from '../../model/deliverable.entity';

/**
 * docs/state-machines.md: PLANNED → IN_PROGRESS → SUBMITTED → ACCEPTED | REJECTED;
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

/**
 * Who may perform each action, state aside. The operator (ADMIN, or a MANAGER
 * of the project) edits and decides; the contract's partner MEMBERs start and
 * submit, and only while the contract is ACTIVE (as of the start of the
 * request: the write re-checks it under lock).
 */
export const deliverableMay: Permissions<DeliverableAction, Deliverable> = {
  start: (v, d) => can.actOnContract(v, d.contract.id) && contractActive(v, d),
  submit: (v, d) => can.actOnContract(v, d.contract.id) && contractActive(v, d),
  accept: (v, d) => can.manageProject(v, d.project.id),
  reject: (v, d) => can.manageProject(v, d.project.id),
  update: (v, d) => can.manageProject(v, d.project.id),
};

function contractActive(v: Viewer, d: Deliverable): boolean {
  return v.activeContractIds?.has(d.contract.id) ?? false;
}

/** Still owed by the partner: a SUBMITTED deliverable waits for the operator, an ACCEPTED one is done. */
export const OWED_DELIVERABLE: readonly S[] = [S.PLANNED, S.IN_PROGRESS, S.REJECTED];

/** Due date passed (UTC) and still owed. */
export function isDeliverableOverdue(d: Pick<Deliverable, 'dueDate' | 'status'>, on = today()): boolean {
  return d.dueDate < on && OWED_DELIVERABLE.includes(d.status);
}

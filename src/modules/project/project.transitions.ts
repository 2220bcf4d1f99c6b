import { machine } from '../../write/machine';
import { ProjectStatus as S } from '../../model/project.entity';

/** PLANNED → ACTIVE ⇄ ON_HOLD; ACTIVE → COMPLETED; anything not final → CANCELLED. */
export const projectMachine = machine('Project', {
  activate: { from: [S.PLANNED, S.ON_HOLD], to: S.ACTIVE },
  hold: { from: [S.ACTIVE], to: S.ON_HOLD },
  complete: { from: [S.ACTIVE], to: S.COMPLETED },
  cancel: { from: [S.PLANNED, S.ACTIVE, S.ON_HOLD], to: S.CANCELLED },
});
export type ProjectAction = keyof typeof projectMachine.actions;

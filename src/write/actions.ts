/**
 * What a viewer may do next on one object, derived from the entity's state
 * machine and a per-action permission declared next to it. Clients read
 * `availableActions` instead of restating the machine, so a button is offered
 * exactly when the mutation behind it can succeed (barring a concurrent change
 * or a check on the input).
 *
 * Permissions are evaluated on the loaded row and the viewer only: listing a
 * thousand objects with their actions costs no statement more than listing them.
 */
import { registerEnumType } from 'type-graphql';
import type { Viewer } from '../access/viewer';
import type { Machine } from './machine';

/** Per action: may this viewer perform it on this object (state aside)? Must not query. */
export type Permissions<A extends string, T> = Readonly<Record<A, (viewer: Viewer, target: T) => boolean>>;

/** The actions whose `from` holds the object's status and that the viewer may perform, in the machine's order. */
export function availableActions<S extends string, A extends string, T extends { status: S }>(
  m: Machine<S, A>, may: Permissions<A, T>, viewer: Viewer, target: T,
): A[] {
  return (Object.keys(m.actions) as A[]).filter((a) => m.actions[a].from.includes(target.status) && may[a](viewer, target));
}

/** `assignOwner` → `ASSIGN_OWNER`: the GraphQL spelling of an action. */
export function actionName(action: string): string {
  return action.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/**
 * The GraphQL enum of a machine's actions, one value per action, each with its
 * description (a Record over the actions: adding an action to the machine and
 * forgetting to describe it does not compile). Returns the enum object and a
 * function mapping the machine's actions to its values.
 */
export function actionEnum<S extends string, A extends string>(
  m: Machine<S, A>, name: string, description: string, values: Readonly<Record<A, string>>,
): { enum: Record<string, string>; of: (actions: readonly A[]) => string[] } {
  const actions = Object.keys(m.actions) as A[];
  const enumObject = Object.fromEntries(actions.map((a) => [actionName(a), actionName(a)]));
  registerEnumType(enumObject, {
    name,
    description,
    valuesConfig: Object.fromEntries(actions.map((a) => [actionName(a), { description: values[a] }])),
  });
  return { enum: enumObject, of: (list) => list.map(actionName) };
}

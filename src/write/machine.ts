/** State machines as data: which action leads from which states to which. */
import { UserErrorCode } from '../core/user-error';
import { fail } from './checks';

export interface Transition<S extends string> {
  from: readonly S[];
  /** The new state; null: the action keeps the state (an edit allowed only in `from`). */
  to: S | null;
}

export interface Machine<S extends string, A extends string> {
  entity: string;
  actions: Record<A, Transition<S>>;
}

export function machine<S extends string, A extends string>(entity: string, actions: Record<A, Transition<S>>): Machine<S, A> {
  return { entity, actions };
}

/** The state `action` leads to from `current`, or null when not allowed. */
export function nextState<S extends string, A extends string>(m: Machine<S, A>, current: S, action: A): S | null {
  const t = m.actions[action];
  if (!t.from.includes(current)) return null;
  return t.to ?? current;
}

/** Like nextState, but an invalid pair is the INVALID_TRANSITION user error naming the current state. */
export function transition<S extends string, A extends string>(m: Machine<S, A>, current: S, action: A): S {
  const next = nextState(m, current, action);
  if (next === null) {
    const from = m.actions[action].from;
    fail(
      UserErrorCode.INVALID_TRANSITION,
      `${m.entity} is ${current}: ${action} is allowed only when it is ${from.join(' or ')}`,
    );
  }
  return next;
}

/** For "change status" mutations: the action that leads from `current` to `target`. */
export function actionTo<S extends string, A extends string>(m: Machine<S, A>, current: S, target: S): A {
  const actions = Object.keys(m.actions) as A[];
  const found = actions.find((a) => m.actions[a].to === target && m.actions[a].from.includes(current));
  if (!found) {
    const reachable = actions.filter((a) => m.actions[a].to !== null && m.actions[a].from.includes(current)).map((a) => m.actions[a].to);
    fail(
      UserErrorCode.INVALID_TRANSITION,
      `${m.entity} is ${current}: it cannot become ${target}` + (reachable.length ? ` (allowed: ${[...new Set(reachable)].join(', ')})` : ' (it is final)'),
      'status',
    );
  }
  return found;
}

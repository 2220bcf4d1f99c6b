import type { ActionState } from './useAction';
import { UserErrors } from './user-errors';

/**
 * What the last attempt of an action came to. `showDone: false` leaves the
 * success line to the caller: an action that removes its own item from a list
 * (accept, reject, publish) must announce it outside that item, or the line
 * vanishes with it as soon as the list refreshes.
 */
export function ActionFeedback({ state, onReload, showDone = true }: { state: ActionState; onReload: () => void; showDone?: boolean }) {
  return (
    <>
      <UserErrors errors={state.userErrors} onReload={onReload} />
      {state.failure && (
        <p className="notice notice-error" role="alert">
          {state.failure}
        </p>
      )}
      {showDone && state.done && (
        <p className="notice notice-success" role="status">
          {state.done}
        </p>
      )}
    </>
  );
}

import type { ActionState } from './useAction';
import { UserErrors } from './user-errors';

/**
 * What the last attempt of an action came to. `showDone: false` leaves the
 * success line to the caller: an action that can move its own item out of a
 * list (accept, reject, publish, any change under a status filter) announces
 * it above the list (components/Announcement.tsx), or the line would vanish
 * with the item as soon as the list refreshes.
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

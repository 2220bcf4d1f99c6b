import type { ActionState } from './useAction';
import { fieldOf, UserErrors } from './user-errors';

/**
 * What the last attempt of an action came to. `showDone: false` leaves the
 * success line to the caller: an action that can move its own item out of a
 * list (accept, reject, publish, any change under a status filter) announces
 * it above the list (components/Announcement.tsx), or the line would vanish
 * with the item as soon as the list refreshes. `inline` names the input
 * fields whose errors the form shows next to the field (FieldError): those
 * are left out here, every other error is listed.
 */
export function ActionFeedback({ state, onReload, showDone = true, inline = [] }: { state: ActionState; onReload: () => void; showDone?: boolean; inline?: readonly string[] }) {
  const errors = inline.length ? state.userErrors.filter((e) => e.code === 'VERSION_CONFLICT' || !inline.includes(fieldOf(e) ?? '')) : state.userErrors;
  return (
    <>
      <UserErrors errors={errors} onReload={onReload} />
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

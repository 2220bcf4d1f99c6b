import type { ActionState } from './useAction';
import { UserErrors } from './user-errors';

export function ActionFeedback({ state, onReload }: { state: ActionState; onReload: () => void }) {
  return (
    <>
      <UserErrors errors={state.userErrors} onReload={onReload} />
      {state.failure && (
        <p className="notice notice-error" role="alert">
          {state.failure}
        </p>
      )}
      {state.done && (
        <p className="notice notice-success" role="status">
          {state.done}
        </p>
      )}
    </>
  );
}

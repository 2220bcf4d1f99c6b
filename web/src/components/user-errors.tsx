import type { UserErrorCode } from '../gql/graphql';

export interface UserErrorLike {
  code: UserErrorCode;
  message: string;
  field?: readonly string[] | null;
}

/**
 * Expected failures of a mutation. A VERSION_CONFLICT means someone else
 * changed the object since it was loaded: nothing was written, and the only
 * safe next step is to look at the current state again.
 */
/**
 * The input field a user error is about: its path without the leading
 * "input" ("budget" for ["input", "budget"], "managerIds" for
 * ["input", "managerIds", "0"]); null when it concerns no one field.
 */
export function fieldOf(error: UserErrorLike): string | null {
  const path = error.field ?? [];
  return (path[0] === 'input' ? path[1] : path[0]) ?? null;
}

/**
 * The API's messages about one input field, shown next to that field. The
 * form's ActionFeedback gets the same field names as `inline`, so each
 * message appears once. `local` is the form's own refusal of the value
 * (an amount that is not exact), shown instead: nothing was sent then.
 */
export function FieldError({ errors, field, local }: { errors: readonly UserErrorLike[]; field: string; local?: string | null }) {
  const mine = local ? [local] : errors.filter((e) => e.code !== 'VERSION_CONFLICT' && fieldOf(e) === field).map((e) => e.message);
  if (mine.length === 0) return null;
  return (
    <span className="field-error text-bad small" role="alert">
      {mine.join(' ')}
    </span>
  );
}

export function UserErrors({ errors, onReload }: { errors: readonly UserErrorLike[]; onReload: () => void }) {
  if (errors.length === 0) return null;
  const conflict = errors.find((e) => e.code === 'VERSION_CONFLICT');
  if (conflict) {
    return (
      <div className="notice notice-conflict" role="alert">
        <p>
          <strong>Someone else changed this in the meantime.</strong> Your change was not saved, so nothing was overwritten. Reload to
          see the current state, then try again if it is still needed.
        </p>
        <button type="button" className="btn" onClick={onReload}>
          Reload
        </button>
      </div>
    );
  }
  return (
    <ul className="notice notice-error" role="alert">
      {errors.map((e, i) => (
        <li key={i}>{e.message}</li>
      ))}
    </ul>
  );
}

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

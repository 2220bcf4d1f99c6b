import type { ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { describeError } from '../lib/errors';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state state-empty">{children}</div>;
}

export function ErrorBox({ error, retry }: { error: CombinedError; retry?: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <p>{describeError(error)}</p>
      {retry && (
        <button type="button" className="btn" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function NotFound({ what = 'Page' }: { what?: string }) {
  return (
    <div className="state state-notfound" role="alert">
      <h2>{what} not found</h2>
      <p>It does not exist, or it is not shared with your organization.</p>
    </div>
  );
}

/** Renders loading / error for a query result and the children once data is there. */
export function QueryView<T>({
  result,
  retry,
  children,
  loadingLabel,
}: {
  result: { data?: T; fetching: boolean; error?: CombinedError };
  retry?: () => void;
  children: (data: T) => ReactNode;
  loadingLabel?: string;
}) {
  if (result.data) {
    return (
      <>
        {result.error && <ErrorBox error={result.error} retry={retry} />}
        {children(result.data)}
      </>
    );
  }
  if (result.error) return <ErrorBox error={result.error} retry={retry} />;
  return <Loading label={loadingLabel} />;
}

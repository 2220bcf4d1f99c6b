import { useId, type ReactNode } from 'react';

/**
 * A labelled form control: the label names the control for screen readers and tests alike.
 * `error` is what the API said about this field (components/user-errors.tsx FieldError), shown under it.
 */
export function Field({ label, hint, error, children }: { label: string; hint?: string; error?: ReactNode; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {hint && <span className="muted small">{hint}</span>}
      {error}
    </div>
  );
}

/** Decimal amounts stay strings: digits, an optional sign-free fraction of up to two places. */
export const DECIMAL_PATTERN = '\\d{1,13}(\\.\\d{1,2})?';

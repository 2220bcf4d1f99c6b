import { useId, type ReactNode } from 'react';

/** A labelled form control: the label names the control for screen readers and tests alike. */
export function Field({ label, hint, children }: { label: string; hint?: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {hint && <span className="muted small">{hint}</span>}
    </div>
  );
}

/** Decimal amounts stay strings: digits, an optional sign-free fraction of up to two places. */
export const DECIMAL_PATTERN = '\\d{1,13}(\\.\\d{1,2})?';

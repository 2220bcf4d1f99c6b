import { useState } from 'react';
import { parseAmount } from '../lib/money-input';

/**
 * An amount field's check on submit: `check(text)` returns the exact decimal
 * the API takes, `null` for an empty optional field, or `undefined` when the
 * text is refused, whose sentence is then in `error` (for the field's
 * FieldError) until the next check.
 */
export function useAmountCheck(optional = false): { error: string | null; check: (text: string) => string | null | undefined } {
  const [error, setError] = useState<string | null>(null);
  function check(text: string): string | null | undefined {
    if (optional && !text.trim()) {
      setError(null);
      return null;
    }
    const parsed = parseAmount(text);
    setError(parsed.ok ? null : parsed.message);
    return parsed.ok ? parsed.value : undefined;
  }
  return { error, check };
}

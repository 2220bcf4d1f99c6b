import { fromCents, toCents } from './money';

/** What the API's Decimal input accepts: no sign, at most 16 whole digits, at most 2 decimals. */
const AMOUNT = /^\d{1,16}(\.\d{1,2})?$/;

export type AmountInput = { ok: true; value: string } | { ok: false; message: string };

/**
 * An amount typed by a person, as the exact decimal string the API takes
 * ("12,500.5" → "12500.50"). Thousands separators and spaces are allowed;
 * anything else (a sign, a third decimal, letters, an exponent) is refused
 * with a sentence instead of being rounded or guessed. Never goes through a
 * JS number: the digits are checked as text and normalized in integer cents.
 */
export function parseAmount(text: string): AmountInput {
  const compact = text.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (compact === '') return { ok: false, message: 'Enter an amount' };
  if (/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(compact) || !compact.includes(',')) {
    const plain = compact.replace(/,/g, '');
    if (plain.startsWith('-')) return { ok: false, message: 'Amounts cannot be negative' };
    if (AMOUNT.test(plain)) return { ok: true, value: fromCents(toCents(plain)) };
    if (/^\d+\.\d{3,}$/.test(plain)) return { ok: false, message: 'At most 2 decimals (cents)' };
    if (/^\d{17,}(\.\d*)?$/.test(plain)) return { ok: false, message: 'Too large: at most 16 digits before the decimal point' };
  }
  return { ok: false, message: 'Not an amount: use digits with an optional decimal point, like 12500.50' };
}

/**
 * Money arrives as exact decimal strings ("1250000.00") and stays exact:
 * sums use integer cents in BigInt, formatting hands the string itself to
 * Intl (which formats a numeric string without going through a float).
 */

const DECIMAL = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;

export function toCents(value: string): bigint {
  const m = DECIMAL.exec(value.trim());
  if (!m) throw new Error(`not a decimal amount: ${value}`);
  const cents = BigInt(m[2]) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -cents : cents;
}

export function fromCents(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const whole = abs / 100n;
  const frac = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${frac}`;
}

export function sum(values: readonly string[]): string {
  return fromCents(values.reduce((acc, v) => acc + toCents(v), 0n));
}

export function subtract(a: string, b: string): string {
  return fromCents(toCents(a) - toCents(b));
}

export function compare(a: string, b: string): number {
  const d = toCents(a) - toCents(b);
  return d === 0n ? 0 : d < 0n ? -1 : 1;
}

type NumericString = `${number}`;

export function formatMoney(value: string | null | undefined, currency: string, options: { compact?: boolean } = {}): string {
  if (value === null || value === undefined) return '—';
  const fmt = new Intl.NumberFormat('en-GB', {
    style: 'currency',
    currency,
    ...(options.compact ? { notation: 'compact', maximumFractionDigits: 2 } : { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  });
  return fmt.format(value as NumericString);
}

/** A ratio or percentage that the API gives as a decimal string, shown as given. */
export function formatRatio(value: string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return value;
}

/**
 * Chart geometry only: recharts needs numbers to place points. The labels and
 * tooltips of every chart show the exact strings, never this value.
 */
export function plotValue(value: string): number {
  return Number(toCents(value)) / 100;
}

/** "0.6667" → "66.67 %": a 4-place ratio as a percentage, by moving the decimal point (no float). */
export function ratioAsPercent(value: string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const m = /^(-)?(\d+)(?:\.(\d*))?$/.exec(value);
  if (!m) return value;
  const frac = (m[3] ?? '').padEnd(2, '0');
  const whole = `${m[2]}${frac.slice(0, 2)}`.replace(/^0+(?=\d)/, '');
  const rest = frac.slice(2).replace(/0+$/, '');
  return `${m[1] ?? ''}${whole}${rest ? `.${rest}` : ''} %`;
}

/** a / b in whole percent, rounded down, computed on integer cents; null when b is 0. */
export function percentOf(a: string, b: string): number | null {
  const denominator = toCents(b);
  if (denominator === 0n) return null;
  return Number((toCents(a) * 100n) / denominator);
}

/**
 * Expected failures of a mutation and the checks that produce them. A
 * `UserErrorsAbort` rolls the transaction back (no partial change, no audit
 * event) and `mutate` turns it into the payload's userErrors.
 */
import { UserError, UserErrorCode } from '../core/user-error';
import { ForbiddenError } from '../core/errors';

// ---------------------------------------------------------------------------
// User errors

/** Thrown inside a mutation to roll it back and answer with userErrors. */
export class UserErrorsAbort extends Error {
  constructor(readonly userErrors: UserError[]) {
    super(userErrors.map((e) => e.message).join('; '));
  }
}

export function userError(code: UserErrorCode, message: string, field: string | null = null): UserError {
  return { code, message, field: field ? ['input', ...field.split('.')] : null };
}

export function fail(code: UserErrorCode, message: string, field: string | null = null): never {
  throw new UserErrorsAbort([userError(code, message, field)]);
}

// ---------------------------------------------------------------------------
// Input checks: collect every problem of an input, then fail once.

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export class Checks {
  private readonly errors: UserError[] = [];

  add(field: string, message: string, code = UserErrorCode.VALIDATION): void {
    this.errors.push(userError(code, message, field));
  }

  /**
   * Trimmed text of `min`–`max` characters; undefined stays undefined (not given).
   * `null` is refused: texts are never null in the model.
   */
  text(field: string, value: string, min: number, max: number): string;
  text(field: string, value: string | null | undefined, min: number, max: number): string | undefined;
  text(field: string, value: string | null | undefined, min: number, max: number): string | undefined {
    if (value === undefined) return undefined;
    if (value === null) {
      this.add(field, `${field} cannot be null`);
      return undefined;
    }
    const text = value.trim();
    if (text.length < min || text.length > max) {
      this.add(field, min > 0 ? `${field} must be ${min}–${max} characters (got ${text.length})` : `${field} must be at most ${max} characters (got ${text.length})`);
    }
    return text;
  }

  int(field: string, value: number | null | undefined, min: number, max: number): void {
    if (value === undefined) return;
    if (value === null || !Number.isInteger(value) || value < min || value > max) {
      this.add(field, `${field} must be a whole number from ${min} to ${max} (got ${value})`);
    }
  }

  /** `end` after `start` (strictly, or on/after when `allowEqual`). */
  order(field: string, start: string, end: string, allowEqual: boolean, what: string): void {
    if (allowEqual ? end < start : end <= start) this.add(field, `${what} (got ${start} to ${end})`);
  }

  email(field: string, value: string): string {
    const email = value.trim().toLowerCase();
    if (email.length > 320 || !EMAIL.test(email)) this.add(field, `${field} must be an email address such as name@example.com`);
    return email;
  }

  notNull(field: string, value: unknown): void {
    if (value === null) this.add(field, `${field} cannot be null`);
  }

  /** Throws the collected errors, if any. */
  done(): void {
    if (this.errors.length) throw new UserErrorsAbort([...this.errors]);
  }
}

/**
 * A money string as the Decimal scalar let it through ("12", "12.5", "12.50")
 * in canonical form with two decimals, done on the text: never a float.
 */
export function money(value: string): string;
export function money(value: string | null | undefined): string | null | undefined;
export function money(value: string | null | undefined): string | null | undefined {
  if (value === null || value === undefined) return value;
  const [whole, fraction = ''] = value.split('.');
  return `${whole}.${fraction.padEnd(2, '0')}`;
}

/** Text limits shared by every input, so the same field has the same rule everywhere. */
export const LIMITS = {
  title: 200,
  name: 200,
  /** Descriptions, bodies, summaries, mitigation plans (markdown). */
  text: 20_000,
  /** Rejection and termination reasons, submission and assessment notes. */
  note: 2_000,
} as const;

/** "an INVESTOR", "a VENDOR": messages name enum values with the right article. */
export function withArticle(word: string): string {
  return `${/^[AEIOU]/i.test(word) ? 'an' : 'a'} ${word}`;
}

/**
 * FORBIDDEN unless `allowed`: for a permission on a linked object (the project
 * of a new milestone, the contract of a raised risk), once it has been loaded
 * through the policy. Role gates are declared on the root field (@Access) and
 * permissions on a mutation's target by `Tx.target`.
 */
export function requireThat(allowed: boolean, message?: string): void {
  if (!allowed) throw new ForbiddenError(message);
}

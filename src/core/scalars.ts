/**
 * Money and calendar scalars. Money never becomes a JavaScript number: the
 * Decimal scalar carries strings from the GraphQL document to PostgreSQL
 * `numeric` and back.
 */
import { GraphQLScalarType, Kind } from 'graphql';

const DECIMAL_INPUT = /^(0|[1-9]\d{0,15})(\.\d{1,2})?$/;

export function checkMoney(value: unknown): string {
  if (typeof value !== 'string') {
    throw new TypeError('Decimal values are strings such as "1250000.00" (never numbers, to keep them exact)');
  }
  if (!/^-?\d+(\.\d+)?$/.test(value)) throw new TypeError(`"${value}" is not a decimal number`);
  if (value.startsWith('-')) throw new TypeError(`"${value}" is negative; amounts must be zero or more`);
  if (/\.\d{3,}$/.test(value)) throw new TypeError(`"${value}" has more than 2 decimals`);
  if (!DECIMAL_INPUT.test(value)) throw new TypeError(`"${value}" is too large (at most 16 digits before the decimal point)`);
  return value;
}

/** Normalizes what PostgreSQL returns for numeric(18,2) ("12.5" stays exact as a string). */
export function formatDecimal(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return `${value}.00`;
  throw new TypeError('Decimal values must come from PostgreSQL numeric as strings');
}

export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description:
    'An exact non-negative decimal amount with at most 2 decimals, as a string ("1250000.00"). Never a float. The currency is the project\'s.',
  serialize: formatDecimal,
  parseValue: checkMoney,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new TypeError('Decimal literals are strings such as "1250000.00"');
    return checkMoney(ast.value);
  },
});

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function checkDate(value: unknown): string {
  if (typeof value !== 'string') throw new TypeError('Date values are strings in the form YYYY-MM-DD');
  const m = DATE.exec(value);
  if (!m) throw new TypeError(`"${value}" is not a date in the form YYYY-MM-DD`);
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  if (d.getUTCFullYear() !== +m[1] || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) {
    throw new TypeError(`"${value}" is not a calendar date`);
  }
  return value;
}

export const LocalDateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar date without time, in the form YYYY-MM-DD (ISO 8601).',
  serialize(value) {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    return checkDate(value);
  },
  parseValue: checkDate,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new TypeError('Date literals are strings in the form YYYY-MM-DD');
    return checkDate(ast.value);
  },
});

/**
 * ISO 8601 with a time zone (Z or ±hh:mm). Years 0001–9999 only: JavaScript
 * accepts extended years such as +275760, which PostgreSQL cannot store.
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:[Zz]|[+-](\d{2}):?(\d{2}))$/;

function leap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function checkDateTime(value: unknown): Date {
  if (typeof value !== 'string') throw new TypeError('DateTime values are ISO 8601 strings such as "2024-05-01T12:00:00.000Z"');
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  const m = DATE_TIME.exec(value);
  if (!m) throw new TypeError(`"${shown}" is not an ISO 8601 date-time with a time zone, such as "2024-05-01T12:00:00.000Z"`);
  const [year, month, day, hour, minute, second = '0', zoneHour = '0', zoneMinute = '0'] = m.slice(1);
  const daysInMonth = new Date(Date.UTC(2000, +month, 0)).getUTCDate() - (+month === 2 && !leap(+year) ? 1 : 0);
  if (+month < 1 || +month > 12 || +day < 1 || +day > daysInMonth) throw new TypeError(`"${year}-${month}-${day}" is not a calendar date`);
  if (+year < 1 || +hour > 23 || +minute > 59 || +second > 59 || +zoneHour > 23 || +zoneMinute > 59) {
    throw new TypeError(`"${shown}" is not a valid date-time (years 0001 to 9999)`);
  }
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new TypeError(`"${shown}" is not a valid date-time (years 0001 to 9999)`);
  return d;
}

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An instant in UTC, in ISO 8601 form (2024-05-01T12:00:00.000Z). Inputs need a time zone (Z or ±hh:mm) and a year from 0001 to 9999.',
  serialize(value) {
    const d = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(d.getTime())) throw new TypeError('Invalid DateTime');
    return d.toISOString();
  },
  parseValue: checkDateTime,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new TypeError('DateTime literals are ISO 8601 strings');
    return checkDateTime(ast.value);
  },
});

const SIGNED_DECIMAL = /^-?\d+\.\d{2}$/;

/** Output only: differences and variances are computed by the server, never sent by clients. */
export const SignedDecimalScalar = new GraphQLScalarType({
  name: 'SignedDecimal',
  description:
    'An exact decimal amount with 2 decimals that may be negative (variances such as VAC, CV, SV), as a string ("-88850.50"). Never a float. The currency is the project\'s.',
  serialize: (value: unknown): string => {
    if (typeof value !== 'string' || !SIGNED_DECIMAL.test(value)) throw new TypeError('SignedDecimal values are exact decimal strings computed by the server');
    return value;
  },
  parseValue: () => {
    throw new TypeError('SignedDecimal is an output type');
  },
  parseLiteral: () => {
    throw new TypeError('SignedDecimal is an output type');
  },
});

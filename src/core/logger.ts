import pino, { type DestinationStream } from 'pino';

/**
 * Structured JSON logs. Request lines carry ids, names, timings and codes
 * only — never variables, headers or bodies — and the redaction below is a
 * second line of defence for anything that slips into an error object.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'variables',
  '*.variables',
  'jwt',
  'config.jwt',
];

/** Fields of driver errors that hold a statement's values as such (never logged). */
const VALUE_FIELDS = new Set(['parameters', 'params', 'bindings', 'values']);
/** Fields of driver errors whose text may quote values (kept, with the values blanked). */
const TEXT_FIELDS = new Set(['message', 'stack', 'detail', 'where', 'internalQuery', 'query', 'sql', 'sqlMessage', 'hint']);

/**
 * A failed statement's error carries the statement with its values inlined
 * (the driver prefixes the SQL to the message, PostgreSQL's `detail` quotes
 * the offending row or key) — and those values can be password hashes or
 * token hashes. The statement's text is what diagnoses it; its values are
 * replaced by `?`.
 */
export function withoutSqlValues(text: string): string {
  return text
    // E'…' escape strings, then plain '…' literals ('' is a quote inside one).
    .replace(/\b[Ee]'(?:[^'\\]|\\.|'')*'/g, '?')
    .replace(/'(?:[^']|'')*'/g, '?')
    // An unterminated literal (a message cut short) hides everything after its quote.
    .replace(/'[^']*$/, '?')
    // Values PostgreSQL quotes in its own messages (`invalid input syntax for type uuid: "…"`).
    .replace(/(invalid input (?:syntax|value) for (?:type|enum) [^:]+: )"(?:[^"]|"")*"/g, '$1"?"')
    // Details such as `Key (email)=(x@example.com) already exists` or `Failing row contains (…)`.
    .replace(/\)=\((?:[^()]|\([^()]*\))*\)/g, ')=(?)')
    .replace(/(Failing row contains |Array value contains )\((?:[^()]|\([^()]*\))*\)/gi, '$1(?)');
}

const SQL_STATEMENT = /\b(select|insert|update|delete|with|copy|call)\b[\s\S]*\b(from|into|set|where|values|as)\b/i;

/** A driver error (SQLSTATE code) or any error quoting a statement; other messages are left alone. */
function fromDatabase(obj: Record<string, unknown>): boolean {
  if (typeof obj.sqlState === 'string') return true;
  if (typeof obj.code === 'string' && /^[0-9A-Z]{5}$/.test(obj.code)) return true;
  return typeof obj.message === 'string' && SQL_STATEMENT.test(obj.message);
}

function scrub(value: unknown, depth = 0): unknown {
  if (depth > 5 || value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const database = fromDatabase(obj);
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (VALUE_FIELDS.has(key)) obj[key] = '[redacted]';
    else if (database && typeof v === 'string' && TEXT_FIELDS.has(key)) obj[key] = withoutSqlValues(v);
    else if (v && typeof v === 'object') scrub(v, depth + 1);
  }
  return obj;
}

/** pino's error serializer, with statement values blanked out of every error (and its nested errors). */
export function serializeError(err: unknown): unknown {
  return scrub(pino.stdSerializers.err(err as Error));
}

export function createLogger(level: string, destination?: DestinationStream) {
  const options = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: serializeError },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type Logger = ReturnType<typeof createLogger>;

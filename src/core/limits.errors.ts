/**
 * Rejections of the protection layer. They are request errors (no resolver
 * has run), carry an HTTP status for Apollo, and a code a client can act on.
 */
import { GraphQLError } from 'graphql';
import { HeaderMap } from '@apollo/server';

export type LimitCode = 'RATE_LIMITED' | 'MAX_COST_EXCEEDED' | 'BAD_USER_INPUT' | 'REQUEST_TIMEOUT' | 'SERVICE_UNAVAILABLE';

export const LIMIT_CODES: ReadonlySet<string> = new Set<LimitCode>(['RATE_LIMITED', 'MAX_COST_EXCEEDED', 'REQUEST_TIMEOUT', 'SERVICE_UNAVAILABLE']);

export class LimitError extends GraphQLError {
  /** Which rate limit refused the request (for the metrics; never sent to the client). */
  limit?: RateLimitName;

  constructor(message: string, code: LimitCode, status: number, extra: Record<string, unknown> = {}, headers: [string, string][] = []) {
    super(message, { extensions: { code, ...extra, http: { status, headers: new HeaderMap(headers) } } });
  }
}

/**
 * The protection layer's error behind `error`, if any: a LimitError thrown
 * from MikroORM's `onQuery` hook (the request deadline) reaches the resolver
 * converted into a DriverException that keeps its message and extensions
 * but not its class.
 */
export function limitErrorOf(error: unknown): LimitError | null {
  if (error instanceof LimitError) return error;
  if (!(error instanceof Error) || error.name !== 'DriverException') return null;
  const extensions = (error as { extensions?: { code?: unknown } }).extensions;
  return extensions?.code === 'REQUEST_TIMEOUT' ? new LimitError(error.message, 'REQUEST_TIMEOUT', 503) : null;
}

export type RateLimitName = 'sign_in' | 'cost_budget';

export function rateLimited(message: string, retryAfterSeconds: number, limit: RateLimitName): LimitError {
  const error = new LimitError(message, 'RATE_LIMITED', 429, { retryAfterSeconds }, [['retry-after', String(retryAfterSeconds)]]);
  error.limit = limit;
  return error;
}

export function databaseUnavailable(): LimitError {
  return new LimitError('The service is temporarily unavailable: retry in a few seconds', 'SERVICE_UNAVAILABLE', 503, { retryAfterSeconds: 2 }, [['retry-after', '2']]);
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300']);
const CONNECTION_MESSAGES = /Timeout acquiring a connection|Connection terminated|connection is closed|Client has encountered a connection error|the database system is (starting up|shutting down)|terminating connection due to administrator command|Knex: Timeout/i;

/** Whether an error (or one of its causes) says the database cannot be reached right now. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as { code?: unknown; message?: unknown; name?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown };
    if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return true;
    if (e.name === 'ConnectionException') return true;
    if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
    if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner))) return true;
    current = e.originalError ?? e.cause;
  }
  return false;
}

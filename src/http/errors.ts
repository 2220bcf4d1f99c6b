/**
 * Errors as clients see them: the GraphQL error formatter (what is masked,
 * what is kept) and the GraphQL-shaped body for requests answered before
 * they reach Apollo.
 */
import { unwrapResolverError } from '@apollo/server/errors';
import type { Response } from 'express';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { AppError } from '../core/errors';
import type { Logger } from '../core/logger';
import { databaseUnavailable, isDatabaseUnavailable, LIMIT_CODES, limitErrorOf } from '../core/limits.errors';
import { currentRequest, type RequestMeta } from '../core/request-meta';

/** Codes whose messages are written for the client (ours, Apollo's request errors, the protection layer's). */
export const KNOWN_CODES = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE', ...LIMIT_CODES,
]);

/** "Did you mean …?" reveals schema names; Apollo strips it from validation errors only, not from variable coercion errors. */
export function withoutSuggestions(message: string): string {
  return message.replace(/\s*Did you mean[^?]*\?/g, '');
}

/** graphql-js states its token limit in the message; in production the limits are not echoed. */
export function withoutLimits(message: string, exposeLimits: boolean): string {
  if (exposeLimits) return message;
  return message.replace(/Document contains more tha[nt] \d+ tokens\. Parsing aborted\./, 'Query document is too large: send a shorter query.');
}

/**
 * Masks every error that is not one of ours or a GraphQL request error:
 * Apollo strips stack traces in production but not messages, and a database
 * error message can carry hosts, SQL and data. The full cause is logged with
 * the request id; the client gets the request id only.
 */
export function makeFormatError(logger: Logger, exposeLimits = true) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const meta = currentRequest();
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code as string | undefined;
    const base = { locations: formatted.locations, path: formatted.path };
    let out: GraphQLFormattedError;
    if (original instanceof AppError) {
      out = { message: formatted.message, ...base, extensions: { code, ...pick(formatted.extensions, ['field']) } };
    } else if (limitErrorOf(original)) {
      out = { message: formatted.message, ...base, extensions: { code, ...pick(formatted.extensions, ['field', 'retryAfterSeconds']) } };
    } else if (isDatabaseUnavailable(original)) {
      logger.warn({ err: original, requestId: meta?.requestId, path: formatted.path }, 'database unavailable');
      const e = databaseUnavailable();
      out = { message: e.message, ...base, extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: e.extensions.retryAfterSeconds, requestId: meta?.requestId } };
    } else if (code && KNOWN_CODES.has(code) && !(original instanceof Error && !(original instanceof GraphQLError))) {
      out = { message: formatted.message, ...base, extensions: { code } };
    } else if (original instanceof GraphQLError && !original.originalError && code === undefined && !formatted.path) {
      // Input coercion errors (a bad Decimal, Date or enum in variables) are the client's and carry our own messages.
      out = { message: formatted.message, ...base, extensions: { code: 'BAD_USER_INPUT' } };
    } else {
      logger.error({ err: original, requestId: meta?.requestId, path: formatted.path }, 'unexpected error');
      out = { message: 'Internal server error', ...base, extensions: { code: 'INTERNAL_SERVER_ERROR', ...(meta ? { requestId: meta.requestId } : {}) } };
    }
    out = { ...out, message: withoutLimits(withoutSuggestions(out.message), exposeLimits) };
    if (meta) (meta.errorCodes ??= []).push(String(out.extensions?.code));
    return out;
  };
}

function pick(obj: Record<string, unknown> | undefined, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (obj && obj[k] !== undefined) out[k] = obj[k];
  return out;
}

/** A GraphQL-shaped error body for the requests that never reach Apollo. */
export function sendError(res: Response, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  const meta = res.locals.meta as RequestMeta | undefined;
  if (meta) (meta.errorCodes ??= []).push(code);
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  const req = res.req;
  if (req && !req.complete) {
    // Refused before its body was read (too large, wrong type): read and discard the rest and close,
    // so the client receives this answer instead of a connection reset while it is still sending.
    res.setHeader('Connection', 'close');
    req.resume();
  }
  res.status(status).json({ errors: [{ message, extensions: { code, ...(meta ? { requestId: meta.requestId } : {}) } }] });
}

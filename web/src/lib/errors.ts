import type { CombinedError } from 'urql';

/** A sentence a person can act on, from a failed request. */
export function describeError(error: CombinedError): string {
  if (error.networkError && error.graphQLErrors.length === 0) return 'The server could not be reached. Check your connection and try again.';
  const codes = new Set(error.graphQLErrors.map((e) => e.extensions?.code));
  if (codes.has('UNAUTHENTICATED')) return 'Your session has ended. Please sign in again.';
  if (codes.has('FORBIDDEN')) return 'You are not allowed to do this.';
  if (codes.has('NOT_FOUND')) return 'This item does not exist or is not visible to you.';
  if (codes.has('RATE_LIMITED')) return 'Too many requests in a short time. Wait a minute, then try again.';
  if (codes.has('REQUEST_TIMEOUT') || codes.has('SERVICE_UNAVAILABLE')) return 'The server is busy right now. Try again in a few seconds.';
  if (codes.has('GRAPHQL_VALIDATION_FAILED') || codes.has('MAX_COST_EXCEEDED'))
    return 'This page asked the server for something it does not offer: the portal and the server are out of step. Reload the page; if it persists, tell the operator.';
  if (codes.has('BAD_USER_INPUT')) return error.graphQLErrors[0]?.message ?? 'The request was not accepted.';
  const requestId = error.graphQLErrors.map((e) => e.extensions?.requestId).find(Boolean);
  return `Something went wrong on the server${requestId ? ` (request ${String(requestId)})` : ''}. Try again in a moment.`;
}

/**
 * What the HTTP layer knows about a request, for the GraphQL layer, the error
 * formatter and the request log: carried by AsyncLocalStorage so it reaches
 * places that see neither `req` nor the context (formatError, a failed
 * context creation).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { randomUUID } from 'node:crypto';
import { LimitError } from './limits.errors';

export interface RequestMeta {
  requestId: ReturnType<typeof randomUUID>;
  clientIp: string;
  startedAt: number;
  /** After this instant (epoch ms) no further field is resolved. */
  deadline: number;
  viewerId?: string | null;
  operationName?: string | null;
  operationType?: string | null;
  cost?: number;
  errorCodes?: string[];
  timedOut?: boolean;
}

export const requestStore = new AsyncLocalStorage<RequestMeta>();

export function currentRequest(): RequestMeta | undefined {
  return requestStore.getStore();
}

/**
 * Refuses to go on with a request past its deadline (the HTTP layer has
 * answered 503 already): called before every root field and every SQL
 * statement (src/db/orm.ts, `onQuery`), so a late request stops its work
 * instead of finishing it for nobody. Outside a request it does nothing.
 */
export function checkDeadline(): void {
  const meta = requestStore.getStore();
  if (meta && Date.now() > meta.deadline) {
    meta.timedOut = true;
    throw new LimitError('The request took too long and was stopped', 'REQUEST_TIMEOUT', 503);
  }
}

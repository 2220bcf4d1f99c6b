/**
 * What the HTTP layer knows about a request, for the GraphQL layer, the error
 * formatter and the request log: carried by AsyncLocalStorage so it reaches
 * places that see neither `req` nor the context (formatError, a failed
 * context creation).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { randomUUID } from 'node:crypto';

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

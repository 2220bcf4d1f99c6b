/**
 * A graphql-ws client in Node (the `ws` implementation) for the live tests:
 * one connection per subscriber, every message kept, and waits on conditions
 * rather than sleeps.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface Closed { code: number; reason: string }

export interface Subscriber {
  /** Every `next` payload received, in order. */
  messages: any[];
  /** The `error` message (an array of errors) or a transport failure, when one came. */
  error: unknown;
  completed: boolean;
  /** Resolves when the connection closes. */
  closed: Promise<Closed>;
  /** Resolves once `n` messages have come; rejects after `timeoutMs`. */
  waitFor(n: number, timeoutMs?: number): Promise<any[]>;
  /** Resolves when the subscription ends (complete, error or close). */
  ended(timeoutMs?: number): Promise<void>;
  dispose(): Promise<void>;
}

export function wsUrl(httpBase: string): string {
  return `${httpBase.replace(/^http/, 'ws').replace(/\/graphql$/, '')}/graphql`;
}

/** Opens a connection with `connectionParams` and runs one subscription on it. */
export function subscribe(url: string, connectionParams: Record<string, unknown> | null, query: string, variables: Record<string, unknown> = {}): Subscriber {
  let resolveClosed!: (c: Closed) => void;
  const closed = new Promise<Closed>((resolve) => (resolveClosed = resolve));
  const client: Client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: connectionParams ?? undefined,
    lazy: false,
    retryAttempts: 0,
    // A client that stops listening would otherwise answer nothing: the tests dispose explicitly.
    keepAlive: 0,
    on: {
      closed: (event) => {
        const e = event as { code: number; reason: string };
        resolveClosed({ code: e.code, reason: String(e.reason) });
      },
    },
    onNonLazyError: () => undefined,
  });
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const l of [...listeners]) l();
  };
  const sub: Subscriber = {
    messages: [],
    error: undefined,
    completed: false,
    closed,
    waitFor(n, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (sub.messages.length >= n) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(sub.messages);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`waited ${timeoutMs} ms for ${n} message(s), got ${sub.messages.length}: ${JSON.stringify(sub.messages)} error ${JSON.stringify(sub.error)}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    ended(timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (sub.completed || sub.error !== undefined) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`the subscription did not end within ${timeoutMs} ms`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    async dispose() {
      await client.dispose();
    },
  };
  client.subscribe({ query, variables }, {
    next: (value) => {
      sub.messages.push(value);
      changed();
    },
    error: (err) => {
      sub.error = err instanceof Error ? { message: err.message } : (err as { code?: number; reason?: string })?.code !== undefined ? { code: (err as any).code, reason: (err as any).reason } : err;
      changed();
    },
    complete: () => {
      sub.completed = true;
      changed();
    },
  });
  void closed.then(() => {
    if (!sub.completed && sub.error === undefined) sub.error = { closed: true };
    changed();
  });
  return sub;
}

/** Resolves when `condition()` holds (polled every 20 ms); rejects after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

import { createClient as createWsClient } from 'graphql-ws';
import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange } from 'urql';
import * as session from './session';

/** The server closes a live connection with 4401 when its token no longer signs anyone in. */
const UNAUTHORIZED = 4401;

/**
 * Live updates: one WebSocket to /graphql (graphql-transport-ws), opened on
 * the first subscription and closed a moment after the last. The token goes
 * in connection_init; a connection refused or ended for it ends the session,
 * like an UNAUTHENTICATED answer. Other closes (a server restart, a slow
 * reader) reconnect with backoff; the pages refetch on every live message,
 * so nothing missed meanwhile stays stale once a message arrives.
 */
function liveClient() {
  const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/graphql`;
  return createWsClient({
    url,
    lazy: true,
    lazyCloseTimeout: 3_000,
    retryAttempts: Infinity,
    connectionParams: () => {
      const token = session.getToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    shouldRetry: (event) => (event as { code?: number } | null)?.code !== UNAUTHORIZED,
    on: {
      closed: (event) => {
        if ((event as { code?: number } | null)?.code === UNAUTHORIZED && session.getToken()) session.end('expired');
      },
    },
  });
}

/**
 * One urql client for the app. The bearer token is read on every request;
 * an UNAUTHENTICATED answer (expired or revoked token, disabled user) ends
 * the session so the app returns to the sign-in page.
 */
export function createClient(): Client {
  const live = liveClient();
  return new Client({
    url: '/graphql',
    exchanges: [
      mapExchange({
        onError(error) {
          if (error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) session.end('expired');
        },
      }),
      cacheExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return {
            subscribe(sink) {
              const unsubscribe = live.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
      fetchExchange,
    ],
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: () => {
      const token = session.getToken();
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      return { headers };
    },
  });
}

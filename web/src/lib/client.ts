import { Client, cacheExchange, fetchExchange, mapExchange } from 'urql';
import * as session from './session';

/**
 * One urql client for the app. The bearer token is read on every request;
 * an UNAUTHENTICATED answer (expired or revoked token, disabled user) ends
 * the session so the app returns to the sign-in page.
 */
export function createClient(): Client {
  return new Client({
    url: '/graphql',
    exchanges: [
      mapExchange({
        onError(error) {
          if (error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) session.end('expired');
        },
      }),
      cacheExchange,
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

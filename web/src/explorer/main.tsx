/**
 * The GraphQL explorer served at GET /graphql (when SANDBOX is on): GraphiQL
 * built into web/dist with everything it needs, so it works offline and
 * under the portal's Content-Security-Policy (no remote origin). It talks to
 * the same origin's /graphql; the portal's session token, when there is
 * one, is filled in as the Authorization header (editable in the headers tab).
 */
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getToken } from '../lib/session';

type Params = { query: string; operationName?: string | null; variables?: unknown };

async function fetcher(params: Params, options?: { headers?: Record<string, unknown> }) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const [k, v] of Object.entries(options?.headers ?? {})) if (typeof v === 'string') headers[k] = v;
  const res = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify(params) });
  return res.json();
}

const token = getToken();
const defaultHeaders = token ? JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2) : undefined;
const defaultQuery = `# Sign in to the portal first (same browser) or paste a token in the headers tab:
# { "Authorization": "Bearer <access token or vnt_ API token>" }
{
  viewer {
    role
    user { email }
    organization { name kind }
  }
}
`;

createRoot(document.getElementById('explorer')!).render(
  <StrictMode>
    <GraphiQL fetcher={fetcher} defaultHeaders={defaultHeaders} defaultQuery={defaultQuery} shouldPersistHeaders={false} />
  </StrictMode>,
);

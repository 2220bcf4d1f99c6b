/**
 * A presented credential that is refused (invalid, expired, revoked, a
 * disabled user, a malformed Authorization header) answers HTTP 401 with an
 * RFC 6750 challenge, so HTTP clients and proxies see the failure without
 * reading the body. The body is what an anonymous request gets (each
 * protected root field UNAUTHENTICATED, with the reason), except that
 * `login` does not run: a stale token never signs anyone in behind a 401.
 *
 * A request without credentials is not challenged: it is anonymous, may call
 * `login`, and gets UNAUTHENTICATED (HTTP 200) on each protected field.
 * Errors decided before execution (validation, limits, deadline) keep their
 * own status.
 */
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { Kind, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Context } from '../access/context';
import { currentRequest } from '../core/request-meta';

const REALM = 'vantage';

/** RFC 6750 §3: `error_description` is a quoted-string of printable ASCII without `"` or `\`. */
function quoted(text: string): string {
  return text.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '');
}

/** The WWW-Authenticate value: `invalid_request` for a header that is not `Bearer <token>`, `invalid_token` otherwise. */
export function bearerChallenge(authorization: string | undefined, problem: string): string {
  const wellFormed = /^Bearer\s+\S+$/i.test((authorization ?? '').trim());
  return `Bearer realm="${REALM}", error="${wellFormed ? 'invalid_token' : 'invalid_request'}", error_description="${quoted(problem)}"`;
}

/** Response keys of the root `login` fields, through fragments. */
function loginKeys(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): string[] {
  const keys: string[] = [];
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      if (s.name.value === 'login') keys.push(s.alias?.value ?? 'login');
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      keys.push(...loginKeys(s.selectionSet, fragments, seen));
    } else if (!seen.has(s.name.value) && fragments.has(s.name.value)) {
      seen.add(s.name.value);
      keys.push(...loginKeys(fragments.get(s.name.value)!.selectionSet, fragments, seen));
    }
  }
  return keys;
}

export function bearerChallengePlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      let challenge: string | null = null;
      return {
        async didResolveOperation(rc) {
          const problem = rc.contextValue.authProblem;
          if (problem) challenge = bearerChallenge(rc.request.http?.headers.get('authorization'), problem);
        },
        async responseForOperation(rc) {
          const problem = rc.contextValue.authProblem;
          if (!problem || rc.operation?.operation !== 'mutation') return null;
          const fragments = new Map(rc.document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
          const keys = loginKeys(rc.operation.selectionSet, fragments);
          if (!keys.length) return null;
          const meta = currentRequest();
          if (meta) (meta.errorCodes ??= []).push(...keys.map(() => 'UNAUTHENTICATED'));
          return {
            http: { headers: new HeaderMap() },
            body: { kind: 'single', singleResult: { data: null, errors: keys.map((key) => ({ message: problem, path: [key], extensions: { code: 'UNAUTHENTICATED' } })) } },
          };
        },
        async willSendResponse(rc) {
          // Only over a successful execution's status: a 400, 429 or 503 decided earlier says more.
          if (!challenge || (rc.response.http.status !== undefined && rc.response.http.status !== 200)) return;
          rc.response.http.status = 401;
          rc.response.http.headers.set('www-authenticate', challenge);
        },
      };
    },
  };
}

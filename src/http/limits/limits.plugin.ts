/**
 * The protection layer between validation and execution, for every
 * operation:
 *
 * 0. no text input (literal or variable, at any depth) holds a NUL character;
 * 1. cost with the request's variables, and page sizes / id counts in bounds;
 * 2. sign-in attempts per client address, and failed ones per (account,
 *    client address) pair with a growing wait past a threshold, each aliased
 *    `login` of the document counted on its own;
 * 3. the viewer's cost budget per minute, shared by all instances.
 *
 * All run in `didResolveOperation`, so a rejected operation runs no
 * resolver. Every response reports the cost and the remaining budget in
 * `extensions.cost`. The request's deadline is enforced before each root
 * field (src/access/access.ts) and each SQL statement (src/db/orm.ts), not in a
 * per-field hook: defining `willResolveField` makes Apollo wrap every
 * resolver of the schema, which costs CPU on every field of large responses.
 */
import type { ApolloServerPlugin, GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import {
  getVariableValues, getArgumentValues, Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLSchema,
  type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';
import type { Context } from '../../access/context';
import type { LimitsConfig } from '../../config';
import { operationCost } from './cost';
import { LimitError, rateLimited } from '../../core/limits.errors';
import { accountKey, delayKey, loginDelaySeconds, pairKey, type RateLimits } from './limits.store';
import { currentRequest } from '../../core/request-meta';
import { findNul, nulMessage } from '../../core/text-input';

export interface CostReport {
  requestedQueryCost: number;
  maximumQueryCost: number;
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; resetInSeconds: number } | null;
}

interface LoginAttempt { responseKey: string; account: string }

/** The root `login` fields of a mutation, through fragments, with their coerced arguments. */
function loginAttempts(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>, variables: Record<string, unknown>): LoginAttempt[] {
  if (operation.operation !== 'mutation') return [];
  const loginField = schema.getMutationType()?.getFields().login;
  if (!loginField) return [];
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  // Invalid variables: execution refuses the operation before any resolver runs.
  if (coerced.errors) return [];
  const found: LoginAttempt[] = [];
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value !== 'login') continue;
        let email = '';
        try {
          const args = getArgumentValues(loginField, selection as FieldNode, coerced.coerced) as { input?: { email?: unknown } };
          email = typeof args.input?.email === 'string' ? args.input.email : '';
        } catch {
          continue;
        }
        found.push({ responseKey: selection.alias?.value ?? 'login', account: accountKey(email) });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        if (seen.has(name) || !fragments[name]) continue;
        seen.add(name);
        walk(fragments[name].selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return found;
}

function seconds(ms: number): number {
  return Math.max(0, Math.ceil(ms / 1000));
}

export function limitsPlugin(limits: LimitsConfig, store: RateLimits): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      let report: CostReport | null = null;
      let attempts: LoginAttempt[] = [];
      let clientIp = 'unknown';
      /** Each pair's wait after this request's attempts, should they fail. */
      const pairDelays = new Map<string, number>();

      return {
        async didResolveOperation(rc: GraphQLRequestContextDidResolveOperation<Context>) {
          const meta = currentRequest();
          const operation = rc.operation;
          if (!operation) return;
          const variables = (rc.request.variables ?? {}) as Record<string, unknown>;
          if (meta) {
            meta.operationName = rc.operationName;
            meta.operationType = operation.operation;
          }

          const nul = findNul(rc.document, variables);
          if (nul) throw new LimitError(nulMessage(nul), 'BAD_USER_INPUT', 400);

          let measured;
          try {
            measured = operationCost(rc.schema, rc.document, variables, rc.operationName ?? undefined);
          } catch (err) {
            const message = (err as Error).message;
            if (/maximum allowed number of nodes/.test(message)) {
              throw new LimitError('This query is too large: it expands to too many fields (check repeated fragment spreads).', 'MAX_COST_EXCEEDED', 400);
            }
            throw new LimitError(`The operation's variables are invalid: ${message}`, 'BAD_USER_INPUT', 400);
          }
          report = { requestedQueryCost: measured.cost, maximumQueryCost: limits.maxQueryCost, throttleStatus: null };
          if (meta) meta.cost = measured.cost;

          if (measured.violations.length) {
            const first = measured.violations[0];
            throw new LimitError(measured.violations.map((v) => v.message).join('; '), 'BAD_USER_INPUT', 400, { field: first.field });
          }
          if (measured.cost > limits.maxQueryCost) {
            throw new LimitError(
              limits.exposeLimits
                ? `This query costs ${measured.cost} points; the maximum is ${limits.maxQueryCost}. Ask for fewer items (first/last) or fewer nested connections.`
                : 'This query is too costly: ask for fewer items (first/last) or fewer nested connections.',
              'MAX_COST_EXCEEDED',
              400,
            );
          }

          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const def of rc.document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
          attempts = loginAttempts(rc.schema, operation, fragments, variables);
          if (attempts.length) {
            clientIp = meta?.clientIp ?? 'unknown';
            const refuse = (retry: number) => rateLimited(`Too many sign-in attempts: retry in ${retry} seconds`, retry, 'sign_in');
            const perAddress = await store.loginIp.spend(clientIp, attempts.length);
            if (!perAddress.allowed) throw refuse(perAddress.retryAfterSeconds);
            const pairs = new Map<string, number>();
            for (const a of attempts) {
              const pair = pairKey(a.account, clientIp);
              pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
            }
            // A pair still waiting after its last failure is refused, its count untouched: the wait only grows with answered attempts.
            const waits = await Promise.all([...pairs.keys()].map((pair) => store.loginDelay.pendingSeconds(delayKey(pair))));
            const waiting = Math.max(0, ...waits);
            if (waiting > 0) throw refuse(waiting);
            // Each attempt counts as failed until its success clears the pair (willSendResponse), so parallel
            // attempts cannot all slip under the threshold.
            let batchRefused = 0;
            await Promise.all([...pairs].map(async ([pair, count]) => {
              const spent = await store.loginAccount.spend(pair, count);
              const failures = spent.allowed ? spent.consumed : Number.MAX_SAFE_INTEGER;
              const delay = loginDelaySeconds(failures, limits);
              pairDelays.set(pair, delay);
              if (delay > 0) await store.loginDelay.hold(delayKey(pair), delay);
              // Several attempts on one pair past the threshold in one document are refused as a whole.
              if (count > 1 && failures > limits.loginAttemptsPerAccount) batchRefused = Math.max(batchRefused, delay);
            }));
            if (batchRefused > 0) throw refuse(batchRefused);
          }

          const viewerKey = rc.contextValue.viewer ? `user:${rc.contextValue.viewer.userId}` : `ip:${meta?.clientIp ?? 'unknown'}`;
          const spent = await store.cost.spend(viewerKey, measured.cost);
          if (!spent.allowed) {
            report.throttleStatus = { maximumAvailable: limits.costBudgetPerMinute, currentlyAvailable: 0, resetInSeconds: spent.retryAfterSeconds };
            throw rateLimited(
              `Query budget exhausted for this minute: retry in ${spent.retryAfterSeconds} seconds`,
              spent.retryAfterSeconds,
              'cost_budget',
            );
          }
          report.throttleStatus = { maximumAvailable: limits.costBudgetPerMinute, currentlyAvailable: spent.remaining, resetInSeconds: seconds(spent.resetMs) };
        },

        async willSendResponse(rc) {
          const body = rc.response.body;
          if (body.kind !== 'single') return;
          if (report) body.singleResult.extensions = { ...(body.singleResult.extensions ?? {}), cost: report };
          // A successful sign-in clears its pair's failed-attempt count and wait; after a failure the wait
          // starts again from the answer (it was set when the attempt started, against parallel attempts).
          const data = body.singleResult.data as Record<string, { token?: unknown } | null> | null | undefined;
          if (attempts.length && data) {
            const succeeded = new Set(attempts.filter((a) => typeof data[a.responseKey]?.token === 'string').map((a) => pairKey(a.account, clientIp)));
            await Promise.all([...pairDelays].map(([pair, delay]) => {
              if (succeeded.has(pair)) return Promise.all([store.loginAccount.forget(pair), store.loginDelay.forget(delayKey(pair))]);
              return delay > 0 ? store.loginDelay.hold(delayKey(pair), delay) : undefined;
            }));
          }
        },
      };
    },
  };
}

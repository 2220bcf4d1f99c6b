/**
 * The protection layer between validation and execution, for every
 * operation:
 *
 * 0. no text input (literal or variable, at any depth) holds a NUL character;
 * 1. cost with the request's variables, and page sizes / id counts in bounds;
 * 2. sign-in attempts per account and per client address, each aliased
 *    `login` of the document counted on its own;
 * 3. the viewer's cost budget per minute, shared by all instances.
 *
 * All run in `didResolveOperation`, so a rejected operation runs no
 * resolver. Every response reports the cost and the remaining budget in
 * `extensions.cost`. The request's deadline is enforced before each root
 * field (src/core/access.ts) and each SQL statement (src/db/orm.ts), not in a
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
import { accountKey, type RateLimits } from './limits.store';
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
            const ip = meta?.clientIp ?? 'unknown';
            const results = await Promise.all([
              store.loginIp.spend(ip, attempts.length),
              ...attempts.map((a) => store.loginAccount.spend(a.account, 1)),
            ]);
            const refused = results.filter((r) => !r.allowed) as { retryAfterSeconds: number }[];
            if (refused.length) {
              const retry = Math.max(...refused.map((r) => r.retryAfterSeconds));
              throw rateLimited(`Too many sign-in attempts: retry in ${retry} seconds`, retry);
            }
          }

          const viewerKey = rc.contextValue.viewer ? `user:${rc.contextValue.viewer.userId}` : `ip:${meta?.clientIp ?? 'unknown'}`;
          const spent = await store.cost.spend(viewerKey, measured.cost);
          if (!spent.allowed) {
            report.throttleStatus = { maximumAvailable: limits.costBudgetPerMinute, currentlyAvailable: 0, resetInSeconds: spent.retryAfterSeconds };
            throw rateLimited(
              `Query budget exhausted for this minute: retry in ${spent.retryAfterSeconds} seconds`,
              spent.retryAfterSeconds,
            );
          }
          report.throttleStatus = { maximumAvailable: limits.costBudgetPerMinute, currentlyAvailable: spent.remaining, resetInSeconds: seconds(spent.resetMs) };
        },

        async willSendResponse(rc) {
          const body = rc.response.body;
          if (body.kind !== 'single') return;
          if (report) body.singleResult.extensions = { ...(body.singleResult.extensions ?? {}), cost: report };
          // A successful sign-in clears its account's failed-attempt count.
          const data = body.singleResult.data as Record<string, { token?: unknown } | null> | null | undefined;
          if (attempts.length && data) {
            await Promise.all(
              attempts.filter((a) => typeof data[a.responseKey]?.token === 'string').map((a) => store.loginAccount.forget(a.account)),
            );
          }
        },
      };
    },
  };
}

/**
 * The cost of an operation, computed with the request's variables (armor's
 * cost rule reads only literals, so `first: $n` with n = 1e6 would pass it —
 * docs/pitfalls.md). Shopify-like: an object costs 1, a scalar 0, a connection
 * 1 + n × (its selection, at least 1) where n is first/last or the default
 * page size, so nested connections multiply. `nodes(ids:)` multiplies by the
 * number of ids.
 *
 * The same walk checks page sizes and id counts, so an oversized `first`
 * (literal or variable) is refused before any resolver runs.
 */
import {
  getNamedType, isLeafType, isObjectType, type DocumentNode, type GraphQLField, type GraphQLSchema,
} from 'graphql';
import { getComplexity, type ComplexityEstimatorArgs } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../core/pagination';
import { MAX_NODES } from '../../modules/node/node.resolver';

export interface OperationCost {
  cost: number;
  /** Arguments that are out of bounds, with a message for each. */
  violations: { field: string; message: string }[];
}

function isConnection(field: GraphQLField<unknown, unknown>): boolean {
  const named = getNamedType(field.type);
  return isObjectType(named) && named.name.endsWith('Connection') && 'pageInfo' in named.getFields() && 'first' in Object.fromEntries(field.args.map((a) => [a.name, a]));
}

export function operationCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined, operationName: string | undefined): OperationCost {
  const violations: OperationCost['violations'] = [];

  const estimator = ({ field, args, childComplexity, type }: ComplexityEstimatorArgs): number => {
    const named = getNamedType(field.type);
    if (isLeafType(named)) return 0;
    if (isConnection(field)) {
      let n = DEFAULT_PAGE_SIZE;
      for (const key of ['first', 'last'] as const) {
        const value = args[key];
        if (value === undefined || value === null) continue;
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
          violations.push({ field: key, message: `${key} must be zero or more (got ${String(value)})` });
          continue;
        }
        if (value > MAX_PAGE_SIZE) {
          violations.push({ field: key, message: `${key} must be at most ${MAX_PAGE_SIZE} (got ${value}); page through larger lists with after/before` });
        }
        n = value;
      }
      return 1 + n * Math.max(1, childComplexity);
    }
    if (type.name === 'Query' && field.name === 'nodes' && Array.isArray(args.ids)) {
      if (args.ids.length > MAX_NODES) {
        violations.push({ field: 'ids', message: `ids: at most ${MAX_NODES} ids per request (got ${args.ids.length})` });
      }
      return 1 + args.ids.length * (1 + childComplexity);
    }
    return 1 + childComplexity;
  };

  const cost = getComplexity({
    schema,
    query: document,
    variables: variables ?? {},
    operationName,
    estimators: [estimator],
  });
  return { cost, violations };
}

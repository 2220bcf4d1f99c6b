/**
 * The compiled executor: operations run as functions that graphql-jit
 * generates for each document (plain JavaScript, one path per selected
 * field), instead of graphql-js walking the document for every object of
 * every response. Everything before execution is Apollo's, as without it:
 * parsing, validation, the protection layer (cost, rates, deadline), trusted
 * documents; errors go through the same formatter.
 *
 * Plugged in as Apollo Server's gateway, its one way to replace execution:
 * the "gateway" serves the schema built here and executes with it.
 *
 * - Compiled operations are kept in a bounded LRU cache keyed by the
 *   document's hash and the operation name. A document is compiled the
 *   `compileAt`-th time it is seen (GRAPHQL_JIT_COMPILE_AT, default 2):
 *   compiling costs 2–6 ms of CPU for the portal's larger documents, about one
 *   whole request, which a one-off document (hand-written, or a client sending
 *   a new text on every request) would pay for nothing.
 * - graphql-js runs what is not compiled: first sightings, introspection (the
 *   explorer's, rare and large), subscriptions, anything graphql-jit refuses,
 *   and operations whose variables do not coerce (graphql-js then reports them
 *   with its own messages; no resolver has run).
 * - graphql-jit's errors are its own class; they are rebuilt as graphql-js
 *   errors with the same message, path, locations and original error, which
 *   Apollo and the error formatter (errors.ts) expect.
 * - Apollo's per-field plugin hook (willResolveField) works by replacing the
 *   schema's resolvers, lazily, the first time a request has such a plugin;
 *   compiled operations hold the resolvers they were compiled with, so the
 *   cache is emptied when that happens.
 */
import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import {
  execute, GraphQLError, visit, BREAK,
  type DocumentNode, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';
import type { Context } from '../access/context';
import { traceExecution } from '../ops/tracing';

type Gateway = ApolloServerOptionsWithGateway<Context>['gateway'];
type GatewayExecutor = NonNullable<Awaited<ReturnType<Gateway['load']>>['executor']>;
type ExecutionRequest = Parameters<GatewayExecutor>[0];

export type ExecutionKind = 'compiled' | 'interpreted';

export interface CompiledExecutorOptions {
  /** Compiled operations kept; the least recently used one is dropped beyond. */
  cacheSize: number;
  /** The sighting of a document at which it is compiled (1: the first); graphql-js runs the earlier ones. */
  compileAt: number;
  /** Called once per execution with the path it took (metrics). */
  onExecute?: (kind: ExecutionKind) => void;
}

export interface CompiledExecutor {
  /** For `new ApolloServer({ gateway })`. */
  gateway: Gateway;
  /** Operations compiled and cached now. */
  readonly size: number;
}

/** Marks a cached key whose operation graphql-js runs (see above). */
const INTERPRETED = 'interpreted' as const;
type Entry = CompiledQuery | typeof INTERPRETED;

/** Whether the document asks for the schema (introspection): left to graphql-js. */
function introspects(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** graphql-js's form of one of graphql-jit's errors (same message, path, locations, original error and extensions). */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const original = error.originalError ?? undefined;
  // A resolver that throws an error already located (with its path) keeps it, as graphql-js's locatedError does.
  if (original instanceof GraphQLError && original.path) return original;
  const rebuilt = new GraphQLError(error.message, { path: error.path, originalError: original, extensions: error.extensions });
  if (error.locations?.length) (rebuilt as { locations?: unknown }).locations = error.locations;
  return rebuilt;
}

/** Apollo marks its schema once it has wrapped every resolver for willResolveField (the symbol is not exported). */
function resolversWrappedByApollo(schema: GraphQLSchema): boolean {
  return Object.getOwnPropertySymbols(schema).some((s) => s.description === 'apolloServerPluginsEnabled');
}

export function createCompiledExecutor(schema: GraphQLSchema, options: CompiledExecutorOptions): CompiledExecutor {
  const compiled = new LRUCache<string, Entry>({ max: options.cacheSize });
  // Sightings of the keys not compiled yet; bounded the same way.
  const sightings = new LRUCache<string, number>({ max: options.cacheSize });
  let wrapped = false;

  function interpreted(request: ExecutionRequest): Promise<ExecutionResult> | ExecutionResult {
    options.onExecute?.('interpreted');
    return execute({
      schema,
      document: request.document,
      contextValue: request.context,
      variableValues: request.request.variables,
      operationName: request.request.operationName,
    });
  }

  function entryFor(key: string, request: ExecutionRequest): Entry | undefined {
    const cached = compiled.get(key);
    if (cached) return cached;
    const seen = (sightings.get(key) ?? 0) + 1;
    if (seen < options.compileAt) {
      sightings.set(key, seen);
      return undefined;
    }
    sightings.delete(key);
    let entry: Entry = INTERPRETED;
    const operation = request.operation as OperationDefinitionNode | undefined;
    if (operation && operation.operation !== 'subscription' && !introspects(request.document)) {
      try {
        const result = compileQuery(schema, request.document, request.request.operationName ?? undefined);
        if (isCompiledQuery(result)) entry = result;
      } catch {
        // A document graphql-jit cannot compile runs on graphql-js, as it always could.
        entry = INTERPRETED;
      }
    }
    compiled.set(key, entry);
    return entry;
  }

  const executor: GatewayExecutor = async (request) => {
    if (!wrapped && resolversWrappedByApollo(schema)) {
      wrapped = true;
      compiled.clear();
      sightings.clear();
    }
    const key = `${request.queryHash ?? request.source ?? ''}\u0000${request.request.operationName ?? ''}`;
    const entry = entryFor(key, request);
    if (!entry || entry === INTERPRETED) return interpreted(request);

    const operation = request.operation as OperationDefinitionNode | undefined;
    return traceExecution(operation, async () => {
      const result = await entry.query(undefined, request.context, request.request.variables ?? {});
      // Variables that do not coerce: no field has run; graphql-js reports them as it always has.
      if (!('data' in result)) return interpreted(request);
      options.onExecute?.('compiled');
      if (!result.errors?.length) return result;
      return { ...result, errors: result.errors.map(asGraphQLError) };
    });
  };

  const gateway: Gateway = {
    onSchemaLoadOrUpdate(callback) {
      // Called before load() returns: Apollo takes the schema from here.
      listener = callback;
      return () => {
        listener = null;
      };
    },
    async load() {
      listener?.({ apiSchema: schema, coreSupergraphSdl: '' });
      return { executor };
    },
    async stop() {
      compiled.clear();
      sightings.clear();
    },
  };
  let listener: Parameters<Gateway['onSchemaLoadOrUpdate']>[0] | null = null;

  return {
    gateway,
    get size() {
      return [...compiled.values()].filter((e) => e !== INTERPRETED).length;
    },
  };
}


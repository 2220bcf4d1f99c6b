/**
 * Prometheus metrics of one server: its own prom-client Registry (never the
 * global one, so two servers in one process — the tests — do not share or
 * collide), served at GET /metrics.
 *
 * What is measured:
 * - GraphQL requests: duration by operation name and outcome, and cost;
 * - executions by path (compiled or graphql-js) and the compiled operations kept;
 * - rate-limit rejections, by limit;
 * - the ORM's connection pool (in use, idle, waiting) and SQL statement durations;
 * - the job queue: jobs by task and state, read from graphile-worker's table at each scrape;
 * - the process: event-loop lag, CPU, memory, GC (prom-client's default metrics).
 *
 * Label values never come from the client unchecked: an operation name is
 * used only once the operation parsed and validated, truncated, and only for
 * the first `maxOperationNames` distinct names; later ones are "other".
 * Outcomes are the error codes the client receives (a closed set: the error
 * formatter masks everything else as INTERNAL_SERVER_ERROR).
 */
import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Express, Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Context } from '../access/context';
import type { MetricsConfig } from '../config';
import { LimitError } from '../core/limits.errors';
import { currentRequest } from '../core/request-meta';

/** Longest operation name kept as a label value. */
const NAME_MAX = 64;
/** Label values of requests whose operation has no usable name. */
export const ANONYMOUS = 'anonymous';
export const INVALID = 'invalid';
export const OTHER = 'other';

/** Error codes a response can carry (after masking); anything else is counted as OTHER_ERROR. */
const OUTCOME_CODES = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE', 'RATE_LIMITED', 'MAX_COST_EXCEEDED',
  'REQUEST_TIMEOUT', 'SERVICE_UNAVAILABLE', 'INTERNAL_SERVER_ERROR',
]);

/** First keyword of a statement, for the statement label (values never reach a label). */
const STATEMENT_KINDS = new Set(['select', 'insert', 'update', 'delete', 'begin', 'commit', 'rollback', 'savepoint', 'release', 'with', 'set', 'lock']);

/** Statements knex reports no end for (see below). */
export const TRANSACTION_CONTROL: ReadonlySet<string> = new Set(['begin', 'commit', 'rollback', 'savepoint', 'release']);

interface KnexQuery { __knexQueryUid?: string; sql?: string }

export function statementKind(sql: string): string {
  const word = /^\s*\(?\s*([A-Za-z]+)/.exec(sql)?.[1]?.toLowerCase() ?? '';
  return STATEMENT_KINDS.has(word) ? word : 'other';
}

/** Keeps the first `max` distinct operation names; every later one is OTHER. */
export class OperationNames {
  private readonly known = new Set<string>();

  constructor(private readonly max: number) {}

  label(name: string | null | undefined): string {
    if (!name) return ANONYMOUS;
    const value = name.slice(0, NAME_MAX);
    if (this.known.has(value)) return value;
    if (this.known.size >= this.max) return OTHER;
    this.known.add(value);
    return value;
  }
}

/** The response's outcome: ok, user_error (a payload's userErrors) or the first error's code. */
function outcomeOf(rc: GraphQLRequestContextWillSendResponse<Context>): string {
  const body = rc.response.body;
  if (body.kind !== 'single') return 'ok';
  const errors = body.singleResult.errors;
  if (errors?.length) {
    const code = String(errors[0].extensions?.code ?? 'INTERNAL_SERVER_ERROR');
    return OUTCOME_CODES.has(code) ? code : 'OTHER_ERROR';
  }
  const data = body.singleResult.data as Record<string, unknown> | null | undefined;
  for (const value of Object.values(data ?? {})) {
    const userErrors = (value as { userErrors?: unknown } | null)?.userErrors;
    if (Array.isArray(userErrors) && userErrors.length > 0) return 'user_error';
  }
  return 'ok';
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export interface ServerMetrics {
  registry: Registry;
  /** Apollo plugin: request durations, outcomes, costs, rate-limit rejections. */
  plugin: ApolloServerPlugin<Context>;
  /** Mounts GET /metrics (before the portal's catch-all). */
  mount(app: Express): void;
  /** Counts one execution by the path it took (src/http/executor.ts). */
  executed(kind: 'compiled' | 'interpreted'): void;
  /** Reports the number of compiled operations kept, read at each scrape. */
  compiledOperations(size: () => number): void;
}

export function createMetrics(orm: MikroORM, config: MetricsConfig): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const names = new OperationNames(config.maxOperationNames);

  const duration = new Histogram({
    name: 'vantage_graphql_request_duration_seconds',
    help: 'GraphQL requests, from the first byte to the response, by operation name and outcome (ok, user_error or the error code)',
    labelNames: ['operation', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const cost = new Histogram({
    name: 'vantage_graphql_operation_cost',
    help: 'Cost of each operation that was measured (see README, Protections), by operation name',
    labelNames: ['operation'] as const,
    buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'vantage_rate_limit_rejections_total',
    help: 'Requests refused with RATE_LIMITED, by limit (sign_in, cost_budget)',
    labelNames: ['limit'] as const,
    registers: [registry],
  });
  for (const limit of ['sign_in', 'cost_budget']) rateLimited.inc({ limit }, 0);
  const executions = new Counter({
    name: 'vantage_graphql_executions_total',
    help: 'Operations executed, by executor: compiled (graphql-jit) or interpreted (graphql-js: first sightings, introspection); nothing is counted with GRAPHQL_JIT=off',
    labelNames: ['executor'] as const,
    registers: [registry],
  });
  for (const executor of ['compiled', 'interpreted']) executions.inc({ executor }, 0);
  let compiledSize: () => number = () => 0;
  new Gauge({
    name: 'vantage_graphql_compiled_operations',
    help: 'Compiled operations kept in the executor\'s cache (at most GRAPHQL_JIT_CACHE_SIZE)',
    registers: [registry],
    collect() {
      this.set(compiledSize());
    },
  });

  const knex = orm.em.getConnection().getKnex();
  const pool = () => (knex.client as { pool?: { numUsed(): number; numFree(): number; numPendingAcquires(): number; numPendingCreates(): number; max: number } }).pool;
  new Gauge({
    name: 'vantage_db_pool_connections',
    help: 'Connections of the database pool, by state (in_use, idle)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const p = pool();
      this.set({ state: 'in_use' }, p?.numUsed() ?? 0);
      this.set({ state: 'idle' }, p?.numFree() ?? 0);
    },
  });
  new Gauge({
    name: 'vantage_db_pool_waiting',
    help: 'Requests waiting for a database connection (pool exhausted when this stays above 0)',
    registers: [registry],
    collect() {
      this.set(pool()?.numPendingAcquires() ?? 0);
    },
  });
  new Gauge({
    name: 'vantage_db_pool_max',
    help: 'Largest number of connections the pool opens',
    registers: [registry],
    collect() {
      this.set(pool()?.max ?? 0);
    },
  });

  // Every statement of the ORM goes through knex, which emits 'query' when it starts (the event the
  // statement-count tests read) and 'query-response' / 'query-error' when it ends — except for the
  // transaction control statements (BEGIN, COMMIT, ROLLBACK, SAVEPOINT), which end silently: those
  // are not timed, and nothing waits for them in the map below.
  const statement = new Histogram({
    name: 'vantage_db_statement_duration_seconds',
    help: 'SQL statements of the ORM (transaction control excepted), by kind (first keyword) and outcome (ok, error)',
    labelNames: ['statement', 'outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 15],
    registers: [registry],
  });
  const running = new Map<string, { at: bigint; kind: string }>();
  const finish = (q: KnexQuery | undefined, outcome: string) => {
    const uid = q?.__knexQueryUid;
    const start = uid ? running.get(uid) : undefined;
    if (!uid || !start) return;
    running.delete(uid);
    statement.observe({ statement: start.kind, outcome }, Number(process.hrtime.bigint() - start.at) / 1e9);
  };
  knex.on('query', (q: KnexQuery) => {
    const kind = statementKind(q?.sql ?? '');
    if (!q?.__knexQueryUid || TRANSACTION_CONTROL.has(kind)) return;
    // A bound on what a statement without an end event could leave behind.
    if (running.size >= 10_000) running.clear();
    running.set(q.__knexQueryUid, { at: process.hrtime.bigint(), kind });
  });
  knex.on('query-response', (_response: unknown, q: KnexQuery) => finish(q, 'ok'));
  knex.on('query-error', (_error: unknown, q: KnexQuery) => finish(q, 'error'));

  const plugin: ApolloServerPlugin<Context> = {
    async requestDidStart() {
      // Until the operation parsed and validated, its name is whatever the client sent: not a label.
      let operation = INVALID;
      return {
        async didResolveOperation(rc) {
          operation = names.label(rc.operationName);
        },
        async didEncounterErrors(rc) {
          for (const error of rc.errors) {
            if (error instanceof LimitError && error.limit) rateLimited.inc({ limit: error.limit });
          }
        },
        async willSendResponse(rc) {
          const meta = currentRequest();
          const seconds = meta ? (Date.now() - meta.startedAt) / 1000 : 0;
          duration.observe({ operation, outcome: outcomeOf(rc) }, seconds);
          if (meta?.cost !== undefined) cost.observe({ operation }, meta.cost);
        },
      };
    },
  };

  const expected = config.token ? digest(config.token) : null;
  const mount = (app: Express) => {
    app.get('/metrics', async (req: Request, res: Response) => {
      if (!config.enabled) {
        res.status(404).type('text/plain').send('Not found');
        return;
      }
      if (expected) {
        const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization?.trim() ?? '');
        if (!match || !timingSafeEqual(digest(match[1]), expected)) {
          res.status(401).setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
          res.type('text/plain').send('Unauthorized: send the metrics token as Authorization: Bearer <METRICS_TOKEN>');
          return;
        }
      }
      res.setHeader('Cache-Control', 'no-store');
      const body = await registry.metrics();
      // Exactly prom-client's content type (express would reorder its parameters).
      res.setHeader('Content-Type', registry.contentType);
      res.end(body);
    });
  };

  return {
    registry,
    plugin,
    mount,
    executed: (executor) => executions.inc({ executor }),
    compiledOperations(size) {
      compiledSize = size;
    },
  };
}

/** What the viewer cache reports (src/access/viewer-cache.ts). */
export interface ViewerCacheReport {
  readonly live: boolean;
  readonly size: number;
  readonly stats: { hits: number; misses: number; invalidations: number; connects: number; drops: number };
}

/**
 * The viewer cache on /metrics: whether it serves (0 means every request
 * reads its viewer: the listen connection is down or unproven), its size,
 * hits and misses, invalidations received, connections made and lost.
 */
export function viewerCacheMetrics(registry: Registry, cache: ViewerCacheReport): void {
  new Gauge({
    name: 'vantage_viewer_cache_live',
    help: '1 while the viewer cache listens for invalidations and serves; 0: every request reads its viewer',
    registers: [registry],
    collect() {
      this.set(cache.live ? 1 : 0);
    },
  });
  new Gauge({
    name: 'vantage_viewer_cache_entries',
    help: 'Credentials whose viewer the cache holds',
    registers: [registry],
    collect() {
      this.set(cache.size);
    },
  });
  new Counter({
    name: 'vantage_viewer_cache_lookups_total',
    help: 'Viewer cache lookups while it serves, by result (hit, miss)',
    labelNames: ['result'] as const,
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ result: 'hit' }, cache.stats.hits);
      this.inc({ result: 'miss' }, cache.stats.misses);
    },
  });
  new Counter({
    name: 'vantage_viewer_cache_events_total',
    help: 'Viewer cache events: invalidations received, listen connections made and lost',
    labelNames: ['event'] as const,
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ event: 'invalidation' }, cache.stats.invalidations);
      this.inc({ event: 'connect' }, cache.stats.connects);
      this.inc({ event: 'drop' }, cache.stats.drops);
    },
  });
}

export interface LiveReport {
  readonly size: number;
  readonly connections: number;
  readonly live: boolean;
  readonly stats: { received: number; delivered: number; skipped: number; merged: number; overflows: number; revoked: number };
}

/** Subscriptions (src/access/live.ts): active ones, connections, and what became of the messages heard. */
export function liveMetrics(registry: Registry, hub: LiveReport): void {
  new Gauge({
    name: 'vantage_subscriptions_active',
    help: 'Active GraphQL subscriptions on this instance',
    registers: [registry],
    collect() {
      this.set(hub.size);
    },
  });
  new Gauge({
    name: 'vantage_subscription_connections',
    help: 'Signed-in WebSocket connections on this instance',
    registers: [registry],
    collect() {
      this.set(hub.connections);
    },
  });
  new Counter({
    name: 'vantage_subscription_messages_total',
    help: 'Live messages: heard from the database, sent to a subscriber, skipped (not visible to it now), merged into one already queued',
    labelNames: ['result'] as const,
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ result: 'received' }, hub.stats.received);
      this.inc({ result: 'delivered' }, hub.stats.delivered);
      this.inc({ result: 'skipped' }, hub.stats.skipped);
      this.inc({ result: 'merged' }, hub.stats.merged);
    },
  });
  new Counter({
    name: 'vantage_subscription_closes_total',
    help: 'Connections closed by the server, by reason (too slow, credential no longer valid)',
    labelNames: ['reason'] as const,
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ reason: 'too_slow' }, hub.stats.overflows);
      this.inc({ reason: 'revoked' }, hub.stats.revoked);
    },
  });
}

/** A task's jobs by state, as the queue's table holds them at a scrape. */
const JOB_STATES = ['ready', 'scheduled', 'running', 'failed'] as const;

/**
 * The job queue (graphile-worker, docs/notifications.md): jobs by task and
 * state — ready to run, scheduled for later (retries wait here with their
 * back-off), running (locked by a worker), failed for good (out of
 * attempts). Read from the shared table, so every instance reports the whole
 * queue; a scrape while the database is unreachable reports nothing rather
 * than failing.
 */
export function jobQueueMetrics(registry: Registry, orm: MikroORM): void {
  const knex = orm.em.getConnection().getKnex();
  new Gauge({
    name: 'vantage_jobs',
    help: 'Jobs in the queue, by task and state (ready, scheduled, running, failed: out of attempts)',
    labelNames: ['task', 'state'] as const,
    registers: [registry],
    async collect() {
      let rows: { task: string; ready: string; scheduled: string; running: string; failed: string }[];
      try {
        const result = await knex.raw(
          `select task_identifier as task,
             count(*) filter (where locked_at is null and attempts < max_attempts and run_at <= now()) as ready,
             count(*) filter (where locked_at is null and attempts < max_attempts and run_at > now()) as scheduled,
             count(*) filter (where locked_at is not null) as running,
             count(*) filter (where locked_at is null and attempts >= max_attempts) as failed
           from graphile_worker.jobs group by task_identifier`,
        );
        rows = result.rows;
      } catch {
        rows = [];
      }
      this.reset();
      for (const row of rows) for (const state of JOB_STATES) this.set({ task: row.task, state }, Number(row[state]));
    },
  });
}

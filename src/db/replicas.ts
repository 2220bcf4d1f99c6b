/**
 * Read replicas (DATABASE_REPLICA_URLS) through MikroORM's `replicas` option,
 * with the routing decided per request:
 *
 * - Only the statements of a GraphQL *query* operation may go to a replica,
 *   and only those MikroORM sends on a 'read' connection outside a
 *   transaction (the scoped reader in src/access/reader.ts asks for one;
 *   `em.find`/`count` do so by default). Authentication, the viewer's
 *   memberships, the rate limits and every mutation — transactions, and the
 *   payload reads after them — stay on the primary: a revoked token or a
 *   removed membership must not survive on a lagging copy.
 * - Read-your-writes: after a viewer's transaction commits, that viewer's
 *   reads stay on the primary until a replica has replayed the primary's WAL
 *   position taken right after the commit, and at most REPLICA_STICKY_MS.
 *   The memory is per process (see docs/scaling.md for several instances).
 * - A replica that fails (refused, terminated, timed out) is skipped and the
 *   statement runs again on the primary; the replica is probed again after
 *   5 × REPLICA_CHECK_MS. A probe every REPLICA_CHECK_MS reads each replica's
 *   replay position, which also gives its lag (`replicaLag`).
 *
 * Which rows are read never changes here: only on which copy of the database.
 */
import type {
  AnyEntity, ConnectionOptions, ConnectionType, EntityData, EventSubscriber, LoggingOptions, MikroORM, QueryResult, Transaction, TransactionEventArgs,
} from '@mikro-orm/core';
import { PostgreSqlConnection, PostgreSqlDriver, type AbstractSqlConnection, type Configuration, type Knex } from '@mikro-orm/postgresql';
import { isDatabaseUnavailable } from '../core/limits.errors';
import { currentRequest, type RequestMeta } from '../core/request-meta';

export interface ReplicaOptions {
  urls: string[];
  /** Longest a viewer's reads stay on the primary after its own write. */
  stickyMs: number;
  /** How often each replica's replay position is probed. */
  checkMs: number;
  /** Told when a replica starts or stops serving reads (for the log). */
  onHealthChange?: (replica: string, healthy: boolean, error: string | null) => void;
}

/** A WAL position (`16/B374D848`) as a number that compares. */
export function parseLsn(lsn: string | null | undefined): bigint | null {
  if (!lsn) return null;
  const [hi, lo] = lsn.split('/');
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
}

/** host:port/database of a URL, never its credentials. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'invalid url';
  }
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    timer.unref();
    promise.then((v) => { clearTimeout(timer); resolve(v); }, (e) => { clearTimeout(timer); reject(e); });
  });
}

/** A statement cancelled by the standby because replay needed its rows: the primary answers it instead. */
function conflictsWithRecovery(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  return !!e && e.code === '40001' && typeof e.message === 'string' && /conflict with recovery/i.test(e.message);
}

interface Fallback {
  primary: PostgreSqlConnection;
  failed(replica: ReplicaConnection, err: unknown): void;
}

/** A replica's connection: a statement it cannot answer runs again on the primary. */
export class ReplicaConnection extends PostgreSqlConnection {
  fallback: Fallback | null = null;
  /** host:port/database */
  readonly label: string;

  constructor(config: Configuration, options?: ConnectionOptions, type?: ConnectionType) {
    super(config, options, type);
    this.label = describeUrl(options?.clientUrl ?? '');
  }

  override async execute<T extends QueryResult | EntityData<AnyEntity> | EntityData<AnyEntity>[] = EntityData<AnyEntity>[]>(
    queryOrKnex: string | Knex.QueryBuilder | Knex.Raw,
    params?: unknown[],
    method?: 'all' | 'get' | 'run',
    ctx?: Transaction,
    loggerContext?: LoggingOptions,
  ): Promise<T> {
    // A transaction's statements belong to the primary whatever asked for them.
    if (ctx && this.fallback) return this.fallback.primary.execute<T>(queryOrKnex, params, method, ctx, loggerContext);
    return this.orOnPrimary((connection) => connection === this
      ? super.execute<T>(queryOrKnex, params, method, ctx, loggerContext)
      : connection.execute<T>(queryOrKnex, params, method, ctx, loggerContext));
  }

  /**
   * `run` on this replica; when the replica cannot answer (unreachable, or
   * the statement conflicted with replay), `run` again on the primary.
   */
  async orOnPrimary<T>(run: (connection: AbstractSqlConnection) => Promise<T>): Promise<T> {
    const fallback = this.fallback;
    try {
      return await run(this);
    } catch (err) {
      if (!fallback) throw err;
      if (isDatabaseUnavailable(err)) fallback.failed(this, err);
      else if (!conflictsWithRecovery(err)) throw err;
      return run(fallback.primary);
    }
  }
}

interface ReplicaState {
  name: string;
  connection: ReplicaConnection;
  healthy: boolean;
  /** While set and in the future, the replica is skipped and not probed. */
  downUntil: number;
  replayLsn: bigint | null;
  lastError: string | null;
  /** The health last told to `onHealthChange`; null before the first probe. */
  reported: boolean | null;
}

export interface ReplicaLag {
  /** host:port/database */
  name: string;
  healthy: boolean;
  /** The primary's WAL insert position and the replica's replay position when measured. */
  primaryLsn: string | null;
  replayLsn: string | null;
  /** WAL bytes the replica has not replayed yet. */
  lagBytes: number | null;
  /** Seconds since the last transaction the replica replayed committed on the primary (grows while the primary is idle). */
  replayDelaySeconds: number | null;
  error: string | null;
}

export interface RouterStats {
  /** Statements a query operation sent to a replica / kept on the primary (sticky viewer, no usable replica). */
  replicaReads: number;
  primaryReads: number;
  /** Statements a failing replica could not answer, answered by the primary. */
  fallbacks: number;
}

const RECOVERY_PROBE = `select pg_is_in_recovery() as standby, pg_last_wal_replay_lsn()::text as replay,
  extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 as delay`;
/**
 * The insert position, not pg_current_wal_lsn() (the write position): with
 * asynchronous commit the commit record may still be in WAL buffers, below
 * the write position; the insert position is past it once the commit returned.
 */
const PRIMARY_POSITION = 'select pg_current_wal_insert_lsn()::text as lsn';

async function rowOf(connection: PostgreSqlConnection, sql: string, timeoutMs: number): Promise<Record<string, any>> {
  const result = await within(connection.getKnex().raw(sql), timeoutMs, 'the database');
  return (result as { rows: Record<string, any>[] }).rows[0];
}

export class ReplicaRouter {
  readonly replicas: ReplicaState[];
  readonly stats: RouterStats = { replicaReads: 0, primaryReads: 0, fallbacks: 0 };
  private readonly sticky = new Map<string, { until: number; lsn: bigint | null }>();
  /** The replica each request started reading from, so its statements read one copy. */
  private readonly pinned = new WeakMap<RequestMeta, ReplicaState>();
  private timer: NodeJS.Timeout | null = null;
  private options: ReplicaOptions = { urls: [], stickyMs: 10_000, checkMs: 1_000 };

  constructor(readonly primary: PostgreSqlConnection, connections: ReplicaConnection[]) {
    this.replicas = connections.map((connection) => {
      const state: ReplicaState = {
        name: connection.label,
        connection,
        healthy: false,
        downUntil: 0,
        replayLsn: null,
        lastError: null,
        reported: null,
      };
      connection.fallback = { primary, failed: (_replica, err) => this.markDown(state, err) };
      return state;
    });
  }

  /** Starts the probes; a replica serves reads after its first successful probe. */
  start(options: ReplicaOptions): void {
    this.options = options;
    if (this.timer || !this.replicas.length) return;
    const tick = () => {
      void this.probe().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.options.checkMs).unref();
      });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private markDown(state: ReplicaState, err: unknown): void {
    this.stats.fallbacks += 1;
    this.setHealth(state, false, err);
  }

  private setHealth(state: ReplicaState, healthy: boolean, err: unknown = null): void {
    state.healthy = healthy;
    state.lastError = healthy ? null : err instanceof Error ? err.message.split('\n')[0] : String(err);
    if (!healthy) state.downUntil = Date.now() + 5 * this.options.checkMs;
    else state.downUntil = 0;
    if (state.reported !== healthy) {
      state.reported = healthy;
      this.options.onHealthChange?.(state.name, healthy, state.lastError);
    }
  }

  /** Reads each replica's replay position (and so its health). */
  async probe(): Promise<void> {
    const now = Date.now();
    for (const [viewer, entry] of this.sticky) if (entry.until <= now) this.sticky.delete(viewer);
    await Promise.all(this.replicas.map(async (state) => {
      if (state.downUntil > Date.now()) return;
      try {
        const row = await rowOf(state.connection, RECOVERY_PROBE, Math.max(1_000, this.options.checkMs));
        if (!row.standby) throw new Error('not a standby (pg_is_in_recovery() is false): not used for reads');
        state.replayLsn = parseLsn(row.replay);
        if (state.replayLsn === null) throw new Error('no replay position (pg_last_wal_replay_lsn() is null)');
        this.setHealth(state, true);
      } catch (err) {
        this.setHealth(state, false, err);
      }
    }));
  }

  /**
   * The connection a read of the current request goes to: a replica for a
   * query operation whose viewer has no write a replica has not replayed;
   * null for the primary.
   */
  readConnection(): ReplicaConnection | null {
    const meta = currentRequest();
    if (!meta || meta.operationType !== 'query') return null;
    const need = this.pending(meta.viewerId ?? null);
    if (need === undefined) {
      this.stats.primaryReads += 1;
      return null;
    }
    const usable = (s: ReplicaState) => s.healthy && (need === null || (s.replayLsn !== null && s.replayLsn >= need));
    let state = this.pinned.get(meta);
    if (!state || !usable(state)) {
      const candidates = this.replicas.filter(usable);
      state = candidates[Math.floor(Math.random() * candidates.length)];
      if (!state) {
        this.stats.primaryReads += 1;
        return null;
      }
      this.pinned.set(meta, state);
    }
    this.stats.replicaReads += 1;
    return state.connection;
  }

  /**
   * The WAL position a viewer's reads must have replayed: null for none,
   * undefined when it is not known yet (read the primary).
   */
  private pending(viewerId: string | null): bigint | null | undefined {
    if (!viewerId) return null;
    const entry = this.sticky.get(viewerId);
    if (!entry) return null;
    if (entry.until <= Date.now()) {
      this.sticky.delete(viewerId);
      return null;
    }
    return entry.lsn ?? undefined;
  }

  /** Where a query of this viewer would read now (for diagnostics and tests). */
  targetFor(viewerId: string | null): 'primary' | 'replica' {
    const need = this.pending(viewerId);
    if (need === undefined) return 'primary';
    return this.replicas.some((s) => s.healthy && (need === null || (s.replayLsn !== null && s.replayLsn >= need))) ? 'replica' : 'primary';
  }

  /** After a commit on the request's path: its viewer reads the primary until a replica has replayed it. */
  noteCommit(): void {
    const viewerId = currentRequest()?.viewerId;
    if (!viewerId) return;
    const entry = { until: Date.now() + this.options.stickyMs, lsn: null as bigint | null };
    this.sticky.set(viewerId, entry);
    // Not awaited: the mutation has committed and answers now; until the position is known the viewer reads the primary.
    rowOf(this.primary, PRIMARY_POSITION, 5_000).then(
      (row) => { entry.lsn = parseLsn(row.lsn); },
      () => undefined,
    );
  }

  /** Measures each replica now (not the probe's last result). */
  async lag(): Promise<ReplicaLag[]> {
    let primaryLsn: string | null = null;
    try {
      primaryLsn = (await rowOf(this.primary, PRIMARY_POSITION, 5_000)).lsn;
    } catch {
      primaryLsn = null;
    }
    return Promise.all(this.replicas.map(async (state): Promise<ReplicaLag> => {
      try {
        const row = await rowOf(state.connection, RECOVERY_PROBE, 5_000);
        if (!row.standby) throw new Error('not a standby (pg_is_in_recovery() is false)');
        const replay = parseLsn(row.replay);
        const primary = parseLsn(primaryLsn);
        return {
          name: state.name,
          healthy: true,
          primaryLsn,
          replayLsn: row.replay,
          lagBytes: replay !== null && primary !== null ? Math.max(0, Number(primary - replay)) : null,
          replayDelaySeconds: row.delay === null ? null : Number(row.delay),
          error: null,
        };
      } catch (err) {
        return { name: state.name, healthy: false, primaryLsn, replayLsn: null, lagBytes: null, replayDelaySeconds: null, error: (err as Error).message.split('\n')[0] };
      }
    }));
  }
}

/** PostgreSQL driver whose read connection is chosen per request by a ReplicaRouter. */
export class RoutingPostgreSqlDriver extends PostgreSqlDriver {
  readonly router: ReplicaRouter;

  constructor(config: Configuration) {
    super(config);
    const replicas = this.createReplicas((options) => new ReplicaConnection(this.config, options, 'read')) as ReplicaConnection[];
    // The parent created plain connections for the replicas; they are not connected yet and are replaced.
    (this as unknown as { replicas: PostgreSqlConnection[] }).replicas = replicas;
    this.router = new ReplicaRouter(this.connection, replicas);
  }

  override getConnection(type: ConnectionType = 'write'): PostgreSqlConnection {
    if (type === 'write' || !this.replicas.length) return this.connection;
    return this.router.readConnection() ?? this.connection;
  }

  override async close(force?: boolean): Promise<void> {
    this.router.stop();
    await super.close(force);
  }
}

/** Marks the committing request's viewer as reading the primary until its write has been replayed. */
export class ReadYourWrites implements EventSubscriber {
  afterTransactionCommit(args: TransactionEventArgs): void {
    const driver = args.em.getDriver();
    if (driver instanceof RoutingPostgreSqlDriver) driver.router.noteCommit();
  }
}

export function replicaRouter(orm: MikroORM): ReplicaRouter | null {
  const driver = orm.em.getDriver();
  return driver instanceof RoutingPostgreSqlDriver ? driver.router : null;
}

/**
 * Each replica's lag behind the primary, measured now: WAL bytes not yet
 * replayed, seconds since the last replayed commit, or why it cannot be read.
 * Empty without DATABASE_REPLICA_URLS.
 */
export async function replicaLag(orm: MikroORM): Promise<ReplicaLag[]> {
  return replicaRouter(orm)?.lag() ?? [];
}

/**
 * Rate limits shared by every instance, on the `rate_limit` table (created by
 * a migration), through the ORM's own connection pool.
 *
 * - Sign-in limits: rate-limiter-flexible's PostgreSQL store, one statement
 *   per attempt (exact across instances; sign-ins are rare).
 * - The cost budget, spent by every request: with COST_BUDGET_FLUSH_MS = 0 the
 *   same store (a write before each request runs); otherwise counted in
 *   memory and written in one batched upsert per interval, which also brings
 *   back what the other instances spent (BatchedLimiter below, its tolerance).
 *
 * When the database cannot be reached the limiters count in memory per
 * instance, so a database fault never turns into "every request is rate
 * limited" nor into "no limit at all".
 */
import type { Knex } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { LimitsConfig } from '../../config';
import type { Logger } from '../../core/logger';

export const RATE_LIMIT_TABLE = 'rate_limit';

export type Spend =
  | { allowed: true; remaining: number; resetMs: number; consumed: number }
  | { allowed: false; remaining: 0; retryAfterSeconds: number };

interface PgQuery { text: string; values?: unknown[] }

/**
 * rate-limiter-flexible names its prepared statements; named statements do
 * not survive PgBouncer in transaction mode (docs/architecture.md), so the
 * store gets a client that runs every statement unnamed on a pooled connection.
 */
function unnamedStatementClient(knex: Knex) {
  const client = knex.client as { acquireConnection(): Promise<any>; releaseConnection(c: unknown): Promise<void> };
  return {
    async query(q: PgQuery) {
      const connection = await client.acquireConnection();
      try {
        return await connection.query({ text: q.text, values: q.values });
      } finally {
        await client.releaseConnection(connection);
      }
    },
  };
}

interface Spender {
  spend(key: string, points: number): Promise<Spend>;
}

class Limiter implements Spender {
  private readonly store: RateLimiterPostgres;

  constructor(knex: Knex, readonly name: string, readonly points: number, readonly seconds: number) {
    this.store = new RateLimiterPostgres({
      storeClient: unnamedStatementClient(knex),
      storeType: 'client',
      tableName: RATE_LIMIT_TABLE,
      tableCreated: true,
      keyPrefix: name,
      points,
      duration: seconds,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix: name, points, duration: seconds }),
    });
  }

  async spend(key: string, points: number): Promise<Spend> {
    try {
      const res = await this.store.consume(key, Math.max(1, Math.ceil(points)));
      return { allowed: true, remaining: res.remainingPoints, resetMs: res.msBeforeNext, consumed: res.consumedPoints };
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil(err.msBeforeNext / 1000)) };
      }
      throw err;
    }
  }

  /** Whole seconds until the key's record expires; 0 when it has none. */
  async pendingSeconds(key: string): Promise<number> {
    const res = await this.store.get(key);
    return res && res.msBeforeNext > 0 ? Math.ceil(res.msBeforeNext / 1000) : 0;
  }

  /** A record for the key that expires in `seconds` (replacing any). */
  async hold(key: string, seconds: number): Promise<void> {
    await this.store.set(key, 1, seconds);
  }

  /** Gives points back, e.g. the failed-attempt count of an account after a successful sign-in. */
  async forget(key: string): Promise<void> {
    await this.store.delete(key).catch(() => undefined);
  }
}

interface KeyState {
  /** Points of the current window in the shared table, as of this instance's last flush of the key. */
  shared: number;
  /** Points spent here since then, not yet written. */
  pending: number;
  /** End of the window, epoch ms (the shared row's once flushed). */
  expire: number;
}

/**
 * The cost budget without a statement per request: each instance counts
 * spends in memory and, every `flushMs`, writes the points of every key it
 * spent on in ONE upsert (same rows and window rules as the store above: a
 * window starts with the first spend after the previous one expired), whose
 * RETURNING brings back the key's total over all instances.
 *
 * Tolerance: an instance decides on the total it last read plus its own
 * spends since. What the other instances spent since their last flush, and
 * since this instance's last flush, is not seen yet: within one window the
 * instances together may admit up to the budget plus, for each instance, the
 * points it admitted in the flush interval before it learned that the budget
 * was spent (at most one budget per instance, and in steady traffic about
 * rate × COST_BUDGET_FLUSH_MS). A single instance is exact. An instance that
 * cannot write keeps counting in memory and retries at the next interval.
 */
class BatchedLimiter implements Spender {
  private readonly keys = new Map<string, KeyState>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> | null = null;
  private failing = false;
  private readonly client: ReturnType<typeof unnamedStatementClient>;

  constructor(knex: Knex, readonly name: string, readonly points: number, readonly seconds: number, readonly flushMs: number, private readonly logger?: Pick<Logger, 'warn' | 'info'>) {
    this.client = unnamedStatementClient(knex);
    this.timer = setInterval(() => void this.flush(), flushMs);
    this.timer.unref();
  }

  async spend(key: string, points: number): Promise<Spend> {
    const spent = Math.max(1, Math.ceil(points));
    const full = `${this.name}:${key}`;
    const now = Date.now();
    let state = this.keys.get(full);
    if (!state || state.expire <= now) {
      state = { shared: 0, pending: 0, expire: now + this.seconds * 1000 };
      this.keys.set(full, state);
    }
    // Like the store: a refused spend counts too, so hammering a spent budget does not refill it.
    state.pending += spent;
    const consumed = state.shared + state.pending;
    const resetMs = Math.max(0, state.expire - now);
    if (consumed > this.points) return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil(resetMs / 1000)) };
    return { allowed: true, remaining: this.points - consumed, resetMs, consumed };
  }

  /** Writes every key's pending points in one statement; learns each key's shared total. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async write(): Promise<void> {
    const now = Date.now();
    const batch: [string, KeyState, number][] = [];
    for (const [key, state] of this.keys) {
      if (state.pending > 0) batch.push([key, state, state.pending]);
      else if (state.expire <= now) this.keys.delete(key);
    }
    if (!batch.length) return;
    let rows: { key: string; points: number; expire: string | number }[];
    try {
      const res = await this.client.query({
        text: `insert into ${RATE_LIMIT_TABLE} as r (key, points, expire)
          select k, p, e from unnest($1::text[], $2::int[], $3::bigint[]) as t(k, p, e)
          on conflict (key) do update set
            points = case when r.expire <= $4 then excluded.points else r.points + excluded.points end,
            expire = case when r.expire <= $4 then excluded.expire else r.expire end
          returning key, points, expire`,
        values: [batch.map(([k]) => k), batch.map(([, , p]) => p), batch.map(([, s]) => s.expire), now],
      });
      rows = res.rows;
    } catch (err) {
      if (!this.failing) this.logger?.warn({ err, limiter: this.name }, 'rate limits: the shared counts cannot be written; counting in memory on this instance until they can');
      this.failing = true;
      return;
    }
    if (this.failing) this.logger?.info({ limiter: this.name }, 'rate limits: shared counts written again');
    this.failing = false;
    const byKey = new Map(rows.map((r) => [r.key, r]));
    for (const [key, state, written] of batch) {
      const row = byKey.get(key);
      if (!row) continue;
      state.pending -= written;
      // Only while the key still holds this window (a new one may have started locally meanwhile).
      if (this.keys.get(key) !== state) continue;
      state.shared = Number(row.points);
      if (row.expire != null) state.expire = Number(row.expire);
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}

/** Keys never hold an email in clear text. */
export function accountKey(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase(), 'utf8').digest('hex').slice(0, 32);
}

/** One account as tried from one client address: failed sign-ins are counted per pair. */
export function pairKey(account: string, clientIp: string): string {
  return `${account}:${clientIp}`;
}

/** The pair's wait: no sign-in attempt for the pair until it expires. */
export function delayKey(pair: string): string {
  return `${pair}:delay`;
}

/**
 * How long a pair waits after its n-th failed attempt in a window: nothing
 * below the threshold, then the base delay, doubling with each further
 * failure, at most the window.
 */
export function loginDelaySeconds(failures: number, config: Pick<LimitsConfig, 'loginAttemptsPerAccount' | 'loginDelaySeconds' | 'loginWindowSeconds'>): number {
  if (failures < config.loginAttemptsPerAccount) return 0;
  const doublings = Math.min(failures - config.loginAttemptsPerAccount, 30);
  return Math.min(config.loginWindowSeconds, config.loginDelaySeconds * 2 ** doublings);
}

export class RateLimits {
  /** Cost points per viewer (or anonymous client address) per minute. */
  readonly cost: Spender;
  /**
   * Failed sign-ins per (account, client address) pair per window (a success clears it). Never refuses by
   * itself: past the threshold each failure sets the pair's growing wait (`loginDelay`). Per pair, so an
   * attacker's failures from one address never lock the owner out from another.
   */
  readonly loginAccount: Limiter;
  /** The pairs' waits (same table and prefix, `…:delay` keys). */
  readonly loginDelay: Limiter;
  /** Sign-in attempts per client address per window, whatever the accounts. */
  readonly loginIp: Limiter;

  constructor(knex: Knex, readonly config: LimitsConfig, logger?: Pick<Logger, 'warn' | 'info'>) {
    this.cost = config.costFlushMs > 0
      ? new BatchedLimiter(knex, 'cost', config.costBudgetPerMinute, 60, config.costFlushMs, logger)
      : new Limiter(knex, 'cost', config.costBudgetPerMinute, 60);
    this.loginAccount = new Limiter(knex, 'login_account', 1_000_000_000, config.loginWindowSeconds);
    this.loginDelay = new Limiter(knex, 'login_account', 1, config.loginWindowSeconds);
    this.loginIp = new Limiter(knex, 'login_ip', config.loginAttemptsPerIp, config.loginWindowSeconds);
  }

  /** Writes the counts still in memory (batched cost budget) and stops its timer. */
  async stop(): Promise<void> {
    if (this.cost instanceof BatchedLimiter) await this.cost.stop();
  }

  /** Writes the counts still in memory now (tests, shutdown). */
  async flush(): Promise<void> {
    if (this.cost instanceof BatchedLimiter) await this.cost.flush();
  }
}

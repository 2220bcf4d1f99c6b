/**
 * Rate limits shared by every instance: rate-limiter-flexible's PostgreSQL
 * store on the `rate_limit` table (created by a migration), through the ORM's
 * own connection pool. When the database cannot be reached the limiter falls
 * back to an in-memory one per instance, so a database fault never turns
 * into "every request is rate limited" nor into "no limit at all".
 */
import type { Knex } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { LimitsConfig } from '../../config';

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

class Limiter {
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
  readonly cost: Limiter;
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

  constructor(knex: Knex, readonly config: LimitsConfig) {
    this.cost = new Limiter(knex, 'cost', config.costBudgetPerMinute, 60);
    this.loginAccount = new Limiter(knex, 'login_account', 1_000_000_000, config.loginWindowSeconds);
    this.loginDelay = new Limiter(knex, 'login_account', 1, config.loginWindowSeconds);
    this.loginIp = new Limiter(knex, 'login_ip', config.loginAttemptsPerIp, config.loginWindowSeconds);
  }
}

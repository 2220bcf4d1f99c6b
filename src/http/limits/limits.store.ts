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
  | { allowed: true; remaining: number; resetMs: number }
  | { allowed: false; remaining: 0; retryAfterSeconds: number };

interface PgQuery { text: string; values?: unknown[] }

/**
 * rate-limiter-flexible names its prepared statements; named statements do
 * not survive PgBouncer in transaction mode (DESIGN.md section 7), so the
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
      return { allowed: true, remaining: res.remainingPoints, resetMs: res.msBeforeNext };
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil(err.msBeforeNext / 1000)) };
      }
      throw err;
    }
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

export class RateLimits {
  /** Cost points per viewer (or anonymous client address) per minute. */
  readonly cost: Limiter;
  /** Failed sign-ins per account per window (a success clears it). */
  readonly loginAccount: Limiter;
  /** Sign-in attempts per client address per window. */
  readonly loginIp: Limiter;

  constructor(knex: Knex, readonly config: LimitsConfig) {
    this.cost = new Limiter(knex, 'cost', config.costBudgetPerMinute, 60);
    this.loginAccount = new Limiter(knex, 'login_account', config.loginAttemptsPerAccount, config.loginWindowSeconds);
    this.loginIp = new Limiter(knex, 'login_ip', config.loginAttemptsPerIp, config.loginWindowSeconds);
  }
}

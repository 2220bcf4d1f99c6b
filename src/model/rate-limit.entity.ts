import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The shared store of rate-limit counters (one row per limiter key and
 * window), so limits hold across every server instance on one database.
 * Written only by rate-limiter-flexible's PostgreSQL store (limits.store.ts),
 * whose statements need exactly these columns; mapped here so the schema
 * comes from a migration like every other table. Not a GraphQL type.
 */
@Entity({ tableName: 'rate_limit' })
export class RateLimitEntry {
  /** `<limiter>:<viewer id | hashed account | client address>`. */
  @PrimaryKey({ type: 'string', length: 255 })
  key!: string;

  @Property({ type: 'integer', default: 0 })
  points!: number;

  /** End of the window, epoch milliseconds. */
  @Property({ type: 'bigint', nullable: true })
  expire?: string | null;
}

/**
 * Named, parameterised statements sent through the driver: PostgreSQL parses
 * and plans a statement once per pooled connection and then only binds the
 * values (arrays included, as `= any($1)`), where MikroORM's `execute`
 * inlines every value into a new statement text each time.
 *
 * What a statement reads is decided by whoever built its text (the reader,
 * with the policy's condition in it: src/access/reader.ts); this module only
 * sends it, the way `execute` would: on the connection it is given (a replica
 * falls back to the primary: `orOnPrimary` in src/db/replicas.ts), after MikroORM's
 * `onQuery` hook (the request deadline), announced to knex's 'query' and
 * 'query-response' listeners (metrics, statement counts) and to the ORM's
 * query log.
 */
import { createHash } from 'node:crypto';
import type { Configuration } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/postgresql';

export interface PreparedStatement {
  /** The server-side name: derived from the text, so one text is prepared once per connection. */
  readonly name: string;
  /** SQL with `$1`, `$2`… placeholders. */
  readonly text: string;
}

export function namedStatement(text: string): PreparedStatement {
  return { name: `v_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`, text };
}

interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: Record<string, unknown>[] }>;
}

interface KnexClient {
  acquireConnection(): Promise<PgClient>;
  releaseConnection(connection: PgClient): Promise<unknown>;
  emit(event: string, ...args: unknown[]): boolean;
}

/** What `Connection.executeQuery` (not in its public type) offers: the ORM's query log around a call. */
interface Logged {
  executeQuery<T>(query: string, run: () => Promise<T>, context?: Record<string, unknown>): Promise<T>;
  config: Configuration;
}

let sequence = 0;

async function send(connection: AbstractSqlConnection, statement: PreparedStatement, values: unknown[]): Promise<Record<string, unknown>[]> {
  const logged = connection as unknown as Logged;
  await connection.ensureConnection();
  logged.config.get('onQuery')(statement.text, values);
  const client = connection.getKnex().client as unknown as KnexClient;
  const query = { sql: statement.text, bindings: values, method: 'select', __knexQueryUid: `prepared-${++sequence}` };
  return logged.executeQuery(statement.text, async () => {
    client.emit('query', query);
    const pg = await client.acquireConnection();
    try {
      const { rows } = await pg.query({ name: statement.name, text: statement.text, values });
      client.emit('query-response', rows, query);
      return rows;
    } catch (err) {
      client.emit('query-error', err, query);
      throw err;
    } finally {
      await client.releaseConnection(pg);
    }
  }, { query: statement.text });
}

/** A replica's connection, which answers on the primary what it cannot (src/db/replicas.ts). */
interface Replica {
  orOnPrimary<T>(run: (connection: AbstractSqlConnection) => Promise<T>): Promise<T>;
}

/** The rows of `statement` bound to `values` on `connection` (outside any transaction). */
export async function runPrepared(connection: AbstractSqlConnection, statement: PreparedStatement, values: unknown[]): Promise<Record<string, unknown>[]> {
  const replica = connection as Partial<Replica>;
  if (typeof replica.orOnPrimary === 'function') return replica.orOnPrimary((c) => send(c, statement, values));
  return send(connection, statement, values);
}

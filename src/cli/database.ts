/**
 * The CLI's database connection: the server's ORM configuration with a small
 * pool and short timeouts, so an unreachable database is an answer within
 * seconds rather than a minute of silence.
 */
import { MikroORM } from '@mikro-orm/postgresql';
import { ormConfig } from '../db/orm';
import { CliError } from './output';

/** host:port/database — never the user or password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}

export const CONNECT_TIMEOUT_MS = 5_000;

export function cliOrmOptions(url: string) {
  const base = ormConfig({ url, poolMax: 2 });
  return {
    ...base,
    pool: { min: 0, max: 2, idleTimeoutMillis: 1_000 },
    driverOptions: {
      connection: { statement_timeout: 15_000, connectionTimeoutMillis: CONNECT_TIMEOUT_MS },
      acquireConnectionTimeout: CONNECT_TIMEOUT_MS + 1_000,
    },
  };
}

/** Opens the ORM and proves the database answers; a failure is exit code 1 naming where it tried. */
export async function openDatabase(url: string): Promise<MikroORM> {
  let orm: MikroORM | null = null;
  try {
    orm = await MikroORM.init(cliOrmOptions(url));
    await orm.em.getConnection().execute('select 1');
    return orm;
  } catch (err) {
    await orm?.close(true).catch(() => undefined);
    throw new CliError(`cannot reach the database at ${describeUrl(url)}: ${reason(err)}`, 1);
  }
}

/** A driver error in one line, without the SQL or values some messages carry. */
export function reason(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const message = String(e?.message ?? err).split('\n')[0].replace(/ - .*$/, '');
  return e?.code && !message.includes(e.code) ? `${message} (${e.code})` : message;
}

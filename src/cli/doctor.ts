/**
 * `vantage doctor`: is this environment able to run the server? Each check
 * is ok, warn or fail; any fail is exit code 1.
 * - configuration: the server's own validation (src/config.ts);
 * - database: reachable, and its version;
 * - migrations: pending ones (a warning: the server applies them at start);
 * - replicas (DATABASE_REPLICA_URLS, comma-separated): each reachable, in
 *   recovery (a standby), and its replay lag.
 */
import { MikroORM } from '@mikro-orm/postgresql';
import { ConfigError, loadConfig } from '../config';
import { CONNECT_TIMEOUT_MS, describeUrl, openDatabase, reason } from './database';
import { CliError, type Result } from './output';

export type Status = 'ok' | 'warn' | 'fail';
export interface Check { name: string; status: Status; detail: string }

async function replicaCheck(url: string): Promise<Check> {
  const name = `replica ${describeUrl(url)}`;
  let orm: MikroORM | null = null;
  try {
    orm = await MikroORM.init({
      clientUrl: url,
      entities: [],
      discovery: { warnWhenNoEntities: false },
      allowGlobalContext: true,
      pool: { min: 0, max: 1 },
      driverOptions: { connection: { connectionTimeoutMillis: CONNECT_TIMEOUT_MS, statement_timeout: 5_000 }, acquireConnectionTimeout: CONNECT_TIMEOUT_MS + 1_000 },
    });
    const [row] = await orm.em.getConnection().execute<{ standby: boolean; lag: string | null }[]>(
      'select pg_is_in_recovery() as standby, extract(epoch from now() - pg_last_xact_replay_timestamp())::text as lag',
    );
    if (!row.standby) return { name, status: 'fail', detail: 'reachable, but not a standby (pg_is_in_recovery() is false): it is a primary' };
    if (row.lag === null) return { name, status: 'warn', detail: 'standby, no transaction replayed yet (lag unknown)' };
    return { name, status: 'ok', detail: `standby, replay lag ${Number(row.lag).toFixed(1)} s` };
  } catch (err) {
    return { name, status: 'fail', detail: `unreachable: ${reason(err)}` };
  } finally {
    await orm?.close(true).catch(() => undefined);
  }
}

export async function doctor(env: NodeJS.ProcessEnv, url: string): Promise<Result> {
  const checks: Check[] = [];
  try {
    const config = loadConfig(env);
    checks.push({ name: 'configuration', status: 'ok', detail: `valid (NODE_ENV=${config.env})` });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    checks.push({ name: 'configuration', status: 'fail', detail: err.problems.join('; ') });
  }

  let orm: MikroORM | null = null;
  try {
    const started = Date.now();
    orm = await openDatabase(url);
    const [row] = await orm.em.getConnection().execute<{ server_version: string }[]>('show server_version');
    checks.push({ name: 'database', status: 'ok', detail: `${describeUrl(url)} reachable in ${Date.now() - started} ms, PostgreSQL ${row.server_version}` });
    const pending = (await orm.getMigrator().getPendingMigrations()).map((m) => m.name);
    checks.push(pending.length
      ? { name: 'migrations', status: 'warn', detail: `${pending.length} pending (${pending.join(', ')}): run \`vantage migrate\` (the server also applies them at start)` }
      : { name: 'migrations', status: 'ok', detail: 'none pending' });
  } catch (err) {
    checks.push({ name: 'database', status: 'fail', detail: err instanceof CliError ? err.message : reason(err) });
  } finally {
    await orm?.close(true).catch(() => undefined);
  }

  const replicas = (env.DATABASE_REPLICA_URLS ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  if (replicas.length === 0) checks.push({ name: 'replicas', status: 'ok', detail: 'no replicas configured' });
  for (const replica of replicas) checks.push(await replicaCheck(replica));

  const failed = checks.some((c) => c.status === 'fail');
  const mark: Record<Status, string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' };
  return {
    text: checks.map((c) => `${mark[c.status]}  ${c.name}: ${c.detail}`).join('\n'),
    json: { ok: !failed, checks },
    exitCode: failed ? 1 : 0,
  };
}

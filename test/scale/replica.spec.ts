/**
 * DATABASE_REPLICA_URLS against a real streaming replica of a dedicated
 * primary (test/scale/replica-pair.ts). With replay paused on the replica, a
 * row changed directly on the primary tells which copy a query read:
 * queries read the replica; after a viewer's own mutation that viewer reads
 * the primary (read-your-writes) while others still read the paused replica,
 * for at most REPLICA_STICKY_MS; once the replica has replayed the write the
 * viewer is back on it before that; lag is reported; a replica that is down
 * costs no failed read.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { doctor } from '../../src/cli/doctor';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/core/logger';
import { initOrm, migrate } from '../../src/db/orm';
import { replicaLag, replicaRouter, type ReplicaLag } from '../../src/db/replicas';
import { DEMO_PASSWORD, seedDemo } from '../../src/db/seed';
import { startServer, type RunningServer } from '../../src/http/server';
import { startControlledPostgres, type ControlledPostgres } from '../hardening/pg-control';
import { USERS } from '../support/app';
import { sql, startReplica, type Replica } from './replica-pair';

jest.setTimeout(600_000);

const STICKY_MS = 4000;
const CHECK_MS = 200;
const DATABASE = 'vantage_scale';

let primary: ControlledPostgres | undefined;
let replica: Replica | undefined;
let orm: MikroORM | undefined;
let server: RunningServer | undefined;
let primaryUrl = '';

afterAll(async () => {
  if (server) {
    await server.stop().catch(() => undefined);
    await new Promise((resolve) => server!.httpServer.close(resolve));
  }
  await orm?.close().catch(() => undefined);
  await replica?.close().catch(() => undefined);
  await primary?.close().catch(() => undefined);
});

function dbUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000, stepMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}

test('queries read the replica; a viewer reads its own writes; lag is reported; a replica that is down costs no read', async () => {
  // A primary and its streaming replica of our own: the shared test cluster is used by parallel test files.
  primary = await startControlledPostgres();
  await sql(primary.url, `create database ${DATABASE}`);
  primaryUrl = dbUrl(primary.url, DATABASE);
  const setup = await initOrm({ url: primaryUrl });
  await migrate(setup);
  await seedDemo(setup.em.fork());
  await setup.close();
  const [{ wal_level: walLevel, hot }] = await sql(primaryUrl, `select current_setting('wal_level') as wal_level, current_setting('hot_standby') as hot`);
  expect(walLevel).toBe('replica');
  replica = await startReplica(primary.url, primary.dataDir);
  const replicaUrl = replica.url(DATABASE);
  const receiver = await until('replica streaming', async () => (await sql(primaryUrl, `select count(*)::int as n from pg_stat_replication where state = 'streaming'`))[0].n);

  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: primaryUrl,
    DATABASE_REPLICA_URLS: replicaUrl,
    REPLICA_STICKY_MS: String(STICKY_MS),
    REPLICA_CHECK_MS: String(CHECK_MS),
  });
  expect(config.replicas.urls).toEqual([replicaUrl]);
  const health: [string, boolean][] = [];
  orm = await initOrm({ url: primaryUrl, replicas: { ...config.replicas, onHealthChange: (name, healthy) => health.push([name, healthy]) } });
  server = await startServer(orm, config, createLogger('silent'), 0);
  const endpoint = `http://127.0.0.1:${server.port}/graphql`;
  const router = replicaRouter(orm)!;
  expect(router).not.toBeNull();

  const gql = async (query: string, token?: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: any; errors?: unknown[] };
    if (res.status !== 200 || body.errors) throw new Error(`${res.status} ${JSON.stringify(body)}`);
    return body.data;
  };
  const login = async (email: string) => (await gql('mutation L($i: LoginInput!) { login(input: $i) { token } }', undefined, { i: { email, password: DEMO_PASSWORD } })).login.token as string;
  const admin = await login(USERS.admin);
  const pm = await login(USERS.pm);
  const [{ id: adminId }] = await sql(primaryUrl, `select id from app_user where email = $1`, [USERS.admin]);
  const [{ id: pmId }] = await sql(primaryUrl, `select id from app_user where email = $1`, [USERS.pm]);

  const READ = '{ projects(first: 10) { nodes { name } } viewer { apiTokens(first: 10) { totalCount } } }';
  const read = async (token: string) => {
    const data = await gql(READ, token);
    return { names: (data.projects.nodes as { name: string }[]).map((p) => p.name).sort(), apiTokens: data.viewer.apiTokens.totalCount as number };
  };
  /** A read, and how many of its statements went to the replica and to the primary. */
  const counted = async (token: string) => {
    const before = { ...router.stats };
    const result = await read(token);
    return { ...result, replica: router.stats.replicaReads - before.replicaReads, primary: router.stats.primaryReads - before.primaryReads };
  };

  // The first probe has found the replica healthy.
  await until('replica healthy', async () => router.targetFor(null) === 'replica');
  const baseline = await counted(admin);
  expect(baseline.names).toEqual(['Atlas', 'Borealis', 'Cirrus']);
  expect(baseline.apiTokens).toBe(0);
  expect(baseline.replica).toBeGreaterThan(0);
  expect(baseline.primary).toBe(0);
  expect((await counted(pm)).names).toEqual(['Atlas', 'Borealis']);

  // Replay paused: what changes on the primary now is not on the replica.
  await replica.query('select pg_wal_replay_pause()');
  await until('replay paused', async () => (await replica!.query(`select pg_get_wal_replay_pause_state() as s`))[0].s === 'paused');
  await sql(primaryUrl, `update project set name = 'Atlas (primary)' where name = 'Atlas'`);
  const paused = await counted(admin);
  expect(paused).toEqual({ names: ['Atlas', 'Borealis', 'Cirrus'], apiTokens: 0, replica: baseline.replica, primary: 0 });
  expect((await read(pm)).names).toEqual(['Atlas', 'Borealis']);
  const lagPaused: ReplicaLag[] = await replicaLag(orm);
  expect(lagPaused).toHaveLength(1);
  expect(lagPaused[0]).toMatchObject({ healthy: true, error: null });
  expect(lagPaused[0].lagBytes!).toBeGreaterThan(0);

  // The admin writes: its next reads come from the primary (its write and the direct change), the manager's still from the replica.
  const created = await gql('mutation { createApiToken(input: { name: "read your writes" }) { apiToken { name } userErrors { code } } }', admin);
  expect(created.createApiToken).toEqual({ apiToken: { name: 'read your writes' }, userErrors: [] });
  const wroteAt = Date.now();
  expect(router.targetFor(adminId)).toBe('primary');
  expect(router.targetFor(pmId)).toBe('replica');
  const own = await counted(admin);
  expect(own).toEqual({ names: ['Atlas (primary)', 'Borealis', 'Cirrus'], apiTokens: 1, replica: 0, primary: baseline.replica });
  expect((await counted(pm))).toEqual({ names: ['Atlas', 'Borealis'], apiTokens: 0, replica: baseline.replica, primary: 0 });

  // The replica stays paused: after REPLICA_STICKY_MS the admin is back on it, stale as it is (the bound).
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, wroteAt + STICKY_MS + 100 - Date.now())));
  expect(router.targetFor(adminId)).toBe('replica');
  expect(await counted(admin)).toEqual({ names: ['Atlas', 'Borealis', 'Cirrus'], apiTokens: 0, replica: baseline.replica, primary: 0 });

  // Replay resumed: the replica catches up and everyone reads the change from it.
  const resumedAt = Date.now();
  await replica.query('select pg_wal_replay_resume()');
  const caughtUp = await until('replica caught up', async () => {
    const [lag] = await replicaLag(orm!);
    return lag.lagBytes === 0 ? lag : null;
  });
  const catchUpMs = Date.now() - resumedAt;
  // `vantage doctor` reports the standby and its replay lag; once it is down, that it is unreachable.
  const doctorEnv = { ...process.env, NODE_ENV: 'test', DATABASE_URL: primaryUrl, DATABASE_REPLICA_URLS: replicaUrl };
  const replicaName = `replica 127.0.0.1:${new URL(replicaUrl).port}/${DATABASE}`;
  const healthyReport = (await doctor(doctorEnv, primaryUrl)).json as { ok: boolean; checks: { name: string; status: string; detail: string }[] };
  expect([healthyReport.ok, healthyReport.checks.at(-1)]).toEqual([true, { name: replicaName, status: 'ok', detail: expect.stringMatching(/^standby, replay lag \d+\.\d s$/) }]);
  await new Promise((resolve) => setTimeout(resolve, 2 * CHECK_MS));
  expect(await counted(pm)).toEqual({ names: ['Atlas (primary)', 'Borealis'], apiTokens: 0, replica: baseline.replica, primary: 0 });

  // With replay running, the admin's write releases it to the replica as soon as the replica has replayed it, well before the bound.
  await gql('mutation { createApiToken(input: { name: "second" }) { userErrors { code } } }', admin);
  const secondAt = Date.now();
  expect(router.targetFor(adminId)).toBe('primary');
  await until('admin back on the replica', async () => router.targetFor(adminId) === 'replica', STICKY_MS, 10);
  const releasedMs = Date.now() - secondAt;
  expect(releasedMs).toBeLessThan(STICKY_MS);
  expect(await counted(admin)).toEqual({ names: ['Atlas (primary)', 'Borealis', 'Cirrus'], apiTokens: 2, replica: baseline.replica, primary: 0 });

  // The replica goes down: every read still succeeds, from the primary.
  const fallbacksBefore = router.stats.fallbacks;
  await replica.stop();
  const results: string[] = [];
  for (let k = 0; k < 20; k += 1) {
    const r = await read(k % 2 ? pm : admin);
    results.push(r.names.join(','));
  }
  expect(results).toEqual(Array.from({ length: 20 }, (_, k) => (k % 2 ? 'Atlas (primary),Borealis' : 'Atlas (primary),Borealis,Cirrus')));
  expect(router.targetFor(null)).toBe('primary');
  const name = new URL(replicaUrl);
  expect(health).toEqual([[`127.0.0.1:${name.port}/${DATABASE}`, true], [`127.0.0.1:${name.port}/${DATABASE}`, false]]);
  const [down] = await replicaLag(orm);
  expect(down.healthy).toBe(false);
  const downReport = (await doctor(doctorEnv, primaryUrl)).json as typeof healthyReport;
  expect([downReport.ok, downReport.checks.at(-1)]).toEqual([false, { name: replicaName, status: 'fail', detail: expect.stringMatching(/^unreachable: /) }]);
  expect(down.error).toEqual(expect.any(String));
  const afterDown = await counted(admin);
  expect(afterDown.replica).toBe(0);
  expect(afterDown.primary).toBe(baseline.replica);

  console.log(
    `replica (streaming: ${receiver} sender on the primary, hot_standby ${hot}): a read of admin = ${baseline.replica} statements, all on the replica; ` +
    `replay paused: ${lagPaused[0].lagBytes} bytes behind, own reads on the primary for ${STICKY_MS} ms at most; ` +
    `resumed: caught up (lag ${caughtUp.lagBytes} bytes, replay delay ${caughtUp.replayDelaySeconds?.toFixed(2)} s) in ${catchUpMs} ms; ` +
    `with replay running a write's reader is back on the replica after ${releasedMs} ms (probe every ${CHECK_MS} ms); ` +
    `replica stopped: 20 of 20 reads answered from the primary (${router.stats.fallbacks - fallbacksBefore} statements retried on the primary), lag reports "${down.error}"`,
  );
});

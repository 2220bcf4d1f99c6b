/**
 * The viewer cache in one server: once a credential's viewer is cached, an
 * authenticated `{ __typename }` issues no SQL statement at all (viewer and
 * cost budget); a notification drops the entry; the cache serves nothing
 * while its LISTEN connection is down (per-request reads, so a disabled user
 * is refused at once), and starts empty after a reconnect. Statements are
 * counted at the driver (every `pg` client query of the process), not only
 * the ORM's, so the rate limiter's are seen too.
 */
import pg from 'pg';
import { freePort } from '../../src/db/embedded';
import { startHardenedApp, USERS, type HardenedApp } from '../hardening/support';

const FLOOR = '{ __typename }';

/** Statements sent by any `pg` client of this process, except the cache's own LISTEN / ping traffic. */
const sent: string[] = [];
const original = pg.Client.prototype.query;
beforeAll(() => {
  pg.Client.prototype.query = function patched(this: pg.Client, ...args: any[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : first?.text;
    if (typeof text === 'string' && !/^\s*LISTEN\b|pg_notify/i.test(text)) sent.push(text);
    return (original as any).apply(this, args);
  } as any;
});
afterAll(() => {
  pg.Client.prototype.query = original;
});

async function statementsOf(run: () => Promise<unknown>): Promise<string[]> {
  sent.length = 0;
  await run();
  return [...sent];
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let cached: HardenedApp;
let uncached: HardenedApp;
let deaf: HardenedApp;

beforeAll(async () => {
  // Flushes of the cost budget are left to the end of the file (60 s interval), and no job runner polls
  // the queue (JOBS=off), so no statement but the request's lands inside a measurement.
  cached = await startHardenedApp({ env: { JOBS: 'off', VIEWER_CACHE_SIZE: '1000', VIEWER_CACHE_HEARTBEAT_MS: '1000', COST_BUDGET_FLUSH_MS: '60000' } });
  const shared = { databaseUrl: cached.databaseUrl, prepare: false };
  // The same database without the cache and with the per-request budget write: the "before" of the figures.
  uncached = await startHardenedApp({ ...shared, env: { JOBS: 'off', VIEWER_CACHE_SIZE: '0', COST_BUDGET_FLUSH_MS: '0' } });
  // A cache whose LISTEN connection can never be made (nothing listens on that port): it must never serve.
  const closed = new URL(cached.databaseUrl);
  closed.port = String(await freePort());
  deaf = await startHardenedApp({ ...shared, env: { JOBS: 'off', VIEWER_CACHE_SIZE: '1000', DATABASE_LISTEN_URL: closed.toString(), VIEWER_CACHE_HEARTBEAT_MS: '1000' } });
  await eventually(async () => cached.server.viewerCache!.live, 'the cache listens');
}, 60_000);

afterAll(async () => {
  await deaf?.close();
  await uncached?.close();
  await cached?.close();
});

function sql(query: string, params: unknown[] = []) {
  return cached.orm.em.fork().getConnection().execute(query, params as any[]);
}

test('a warm authenticated { __typename } issues no statement; without the cache and the batched budget it issued three', async () => {
  const token = await cached.login(USERS.pm);
  // Cold: the version, the user with its organization, the managed projects (the budget is counted in memory).
  const cold = await statementsOf(() => cached.gql(FLOOR, {}, token));
  const warm = await statementsOf(async () => {
    for (let i = 0; i < 5; i += 1) expect((await cached.gql(FLOOR, {}, token)).body?.data).toEqual({ __typename: 'Query' });
  });
  const before = await statementsOf(() => uncached.gql(FLOOR, {}, token));
  console.log(`statements per authenticated { __typename } (pm): without the cache ${before.length}, cold ${cold.length}, warm ${warm.length / 5}`);
  expect(cold.length).toBe(3);
  expect(warm).toEqual([]);
  // Before: the user with its organization, the managed projects, the cost budget's upsert.
  expect(before.length).toBe(3);
  expect(before.some((s) => /insert into .*rate_limit/i.test(s))).toBe(true);
  const metrics = (await cached.raw({ method: 'GET', path: '/metrics' })).text;
  expect(metrics).toMatch(/^vantage_viewer_cache_live 1$/m);
  expect(Number(/^vantage_viewer_cache_lookups_total\{result="hit"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(5);
  expect((await deaf.raw({ method: 'GET', path: '/metrics' })).text).toMatch(/^vantage_viewer_cache_live 0$/m);

  // An API token: the same, and its expiry is still checked on every request.
  const created = await cached.gql('mutation { createApiToken(input: { name: "floor" }) { secret apiToken { id } } }', {}, token);
  const secret = created.body?.data.createApiToken.secret as string;
  expect((await cached.gql(FLOOR, {}, secret)).body?.data).toEqual({ __typename: 'Query' });
  expect(await statementsOf(() => cached.gql(FLOOR, {}, secret))).toEqual([]);
});

test('the cache serves what it holds until the notification; the notification drops it', async () => {
  const token = await cached.login(USERS.cobalt);
  const who = '{ viewer { user { email } } }';
  expect((await cached.gql(who, {}, token)).body?.data.viewer.user.email).toBe(USERS.cobalt);
  const [{ id }] = await sql('select id from app_user where email = ?', [USERS.cobalt]);
  // A change the triggers do not see (trigger off): the cached viewer is served, proof that it is the cache answering.
  await sql('alter table app_user disable trigger viewer_user_changed');
  try {
    await sql('update app_user set disabled_at = now() where id = ?', [id]);
  } finally {
    await sql('alter table app_user enable trigger viewer_user_changed');
  }
  expect((await cached.gql(who, {}, token)).body?.data.viewer.user.email).toBe(USERS.cobalt);
  // What the trigger would have sent: the next request reads the user again and refuses it.
  await sql(`select pg_notify('vantage_viewer', ? || ':999')`, [id]);
  const ms = await eventually(async () => (await cached.gql(who, {}, token)).body?.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED', 'the disabled user refused');
  await sql('update app_user set disabled_at = null where id = ?', [id]);
  await eventually(async () => (await cached.gql(who, {}, token)).body?.data?.viewer?.user?.email === USERS.cobalt, 'the user enabled again');
  console.log(`notification to refusal: ${ms} ms`);
});

test('an API token is refused from the cache once its expiry passes (checked on every request, no notification needed)', async () => {
  const admin = await cached.login(USERS.admin);
  const expiresAt = new Date(Date.now() + 1500).toISOString();
  const created = await cached.gql('mutation M($at: DateTime) { createApiToken(input: { name: "short", expiresAt: $at }) { secret } }', { at: expiresAt }, admin);
  const secret = created.body?.data.createApiToken.secret as string;
  expect((await cached.gql(FLOOR, {}, secret)).body?.data).toEqual({ __typename: 'Query' });
  expect(await statementsOf(() => cached.gql(FLOOR, {}, secret))).toEqual([]);
  await eventually(async () => Date.now() > Date.parse(expiresAt), 'the expiry passed', 3_000);
  let refused: Awaited<ReturnType<typeof cached.gql>> | undefined;
  const statements = await statementsOf(async () => {
    refused = await cached.gql('{ viewer { user { email } } }', {}, secret);
  });
  expect([refused?.status, refused?.body?.errors?.[0]?.message]).toEqual([401, 'This API token has expired']);
  expect(statements).toEqual([]);
});

test('while the LISTEN connection cannot be made, every request reads its viewer (a disabled user is refused at once)', async () => {
  const cache = deaf.server.viewerCache!;
  expect(cache.live).toBe(false);
  const token = await deaf.login(USERS.delta);
  const who = '{ viewer { user { email } } }';
  for (let i = 0; i < 2; i += 1) {
    const statements = await statementsOf(() => deaf.gql(who, {}, token));
    expect(statements.length).toBeGreaterThan(0);
  }
  expect(cache.size).toBe(0);
  const [{ id }] = await sql('select id from app_user where email = ?', [USERS.delta]);
  await sql('update app_user set disabled_at = now() where id = ?', [id]);
  try {
    expect((await deaf.gql(who, {}, token)).body?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  } finally {
    await sql('update app_user set disabled_at = null where id = ?', [id]);
  }
});

test('a lost LISTEN connection empties the cache; it reconnects and invalidates again', async () => {
  const cache = cached.server.viewerCache!;
  const token = await cached.login(USERS.aurora);
  await cached.gql(FLOOR, {}, token);
  expect(await statementsOf(() => cached.gql(FLOOR, {}, token))).toEqual([]);
  const { connects, drops } = cache.stats;
  await sql(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'vantage-viewer-cache' and datname = current_database() and pid <> pg_backend_pid()`);
  await eventually(async () => cache.stats.drops > drops, 'the loss noticed');
  await eventually(async () => cache.live && cache.stats.connects > connects, 'listening again');
  // Emptied: the first request reads again (version, user, investments, their managers), the next is served from the cache.
  expect((await statementsOf(() => cached.gql(FLOOR, {}, token))).length).toBe(4);
  expect(await statementsOf(() => cached.gql(FLOOR, {}, token))).toEqual([]);
  // And a change is seen through the new connection.
  const [{ id }] = await sql('select id from app_user where email = ?', [USERS.aurora]);
  await sql('update app_user set disabled_at = now() where id = ?', [id]);
  try {
    await eventually(async () => (await cached.gql('{ viewer { user { email } } }', {}, token)).body?.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED', 'refused after the reconnect');
  } finally {
    await sql('update app_user set disabled_at = null where id = ?', [id]);
  }
});

test('the triggers announce exactly the users whose viewer a change alters, and nobody for other changes', async () => {
  const emails = new Map((await sql('select id, email from app_user') as { id: string; email: string }[]).map((r) => [r.id, r.email.split('@')[0]]));
  const id = async (q: string, params: unknown[] = []) => (await sql(q, params))[0].id as string;
  const atlas = await id(`select id from project where name = 'Atlas'`);
  const pm = await id('select id from app_user where email = ?', [USERS.pm]);
  const beacon = await id(`select id from organization where name = 'Beacon Ventures'`);
  const [delta] = await sql(`select c.id, c.status from contract c join organization o on o.id = c.counterparty_id where o.name = 'Delta QA' limit 1`);
  const deltaDraft = delta.id as string;
  const admin = await cached.login(USERS.admin);
  await cached.gql('mutation { createApiToken(input: { name: "announced" }) { apiToken { id } } }', {}, admin);
  const token = await id(`select id from api_token where name = 'announced'`);
  await sql(`update contract set status = 'DRAFT' where id = ?`, [deltaDraft]);

  const listener = new pg.Client({ connectionString: cached.databaseUrl });
  listener.on('error', () => undefined);
  await listener.connect();
  const heard: string[] = [];
  listener.on('notification', (m) => heard.push(m.payload ?? ''));
  await listener.query('LISTEN vantage_viewer');

  /** Who was announced for the statements (each committed on its own), in the order announced. */
  const announced = async (...statements: [string, unknown[]?][]) => {
    heard.length = 0;
    for (const [q, params] of statements) await sql(q, params ?? []);
    // Sent after the statements committed, so it arrives after their notifications.
    await sql(`select pg_notify('vantage_viewer', 'end')`);
    await eventually(async () => heard.includes('end'), 'the end marker');
    return heard.filter((p) => p !== 'end').map((p) => emails.get(p.split(':')[0]) ?? p);
  };

  try {
    expect(await announced([`update investment set committed_amount = committed_amount + 1 where project_id = ?`, [atlas]])).toEqual([]);
    expect(await announced([`update organization set name = name || ' ' where id = ?`, [beacon]], [`update organization set name = trim(name) where id = ?`, [beacon]])).toEqual([]);
    expect(await announced([`update app_user set name = name || '.' where id = ?`, [pm]])).toEqual([]);
    expect(await announced([`update api_token set last_used_at = now() where id = ?`, [token]])).toEqual([]);
    expect(await announced([`update contract set title = title || '.' where id = ?`, [deltaDraft]])).toEqual([]);

    expect(await announced([`insert into investment (id, created_at, updated_at, version, project_id, organization_id, committed_amount, committed_on)
      values ('00000000-0000-4000-8000-000000000001', now(), now(), 1, ?, ?, 1, current_date)`, [atlas, beacon]])).toEqual(['analyst']);
    expect(await announced([`delete from investment where id = '00000000-0000-4000-8000-000000000001'`])).toEqual(['analyst']);
    // A draft contract grants nothing; leaving or entering DRAFT changes its counterparty's viewers.
    expect(await announced([`update contract set status = 'ACTIVE' where id = ?`, [deltaDraft]], [`update contract set status = 'DRAFT' where id = ?`, [deltaDraft]])).toEqual(['qa', 'qa']);
    // A manager leaves Atlas: the manager, and Atlas's investors and partners (their contacts).
    expect((await announced([`delete from project_manager where project_id = ? and user_id = ?`, [atlas, pm]])).sort()).toEqual(['ir', 'lead', 'pm']);
    expect((await announced([`insert into project_manager (project_id, user_id) values (?, ?)`, [atlas, pm]])).sort()).toEqual(['ir', 'lead', 'pm']);
    expect(await announced([`update app_user set role = 'ADMIN' where id = ?`, [pm]], [`update app_user set role = 'MANAGER' where id = ?`, [pm]])).toEqual(['pm', 'pm']);
    expect(await announced([`update organization set kind = 'VENDOR' where id = ?`, [beacon]], [`update organization set kind = 'INVESTOR' where id = ?`, [beacon]])).toEqual(['analyst', 'analyst']);
    const owner = emails.get(await id('select user_id as id from api_token where id = ?', [token]));
    expect(await announced([`update api_token set scope = 'READ' where id = ?`, [token]])).toEqual([owner]);
    // Versions only grow: the last two announcements of pm carry consecutive versions.
    heard.length = 0;
    await sql(`update app_user set disabled_at = now() where id = ?`, [pm]);
    await sql(`update app_user set disabled_at = null where id = ?`, [pm]);
    await eventually(async () => heard.length === 2, 'two announcements');
    const [v1, v2] = heard.map((p) => Number(p.split(':')[1]));
    expect(v2).toBe(v1 + 1);
    expect(Number((await sql('select version from viewer_version where user_id = ?', [pm]))[0].version)).toBe(v2);
  } finally {
    await listener.end();
    await sql(`update contract set status = ? where id = ?`, [delta.status, deltaDraft]);
  }
});

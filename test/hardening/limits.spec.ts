/**
 * Cost and rate limits: the cost of each operation computed with its
 * variables and reported in extensions.cost, a per-viewer budget and sign-in
 * limits per (account, client address) pair and per client address that hold
 * across two server instances on one database, with a clear RATE_LIMITED
 * error and Retry-After.
 */
import { DEMO_PASSWORD } from '../../src/db/seed';
import { startHardenedApp, USERS, type HardenedApp, type Response } from './support';

jest.setTimeout(180_000);

const ENV = {
  COST_BUDGET_PER_MINUTE: '1000',
  LOGIN_ATTEMPTS_PER_ACCOUNT: '5',
  LOGIN_ATTEMPTS_PER_IP: '20',
  TRUST_PROXY_HOPS: '1',
};

let a: HardenedApp;
let b: HardenedApp;
beforeAll(async () => {
  a = await startHardenedApp({ env: ENV, logLevel: 'warn' });
  // A second instance on the same database: limits are shared through PostgreSQL.
  b = await startHardenedApp({ env: ENV, databaseUrl: a.databaseUrl, logLevel: 'warn' });
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

let ipCounter = 0;
function freshIp(): string {
  ipCounter += 1;
  return `203.0.113.${ipCounter}`;
}

function login(app: HardenedApp, email: string, password: string, ip: string): Promise<Response> {
  return app.gql(
    'mutation L($input: LoginInput!) { login(input: $input) { token userErrors { code } } }',
    { input: { email, password } },
    null,
    { 'x-forwarded-for': ip },
  );
}

function expectRateLimited(res: Response): number {
  expect(res.status).toBe(429);
  const error = res.body?.errors?.[0];
  expect(error?.extensions?.code).toBe('RATE_LIMITED');
  const retry = error?.extensions?.retryAfterSeconds;
  expect(retry).toBeGreaterThan(0);
  expect(res.headers.get('retry-after')).toBe(String(retry));
  expect(res.body?.data).toBeUndefined();
  return retry;
}

test('each operation reports its cost, computed with its variables, and the remaining budget', async () => {
  const ip = freshIp();
  const token = (await login(a, USERS.pm, DEMO_PASSWORD, ip)).body?.data.login.token;
  const cases: [string, string, Record<string, unknown>, number][] = [
    ['default page size', '{ projects { totalCount } }', {}, 1 + 20 * 1],
    ['literal first', '{ projects(first: 2) { nodes { name } } }', {}, 1 + 2 * 1],
    ['variable first, nested', 'query Q($n: Int) { projects(first: $n) { nodes { name milestones(first: $n) { nodes { title } } } } }', { n: 5 }, 1 + 5 * (1 + (1 + 5 * 1))],
    ['variable last', 'query Q($n: Int) { projects(last: $n) { totalCount } }', { n: 7 }, 1 + 7 * 1],
    ['nodes(ids:)', 'query Q($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['a', 'b', 'c'] }, 1 + 3 * 1],
    ['scalars only', '{ viewer { role } }', {}, 1],
  ];
  let expectedRemaining = 1000;
  const lines: string[] = [];
  for (const [name, query, variables, cost] of cases) {
    const res = await a.gql(query, variables, token);
    const report = res.body?.extensions?.cost;
    expectedRemaining -= cost;
    expect({ name, requested: report?.requestedQueryCost }).toEqual({ name, requested: cost });
    expect(report.maximumQueryCost).toBe(10000);
    expect(report.throttleStatus.maximumAvailable).toBe(1000);
    expect(report.throttleStatus.currentlyAvailable).toBe(expectedRemaining);
    expect(report.throttleStatus.resetInSeconds).toBeGreaterThan(0);
    expect(report.throttleStatus.resetInSeconds).toBeLessThanOrEqual(60);
    lines.push(`${name}=${cost}`);
  }
  console.log(`cost: ${cases.length}/${cases.length} operations priced as expected (${lines.join(', ')}), budget left ${expectedRemaining}/1000`);
});

test('the cost budget is per viewer, shared by both instances, and refused with Retry-After when spent', async () => {
  const ip = freshIp();
  const token = (await login(a, USERS.aurora, DEMO_PASSWORD, ip)).body?.data.login.token;
  const other = (await login(a, USERS.beacon, DEMO_PASSWORD, ip)).body?.data.login.token;
  const query = 'query Q($n: Int) { projects(first: $n) { nodes { name } } }';
  // 101 points per call (1 + 100 × 1): alternate instances until the 1000-point budget is spent.
  let spent = 0;
  let calls = 0;
  for (;;) {
    const app = calls % 2 === 0 ? a : b;
    const res = await app.gql(query, { n: 100 }, token);
    calls += 1;
    if (res.status === 429) {
      a.resolvers.reset();
      b.resolvers.reset();
      const again = await b.gql(query, { n: 100 }, token);
      const retry = expectRateLimited(again);
      expect(again.body?.errors?.[0].message).toBe(`Query budget exhausted for this minute: retry in ${retry} seconds`);
      expect(again.body?.extensions?.cost.throttleStatus.currentlyAvailable).toBe(0);
      expect(a.resolvers.calls + b.resolvers.calls).toBe(0);
      break;
    }
    expect(res.body?.errors).toBeUndefined();
    spent += 101;
    expect(calls).toBeLessThan(20);
  }
  // 9 calls fit in 1000 points (909), the 10th would need 1010.
  expect(spent).toBe(909);
  // Another viewer is not affected.
  const res = await b.gql(query, { n: 100 }, other);
  expect(res.body?.errors).toBeUndefined();
  console.log(`budget: ${calls - 1} operations (${spent} points) accepted across 2 instances, then RATE_LIMITED with Retry-After; other viewer unaffected`);
});

test('failed sign-ins per account and address are limited across instances; a success clears them; aliased attempts count one by one', async () => {
  // Five failures on A and B from one address; then that address waits, even with the right password.
  const ip = freshIp();
  for (let i = 0; i < 4; i++) {
    const res = await login(i % 2 ? a : b, USERS.cobalt, 'wrong-password', ip);
    expect(res.body?.data.login.userErrors).toEqual([{ code: 'INVALID_CREDENTIALS' }]);
  }
  expect((await login(a, USERS.cobalt, 'wrong-password', ip)).body?.data.login.userErrors).toEqual([{ code: 'INVALID_CREDENTIALS' }]);
  a.resolvers.reset();
  const refused = await login(b, USERS.cobalt, DEMO_PASSWORD, ip);
  const retry = expectRateLimited(refused);
  expect(refused.body?.errors?.[0].message).toBe(`Too many sign-in attempts: retry in ${retry} seconds`);
  // The first wait is the base delay (30 s by default), not the whole window.
  expect(retry).toBeLessThanOrEqual(30);
  // The owner, from another address, is not affected; nor is another account.
  expect((await login(a, USERS.cobalt, DEMO_PASSWORD, freshIp())).body?.data.login.token).toEqual(expect.any(String));
  expect((await login(a, USERS.delta, DEMO_PASSWORD, freshIp())).body?.data.login.token).toEqual(expect.any(String));

  // A success clears the pair's count: 3 failures, a success, then 4 more failures are still answered.
  const deltaIp = freshIp();
  for (let i = 0; i < 3; i++) await login(a, USERS.delta, 'nope', deltaIp);
  expect((await login(b, USERS.delta, DEMO_PASSWORD, deltaIp)).body?.data.login.token).toEqual(expect.any(String));
  for (let i = 0; i < 4; i++) {
    expect((await login(a, USERS.delta, 'nope', deltaIp)).body?.data.login.userErrors).toEqual([{ code: 'INVALID_CREDENTIALS' }]);
  }

  // Aliases: six attempts on one account in one document are six attempts — refused as a whole, before any resolver.
  const six = Array.from({ length: 6 }, (_, i) => `t${i}: login(input: { email: "${USERS.aurora}", password: "guess-${i}" }) { token }`).join(' ');
  a.resolvers.reset();
  expectRateLimited(await a.gql(`mutation { ${six} }`, {}, null, { 'x-forwarded-for': freshIp() }));
  expect(a.resolvers.calls).toBe(0);
  // Through a fragment and variables (and an email spelled differently), four attempts on another account
  // are answered; then that account has one attempt left from that address.
  const beaconIp = freshIp();
  const four = await b.gql(
    'mutation M($p: String!) { ...F } fragment F on Mutation { x: login(input: { email: "ANALYST@beacon.example ", password: $p }) { token } y: login(input: { email: "analyst@beacon.example", password: $p }) { token } z: login(input: { email: "analyst@beacon.example", password: $p }) { token } w: login(input: { email: "analyst@beacon.example", password: $p }) { token } }',
    { p: 'guess' }, null, { 'x-forwarded-for': beaconIp },
  );
  expect(four.body?.data).toEqual({ x: { token: null }, y: { token: null }, z: { token: null }, w: { token: null } });
  expect((await login(a, USERS.beacon, 'guess', beaconIp)).body?.data.login.token).toBeNull();
  expectRateLimited(await login(b, USERS.beacon, DEMO_PASSWORD, beaconIp));
  console.log('login per account and address: 5 failed attempts allowed across 2 instances, the 6th waits (RATE_LIMITED, Retry-After) while other addresses sign in; aliased attempts counted individually; a success resets the count');
});

test('sign-in attempts per client address are limited across instances, whatever the accounts', async () => {
  const ip = freshIp();
  let accepted = 0;
  for (let i = 0; i < 20; i++) {
    const res = await login(i % 2 ? a : b, `nobody${i}@example.com`, 'x', ip);
    if (res.status === 200) accepted += 1;
  }
  expect(accepted).toBe(20);
  expectRateLimited(await login(a, USERS.admin, DEMO_PASSWORD, ip));
  // A batch from a fresh address larger than the per-address limit is refused whole.
  const batch = Array.from({ length: 21 }, (_, i) => `l${i}: login(input: { email: "batch${i}@example.com", password: "x" }) { token }`).join(' ');
  expectRateLimited(await b.gql(`mutation { ${batch} }`, {}, null, { 'x-forwarded-for': freshIp() }));
  // Another address still signs in.
  expect((await login(b, USERS.admin, DEMO_PASSWORD, freshIp())).body?.data.login.token).toEqual(expect.any(String));
  console.log('login per address: 20 attempts allowed across 2 instances, the 21st refused; a 21-alias batch refused whole');
});

test('the counters live in PostgreSQL, keyed without emails in clear text', async () => {
  const rows = await a.orm.em.getConnection().execute<{ key: string; points: number }[]>('select key, points from rate_limit order by key');
  const prefixes = new Set(rows.map((r) => r.key.split(':')[0]));
  expect([...prefixes].sort()).toEqual(['cost', 'login_account', 'login_ip']);
  expect(rows.some((r) => r.key.includes('@'))).toBe(false);
});

test('without trusted proxies, X-Forwarded-For cannot be used to dodge the per-address limit', async () => {
  const direct = await startHardenedApp({ env: { ...ENV, TRUST_PROXY_HOPS: '0', LOGIN_ATTEMPTS_PER_IP: '3' }, databaseUrl: a.databaseUrl, logLevel: 'warn' });
  try {
    // Other tests used 127.0.0.1 only through a spoofable header; this instance sees the socket address.
    await direct.orm.em.getConnection().execute(`delete from rate_limit where key like 'login_ip:%'`);
    for (let i = 0; i < 3; i++) expect((await login(direct, `x${i}@example.com`, 'x', freshIp())).status).toBe(200);
    expectRateLimited(await login(direct, USERS.admin, DEMO_PASSWORD, freshIp()));
  } finally {
    await direct.close();
  }
});

test('a window ends: after Retry-After, sign-in works again', async () => {
  const short = await startHardenedApp({ env: { ...ENV, LOGIN_WINDOW_SECONDS: '8', LOGIN_ATTEMPTS_PER_ACCOUNT: '1' }, databaseUrl: a.databaseUrl, logLevel: 'warn' });
  try {
    await short.orm.em.getConnection().execute(`delete from rate_limit where key like 'login_account:%'`);
    const ip = freshIp();
    expect((await login(short, USERS.pm, 'wrong', ip)).body?.data.login.token).toBeNull();
    const retry = expectRateLimited(await login(short, USERS.pm, DEMO_PASSWORD, ip));
    // A window long enough that a slow sign-in on a loaded machine does not outlive it.
    expect(retry).toBeLessThanOrEqual(8);
    await new Promise((resolve) => setTimeout(resolve, retry * 1000 + 200));
    expect((await login(short, USERS.pm, DEMO_PASSWORD, ip)).body?.data.login.token).toEqual(expect.any(String));
  } finally {
    await short.close();
  }
});

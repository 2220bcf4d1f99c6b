/**
 * Two real server processes on one database, each with its viewer cache and
 * the cost budget counted in memory and flushed in batches. A change made
 * through A (a revoked API token, a disabled user, a removed project
 * membership) reaches B's cache through PostgreSQL's notification: B, whose
 * cache holds the old viewer, refuses or narrows within a short bound. The
 * cost budget spent on A holds on B once B's counts meet A's in the table.
 */
import { dropTestDatabase, USERS } from '../support/app';
import { freePort, gql, kill, preparedDatabase, startInstance, type Instance } from './support';

jest.setTimeout(120_000);

const FLUSH_MS = 200;
const BUDGET = 300;

/** Polls until `check` holds; returns how long it took. */
async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let db: { url: string; name: string };
let a: Instance;
let b: Instance;

beforeAll(async () => {
  db = await preparedDatabase();
  const env = { DATABASE_URL: db.url, VIEWER_CACHE_SIZE: '1000', COST_BUDGET_FLUSH_MS: String(FLUSH_MS), COST_BUDGET_PER_MINUTE: String(BUDGET) };
  const [pa, pb] = [await freePort(), await freePort()];
  [a, b] = await Promise.all([startInstance('A', pa, env), startInstance('B', pb, env)]);
});

afterAll(async () => {
  await Promise.all([a, b].filter(Boolean).map((i) => i.stop()));
  kill([a, b]);
  if (db) await dropTestDatabase(db.name);
});

async function token(base: string, email: string): Promise<string> {
  const res = await gql(base, 'mutation L($i: LoginInput!) { login(input: $i) { token } }', { i: { email, password: 'vantage-demo' } });
  const t = res.body?.data?.login?.token;
  if (!t) throw new Error(`login of ${email} failed: ${res.text}`);
  return t;
}

const WHO = '{ viewer { user { email } } }';
const refused = async (base: string, credential: string) => (await gql(base, WHO, {}, credential)).body?.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED';

test('a token revoked, a user disabled, a membership removed through A: B refuses or narrows within a short bound', async () => {
  const admin = await token(a.base, USERS.admin);
  const timings: string[] = [];

  // An API token, cached on B.
  const created = await gql(a.base, 'mutation { createApiToken(input: { name: "two" }) { secret apiToken { id } } }', {}, admin);
  const secret = created.body.data.createApiToken.secret as string;
  for (let i = 0; i < 2; i += 1) expect((await gql(b.base, WHO, {}, secret)).body.data.viewer.user.email).toBe(USERS.admin);
  const revoked = await gql(a.base, 'mutation R($id: String!) { revokeApiToken(input: { id: $id }) { userErrors { code } } }', { id: created.body.data.createApiToken.apiToken.id }, admin);
  expect(revoked.body.data.revokeApiToken.userErrors).toEqual([]);
  timings.push(`token revoked: ${await eventually(() => refused(b.base, secret), 'B refuses the revoked token')} ms`);
  // And A, which wrote it, refuses at once (its response waited for its own invalidation).
  expect(await refused(a.base, secret)).toBe(true);

  // A session of the manager, cached on B: two projects, then one after the membership is removed through A.
  const pm = await token(a.base, USERS.pm);
  const count = async () => (await gql(b.base, '{ projects(first: 1) { totalCount } }', {}, pm)).body.data.projects.totalCount as number;
  expect([await count(), await count()]).toEqual([2, 2]);
  const projects = (await gql(a.base, '{ projects(first: 10) { nodes { id name version managers { id email } } } }', {}, admin)).body.data.projects.nodes as { id: string; name: string; version: number; managers: { id: string; email: string }[] }[];
  const atlas = projects.find((p) => p.managers.some((m) => m.email === USERS.pm))!;
  const assigned = await gql(a.base, 'mutation M($i: AssignProjectManagersInput!) { assignProjectManagers(input: $i) { userErrors { code message } } }', {
    i: { id: atlas.id, version: atlas.version, managerIds: atlas.managers.filter((m) => m.email !== USERS.pm).map((m) => m.id) },
  }, admin);
  expect(assigned.body.data.assignProjectManagers.userErrors).toEqual([]);
  timings.push(`membership removed: ${await eventually(async () => (await count()) === 1, 'B narrows the manager to one project')} ms`);

  // A session of a partner member, cached on B, then the user disabled through A.
  const delta = await token(b.base, USERS.delta);
  expect((await gql(b.base, WHO, {}, delta)).body.data.viewer.user.email).toBe(USERS.delta);
  const me = (await gql(b.base, '{ viewer { user { id version } } }', {}, delta)).body.data.viewer.user;
  const disabled = await gql(a.base, 'mutation D($i: DisableUserInput!) { disableUser(input: $i) { userErrors { code } } }', { i: { id: me.id, version: me.version } }, admin);
  expect(disabled.body.data.disableUser.userErrors).toEqual([]);
  timings.push(`user disabled: ${await eventually(() => refused(b.base, delta), 'B refuses the disabled user')} ms`);
  console.log(`B saw the change made through A after: ${timings.join(', ')}`);
});

test('the cost budget counted in memory is shared through the table: spent on A, B stops within a flush interval', async () => {
  const t = await token(a.base, USERS.beacon);
  const query = '{ projects(first: 20) { nodes { name } } }';
  const remaining: number[] = [];
  for (;;) {
    const res = await gql(a.base, query, {}, t);
    if (res.status !== 200) break;
    remaining.push(res.body.extensions.cost.throttleStatus.currentlyAvailable);
  }
  // One instance alone is exact.
  const cost = BUDGET - remaining[0];
  expect(remaining).toEqual(Array.from({ length: Math.floor(BUDGET / cost) }, (_, k) => BUDGET - (k + 1) * cost));
  // A has written its count; B, which has not seen this viewer yet, admits at most what it spends before its first flush.
  let admittedOnB = 0;
  const ms = await eventually(async () => {
    const res = await gql(b.base, query, {}, t);
    if (res.status === 200) admittedOnB += 1;
    return res.status === 429;
  }, 'B refuses the spent budget', 5_000);
  expect(admittedOnB).toBeLessThanOrEqual(Math.floor(BUDGET / cost));
  console.log(`budget ${BUDGET}, cost ${cost}: A served ${remaining.length}; B admitted ${admittedOnB} more before refusing (${ms} ms, flush every ${FLUSH_MS} ms)`);
});

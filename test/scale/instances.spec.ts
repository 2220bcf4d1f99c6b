/**
 * Several real server processes on ONE PostgreSQL database behave as one:
 * the per-minute cost budget and the sign-in limits are counted in the
 * database (table `rate_limit`), and every request re-reads its token's user
 * and API token, so a limit reached or a token revoked through one instance
 * holds on every other at once. Then a rolling restart under steady load
 * through a stand-in load balancer that follows /readyz and fails a refused
 * connection over to the next instance: zero failed requests.
 */
import { DEMO_PASSWORD } from '../../src/db/seed';
import { dropTestDatabase, USERS } from '../support/app';
import { freePort, gql, kill, preparedDatabase, request, startInstance, type Instance } from './support';

jest.setTimeout(600_000);

const LOGIN = 'mutation L($i: LoginInput!) { login(input: $i) { token userErrors { code } } }';

async function login(base: string, email: string, ip: string, password = DEMO_PASSWORD) {
  return gql(base, LOGIN, { i: { email, password } }, null, { 'x-forwarded-for': ip });
}

async function token(base: string, email: string, ip: string): Promise<string> {
  const res = await login(base, email, ip);
  const t = res.body?.data?.login?.token;
  if (!t) throw new Error(`login of ${email} failed: ${res.text}`);
  return t;
}

describe('three instances on one database', () => {
  const BUDGET = 40;
  let db: { url: string; name: string };
  let instances: Instance[] = [];

  beforeAll(async () => {
    db = await preparedDatabase();
    const env = {
      DATABASE_URL: db.url,
      COST_BUDGET_PER_MINUTE: String(BUDGET),
      LOGIN_ATTEMPTS_PER_ACCOUNT: '3',
      LOGIN_ATTEMPTS_PER_IP: '5',
      LOGIN_WINDOW_SECONDS: '900',
      // Each test signs in from an address of its own (X-Forwarded-For from the local "proxy"), so the per-address limit of one does not touch another.
      TRUST_PROXY_HOPS: '1',
    };
    const ports = [await freePort(), await freePort(), await freePort()];
    instances = await Promise.all(ports.map((port, i) => startInstance('ABC'[i], port, env)));
  });

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    kill(instances);
    if (db) await dropTestDatabase(db.name);
  });

  test('the cost budget spent on A and B is exhausted on C and on every other instance', async () => {
    const [a, b, c] = instances;
    const t = await token(a.base, USERS.beacon, '10.0.1.1');
    const query = '{ projects(first: 2) { nodes { name } } }';
    const remaining: number[] = [];
    let cost = 0;
    let served = 0;
    // Round robin until the budget is spent; bounded by the budget itself.
    for (let k = 0; k < BUDGET; k += 1) {
      const at = instances[k % 3];
      const res = await gql(at.base, query, {}, t);
      if (res.status !== 200) break;
      served += 1;
      cost = res.body.extensions.cost.requestedQueryCost;
      remaining.push(res.body.extensions.cost.throttleStatus.currentlyAvailable);
    }
    expect(cost).toBeGreaterThan(0);
    const expected = Array.from({ length: Math.floor(BUDGET / cost) }, (_, k) => BUDGET - (k + 1) * cost);
    expect(remaining).toEqual(expected);
    expect(served).toBe(Math.floor(BUDGET / cost));
    // Exhausted everywhere, whichever instance spent it.
    for (const at of [a, b, c]) {
      const res = await gql(at.base, query, {}, t);
      expect(res.status).toBe(429);
      expect(res.body.errors[0].extensions.code).toBe('RATE_LIMITED');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    console.log(`cost budget ${BUDGET}/min, query cost ${cost}: ${served} requests served round robin over A, B, C (remaining ${remaining.join(', ')}), then 429 on each of A, B, C`);
  });

  test('failed sign-ins of one account from one address on A, B and C hold that pair back on every instance, not the owner elsewhere', async () => {
    const [a, b, c] = instances;
    // Three failures of one (account, address) pair, one per instance: the threshold is 3.
    for (const at of [a, b, c]) {
      const res = await login(at.base, USERS.aurora, '10.0.2.1', 'wrong-password');
      expect(res.status).toBe(200);
      expect(res.body.data.login.token).toBeNull();
    }
    // That pair now waits, even with the right password, on any instance.
    for (const at of [a, b]) {
      const res = await login(at.base, USERS.aurora, '10.0.2.1');
      expect(res.status).toBe(429);
      expect(res.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    }
    // The owner, from another address, is not locked out by someone else's failures.
    const owner = await login(c.base, USERS.aurora, '10.0.2.9');
    expect(owner.status).toBe(200);
    expect(typeof owner.body.data.login.token).toBe('string');
  });

  test('sign-in attempts from one address are counted across instances', async () => {
    const ip = '10.0.3.1';
    const emails = [USERS.cobalt, USERS.delta, USERS.pm, USERS.admin, USERS.beacon];
    for (let k = 0; k < 5; k += 1) {
      const res = await login(instances[k % 3].base, emails[k], ip);
      expect([res.status, typeof res.body.data.login.token]).toEqual([200, 'string']);
    }
    for (const at of instances) {
      const res = await login(at.base, USERS.cobalt, ip);
      expect(res.status).toBe(429);
      expect(res.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    }
  });

  test('an API token revoked through A and a user disabled through A are refused on B and C at once', async () => {
    const [a, b, c] = instances;
    const admin = await token(a.base, USERS.admin, '10.0.4.1');
    const created = await gql(a.base, 'mutation { createApiToken(input: { name: "scale" }) { secret apiToken { id } } }', {}, admin);
    const secret = created.body.data.createApiToken.secret as string;
    const id = created.body.data.createApiToken.apiToken.id as string;
    const who = '{ viewer { user { email } } }';
    expect((await gql(b.base, who, {}, secret)).body.data.viewer.user.email).toBe(USERS.admin);
    expect((await gql(c.base, who, {}, secret)).body.data.viewer.user.email).toBe(USERS.admin);

    const revoked = await gql(a.base, 'mutation R($id: String!) { revokeApiToken(input: { id: $id }) { apiToken { revokedAt } userErrors { code } } }', { id }, admin);
    expect(revoked.body.data.revokeApiToken.userErrors).toEqual([]);
    for (const at of [b, c]) {
      const res = await gql(at.base, who, {}, secret);
      expect(res.body.data?.viewer ?? null).toBeNull();
      expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }

    const delta = await token(b.base, USERS.delta, '10.0.4.2');
    const me = (await gql(c.base, '{ viewer { user { id version } } }', {}, delta)).body.data.viewer.user;
    const disabled = await gql(a.base, 'mutation D($i: DisableUserInput!) { disableUser(input: $i) { userErrors { code } } }', { i: { id: me.id, version: me.version } }, admin);
    expect(disabled.body.data.disableUser.userErrors).toEqual([]);
    for (const at of [b, c]) {
      const res = await gql(at.base, who, {}, delta);
      expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
  });
});

describe('rolling restart under load', () => {
  const DRAIN_MS = 1500;
  const GRACE_MS = 8000;
  const POLL_MS = 100;
  const MAX_REQUESTS = 50_000;
  const MAX_SECONDS = 300;
  const CLIENTS = 4;
  let db: { url: string; name: string };
  const instances: Instance[] = [];

  beforeAll(async () => {
    db = await preparedDatabase();
  });

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    kill(instances);
    if (db) await dropTestDatabase(db.name);
  });

  test('SIGTERM and restart each of three instances in turn: every request answered 200', async () => {
    const env = { DATABASE_URL: db.url, READINESS_DRAIN_MS: String(DRAIN_MS), SHUTDOWN_GRACE_MS: String(GRACE_MS) };
    const ports = [await freePort(), await freePort(), await freePort()];
    instances.push(...(await Promise.all(ports.map((port, i) => startInstance('ABC'[i], port, env)))));
    const bases = ports.map((p) => `http://127.0.0.1:${p}`);

    // The load balancer: polls each instance's /readyz and routes only to the ready ones.
    const routable = bases.map(() => true);
    let balancing = true;
    const balancer = (async () => {
      while (balancing) {
        await Promise.all(bases.map(async (base, i) => {
          try {
            routable[i] = (await request(`${base}/readyz`, { timeoutMs: 1000 })).status === 200;
          } catch {
            routable[i] = false;
          }
        }));
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    })();

    const tokens = await Promise.all([USERS.pm, USERS.aurora, USERS.beacon, USERS.admin].map((email) => token(bases[0], email, '127.0.0.1')));
    const query = '{ projects(first: 3) { totalCount nodes { name milestones(first: 5) { totalCount nodes { title } } } } }';
    const counts = { sent: 0, ok: 0, failedOver: 0, failed: [] as string[] };
    const perInstance = bases.map(() => 0);
    let next = 0;
    let streaming = true;
    const startedAt = Date.now();

    /** One logical request: round robin over the routable instances; a refused connection (never accepted) goes to the next one. */
    const send = async (tok: string, first?: number): Promise<void> => {
      counts.sent += 1;
      for (let attempt = 0; attempt < 2 * bases.length; attempt += 1) {
        const candidates = bases.map((_, i) => i).filter((i) => routable[i]);
        if (!candidates.length && !(attempt === 0 && first !== undefined)) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          continue;
        }
        const i = attempt === 0 && first !== undefined ? first : candidates[next++ % candidates.length];
        try {
          const res = await gql(bases[i], query, {}, tok);
          if (res.status === 200 && res.body?.data?.projects && !res.body.errors) {
            counts.ok += 1;
            perInstance[i] += 1;
          } else {
            counts.failed.push(`${'ABC'[i]} ${res.status} ${res.text.slice(0, 200)}`);
          }
          return;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ECONNREFUSED') {
            counts.failedOver += 1;
            continue;
          }
          counts.failed.push(`${'ABC'[i]} ${(err as Error).message}`);
          return;
        }
      }
      counts.failed.push('no instance accepted the request');
    };
    const client = async (k: number) => {
      while (streaming && counts.sent < MAX_REQUESTS && Date.now() - startedAt < MAX_SECONDS * 1000) await send(tokens[k % tokens.length]);
    };
    const clients = Array.from({ length: CLIENTS }, (_, k) => client(k));
    await new Promise((resolve) => setTimeout(resolve, 2000));

    const steps: string[] = [];
    for (let i = 0; i < instances.length; i += 1) {
      const before = counts.ok;
      const stopped = await instances[i].stop();
      expect(stopped.code).toBe(0);
      // A balancer that has not noticed yet: requests sent to the stopped instance are refused and fail over.
      const failedOverBefore = counts.failedOver;
      for (let k = 0; k < 5; k += 1) await send(tokens[k % tokens.length], i);
      expect(counts.failedOver - failedOverBefore).toBe(5);
      const restartAt = Date.now();
      instances[i] = await startInstance('ABC'[i], ports[i], env);
      // Back in rotation once the balancer has seen it ready.
      for (let w = 0; w < 100 && !routable[i]; w += 1) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      expect(routable[i]).toBe(true);
      steps.push(`${'ABC'[i]}: exit 0 after ${stopped.ms} ms, ready again after ${Date.now() - restartAt} ms, ${counts.ok - before} requests served meanwhile`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    streaming = false;
    await Promise.all(clients);
    balancing = false;
    await balancer;
    const seconds = (Date.now() - startedAt) / 1000;

    console.log(
      `rolling restart of 3 instances under ${CLIENTS} clients: ${counts.sent} requests in ${seconds.toFixed(1)} s (${(counts.sent / seconds).toFixed(1)} req/s), ` +
      `${counts.ok} answered 200, ${counts.failed.length} failed, ${counts.failedOver} refused connections failed over (5 sent on purpose to each stopped instance); per instance ${perInstance.join(' / ')}\n  ${steps.join('\n  ')}`,
    );
    expect(counts.failed).toEqual([]);
    expect(counts.ok).toBe(counts.sent);
    expect(counts.sent).toBeLessThan(MAX_REQUESTS);
    expect(counts.failedOver).toBe(15);
    // Every instance served part of the load.
    for (const n of perInstance) expect(n).toBeGreaterThan(0);
  });
});

/**
 * Database faults on a PostgreSQL of this test's own: constraint violations,
 * a missing table, killed connections, and the database stopped under a
 * steady stream of requests and started again on the same port. Errors stay
 * clean (no SQL, addresses, stack frames or suggestions), requests fail fast,
 * /readyz answers 503, and the same server recovers by itself.
 */
import { startControlledPostgres, type ControlledPostgres } from './pg-control';
import { leaksIn, percentile, startHardenedApp, USERS, type HardenedApp, type Response } from './support';

jest.setTimeout(300_000);

let pg: ControlledPostgres;
let app: HardenedApp;
const observed: { label: string; res: Response }[] = [];

function errorText(res: Response): string {
  return JSON.stringify(res.body?.errors ?? []) + (res.body ? '' : res.text);
}

beforeAll(async () => {
  pg = await startControlledPostgres();
  app = await startHardenedApp({ databaseUrl: pg.url, prepare: true, logLevel: 'warn' });
});
afterAll(async () => {
  await app?.close();
  await pg?.close();
});

test('constraint violations, a missing table and killed connections are masked; the log keeps the cause', async () => {
  const token = await app.login(USERS.admin);
  const sql = (q: string) => app.orm.em.getConnection().execute(q);
  await sql(`alter table api_token add constraint hardening_probe check (name <> 'boom')`);
  await sql(`create unique index hardening_probe_unique on api_token (name) where name = 'twice'`);
  try {
    const check = await app.gql('mutation { createApiToken(input: { name: "boom" }) { secret } }', {}, token);
    await app.gql('mutation { createApiToken(input: { name: "twice" }) { secret } }', {}, token);
    const unique = await app.gql('mutation { createApiToken(input: { name: "twice" }) { secret } }', {}, token);
    for (const [label, res] of [['check violation', check], ['unique violation', unique]] as const) {
      observed.push({ label, res });
      const error = res.body?.errors?.[0];
      expect(error?.message).toBe('Internal server error');
      expect(error?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: res.headers.get('x-request-id') });
      const logged = app.logs.find((l) => l.requestId === res.headers.get('x-request-id') && l.msg === 'unexpected error');
      expect(logged?.err?.message).toMatch(/hardening_probe|duplicate key/);
    }
  } finally {
    await sql('alter table api_token drop constraint hardening_probe');
    await sql('drop index hardening_probe_unique');
  }

  await sql('alter table milestone rename to milestone_moved');
  try {
    const missing = await app.gql('{ projects { nodes { milestones { totalCount } } } }', {}, token);
    observed.push({ label: 'missing table', res: missing });
    expect(missing.body?.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
  } finally {
    await sql('alter table milestone_moved rename to milestone');
  }

  // A request blocked on a lock when its connection is killed by the server.
  const trx = await app.orm.em.getKnex().transaction();
  await trx.raw('lock table project in access exclusive mode');
  const pending = app.gql('{ projects { totalCount } }', {}, token);
  await new Promise((resolve) => setTimeout(resolve, 500));
  await trx.raw(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
  await trx.commit();
  const killed = await pending;
  observed.push({ label: 'connection killed', res: killed });
  expect(killed.body?.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
  expect(killed.body?.errors?.[0].message).toBe('The service is temporarily unavailable: retry in a few seconds');
  // The pool replaces the killed connections by itself. A pooled connection killed while idle can still be handed out
  // before its end event is processed (seen on a loaded machine): that request gets the same retryable 503, and a retry works.
  let after = await app.gql('{ projects { totalCount } }', {}, token);
  for (let retry = 0; retry < 5 && !after.body?.data; retry += 1) {
    expect(after.body?.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
    await new Promise((resolve) => setTimeout(resolve, 200));
    after = await app.gql('{ projects { totalCount } }', {}, token);
  }
  expect(after.body?.data).toEqual({ projects: { totalCount: 3 } });
});

interface Sample { sentAt: number; doneAt: number; ok: boolean; status: number; code?: string; clean: boolean; text: string }

test('database stopped under steady requests: clean fast errors, /readyz 503, recovery within 10 s of the restart, no server restart', async () => {
  const token = await app.login(USERS.pm);
  const server = app.server.httpServer;
  const samples: Sample[] = [];
  let running = true;
  const worker = async (n: number) => {
    let i = 0;
    while (running) {
      i += 1;
      const sentAt = Date.now();
      let res: Response;
      // Mostly reads, some writes, some anonymous sign-ins.
      if (i % 10 === 3) res = await app.gql('mutation { createApiToken(input: { name: "steady" }) { apiToken { id } } }', {}, token);
      else if (i % 25 === 7 && n === 0) res = await app.gql('mutation { login(input: { email: "nobody@example.com", password: "x" }) { token } }');
      else res = await app.gql('{ projects { totalCount nodes { name milestones(first: 3) { nodes { title } } } } }', {}, token);
      const code = res.body?.errors?.[0]?.extensions?.code;
      const ok = res.status === 200 && !res.body?.errors && !!res.body?.data;
      const text = errorText(res);
      samples.push({ sentAt, doneAt: Date.now(), ok, status: res.status, code, clean: ok || leaksIn(text).length === 0, text });
      if (!ok) observed.push({ label: 'outage', res });
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const workers = [0, 1, 2, 3].map(worker);

  // Each phase lasts its time, and longer on a busy machine until it has enough requests to judge.
  const phase = async (minMs: number, enough: () => boolean, maxMs = 60_000) => {
    const t0 = Date.now();
    while (Date.now() - t0 < minMs || (!enough() && Date.now() - t0 < maxMs)) await new Promise((resolve) => setTimeout(resolve, 100));
  };
  await phase(3000, () => samples.length >= 30);
  const stopAt = Date.now();
  await pg.stop();
  const stoppedAt = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const readyStarted = Date.now();
  const readyDuring = await app.raw({ method: 'GET', path: '/readyz' });
  const readyMs = Date.now() - readyStarted;
  await phase(3000, () => samples.filter((s) => s.sentAt > stoppedAt + 200).length >= 30);
  const restartAt = Date.now();
  await pg.start();
  const restartedAt = Date.now();
  await phase(14_000, () => samples.filter((s) => s.sentAt >= restartedAt + 10_000).length >= 30);
  running = false;
  await Promise.all(workers);
  const readyAfter = await app.raw({ method: 'GET', path: '/readyz' });

  const before = samples.filter((s) => s.doneAt < stopAt);
  const outage = samples.filter((s) => s.sentAt > stoppedAt + 200 && s.doneAt < restartAt);
  const after = samples.filter((s) => s.sentAt >= restartedAt);
  const firstOkAfter = after.find((s) => s.ok);
  // Recovery: from this instant on, at least 99% succeed.
  let recoveredAt = Infinity;
  for (const s of after) {
    const rest = after.filter((x) => x.sentAt >= s.sentAt);
    if (rest.length && rest.filter((x) => x.ok).length / rest.length >= 0.99) {
      recoveredAt = s.sentAt;
      break;
    }
  }
  const late = after.filter((s) => s.sentAt >= restartedAt + 10_000);
  const outageLatency = outage.map((s) => s.doneAt - s.sentAt).sort((x, y) => x - y);

  // Sample floors stay low: on a loaded machine each request can take a second; the checks below are about every sample.
  expect(before.length).toBeGreaterThan(5);
  expect(before.every((s) => s.ok)).toBe(true);
  expect(outage.length).toBeGreaterThan(5);
  expect(outage.filter((s) => s.ok)).toHaveLength(0);
  expect(outage.filter((s) => s.code !== 'SERVICE_UNAVAILABLE').map((s) => s.text.slice(0, 200))).toEqual([]);
  expect(outage.filter((s) => s.status === 503).length).toBeGreaterThan(outage.length * 0.8);
  expect(samples.filter((s) => !s.clean).map((s) => s.text.slice(0, 300))).toEqual([]);
  // Fast: refused at once (connection refused), not after the 3 s connect timeout. The median shows it on any
  // machine; the p99 bound leaves room for a loaded one and still sits below that timeout.
  expect(percentile(outageLatency, 50)).toBeLessThan(1000);
  expect(percentile(outageLatency, 99)).toBeLessThan(3000);
  expect([readyDuring.status, readyDuring.body]).toEqual([503, { status: 'database unavailable' }]);
  expect(readyMs).toBeLessThan(2500);
  expect(recoveredAt - restartedAt).toBeLessThanOrEqual(10_000);
  expect(late.length).toBeGreaterThan(5);
  expect(late.filter((s) => s.ok).length / late.length).toBeGreaterThanOrEqual(0.99);
  expect([readyAfter.status, readyAfter.body]).toEqual([200, { status: 'ready' }]);
  expect(app.server.httpServer).toBe(server);

  const rate = (list: Sample[]) => `${list.filter((s) => s.ok).length}/${list.length}`;
  console.log(
    `recovery: before ${rate(before)} ok; outage ${outage.length} requests all clean SERVICE_UNAVAILABLE ` +
    `(p50 ${percentile(outageLatency, 50)} ms, p99 ${percentile(outageLatency, 99)} ms), /readyz 503 in ${readyMs} ms; ` +
    `first success ${firstOkAfter ? firstOkAfter.doneAt - restartedAt : 'never'} ms after restart, >=99% from ${recoveredAt - restartedAt} ms; ` +
    `10 s after restart ${rate(late)} ok; same server, no restart (PostgreSQL down ${restartedAt - stopAt} ms)`,
  );
});

test('no error response of this file carried SQL, an address, a stack frame or a suggestion', () => {
  const dirty = observed.filter(({ res }) => leaksIn(errorText(res)).length > 0).map(({ label, res }) => `${label}: ${leaksIn(errorText(res))} ${errorText(res).slice(0, 200)}`);
  expect(dirty).toEqual([]);
  expect(observed.length).toBeGreaterThan(20);
  console.log(`error masking under faults: ${observed.length - dirty.length}/${observed.length} error responses clean (0 with SQL, host names, stack frames or "Did you mean")`);
});

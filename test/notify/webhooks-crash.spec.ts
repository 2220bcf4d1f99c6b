/**
 * At-least-once webhook delivery across a crash (docs/webhooks.md#delivery):
 * the API runs with JOBS=off and the job runner in a child process
 * (`src/worker.ts`, as `npm run worker`); the receiver answers slowly, the
 * runner is killed with SIGKILL in the middle of a delivery and started
 * again. Every expected webhook-id arrives at least once with a valid
 * signature, and the one cut off arrives again with the same webhook-id.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { startTestApp, USERS, type TestApp } from '../support/app';
import { webhookIdOf } from '../../src/modules/notify/webhook.sender';
import { borealisId, postUpdate, startHookReceiver, waitFor, type HookReceiver } from './receivers';

let app: TestApp;
let hooks: HookReceiver;
const workers: ChildProcess[] = [];
const ENV = { WEBHOOK_TIMEOUT_MS: '5000', JOBS_STALE_LOCK_SECONDS: '2', JOBS_POLL_INTERVAL_MS: '200' };

beforeAll(async () => {
  hooks = await startHookReceiver();
  app = await startTestApp({ env: { JOBS: 'off', ...ENV } });
});
afterAll(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  await app?.close();
  await hooks?.close();
});

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/worker.ts'], {
    cwd: path.resolve(__dirname, '../..'),
    env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: app.config.databaseUrl!, LOG_LEVEL: 'silent', JOBS_CONCURRENCY: '2', ...ENV },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  workers.push(child);
  return child;
}

const uuid = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

test('kill the worker mid-delivery, start it again: every webhook delivered, none lost', async () => {
  const endpoints: string[] = [];
  for (const who of ['admin', 'aurora', 'beacon', 'delta'] as const) {
    const res = await app.gql(`mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret webhookEndpoint { id } userErrors { message } } }`,
      { input: { url: `${hooks.base}/${who}`, eventTypes: ['update.posted'] } }, await app.login(USERS[who]));
    hooks.secrets.set(`/${who}`, res.data.createWebhookEndpoint.secret);
    endpoints.push(uuid(res.data.createWebhookEndpoint.webhookEndpoint.id));
  }
  const pm = await app.login(USERS.pm);
  const project = await borealisId(app, pm);
  for (let i = 1; i <= 3; i += 1) await postUpdate(app, pm, project, `Crash test update ${i}`);
  const events = (await app.orm.em.fork().getConnection().execute(`select id from domain_event where type = 'update.posted' order by id`)).map((r: any) => r.id as string);
  expect(events).toHaveLength(3);
  // Everyone of Borealis sees a STAKEHOLDERS update: 3 events × 4 endpoints.
  const expected = events.flatMap((e) => endpoints.map((ep) => webhookIdOf(e, ep)));
  expect(new Set(expected).size).toBe(12);

  // The receiver holds each request 3 s; the runner is killed while one is held.
  hooks.behaviour.delayMs = 3_000;
  const first = startWorker();
  await waitFor(() => hooks.inFlight > 0, 60_000, 'a delivery in flight');
  const cutOff = hooks.received.map((h) => h.webhookId);
  first.kill('SIGKILL');
  await new Promise((resolve) => first.once('exit', resolve));
  const deliveredBefore = (await app.orm.em.fork().getConnection().execute(`select count(*)::int as n from webhook_delivery where status = 'DELIVERED'`))[0].n;
  expect(deliveredBefore).toBeLessThan(12);

  hooks.behaviour.delayMs = 0;
  startWorker();
  await waitFor(() => expected.every((id) => hooks.received.some((h) => h.webhookId === id)), 60_000, 'every webhook-id');
  await waitFor(async () => (await app.orm.em.fork().getConnection().execute(`select count(*)::int as n from webhook_delivery where status = 'DELIVERED'`))[0].n === 12, 30_000, 'every delivery recorded');

  expect(hooks.received.every((h) => h.verified)).toBe(true);
  expect(new Set(hooks.received.map((h) => h.webhookId))).toEqual(new Set(expected));
  // What was cut off by the kill came again, with the same webhook-id (receivers deduplicate on it).
  for (const id of cutOff) expect(hooks.received.filter((h) => h.webhookId === id).length).toBeGreaterThanOrEqual(2);
}, 180_000);

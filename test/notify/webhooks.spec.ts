/**
 * Webhooks (docs/webhooks.md): delivered to exactly the endpoints whose
 * organization sees the event, signed (verified by real receivers with the
 * standardwebhooks package), without figures; the management rules and the
 * SSRF refusals; an endpoint disabled after repeated failures, its
 * administrators e-mailed; the delivery log readable by the organization's
 * webhook administrators only.
 */
import { startTestApp, USERS, type TestApp } from '../support/app';
import { checkWebhookUrl } from '../../src/modules/notify/webhook.address';
import { sendWebhook } from '../../src/modules/notify/webhook.sender';
import { loadConfig } from '../../src/config';
import {
  borealisId, pendingJobs, postUpdate, restateBorealis, startHookReceiver, startSmtpReceiver, waitFor,
  type HookReceiver, type SmtpReceiver,
} from './receivers';

let app: TestApp;
let hooks: HookReceiver;
let smtp: SmtpReceiver;
const ORGS = { admin: 'northwind', aurora: 'aurora', beacon: 'beacon', cobalt: 'cobalt', delta: 'delta' } as const;
type Who = keyof typeof ORGS;
const endpointIds: Partial<Record<Who, string>> = {};

beforeAll(async () => {
  hooks = await startHookReceiver();
  smtp = await startSmtpReceiver();
  app = await startTestApp({ env: { SMTP_URL: smtp.url, WEBHOOK_DISABLE_AFTER: '3', WEBHOOK_MAX_ATTEMPTS: '5', WEBHOOK_TIMEOUT_MS: '3000' } });
});
afterAll(async () => {
  await app?.close();
  await hooks?.close();
  await smtp?.close();
});

const CREATE = `mutation($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { secret webhookEndpoint { id url eventTypes status failureCount approvedBy { email } } userErrors { code field message } } }`;

async function create(who: Who | 'pm' | 'delta', input: Record<string, unknown>) {
  return app.gql(CREATE, { input }, await app.login(USERS[who]));
}

async function endpointFor(who: Who, path: string, eventTypes: string[]): Promise<string> {
  const res = await create(who, { url: `${hooks.base}${path}`, eventTypes, description: `${who} receiver` });
  const payload = res.data.createWebhookEndpoint;
  expect(payload.userErrors).toEqual([]);
  expect(payload.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  hooks.secrets.set(path, payload.secret);
  return payload.webhookEndpoint.id;
}

const tableCount = async (table: string) => (await app.orm.em.getConnection().execute(`select count(*)::int as n from ${table}`))[0].n;

test('each organization with a webhook administrator sets up an endpoint; the secret is shown once; others are refused', async () => {
  for (const who of Object.keys(ORGS) as Who[]) endpointIds[who] = await endpointFor(who, `/${ORGS[who]}`, ['report.restated', 'report.published']);
  // A manager (not ADMIN) of the operator and a partner VIEWER-less org's … the pm is refused before anything is read.
  const pm = await create('pm', { url: `${hooks.base}/pm`, eventTypes: [] });
  expect(pm.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  // The secret is never readable again: WebhookEndpoint has no secret field.
  const read = await app.gql('{ viewer { webhookEndpoints(first: 5) { nodes { secret } } } }', {}, await app.login(USERS.admin));
  expect(read.errors?.[0].message).toMatch(/Cannot query field "secret"/);
  expect(await tableCount('webhook_endpoint')).toBe(5);
});

test('a restatement on Borealis is delivered to exactly the endpoints of the organizations that see Borealis reports, signed, without figures', async () => {
  const before = hooks.received.length;
  const reportId = await restateBorealis(app, await app.login(USERS.pm));
  const isRestated = (h: { body: any }) => h.body.type === 'report.restated' && h.body.data.subject.id === reportId;
  expect(reportId).toMatch(/^[A-Za-z0-9_-]+$/);
  await waitFor(() => new Set(hooks.received.filter(isRestated).map((h) => h.path)).size >= 3, 15_000, 'three restatement webhooks');
  await waitFor(async () => (await pendingJobs(app, ['deliver_event', 'webhook_deliver'])) === 0, 15_000, 'the queue to drain');
  const got = hooks.received.slice(before).filter(isRestated);
  // The operator and Borealis's two investors; never the partners (reports are not theirs to see).
  expect([...new Set(got.map((h) => h.path))].sort()).toEqual(['/aurora', '/beacon', '/northwind']);
  for (const h of got) {
    expect(h.verified).toBe(true);
    expect(h.webhookId).toMatch(/^msg_[A-Za-z0-9_-]{32}$/);
    expect(Object.keys(h.body).sort()).toEqual(['data', 'timestamp', 'type']);
    expect(h.body.data).toEqual({
      title: expect.stringMatching(/^Financial report \d{4}-\d{2} \(revision \d+\) published: it restates the earlier revision$/),
      subject: { type: 'FinancialReport', id: reportId, label: expect.stringMatching(/^Financial report \d{4}-\d{2} \(revision \d+\)$/) },
      projectName: 'Borealis',
    });
    expect(Date.parse(h.body.timestamp)).toBeGreaterThan(Date.now() - 60_000);
    // No amount anywhere in the payload.
    expect(JSON.stringify(h.body)).not.toMatch(/\d+\.\d{2}\b/);
  }
  // One webhook-id per endpoint, different across endpoints.
  expect(new Set(got.map((h) => h.webhookId)).size).toBe(3);
  const log = await app.orm.em.getConnection().execute(
    `select e.url, d.status, d.attempts, d.last_response_code from webhook_delivery d join webhook_endpoint e on e.id = d.endpoint_id
     join domain_event ev on ev.id = d.event_id where ev.type = 'report.restated' order by e.url`);
  expect(log.map((r: any) => [r.url.replace(hooks.base, ''), r.status, r.attempts, r.last_response_code])).toEqual([
    ['/aurora', 'DELIVERED', 1, 204], ['/beacon', 'DELIVERED', 1, 204], ['/northwind', 'DELIVERED', 1, 204],
  ]);
});

test('refused input: invalid URL, unknown event type, private addresses when not allowed — clear user errors, nothing stored', async () => {
  const count = await tableCount('webhook_endpoint');
  const bad = async (input: Record<string, unknown>) => (await create('aurora', input)).data.createWebhookEndpoint;
  expect(await bad({ url: 'not a url', eventTypes: [] })).toMatchObject({
    webhookEndpoint: null, secret: null,
    userErrors: [{ code: 'VALIDATION', field: ['input', 'url'], message: 'url "not a url" is not a valid URL; write it like https://hooks.example.com/vantage' }],
  });
  expect((await bad({ url: 'ftp://example.com/x', eventTypes: [] })).userErrors[0].message).toBe('url must use https (got ftp)');
  expect((await bad({ url: `${hooks.base}/x`, eventTypes: ['report.restated', 'report.eaten'] })).userErrors).toEqual([
    { code: 'VALIDATION', field: ['input', 'eventTypes'], message: expect.stringMatching(/^unknown event type "report.eaten"; known: deliverable.submitted, /) },
  ]);
  expect((await bad({ url: 'https://user:pw@example.com/x', eventTypes: [] })).userErrors[0].message).toMatch(/must not contain a user name or password/);
  // With private addresses refused (as in production), loopback, private, link-local and names resolving to them are refused.
  app.config.webhooks.allowPrivate = false;
  try {
    for (const [url, message] of [
      ['http://127.0.0.1:9/x', 'url host 127.0.0.1 is a private, loopback or link-local address; webhooks go to public addresses only'],
      ['http://169.254.169.254/latest/meta-data', 'url host 169.254.169.254 is a private, loopback or link-local address; webhooks go to public addresses only'],
      ['http://10.1.2.3/x', 'url host 10.1.2.3 is a private, loopback or link-local address; webhooks go to public addresses only'],
      ['http://[::ffff:127.0.0.1]/x', 'url host ::ffff:7f00:1 is a private, loopback or link-local address; webhooks go to public addresses only'],
      ['http://[fe80::1]/x', 'url host fe80::1 is a private, loopback or link-local address; webhooks go to public addresses only'],
      ['http://localhost:9/x', expect.stringMatching(/^url host localhost resolves to (127\.0\.0\.1|::1), which is a private, loopback or link-local address/)],
    ] as [string, string][]) {
      expect((await bad({ url, eventTypes: [] })).userErrors).toEqual([{ code: 'VALIDATION', field: ['input', 'url'], message }]);
    }
  } finally {
    app.config.webhooks.allowPrivate = true;
  }
  expect(await tableCount('webhook_endpoint')).toBe(count);
});

test('production rules: only https, and private addresses refused (the check itself)', async () => {
  const prod = { production: true, allowPrivate: false };
  expect(await checkWebhookUrl('http://93.184.215.14/hook', prod)).toEqual({
    ok: false, message: 'url must use https: plain http is refused in production, since the payload and its signature would travel in clear',
  });
  expect(await checkWebhookUrl('https://192.168.1.10/hook', prod)).toMatchObject({ ok: false });
  expect(await checkWebhookUrl('https://100.64.0.1/hook', prod)).toMatchObject({ ok: false });
  expect(await checkWebhookUrl('https://[64:ff9b::a00:1]/hook', prod)).toMatchObject({ ok: false });
  expect(await checkWebhookUrl('https://93.184.215.14/hook', prod)).toMatchObject({ ok: true });
  // At sending, an address written as an IP literal (which no DNS lookup sees) is checked before connecting.
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  expect(await sendWebhook('http://127.0.0.1:9/x', secret, 'msg_1', '{}', { production: false, allowPrivate: false, timeoutMs: 1000 })).toEqual({
    status: null, error: 'url host 127.0.0.1 is a private, loopback or link-local address', refused: true,
  });
  expect(await sendWebhook('http://[::ffff:a9fe:a9fe]/latest', secret, 'msg_1', '{}', { production: false, allowPrivate: false, timeoutMs: 1000 })).toMatchObject({ refused: true });
});

test('configuration: WEBHOOK_ALLOW_PRIVATE is refused in production, off there by default, on in development and tests', () => {
  const prod = { NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@db:5432/v', JWT_SECRET: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8' };
  expect(() => loadConfig({ ...prod, WEBHOOK_ALLOW_PRIVATE: '1' })).toThrow(
    'WEBHOOK_ALLOW_PRIVATE must be off in production: webhook endpoints on private, loopback or link-local addresses would reach into your network');
  expect(loadConfig(prod).webhooks.allowPrivate).toBe(false);
  expect(loadConfig({ NODE_ENV: 'development' }).webhooks.allowPrivate).toBe(true);
  expect(loadConfig({ NODE_ENV: 'test', WEBHOOK_ALLOW_PRIVATE: 'off' }).webhooks.allowPrivate).toBe(false);
  expect(() => loadConfig({ NODE_ENV: 'test', SMTP_URL: 'http://mail.example.com' })).toThrow('SMTP_URL must look like smtp://user:password@mail.example.com:587');
});

test('a delivery re-checks the address: a host whose name now resolves to a private address is not contacted (DNS rebinding)', async () => {
  // Created while the name's address was acceptable (here: private addresses allowed), checked again at sending,
  // by the connection's own DNS lookup, when they no longer are.
  const path = '/rebind';
  const res = await create('beacon', { url: `${hooks.base.replace('127.0.0.1', 'localhost')}${path}`, eventTypes: ['update.posted'] });
  expect(res.data.createWebhookEndpoint.userErrors).toEqual([]);
  const id = res.data.createWebhookEndpoint.webhookEndpoint.id;
  app.config.webhooks.allowPrivate = false;
  try {
    await postUpdate(app, await app.login(USERS.pm), await borealisId(app, await app.login(USERS.pm)), 'Rebinding check');
    await waitFor(async () => (await app.orm.em.getConnection().execute(
      `select status from webhook_delivery where endpoint_id = ?`, [uuid(id)]))[0]?.status === 'SKIPPED', 15_000, 'the delivery to be skipped');
  } finally {
    app.config.webhooks.allowPrivate = true;
  }
  expect(hooks.received.filter((h) => h.path === path)).toEqual([]);
  const [row] = await app.orm.em.getConnection().execute(`select last_error, attempts from webhook_delivery where endpoint_id = ?`, [uuid(id)]);
  expect(row.last_error).toMatch(/^url host localhost resolves to (127\.0\.0\.1|::1), which is a private, loopback or link-local address/);
  await deleteEndpoint('beacon', id);
});

test('after repeated failures the endpoint is disabled and the organization\'s administrators are e-mailed', async () => {
  const id = await endpointFor('admin', '/failing', ['update.posted']);
  hooks.behaviour.status = 500;
  const pm = await app.login(USERS.pm);
  const project = await borealisId(app, pm);
  try {
    for (let i = 1; i <= 3; i += 1) await postUpdate(app, pm, project, `Failing delivery ${i}`);
    const mail = (await waitFor(() => smtp.mails.find((m) => m.subject === '[Vantage] A webhook endpoint was disabled'), 20_000, "the e-mail"))!;
    expect(mail.to).toEqual([USERS.admin]);
    expect(mail.text).toContain(`${hooks.base}/failing`);
    expect(mail.text).toContain('Disabled after 3 consecutive failed delivery attempts (last: HTTP 500)');
  } finally {
    hooks.behaviour.status = 204;
  }
  const res = await app.gql('query($id: ID!) { node(id: $id) { ... on WebhookEndpoint { status failureCount disabledReason } } }', { id }, await app.login(USERS.admin));
  expect(res.data.node).toEqual({ status: 'DISABLED', failureCount: 3, disabledReason: 'Disabled after 3 consecutive failed delivery attempts (last: HTTP 500)' });
  // Only the operator's ADMIN was told (not the manager, not other organizations).
  expect(smtp.mails.filter((m) => m.subject === '[Vantage] A webhook endpoint was disabled').length).toBe(1);
});

test('a failed attempt is retried by the queue with backoff, with the same webhook-id, and then delivered', async () => {
  const id = await endpointFor('beacon', '/flaky', ['update.posted']);
  hooks.failNext.set('/flaky', 1);
  const pm = await app.login(USERS.pm);
  await postUpdate(app, pm, await borealisId(app, pm), 'Retry check');
  await waitFor(async () => (await app.orm.em.getConnection().execute(
    `select status from webhook_delivery where endpoint_id = ?`, [uuid(id)]))[0]?.status === 'DELIVERED', 20_000, 'the retried delivery');
  const got = hooks.received.filter((h) => h.path === '/flaky');
  expect(got).toHaveLength(2);
  expect(got[0].webhookId).toBe(got[1].webhookId);
  expect(got.every((h) => h.verified)).toBe(true);
  // graphile-worker's backoff: the retry waits about e¹ ≈ 2.7 s.
  expect(got[1].at - got[0].at).toBeGreaterThan(2_000);
  const [row] = await app.orm.em.getConnection().execute(
    `select d.attempts, d.last_response_code, d.last_error, e.failure_count from webhook_delivery d join webhook_endpoint e on e.id = d.endpoint_id where d.endpoint_id = ?`, [uuid(id)]);
  expect(row).toEqual({ attempts: 2, last_response_code: 204, last_error: null, failure_count: 0 });
  await deleteEndpoint('beacon', id);
});

test('http is refused in production through the API too, nothing stored', async () => {
  const count = await tableCount('webhook_endpoint');
  const env = app.config.env;
  app.config.env = 'production';
  try {
    const res = await create('aurora', { url: 'http://93.184.215.14/hook', eventTypes: [] });
    expect(res.data.createWebhookEndpoint).toEqual({
      secret: null, webhookEndpoint: null,
      userErrors: [{ code: 'VALIDATION', field: ['input', 'url'], message: 'url must use https: plain http is refused in production, since the payload and its signature would travel in clear' }],
    });
  } finally {
    app.config.env = env;
  }
  expect(await tableCount('webhook_endpoint')).toBe(count);
});

const LOG = `{ viewer { webhookEndpoints(first: 10) { totalCount nodes { id url organization { name } deliveries(first: 10) { totalCount nodes { eventType status attempts webhookId } } } } } }`;

test('the delivery log is read by the organization\'s webhook administrators only', async () => {
  const admin = await app.gql(LOG, {}, await app.login(USERS.admin));
  const orgsOf = (r: any) => [...new Set(r.data.viewer.webhookEndpoints.nodes.map((e: any) => e.organization.name))];
  expect(orgsOf(admin)).toEqual(['Northwind Digital']);
  const northwind = admin.data.viewer.webhookEndpoints.nodes.find((e: any) => e.url === `${hooks.base}/northwind`);
  expect(northwind.deliveries.nodes).toEqual([{ eventType: 'report.restated', status: 'DELIVERED', attempts: 1, webhookId: expect.stringMatching(/^msg_/) }]);
  const aurora = await app.gql(LOG, {}, await app.login(USERS.aurora));
  expect(aurora.data.viewer.webhookEndpoints.nodes.map((e: any) => [e.organization.name, e.deliveries.totalCount])).toEqual([['Aurora Capital', 1]]);
  // The manager administers no webhooks: nothing, and an endpoint's id answers like a random one.
  const pm = await app.gql(LOG, {}, await app.login(USERS.pm));
  expect(pm.data.viewer.webhookEndpoints).toEqual({ totalCount: 0, nodes: [] });
  for (const who of ['pm', 'beacon', 'cobalt'] as const) {
    const res = await app.gql('query($id: ID!) { node(id: $id) { id } }', { id: endpointIds.aurora }, await app.login(USERS[who]));
    expect(res.data.node).toBeNull();
  }
  // Nor can another organization change or delete it.
  const res = await app.gql('mutation($input: DeleteWebhookEndpointInput!) { deleteWebhookEndpoint(input: $input) { deletedId userErrors { code } } }',
    { input: { id: endpointIds.aurora } }, await app.login(USERS.beacon));
  expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
});

test('disable, enable (the viewer becomes the approver, failures reset), rotate the secret, delete', async () => {
  const token = await app.login(USERS.cobalt);
  const id = endpointIds.cobalt!;
  const read = async () => (await app.gql('query($id: ID!) { node(id: $id) { ... on WebhookEndpoint { version status } } }', { id }, token)).data.node;
  let ep = await read();
  const call = async (name: string, input: Record<string, unknown>, fields = 'webhookEndpoint { status version }') =>
    (await app.gql(`mutation($input: ${name[0].toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { ${fields} userErrors { code field message } } }`, { input }, token)).data[name];
  expect(await call('disableWebhookEndpoint', { id, version: ep.version })).toMatchObject({ webhookEndpoint: { status: 'DISABLED' }, userErrors: [] });
  ep = await read();
  expect(await call('disableWebhookEndpoint', { id, version: ep.version })).toEqual({ webhookEndpoint: null, userErrors: [{ code: 'INVALID_TRANSITION', field: ['input', 'id'], message: 'The endpoint is already disabled' }] });
  expect(await call('enableWebhookEndpoint', { id, version: ep.version })).toMatchObject({ webhookEndpoint: { status: 'ACTIVE' }, userErrors: [] });
  ep = await read();
  const rotated = await call('rotateWebhookSecret', { id, version: ep.version }, 'secret webhookEndpoint { version }');
  expect(rotated.secret).toMatch(/^whsec_/);
  expect(rotated.secret).not.toBe(hooks.secrets.get('/cobalt'));
  expect(await call('deleteWebhookEndpoint', { id }, 'deletedId')).toEqual({ deletedId: id, userErrors: [] });
  expect(await read()).toBeNull();
});

function uuid(globalId: string): string {
  return Buffer.from(globalId, 'base64').toString('utf8').split(':')[1];
}

async function deleteEndpoint(who: Who, id: string) {
  await app.gql('mutation($input: DeleteWebhookEndpointInput!) { deleteWebhookEndpoint(input: $input) { deletedId } }', { input: { id } }, await app.login(USERS[who]));
}

test('role matrix: each webhook mutation as each demo user, on an endpoint of Aurora', async () => {
  const fresh = async (disabled = false) => {
    const token = await app.login(USERS.aurora);
    const res = await app.gql(CREATE, { input: { url: `${hooks.base}/matrix`, eventTypes: ['milestone.completed'] } }, token);
    const { id } = res.data.createWebhookEndpoint.webhookEndpoint;
    if (disabled) {
      await app.gql('mutation($input: DisableWebhookEndpointInput!) { disableWebhookEndpoint(input: $input) { userErrors { code } } }', { input: { id, version: 1 } }, token);
    }
    const read = await app.gql('query($id: ID!) { node(id: $id) { ... on WebhookEndpoint { version } } }', { id }, token);
    return { id, version: read.data.node.version as number };
  };
  const MUTATIONS: [string, (e: { id: string; version: number }) => Record<string, unknown>, boolean][] = [
    ['updateWebhookEndpoint', (e) => ({ id: e.id, version: e.version, description: 'changed' }), false],
    ['disableWebhookEndpoint', (e) => ({ id: e.id, version: e.version }), false],
    ['enableWebhookEndpoint', (e) => ({ id: e.id, version: e.version }), true],
    ['rotateWebhookSecret', (e) => ({ id: e.id, version: e.version }), false],
    ['deleteWebhookEndpoint', (e) => ({ id: e.id }), false],
  ];
  const whos = ['admin', 'pm', 'aurora', 'beacon', 'cobalt', 'delta'] as const;
  const outcome = (res: any, name: string) => res.errors?.[0]?.extensions?.code ?? (res.data[name].userErrors.length ? res.data[name].userErrors[0].code : 'ok');
  const actual: Record<string, Record<string, string>> = {};
  for (const [name, input, disabled] of MUTATIONS) {
    actual[name] = {};
    for (const who of whos) {
      const endpoint = await fresh(disabled);
      const type = `${name[0].toUpperCase()}${name.slice(1)}Input`;
      const res = await app.gql(`mutation($input: ${type}!) { ${name}(input: $input) { userErrors { code } } }`, { input: input(endpoint) }, await app.login(USERS[who]));
      actual[name][who] = outcome(res, name);
      // At most 20 endpoints per organization: clean up each cell's.
      await deleteEndpoint('aurora', endpoint.id);
    }
  }
  actual.createWebhookEndpoint = {};
  for (const who of whos) {
    const res = await create(who, { url: `${hooks.base}/matrix`, eventTypes: ['milestone.completed'] });
    actual.createWebhookEndpoint[who] = outcome(res, 'createWebhookEndpoint');
    if (res.data?.createWebhookEndpoint?.webhookEndpoint) await deleteEndpoint(who as Who, res.data.createWebhookEndpoint.webhookEndpoint.id);
  }
  // Only Aurora's own webhook administrators act on Aurora's endpoint; to everyone else it does not exist, or the role is refused first.
  const onAurora = { admin: 'NOT_FOUND', pm: 'FORBIDDEN', aurora: 'ok', beacon: 'NOT_FOUND', cobalt: 'NOT_FOUND', delta: 'NOT_FOUND' };
  expect(actual).toEqual({
    updateWebhookEndpoint: onAurora,
    disableWebhookEndpoint: onAurora,
    enableWebhookEndpoint: onAurora,
    rotateWebhookSecret: onAurora,
    deleteWebhookEndpoint: onAurora,
    createWebhookEndpoint: { admin: 'ok', pm: 'FORBIDDEN', aurora: 'ok', beacon: 'ok', cobalt: 'ok', delta: 'ok' },
  });
});

test('each management mutation writes its audit event, never with the secret', async () => {
  const rows = await app.orm.em.fork().getConnection().execute(
    `select action, entity_type, changes::text as changes from audit_event where action like 'webhookEndpoint.%' order by occurred_at, id`);
  const actions = new Set(rows.map((r: any) => r.action));
  expect([...actions].sort()).toEqual([
    'webhookEndpoint.create', 'webhookEndpoint.delete', 'webhookEndpoint.disable', 'webhookEndpoint.enable', 'webhookEndpoint.rotateSecret', 'webhookEndpoint.update',
  ]);
  expect(rows.every((r: any) => r.entity_type === 'WebhookEndpoint')).toBe(true);
  const secrets = [...hooks.secrets.values()];
  for (const r of rows) for (const secret of secrets) expect(r.changes).not.toContain(secret);
  expect(rows.every((r: any) => !/whsec_/.test(r.changes))).toBe(true);
  const rotate = rows.find((r: any) => r.action === 'webhookEndpoint.rotateSecret')!;
  expect(JSON.parse(rotate.changes)).toEqual({ secret: { before: '(hidden)', after: '(hidden)' } });
  const created = JSON.parse(rows.find((r: any) => r.action === 'webhookEndpoint.create')!.changes);
  expect(Object.keys(created).sort()).toEqual(['approvedBy', 'description', 'eventTypes', 'url']);
});

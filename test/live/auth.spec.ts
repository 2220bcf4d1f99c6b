/**
 * Subscriptions: who may open one and what they may ask (docs/subscriptions.md).
 * The credential is checked at connection_init (4401 with the reason when it
 * is missing or does not resolve) and again for every message and whenever
 * the user's viewer changes: a revoked token ends its connection. Each
 * subscribe goes through the same validation, limits and cost as a query.
 * An internal risk's change reaches the operator and never an investor.
 */
import { startTestApp, type TestApp } from '../support/app';
import { uuidOf, WriteKit } from '../write/support';
import { subscribe, wsUrl, type Subscriber } from './support';

let app: TestApp;
let kit: WriteKit;
let url: string;
const open: Subscriber[] = [];
beforeAll(async () => {
  app = await startTestApp();
  kit = new WriteKit(app);
  url = wsUrl(app.server.url);
  await until(() => app.server.subscriptions!.hub.live);
});
afterAll(async () => {
  await Promise.all(open.map((s) => s.dispose()));
  await app?.close();
});

async function until(condition: () => boolean, timeoutMs = 10_000) {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const PROJECT_CHANGED = 'subscription P($id: ID!) { projectChanged(id: $id) { name } }';
const sub = (params: Record<string, unknown> | null, query: string, variables: Record<string, unknown> = {}) => {
  const s = subscribe(url, params, query, variables);
  open.push(s);
  return s;
};
const bearer = async (user: string) => ({ authorization: `Bearer ${await kit.token(user)}` });

test('no credential, a malformed one, a bad token: the connection is closed with 4401 and the reason', async () => {
  const none = sub(null, PROJECT_CHANGED, { id: await kit.project('borealis') });
  expect(await none.closed).toEqual({ code: 4401, reason: 'Authentication required: send { "authorization": "Bearer <token>" } in connection_init' });
  const malformed = sub({ authorization: 'Token abc' }, PROJECT_CHANGED, { id: await kit.project('borealis') });
  expect(await malformed.closed).toEqual({ code: 4401, reason: 'The Authorization header must be `Bearer <token>`' });
  const bad = sub({ token: 'not-a-jwt' }, PROJECT_CHANGED, { id: await kit.project('borealis') });
  expect(await bad.closed).toEqual({ code: 4401, reason: 'The access token is not valid' });
  const unknownApiToken = sub({ token: 'vnt_unknown' }, PROJECT_CHANGED, { id: await kit.project('borealis') });
  expect(await unknownApiToken.closed).toEqual({ code: 4401, reason: 'This API token is not valid (unknown or revoked)' });
  for (const s of [none, malformed, bad, unknownApiToken]) expect(s.messages).toEqual([]);
});

test('a revoked API token ends its connection at once, without waiting for a message', async () => {
  const owner = await kit.token('beacon');
  const created = await app.gql('mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret apiToken { id } } }', { input: { name: 'live' } }, owner);
  const { secret, apiToken } = created.data.createApiToken;
  const s = sub({ token: secret }, PROJECT_CHANGED, { id: await kit.project('borealis') });
  await until(() => app.server.subscriptions!.hub.size > 0);
  const revoked = await app.gql('mutation($id: String!) { revokeApiToken(input: { id: $id }) { apiToken { revokedAt } } }', { id: apiToken.id }, owner);
  expect(revoked.data.revokeApiToken.apiToken.revokedAt).not.toBeNull();
  expect(await s.closed).toEqual({ code: 4401, reason: 'This API token is not valid (unknown or revoked)' });
});

test('validation, depth and cost limits apply to a subscription as to a query; only subscriptions go over WebSocket', async () => {
  const params = await bearer('pm');
  const id = await kit.project('borealis');
  const costly = sub(params, `subscription($id: ID!) { projectChanged(id: $id) {
    milestones(first: 100) { nodes { deliverables(first: 100) { nodes { id } } } } } }`, { id });
  await costly.ended();
  expect(costly.error).toEqual([{ message: 'This query costs 10202 points; the maximum is 10000. Ask for fewer items (first/last) or fewer nested connections.', extensions: { code: 'MAX_COST_EXCEEDED' } }]);

  const oversized = sub(params, 'subscription($id: ID!) { projectChanged(id: $id) { milestones(first: 1000) { nodes { id } } } }', { id });
  await oversized.ended();
  expect(oversized.error).toEqual([{ message: 'first must be at most 100 (got 1000); page through larger lists with after/before', extensions: { code: 'BAD_USER_INPUT', field: 'first' } }]);

  const unknown = sub(params, 'subscription($id: ID!) { projectChanged(id: $id) { nam } }', { id });
  await unknown.ended();
  expect(unknown.error).toEqual([{ message: 'Cannot query field "nam" on type "Project".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);

  const query = sub(params, '{ viewer { user { email } } }');
  await query.ended();
  expect(query.error).toEqual([{ message: 'Only subscriptions are served over WebSocket: send queries and mutations to /graphql over HTTP', extensions: { code: 'BAD_REQUEST' } }]);
  expect([costly, oversized, unknown, query].map((s) => s.messages)).toEqual([[], [], [], []]);
});

test('an invisible or random project id is NOT_FOUND, a contract id where a project is expected BAD_USER_INPUT', async () => {
  const cobalt = sub(await bearer('cobalt'), PROJECT_CHANGED, { id: await kit.project('borealis') });
  const random = sub(await bearer('cobalt'), PROJECT_CHANGED, { id: Buffer.from('Project:01890000-0000-7000-8000-000000000000').toString('base64url') });
  const wrongType = sub(await bearer('cobalt'), PROJECT_CHANGED, { id: await kit.contract('ATL-C-001') });
  await Promise.all([cobalt.waitFor(1), random.waitFor(1), wrongType.waitFor(1)]);
  const notFound = [{ errors: [{ message: 'No project with this id', locations: [{ line: 1, column: 28 }], path: ['projectChanged'], extensions: { code: 'NOT_FOUND' } }] }];
  expect(cobalt.messages).toEqual(notFound);
  expect(random.messages).toEqual(notFound);
  expect(wrongType.messages).toEqual([{ errors: [{ message: 'id: expected the id of a Project, got the id of a Contract', locations: [{ line: 1, column: 28 }], path: ['projectChanged'], extensions: { code: 'BAD_USER_INPUT', field: 'id' } }] }]);
  for (const s of [cobalt, random, wrongType]) await s.ended();
});

test('a change to an internal risk reaches the operator, never an investor; a shared one reaches both', async () => {
  const id = await kit.project('borealis');
  const [pm, aurora] = [sub(await bearer('pm'), PROJECT_CHANGED, { id }), sub(await bearer('aurora'), PROJECT_CHANGED, { id })];
  await until(() => app.server.subscriptions!.hub.size >= 2);
  const reassess = async (title: string, likelihood: number, impact: number) => {
    const risk = await kit.risk(title);
    const [row] = await kit.sql<{ version: number }>('select version from risk where id = ?', [uuidOf(risk)]);
    await kit.ok('pm', 'reassessRisk', { id: risk, version: row.version, likelihood, impact, note: 'Live test.' });
  };
  // Internal, LOW → HIGH: an event the operator sees; then a shared one, LOW → CRITICAL.
  await reassess('Team morale', 4, 3);
  await reassess('Data breach', 4, 5);
  expect((await kit.sql<{ type: string }>('select type from domain_event order by id')).map((e) => e.type)).toEqual(['risk.raised', 'risk.raised']);
  await pm.waitFor(2);
  await aurora.waitFor(1);
  expect(pm.messages).toEqual([{ data: { projectChanged: { name: 'Borealis' } } }, { data: { projectChanged: { name: 'Borealis' } } }]);
  expect(aurora.messages).toEqual([{ data: { projectChanged: { name: 'Borealis' } } }]);
});

test('deliverableChanged: the contract\'s partner and the operator hear an acceptance; an investor or another vendor cannot follow the contract', async () => {
  const contractId = await kit.contract('BOR-C-001');
  const DELIVERABLE_CHANGED = 'subscription D($contractId: ID!) { deliverableChanged(contractId: $contractId) { title status } }';
  const registered = app.server.subscriptions!.hub.size;
  const [delta, pm, aurora, cobalt] = await Promise.all(['delta', 'pm', 'aurora', 'cobalt'].map(async (u) => sub(await bearer(u), DELIVERABLE_CHANGED, { contractId })));
  await Promise.all([aurora.waitFor(1), cobalt.waitFor(1)]);
  for (const s of [aurora, cobalt]) {
    expect(s.messages).toEqual([{ errors: [{ message: 'No contract with this id', locations: [{ line: 1, column: 36 }], path: ['deliverableChanged'], extensions: { code: 'NOT_FOUND' } }] }]);
  }
  await until(() => app.server.subscriptions!.hub.size === registered + 2);
  const deliverable = await kit.deliverable('Consent flow test report');
  const [row] = await kit.sql<{ version: number }>('select version from deliverable where id = ?', [uuidOf(deliverable)]);
  await kit.ok('pm', 'acceptDeliverable', { id: deliverable, version: row.version });
  await Promise.all([delta.waitFor(1), pm.waitFor(1)]);
  for (const s of [delta, pm]) expect(s.messages).toEqual([{ data: { deliverableChanged: { title: 'Consent flow test report', status: 'ACCEPTED' } } }]);
});

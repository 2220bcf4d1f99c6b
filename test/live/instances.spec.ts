/**
 * Two server processes on one database: a change committed through one
 * reaches a subscriber connected to the other (each instance hears every
 * commit on its own LISTEN session), read as that subscriber sees it.
 */
import { startTestApp, type TestApp } from '../support/app';
import { freePort, kill, startInstance, type Instance } from '../scale/support';
import { WriteKit } from '../write/support';
import { subscribe, until, wsUrl, type Subscriber } from './support';

jest.setTimeout(120_000);

let app: TestApp;
let kit: WriteKit;
let other: Instance | undefined;
const open: Subscriber[] = [];
beforeAll(async () => {
  app = await startTestApp();
  kit = new WriteKit(app);
  other = await startInstance('B', await freePort(), { DATABASE_URL: app.config.databaseUrl!, JOBS: 'off' });
});
afterAll(async () => {
  await Promise.all(open.map((s) => s.dispose()));
  if (other) await other.stop();
  kill([other]);
  await app?.close();
});

const PROJECT_CHANGED = 'subscription P($id: ID!) { projectChanged(id: $id) { name } }';
const POST = 'mutation($input: PostProjectUpdateInput!) { postProjectUpdate(input: $input) { projectUpdate { id } userErrors { code message } } }';

test('a change through one instance reaches the subscribers of the other, and the other way round', async () => {
  const id = await kit.project('borealis');
  const here = wsUrl(app.server.url);
  const there = `ws://127.0.0.1:${other!.port}/graphql`;
  const onB = subscribe(there, { authorization: `Bearer ${await kit.token('aurora')}` }, PROJECT_CHANGED, { id });
  const onA = subscribe(here, { authorization: `Bearer ${await kit.token('beacon')}` }, PROJECT_CHANGED, { id });
  open.push(onA, onB);
  await until(async () => app.server.subscriptions!.hub.size === 1 && /vantage_subscriptions_active 1/.test(await (await fetch(`${other!.base}/metrics`)).text()), 20_000, 'both subscriptions');

  // Through A (this process): the subscriber on B hears it.
  const first = await app.gql(POST, { input: { projectId: id, title: 'Through A', body: 'Posted on instance A.', audience: 'INVESTORS' } }, await kit.token('pm'));
  expect(first.data.postProjectUpdate.userErrors).toEqual([]);
  await onB.waitFor(1, 20_000);
  await onA.waitFor(1, 20_000);

  // Through B (the other process): the subscriber on A hears it.
  const res = await fetch(`${other!.base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await kit.token('pm')}` },
    body: JSON.stringify({ query: POST, variables: { input: { projectId: id, title: 'Through B', body: 'Posted on instance B.', audience: 'INVESTORS' } } }),
  });
  expect(((await res.json()) as any).data.postProjectUpdate.userErrors).toEqual([]);
  await onA.waitFor(2, 20_000);
  await onB.waitFor(2, 20_000);
  expect(onA.messages).toEqual([{ data: { projectChanged: { name: 'Borealis' } } }, { data: { projectChanged: { name: 'Borealis' } } }]);
  expect(onB.messages).toEqual(onA.messages);
});

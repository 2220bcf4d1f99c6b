/**
 * A restatement published on Borealis reaches, by subscription, exactly the
 * users who may read it: Borealis's investors and the operator's staff, on
 * `projectChanged` and in their inbox (`notificationAdded`); the partner on
 * Borealis hears only what it may see (a shared update, used here as the
 * barrier that proves nothing else was coming), and the Atlas-only vendor
 * cannot subscribe to Borealis at all (NOT_FOUND, as for a random id).
 */
import { USERS, type DemoUser, startTestApp, type TestApp } from '../support/app';
import { pendingJobs } from '../notify/receivers';
import { WriteKit } from '../write/support';
import { subscribe, until, wsUrl, type Subscriber } from './support';

let app: TestApp;
let kit: WriteKit;
const open: Subscriber[] = [];
beforeAll(async () => {
  app = await startTestApp();
  kit = new WriteKit(app);
  await until(() => app.server.subscriptions!.hub.live);
});
afterAll(async () => {
  await Promise.all(open.map((s) => s.dispose()));
  await app?.close();
});

const DEMO = Object.keys(USERS) as DemoUser[];
const PROJECT_CHANGED = 'subscription P($id: ID!) { projectChanged(id: $id) { name } }';
const NOTIFICATION_ADDED = 'subscription { notificationAdded { type title projectName subjectType } }';
const POST = 'mutation($input: PostProjectUpdateInput!) { postProjectUpdate(input: $input) { userErrors { code } } }';
const line = (category: string, planned: string, actual: string, estimateToComplete: string) => ({ category, planned, actual, estimateToComplete });

test('a restatement on Borealis reaches exactly its investors and the operator staff, live and in the inbox', async () => {
  const borealis = await kit.project('borealis');
  const original = await kit.ok('pm', 'createFinancialReport', {
    projectId: borealis, periodStart: '2042-03-01', periodEnd: '2042-03-31', summary: 'March.', lines: [line('LABOR', '100.00', '90.00', '10.00')],
  });
  // Labor alone: Borealis's vendors and infrastructure estimates leave the forecast, on purpose.
  const published = await kit.ok('pm', 'publishFinancialReport', { id: original.id, version: original.version, confirmMissingCategories: true });
  // Its notifications are delivered before anyone subscribes, so the inboxes below hold the restatement's alone.
  await until(async () => (await pendingJobs(app, ['deliver_event'])) === 0, 20_000, 'the publication\'s notifications');

  const live: Partial<Record<DemoUser, Subscriber>> = {};
  const inbox: Partial<Record<DemoUser, Subscriber>> = {};
  for (const user of DEMO) {
    const params = { authorization: `Bearer ${await kit.token(user)}` };
    live[user] = subscribe(wsUrl(app.server.url), params, PROJECT_CHANGED, { id: borealis });
    inbox[user] = subscribe(wsUrl(app.server.url), params, NOTIFICATION_ADDED);
    open.push(live[user]!, inbox[user]!);
  }
  // The Atlas-only vendor may not follow Borealis: the same NOT_FOUND as a project that does not exist.
  await live.cobalt!.waitFor(1);
  expect(live.cobalt!.messages).toEqual([{ errors: [{ message: 'No project with this id', locations: [{ line: 1, column: 28 }], path: ['projectChanged'], extensions: { code: 'NOT_FOUND' } }] }]);
  await until(() => app.server.subscriptions!.hub.size === 11, 10_000, 'eleven subscriptions');

  const draft = await kit.ok('pm', 'restateFinancialReport', { id: original.id, version: published.version });
  const edited = await kit.ok('pm', 'updateFinancialReport', { id: draft.id, version: draft.version, lines: [line('LABOR', '100.00', '95.00', '5.00')] });
  await kit.ok('pm', 'publishFinancialReport', { id: draft.id, version: edited.version });
  // The barrier: an update every follower of Borealis may read, committed after the restatement.
  expect((await app.gql(POST, { input: { projectId: borealis, title: 'After the restatement', body: 'Restated March.', audience: 'STAKEHOLDERS' } }, await kit.token('pm'))).data.postProjectUpdate.userErrors).toEqual([]);

  const project = { data: { projectChanged: { name: 'Borealis' } } };
  const readers: DemoUser[] = ['admin', 'pm', 'aurora', 'beacon'];
  // The restatement is two events (report.restated, report.superseded), then the barrier.
  for (const user of readers) await live[user]!.waitFor(3);
  await live.delta!.waitFor(1);
  expect(Object.fromEntries(DEMO.map((u) => [u, live[u]!.messages.length]))).toEqual({ admin: 3, pm: 3, aurora: 3, beacon: 3, cobalt: 1, delta: 1 });
  for (const user of [...readers, 'delta'] as DemoUser[]) expect(live[user]!.messages.every((m) => JSON.stringify(m) === JSON.stringify(project))).toBe(true);

  // The inbox: the same people, each their own copy, as the job queue delivers them.
  const restated = (user: DemoUser) => inbox[user]!.messages.map((m) => m.data.notificationAdded).filter((n) => n.type !== 'update.posted');
  for (const user of readers) await until(() => restated(user).length === 2 && inbox[user]!.messages.length === 3, 20_000, `${user}'s notifications`);
  await until(() => inbox.delta!.messages.length === 1, 20_000, 'delta\'s notification');
  for (const user of readers) {
    expect(restated(user).map((n) => [n.type, n.subjectType, n.projectName]).sort()).toEqual([
      ['report.restated', 'FinancialReport', 'Borealis'], ['report.superseded', 'FinancialReport', 'Borealis'],
    ]);
  }
  expect(inbox.delta!.messages.map((m) => m.data.notificationAdded.type)).toEqual(['update.posted']);
  expect(inbox.cobalt!.messages).toEqual([]);
  // What came live is what the inbox holds, user by user (the original's publication came before anyone subscribed).
  const rows = await kit.sql<{ email: string; n: string }>("select u.email, count(*)::text as n from notification n join app_user u on u.id = n.user_id where n.type <> 'report.published' group by u.email");
  expect(Object.fromEntries(rows.map((r) => [r.email, Number(r.n)]))).toEqual(Object.fromEntries(DEMO.filter((u) => inbox[u]!.messages.length).map((u) => [USERS[u], inbox[u]!.messages.length])));
});

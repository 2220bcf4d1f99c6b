/**
 * Domain events: written in the same transaction as the change and its audit
 * event, delivered by the job queue to exactly the users who may see the
 * subject at delivery time (docs/notifications.md). Checked for every demo user.
 */
import { addMonths } from '../../src/core/dates';
import { demoAnchor } from '../../src/db/seed';
import { toGlobalId } from '../../src/core/global-id';
import { DEMO_PASSWORD } from '../../src/db/seed';
import { startTestApp, USERS, type DemoUser, type TestApp } from '../support/app';
import { uuidOf, WriteKit } from '../write/support';
import { delivered, eventsAfter, inboxOf, lastEventId, sql } from './support';

let app: TestApp;
let kit: WriteKit;
beforeAll(async () => {
  app = await startTestApp();
  kit = new WriteKit(app);
});
afterAll(async () => {
  await app?.close();
});

const BOREALIS_REPORTS = `
  query { projects(first: 1, filter: { search: "Borealis" }) { nodes { financialReports(first: 20, orderBy: { field: PERIOD_START }) { nodes { id revision status periodStart } } } } }`;

test('a restatement published on Borealis reaches exactly Borealis\'s investors and operator staff', async () => {
  const reports = (await app.gql(BOREALIS_REPORTS, {}, await kit.token('admin'))).data.projects.nodes[0].financialReports.nodes;
  const published = reports.find((r: any) => r.status === 'PUBLISHED');
  const since = await lastEventId(app);
  const draft = await kit.ok('pm', 'restateFinancialReport', { id: published.id, version: await kit.version('financial_report', published.id) });
  const rev = await kit.ok('pm', 'publishFinancialReport', { id: draft.id, version: await kit.version('financial_report', draft.id) });
  expect(rev.status).toBe('PUBLISHED');

  const events = await eventsAfter(app, since);
  expect(events.map((e) => [e.type, e.subject_id])).toEqual([
    ['report.superseded', uuidOf(published.id)],
    ['report.restated', uuidOf(draft.id)],
  ]);
  await delivered(app, events.map((e) => e.id));
  const restated = events[1];
  expect(await inboxOf(app, restated.id)).toEqual({
    admin: ['report.restated'], pm: ['report.restated'], aurora: ['report.restated'], beacon: ['report.restated'], cobalt: [], delta: [],
  });
  const [n] = await sql(app, 'select title from notification where event_id = ? limit 1', [restated.id]);
  expect(n.title).toBe(`Financial report ${String(published.periodStart).slice(0, 7)} (revision ${rev.revision}) published: it restates the earlier revision`);
  void addMonths; void demoAnchor;

  // The inbox through GraphQL, for every demo user: exactly those four, each linking to the report.
  const INBOX = 'query { viewer { notifications(first: 5) { unreadCount nodes { id type subjectId projectName title read } } } }';
  for (const who of ['admin', 'pm', 'aurora', 'beacon', 'cobalt', 'delta'] as const) {
    const res = await app.gql(INBOX, {}, await kit.token(who));
    expect(res.errors).toBeUndefined();
    const mine = res.data.viewer.notifications.nodes.filter((x: any) => x.type === 'report.restated');
    expect([who, mine.map((x: any) => [x.subjectId, x.projectName, x.read])]).toEqual([who, ['cobalt', 'delta'].includes(who) ? [] : [[draft.id, 'Borealis', false]]]);
  }
  const aurora = await kit.token('aurora');
  const inbox = (await app.gql(INBOX, {}, aurora)).data.viewer.notifications;
  const marked = await app.gql('mutation M($input: MarkNotificationsReadInput!) { markNotificationsRead(input: $input) { unreadCount notifications { read } userErrors { code } } }', { input: { ids: [inbox.nodes[0].id] } }, aurora);
  expect(marked.data.markNotificationsRead).toEqual({ unreadCount: inbox.unreadCount - 1, notifications: [{ read: true }], userErrors: [] });
  // Another user's notification is NOT_FOUND, like a random id.
  const theirs = await app.gql('mutation M($input: MarkNotificationsReadInput!) { markNotificationsRead(input: $input) { unreadCount } }', { input: { ids: [inbox.nodes[0].id] } }, await kit.token('beacon'));
  expect(theirs.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  const all = await app.gql('mutation M($input: MarkAllNotificationsReadInput!) { markAllNotificationsRead(input: $input) { unreadCount userErrors { code } } }', { input: {} }, aurora);
  expect(all.data.markAllNotificationsRead).toEqual({ unreadCount: 0, userErrors: [] });
});

test('an INTERNAL risk raised to HIGH reaches the operator only; shared with investors, it reaches Atlas\'s investor too', async () => {
  const since = await lastEventId(app);
  const risk = await kit.ok('admin', 'createRisk', { projectId: await kit.project('atlas'), title: 'Internal high risk', category: 'TECHNICAL', likelihood: 4, impact: 3 });
  const [raised] = await eventsAfter(app, since);
  expect([raised.type, raised.data]).toEqual(['risk.raised', { band: 'HIGH', status: 'OPEN', visibility: 'INTERNAL' }]);
  await delivered(app, [raised.id]);
  expect(await inboxOf(app, raised.id)).toEqual({ admin: ['risk.raised'], pm: ['risk.raised'], aurora: [], beacon: [], cobalt: [], delta: [] });

  const next = await lastEventId(app);
  await kit.ok('admin', 'changeRiskVisibility', { id: risk.id, version: await kit.version('risk', risk.id), visibility: 'INVESTORS' });
  const [shared] = await eventsAfter(app, next);
  expect(shared.type).toBe('risk.shared');
  await delivered(app, [shared.id]);
  expect(await inboxOf(app, shared.id)).toEqual({ admin: ['risk.shared'], pm: ['risk.shared'], aurora: ['risk.shared'], beacon: [], cobalt: [], delta: [] });
});

test('a mutation refused with userErrors writes no event; every event has its audit event', async () => {
  const since = await lastEventId(app);
  const risk = await kit.newRisk('atlas');
  const out = await kit.run('admin', 'reassessRisk', { id: risk, version: await kit.version('risk', risk), likelihood: 2, impact: 3, note: '' });
  expect(out.userErrors.map((e) => e.code)).toEqual(['VALIDATION']);
  expect(await eventsAfter(app, since)).toEqual([]);
  const orphans = await sql(app, 'select count(*)::int as n from domain_event e left join audit_event a on a.id = e.audit_event_id where a.id is null');
  expect(orphans[0].n).toBe(0);
});

test('a disabled user receives nothing more', async () => {
  const user = await kit.newUser('Beacon Ventures', 'VIEWER');
  await kit.ok('admin', 'disableUser', { id: user.id, version: await kit.version('app_user', user.id) });
  const since = await lastEventId(app);
  await kit.ok('pm', 'postProjectUpdate', { projectId: await kit.project('borealis'), title: 'After disabling', body: 'Body.', audience: 'INVESTORS' });
  const [posted] = await eventsAfter(app, since);
  await delivered(app, [posted.id]);
  const got = await sql(app, 'select count(*)::int as n from notification where event_id = ? and user_id = ?', [posted.id, uuidOf(user.id)]);
  expect(got[0].n).toBe(0);
  expect(await inboxOf(app, posted.id)).toEqual({ admin: ['update.posted'], pm: ['update.posted'], aurora: ['update.posted'], beacon: ['update.posted'], cobalt: [], delta: [] });
});

test('viewer.changedSinceLastVisit lists what the viewer was told of since the previous sign-in, and nothing the viewer may not see', async () => {
  const signIn = async (who: DemoUser): Promise<string> => {
    const res = await app.gql('mutation L($input: LoginInput!) { login(input: $input) { token } }', { input: { email: USERS[who], password: DEMO_PASSWORD } });
    return res.data.login.token;
  };
  const CHANGED = 'query { viewer { previousVisitAt changedSinceLastVisit } }';
  // A visit each before the change, then another after it.
  for (const who of ['aurora', 'beacon', 'cobalt'] as const) await signIn(who);
  const since = await lastEventId(app);
  await kit.ok('pm', 'postProjectUpdate', { projectId: await kit.project('borealis'), title: 'Since your visit', body: 'Body.', audience: 'INVESTORS' });
  const [posted] = await eventsAfter(app, since);
  await delivered(app, [posted.id]);
  const updateId = toGlobalId(posted.subject_type, posted.subject_id);

  const seen: Record<string, string[]> = {};
  for (const who of ['aurora', 'beacon', 'cobalt'] as const) {
    const res = await app.gql(CHANGED, {}, await signIn(who));
    expect(res.errors).toBeUndefined();
    expect(typeof res.data.viewer.previousVisitAt).toBe('string');
    seen[who] = res.data.viewer.changedSinceLastVisit;
  }
  // Borealis's investors were told; Cobalt (Atlas only) was not, so nothing is marked for it.
  expect(seen).toEqual({ aurora: [updateId], beacon: [updateId], cobalt: [] });
});

test('milestone_slipped, run by the queue, raises milestone.slipped once per open milestone past its due date, and again only after a new due date is missed', async () => {
  const slipped = async () => (await eventsAfter(app, null)).filter((e) => e.type === 'milestone.slipped');
  const runJob = async () => {
    const [{ id }] = await sql(app, "select id from graphile_worker.add_job('milestone_slipped', '{}'::json)");
    await waitUntilGone(id);
  };
  const waitUntilGone = async (jobId: string) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const [job] = await sql(app, 'select last_error from graphile_worker.jobs where id = ?', [jobId]);
      if (!job) return;
      if (job.last_error) throw new Error(`milestone_slipped failed: ${job.last_error}`);
      if (Date.now() > deadline) throw new Error('milestone_slipped did not run within 20 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const overdue = await sql(app, "select id, due_date::text as due from milestone where due_date < current_date and status not in ('DONE', 'CANCELLED') order by id");
  expect(overdue.length).toBeGreaterThan(0);

  await runJob();
  const first = await slipped();
  expect(first.map((e) => [e.subject_id, e.data.dueDate]).sort()).toEqual(overdue.map((m: any) => [m.id, m.due]).sort());
  // Each with its audit event, no actor, like a mutation's.
  const audits = await sql(app, 'select action, actor_id from audit_event where id in (?)', [first.map((e) => e.audit_event_id)]);
  expect(new Set(audits.map((a: any) => `${a.action}/${a.actor_id}`))).toEqual(new Set(['milestone.slip/null']));
  await delivered(app, first.map((e) => e.id));

  // Told exactly the users who read the milestone through the API.
  const probe = first[0];
  const inbox = await inboxOf(app, probe.id);
  for (const who of Object.keys(USERS) as DemoUser[]) {
    const seen = await app.gql('query($id: ID!) { node(id: $id) { id } }', { id: toGlobalId('Milestone', probe.subject_id) }, await kit.token(who));
    expect([who, inbox[who]]).toEqual([who, seen.data.node ? ['milestone.slipped'] : []]);
  }

  // Again: nothing new. A new due date, also missed: raised once more, for that milestone only.
  await runJob();
  expect((await slipped()).length).toBe(first.length);
  await sql(app, "update milestone set due_date = due_date - 1 where id = ?", [probe.subject_id]);
  await runJob();
  const after = await slipped();
  expect(after.length).toBe(first.length + 1);
  expect(after.filter((e) => e.subject_id === probe.subject_id).length).toBe(2);
  await delivered(app, after.map((e) => e.id));
});

test('notifications(unreadOnly: true) lists exactly the unread ones, newest first', async () => {
  // Every event so far delivered, so no notification arrives between the two reads.
  await delivered(app, (await eventsAfter(app, null)).map((e) => e.id));
  const token = await kit.token('aurora');
  const INBOX = 'query($unread: Boolean) { viewer { notifications(first: 100, unreadOnly: $unread) { totalCount unreadCount nodes { id read createdAt } } } }';
  const all = (await app.gql(INBOX, { unread: false }, token)).data.viewer.notifications;
  expect(all.totalCount).toBeGreaterThan(2);
  // Mark the newest read: the unread list is every other unread one, in the same order.
  await app.gql('mutation M($input: MarkNotificationsReadInput!) { markNotificationsRead(input: $input) { unreadCount } }', { input: { ids: [all.nodes[0].id] } }, token);
  const unread = (await app.gql(INBOX, { unread: true }, token)).data.viewer.notifications;
  const expected = all.nodes.filter((n: any, i: number) => i > 0 && !n.read).map((n: any) => n.id);
  expect(unread.nodes.map((n: any) => n.id)).toEqual(expected);
  expect(unread.nodes.every((n: any) => n.read === false)).toBe(true);
  expect([unread.totalCount, unread.unreadCount]).toEqual([expected.length, expected.length]);
});

/**
 * Domain events: written in the same transaction as the change and its audit
 * event, delivered by the job queue to exactly the users who may see the
 * subject at delivery time (docs/notifications.md). Checked for every demo user.
 */
import { addMonths } from '../../src/core/dates';
import { demoAnchor } from '../../src/db/seed';
import { startTestApp, type TestApp } from '../support/app';
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
});

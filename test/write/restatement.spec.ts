/**
 * Restatement keeps history: a published report is never edited or deleted;
 * its correction is a new revision of the same period, and publishing that
 * revision supersedes the old one in the same transaction. Investors then see
 * every revision, the old ones SUPERSEDED, and their figures come from the new one.
 */
import { randomUUID } from 'node:crypto';
import { addMonths } from '../../src/core/dates';
import { demoAnchor } from '../../src/db/seed';
import { startTestApp, type TestApp } from '../support/app';
import { gid, uuidOf, WriteKit } from './support';

let app: TestApp;
let kit: WriteKit;
beforeAll(async () => {
  app = await startTestApp();
  kit = new WriteKit(app);
});
afterAll(async () => {
  await app?.close();
});

const REPORTS = `
  query Reports($from: Date, $to: Date) {
    projects(first: 1, filter: { search: "Atlas" }) {
      nodes {
        financials { actualToDate estimateToComplete }
        financialReports(first: 5, filter: { periodFrom: $from, periodTo: $to }, orderBy: { field: PERIOD_START }) {
          nodes { id revision status summary lines(first: 5) { nodes { category planned actual estimateToComplete } } }
        }
      }
    }
  }`;

/** Month 2 of the demo (four months before the anchor): restated once already (rev 1 SUPERSEDED, rev 2 PUBLISHED). */
const PERIOD_START = addMonths(demoAnchor(), -4);

function reportsOf(user: 'admin' | 'pm' | 'aurora' | 'beacon' | 'cobalt') {
  return kit.token(user).then((token) => app.gql(REPORTS, { from: PERIOD_START, to: addMonths(PERIOD_START, 1) }, token));
}

const cents = (amount: string) => BigInt(amount.replace('.', ''));
const money = (c: bigint) => `${c / 100n}.${(c % 100n).toString().padStart(2, '0')}`;

test('restating a restated period: revision 3 supersedes revision 2, investors see all three and figures from revision 3', async () => {
  const before = await reportsOf('aurora');
  expect(before.errors).toBeUndefined();
  const atlasBefore = before.data.projects.nodes[0];
  expect(atlasBefore.financialReports.nodes.map((r: any) => [r.revision, r.status])).toEqual([[1, 'SUPERSEDED'], [2, 'PUBLISHED']]);
  const rev2 = atlasBefore.financialReports.nodes[1];

  // The operator starts a restatement of revision 2: a DRAFT revision 3, prefilled.
  const draft = await kit.ok('pm', 'restateFinancialReport', { id: rev2.id, version: await kit.version('financial_report', rev2.id) });
  expect(draft).toMatchObject({ revision: 3, status: 'DRAFT', summary: rev2.summary, periodStart: PERIOD_START, publishedAt: null, version: 1 });
  expect(draft.lines.nodes).toEqual(rev2.lines.nodes);

  // Investors do not see a draft; nothing they read changed yet.
  const during = await reportsOf('aurora');
  expect(during.data.projects.nodes[0]).toEqual(atlasBefore);

  // A second restatement while the draft exists is refused.
  const again = await kit.run('pm', 'restateFinancialReport', { id: rev2.id, version: await kit.version('financial_report', rev2.id) });
  expect(again.userErrors).toEqual([{ field: null, code: 'ALREADY_EXISTS', message: 'Revision 3 of this period is already a DRAFT restatement: edit and publish it' }]);

  // Correct the vendors line and publish.
  const lines = draft.lines.nodes.map((l: any) => (l.category === 'VENDORS' ? { ...l, actual: '33000.50', estimateToComplete: '150000.00' } : l));
  const edited = await kit.ok('pm', 'updateFinancialReport', { id: draft.id, version: 1, summary: 'Restated again: late credit note.', lines });
  expect(edited.version).toBe(2);
  const published = await kit.ok('pm', 'publishFinancialReport', { id: draft.id, version: 2 });
  expect(published).toMatchObject({ revision: 3, status: 'PUBLISHED', version: 3, summary: 'Restated again: late credit note.' });
  expect(published.publishedBy.id).toBe(await kit.user('pm'));

  // Revision 2 became SUPERSEDED in the same transaction (one request id for both events).
  const events = await kit.sql<{ action: string; request_id: string }>(
    'select action, request_id from audit_event where action in (?, ?) order by occurred_at desc, id desc limit 2',
    ['financialReport.publish', 'financialReport.supersede'],
  );
  expect(events.map((e) => e.action).sort()).toEqual(['financialReport.publish', 'financialReport.supersede']);
  expect(events[0].request_id).toBe(events[1].request_id);

  const after = await reportsOf('aurora');
  const atlasAfter = after.data.projects.nodes[0];
  expect(atlasAfter.financialReports.nodes.map((r: any) => [r.revision, r.status])).toEqual([[1, 'SUPERSEDED'], [2, 'SUPERSEDED'], [3, 'PUBLISHED']]);
  // History is never lost: revision 2 still has its own figures.
  expect(atlasAfter.financialReports.nodes[1].lines.nodes).toEqual(rev2.lines.nodes);
  expect(atlasAfter.financialReports.nodes[2].lines.nodes.find((l: any) => l.category === 'VENDORS')).toEqual({
    category: 'VENDORS', planned: '25000.00', actual: '33000.50', estimateToComplete: '150000.00',
  });
  // Figures come from the latest revision: actual to date moves by exactly 33000.50 − 31500.00.
  const oldVendors = rev2.lines.nodes.find((l: any) => l.category === 'VENDORS');
  expect(oldVendors.actual).toBe('31500.00');
  expect(atlasAfter.financials.actualToDate).toBe(money(cents(atlasBefore.financials.actualToDate) + cents('33000.50') - cents('31500.00')));

  // Investors of other projects and partners see none of it.
  const beacon = await reportsOf('beacon');
  expect(beacon.data.projects.nodes).toEqual([]);
  const cobalt = await app.gql('{ projects { nodes { name financialReports { totalCount } } } }', {}, await kit.token('cobalt'));
  expect(cobalt.data.projects.nodes).toEqual([{ name: 'Atlas', financialReports: { totalCount: 0 } }]);
});

test('a fresh period: draft → published → restated → published; superseded and published revisions are immutable', async () => {
  const projectId = await kit.project('atlas');
  const created = await kit.ok('pm', 'createFinancialReport', {
    projectId, periodStart: '2031-03-01', periodEnd: '2031-03-31', summary: 'March.',
    lines: [{ category: 'LABOR', planned: '100.00', actual: '120.00', estimateToComplete: '1000.00' }, { category: 'OTHER', planned: '0.10', actual: '0.10', estimateToComplete: '0.00' }],
  });
  expect(created).toMatchObject({ revision: 1, status: 'DRAFT', version: 1, periodStart: '2031-03-01', periodEnd: '2031-03-31' });

  // The same period cannot be created twice.
  const duplicate = await kit.run('pm', 'createFinancialReport', { projectId, periodStart: '2031-03-01', periodEnd: '2031-03-31' });
  expect(duplicate.userErrors).toEqual([{ field: ['input', 'periodStart'], code: 'ALREADY_EXISTS', message: 'A report for the period starting 2031-03-01 already exists: edit its draft or restate it' }]);

  // Labor and other only: the vendors and infrastructure estimates of the latest month leave the forecast, on purpose.
  const rev1 = await kit.ok('pm', 'publishFinancialReport', { id: created.id, version: 1, confirmMissingCategories: true });
  expect(rev1.status).toBe('PUBLISHED');

  // Published: no edit, no delete, no second publish.
  for (const [mutation, extra] of [['updateFinancialReport', { summary: 'Sneaky edit.' }], ['deleteFinancialReport', {}], ['publishFinancialReport', {}]] as const) {
    const before = await kit.checksums();
    const out = await kit.run('admin', mutation, { id: rev1.id, version: rev1.version, ...extra });
    expect(out.userErrors.map((e) => e.code)).toEqual(['INVALID_TRANSITION']);
    expect(out.userErrors[0].message.startsWith('FinancialReport is PUBLISHED')).toBe(true);
    expect(await kit.checksums()).toEqual(before);
  }

  const rev2 = await kit.ok('pm', 'restateFinancialReport', { id: rev1.id, version: rev1.version });
  expect(rev2).toMatchObject({ revision: 2, status: 'DRAFT', summary: 'March.' });
  // Publishing an emptied restatement fails and leaves revision 1 PUBLISHED (all or nothing).
  const emptied = await kit.ok('pm', 'updateFinancialReport', { id: rev2.id, version: 1, lines: [] });
  const refused = await kit.run('pm', 'publishFinancialReport', { id: rev2.id, version: emptied.version });
  expect(refused.userErrors).toEqual([{ field: ['input', 'lines'], code: 'VALIDATION', message: 'A report needs at least one line before it is published' }]);
  expect(await kit.status('financial_report', rev1.id)).toBe('PUBLISHED');

  const fixed = await kit.ok('pm', 'updateFinancialReport', {
    id: rev2.id, version: emptied.version, lines: [{ category: 'LABOR', planned: '100.00', actual: '110.00', estimateToComplete: '990.00' }],
  });
  // The fixed restatement keeps LABOR only: revision 1's OTHER line is dropped on purpose, which
  // publishing must confirm (docs/state-machines.md#partial-reports).
  await kit.ok('pm', 'publishFinancialReport', { id: rev2.id, version: fixed.version, confirmMissingCategories: true });

  const res = await app.gql(REPORTS, { from: '2031-03-01', to: '2031-03-31' }, await kit.token('aurora'));
  expect(res.data.projects.nodes[0].financialReports.nodes).toEqual([
    {
      id: rev1.id, revision: 1, status: 'SUPERSEDED', summary: 'March.',
      lines: { nodes: [{ category: 'LABOR', planned: '100.00', actual: '120.00', estimateToComplete: '1000.00' }, { category: 'OTHER', planned: '0.10', actual: '0.10', estimateToComplete: '0.00' }] },
    },
    { id: rev2.id, revision: 2, status: 'PUBLISHED', summary: 'March.', lines: { nodes: [{ category: 'LABOR', planned: '100.00', actual: '110.00', estimateToComplete: '990.00' }] } },
  ]);

  // Superseded: immutable too, and it cannot be restated (only the latest published revision can).
  for (const [mutation, extra] of [['updateFinancialReport', { summary: 'x' }], ['deleteFinancialReport', {}], ['restateFinancialReport', {}]] as const) {
    const out = await kit.run('admin', mutation, { id: rev1.id, version: await kit.version('financial_report', rev1.id), ...extra });
    expect(out.userErrors.map((e) => e.code)).toEqual(['INVALID_TRANSITION']);
    expect(out.userErrors[0].message.startsWith('FinancialReport is SUPERSEDED')).toBe(true);
  }
});

describe('the database keeps published reports immutable too, whatever writes to it', () => {
  const refusal = (id: string, status: string, what: 'report' | 'lines') =>
    what === 'report'
      ? `financial report ${id} is ${status}: a published report is immutable; publish a restatement instead`
      : `financial report ${id} is ${status}: the lines of a published report are immutable; publish a restatement instead`;
  const refused = (sql: string, params: readonly unknown[]) => kit.sql(sql, [...params]).then(() => 'written', (err: Error) => err.message.split(' - ').pop());

  test.each(['PUBLISHED', 'SUPERSEDED'])('a %s report: no edit, no delete, no line written, changed or removed', async (status) => {
    const id = uuidOf(await kit.newReport('atlas', status));
    const before = await kit.checksums();
    expect(await refused('update financial_report set summary = ? where id = ?', ['Rewritten.', id])).toBe(refusal(id, status, 'report'));
    expect(await refused('update financial_report set published_at = now() - interval \'1 year\' where id = ?', [id])).toBe(refusal(id, status, 'report'));
    expect(await refused('update financial_report set status = \'DRAFT\' where id = ?', [id])).toBe(refusal(id, status, 'report'));
    expect(await refused('delete from financial_report where id = ?', [id])).toBe(refusal(id, status, 'report'));
    expect(await refused('update financial_report_line set actual = actual + 1 where report_id = ?', [id])).toBe(refusal(id, status, 'lines'));
    expect(await refused('delete from financial_report_line where report_id = ?', [id])).toBe(refusal(id, status, 'lines'));
    expect(await refused(
      'insert into financial_report_line (id, created_at, updated_at, report_id, category, planned, actual, estimate_to_complete) values (gen_random_uuid(), now(), now(), ?, \'OTHER\', 1, 1, 1)', [id],
    )).toBe(refusal(id, status, 'lines'));
    expect(await kit.checksums()).toEqual(before);
  });

  test('what stays allowed: PUBLISHED → SUPERSEDED with version and updated_at, anything on a DRAFT', async () => {
    const published = uuidOf(await kit.newReport('atlas', 'PUBLISHED'));
    expect(await refused('update financial_report set status = \'SUPERSEDED\', version = version + 1, updated_at = now() where id = ?', [published])).toBe('written');
    expect(await kit.status('financial_report', gid('FinancialReport', published))).toBe('SUPERSEDED');
    const draft = uuidOf(await kit.newReport('atlas'));
    expect(await refused('update financial_report_line set actual = 1 where report_id = ?', [draft])).toBe('written');
    expect(await refused('update financial_report set summary = \'Draft edit.\' where id = ?', [draft])).toBe('written');
    expect(await refused('delete from financial_report where id = ?', [draft])).toBe('written'); // its lines go with it (on delete cascade)
    expect(await kit.sql('select count(*)::int as n from financial_report_line where report_id = ?', [draft])).toEqual([{ n: 0 }]);
  });

  test('history is loaded in one transaction: a report inserted as published takes its lines until that transaction commits', async () => {
    const [{ id: projectId }] = await kit.sql<{ id: string }>('select id from project where name = ?', ['Atlas']);
    const id = randomUUID();
    const line = (category: string) => [
      'insert into financial_report_line (id, created_at, updated_at, report_id, category, planned, actual, estimate_to_complete) values (gen_random_uuid(), now(), now(), ?, ?, 1, 2, 3)',
      [id, category],
    ] as const;
    await app.orm.em.fork().transactional(async (em) => {
      const run = (sql: string, params: readonly unknown[]) => em.getConnection().execute(sql, [...params], 'run', em.getTransactionContext());
      await run(
        'insert into financial_report (id, created_at, updated_at, project_id, period_start, period_end, revision, status, summary, published_at) values (?, now(), now(), ?, \'2041-01-01\', \'2041-01-31\', 1, \'PUBLISHED\', \'Loaded.\', now())',
        [id, projectId],
      );
      await run(...line('LABOR'));
      await em.transactional(async (inner) => { // a savepoint: another (sub)transaction id, still this transaction
        await inner.getConnection().execute(line('VENDORS')[0], [...line('VENDORS')[1]], 'run', inner.getTransactionContext());
      });
      await run('update financial_report set summary = \'Loaded and checked.\' where id = ?', [id]);
    });
    expect(await kit.sql('select r.summary, count(l.id)::int as lines from financial_report r join financial_report_line l on l.report_id = r.id where r.id = ? group by r.summary', [id]))
      .toEqual([{ summary: 'Loaded and checked.', lines: 2 }]);
    // Committed: frozen.
    expect(await refused(...line('OTHER'))).toBe(refusal(id, 'PUBLISHED', 'lines'));
    expect(await refused('update financial_report set summary = \'Later.\' where id = ?', [id])).toBe(refusal(id, 'PUBLISHED', 'report'));
  });
});

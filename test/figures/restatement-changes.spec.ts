/**
 * Partial reports and restatements (docs/state-machines.md#partial-reports):
 * a new period's report that drops a category still estimated in the previous
 * period's report, and a restatement that drops categories of the revision it
 * restates, are published only when confirmed, and say which; every
 * restatement exposes its line-by-line changes to exactly the viewers of the
 * report.
 */
import { addMonths, monthEnd } from '../../src/core/dates';
import { demoAnchor } from '../../src/db/seed';
import { startTestApp, type TestApp } from '../support/app';
import { WriteKit } from '../write/support';

let app: TestApp;
let kit: WriteKit;
beforeAll(async () => {
  app = await startTestApp();
  kit = new WriteKit(app);
});
afterAll(async () => {
  await app?.close();
});

const PUBLISH = `mutation P($input: PublishFinancialReportInput!) { publishFinancialReport(input: $input) {
  financialReport { id version status revision } missingCategories userErrors { field code message } } }`;
const CHANGES = `query C($id: ID!) { node(id: $id) { ... on FinancialReport {
  revision status restates { revision status }
  changes { category kind previousPlanned previousActual previousEstimateToComplete planned actual estimateToComplete plannedDifference actualDifference estimateToCompleteDifference }
  auditTrail { nodes { action changes } } } } }`;

const line = (category: string, planned: string, actual: string, estimateToComplete: string) => ({ category, planned, actual, estimateToComplete });
const publish = async (input: Record<string, unknown>) => (await app.gql(PUBLISH, { input }, await kit.token('pm'))).data.publishFinancialReport;
const read = async (user: string, id: string) => {
  const res = await app.gql(CHANGES, { id }, await kit.token(user));
  expect(res.errors).toBeUndefined();
  return res.data.node;
};

const FORECAST = `query F($id: ID!, $asOf: Date) { node(id: $id) { ... on Project { financials(asOf: $asOf) { estimateToComplete } } } }`;
const etcOf = async (asOf: string) => (await app.gql(FORECAST, { id: await kit.project('atlas'), asOf }, await kit.token('aurora'))).data.node.financials.estimateToComplete;

test('a new period\'s report that leaves out a category still estimated in the previous period is published only when confirmed', async () => {
  // Atlas's latest published report is month 4 of the demo: INFRASTRUCTURE 40000.00, LABOR 650000.00, OTHER 5000.00, VENDORS 110000.00 to complete.
  const previousStart = addMonths(demoAnchor(), -2);
  const projectId = await kit.project('atlas');
  const draft = await kit.ok('pm', 'createFinancialReport', {
    projectId, periodStart: '2040-01-01', periodEnd: '2040-01-31', summary: 'January 2040.',
    lines: [line('LABOR', '100.00', '90.00', '500.00'), line('VENDORS', '50.00', '40.00', '0.00')],
  });
  const refusal = (listed: string, start = previousStart) => ({
    financialReport: null, missingCategories: null,
    userErrors: [{
      field: ['input', 'confirmMissingCategories'], code: 'VALIDATION',
      message: `Categories of the report for ${start} to ${monthEnd(start)} still have an estimate to complete and no line in this one: ${listed}. ` +
        'Published without them, the forecast (EAC) drops by that estimate. Add their lines (actual 0.00 if nothing was spent), or publish with confirmMissingCategories: true',
    }],
  });
  const before = await kit.checksums();
  expect(await publish({ id: draft.id, version: draft.version })).toEqual(refusal('INFRASTRUCTURE (40000.00), OTHER (5000.00)'));
  expect(await kit.checksums()).toEqual(before);

  // Infrastructure keeps its estimate with a line of no spend; OTHER is still left out, and named alone.
  const kept = await kit.ok('pm', 'updateFinancialReport', {
    id: draft.id, version: draft.version,
    lines: [line('LABOR', '100.00', '90.00', '500.00'), line('VENDORS', '50.00', '40.00', '0.00'), line('INFRASTRUCTURE', '0.00', '0.00', '40000.00')],
  });
  expect(await publish({ id: draft.id, version: kept.version })).toEqual(refusal('OTHER (5000.00)'));
  expect(await publish({ id: draft.id, version: kept.version, confirmMissingCategories: true })).toEqual({
    financialReport: { id: draft.id, version: kept.version + 1, status: 'PUBLISHED', revision: 1 }, missingCategories: ['OTHER'], userErrors: [],
  });
  const trail = (await read('pm', draft.id)).auditTrail.nodes.filter((e: any) => e.action === 'financialReport.publish');
  expect(trail.map((e: any) => e.changes.missingCategories)).toEqual([{ before: null, after: ['OTHER'] }]);
  // The forecast now reads January 2040 alone: 500.00 + 0.00 + 40000.00; OTHER's 5000.00 left it, as confirmed.
  expect(await etcOf('2040-01-31')).toBe('40500.00');

  // A report for a period before an already published later one does not feed the forecast: not checked.
  const backfill = await kit.ok('pm', 'createFinancialReport', {
    projectId, periodStart: '2039-12-01', periodEnd: '2039-12-31', summary: 'December 2039.', lines: [line('LABOR', '1.00', '1.00', '1.00')],
  });
  expect((await publish({ id: backfill.id, version: backfill.version })).missingCategories).toEqual([]);

  // A finished category (0.00 to complete, VENDORS in January) may have no line; a still estimated one may not.
  const february = await kit.ok('pm', 'createFinancialReport', {
    projectId, periodStart: '2040-02-01', periodEnd: '2040-02-29', summary: 'February 2040.', lines: [line('LABOR', '10.00', '10.00', '400.00'), line('OTHER', '0.00', '0.00', '5.00')],
  });
  expect(await publish({ id: february.id, version: february.version })).toEqual(refusal('INFRASTRUCTURE (40000.00)', '2040-01-01'));
  const finished = await kit.ok('pm', 'updateFinancialReport', {
    id: february.id, version: february.version,
    lines: [line('LABOR', '10.00', '10.00', '400.00'), line('OTHER', '0.00', '0.00', '5.00'), line('INFRASTRUCTURE', '0.00', '0.00', '0.00')],
  });
  expect(await publish({ id: february.id, version: finished.version })).toEqual({
    financialReport: { id: february.id, version: finished.version + 1, status: 'PUBLISHED', revision: 1 }, missingCategories: [], userErrors: [],
  });
  expect(await etcOf('2040-02-29')).toBe('405.00');
});

test('a partial restatement needs confirmation, names what it drops, and every viewer of the report reads the same exact diff', async () => {
  const original = await kit.ok('pm', 'createFinancialReport', {
    projectId: await kit.project('atlas'), periodStart: '2041-01-01', periodEnd: '2041-01-31', summary: 'January.',
    lines: [line('LABOR', '100.00', '90.00', '500.00'), line('VENDORS', '50.00', '40.00', '0.00'), line('OTHER', '10.00', '10.00', '5.00')],
  });
  // Every category still estimated in February 2040 (LABOR, OTHER) has a line: nothing is missing; an original has no diff.
  expect(await publish({ id: original.id, version: original.version })).toEqual({
    financialReport: { id: original.id, version: original.version + 1, status: 'PUBLISHED', revision: 1 }, missingCategories: [], userErrors: [],
  });
  expect(await read('aurora', original.id)).toMatchObject({ revision: 1, restates: null, changes: null });

  const draft = await kit.ok('pm', 'restateFinancialReport', { id: original.id, version: original.version + 1 });
  // The prefilled draft changes nothing yet; only the operator sees it (and its diff).
  expect(await read('pm', draft.id)).toMatchObject({ revision: 2, status: 'DRAFT', restates: { revision: 1, status: 'PUBLISHED' }, changes: [] });
  expect((await app.gql(CHANGES, { id: draft.id }, await kit.token('aurora'))).data.node).toBeNull();

  const edited = await kit.ok('pm', 'updateFinancialReport', {
    id: draft.id, version: draft.version,
    lines: [line('LABOR', '100.00', '95.50', '480.00'), line('INFRASTRUCTURE', '20.00', '19.99', '0.00'), line('OTHER', '10.00', '10.00', '5.00')],
  });
  const message = 'Categories of revision 1, which this revision restates, are missing: VENDORS. Add their lines, or publish with confirmMissingCategories: true';
  for (const confirm of [undefined, false]) {
    expect(await publish({ id: draft.id, version: edited.version, confirmMissingCategories: confirm })).toEqual({
      financialReport: null, missingCategories: null, userErrors: [{ field: ['input', 'confirmMissingCategories'], code: 'VALIDATION', message }],
    });
  }
  expect(await kit.status('financial_report', original.id)).toBe('PUBLISHED');

  const confirmed = await publish({ id: draft.id, version: edited.version, confirmMissingCategories: true });
  expect(confirmed).toEqual({
    financialReport: { id: draft.id, version: edited.version + 1, status: 'PUBLISHED', revision: 2 }, missingCategories: ['VENDORS'], userErrors: [],
  });

  const expected = [
    {
      category: 'LABOR', kind: 'CHANGED', previousPlanned: '100.00', previousActual: '90.00', previousEstimateToComplete: '500.00',
      planned: '100.00', actual: '95.50', estimateToComplete: '480.00', plannedDifference: '0.00', actualDifference: '5.50', estimateToCompleteDifference: '-20.00',
    },
    {
      category: 'VENDORS', kind: 'REMOVED', previousPlanned: '50.00', previousActual: '40.00', previousEstimateToComplete: '0.00',
      planned: null, actual: null, estimateToComplete: null, plannedDifference: '-50.00', actualDifference: '-40.00', estimateToCompleteDifference: '0.00',
    },
    {
      category: 'INFRASTRUCTURE', kind: 'ADDED', previousPlanned: null, previousActual: null, previousEstimateToComplete: null,
      planned: '20.00', actual: '19.99', estimateToComplete: '0.00', plannedDifference: '20.00', actualDifference: '19.99', estimateToCompleteDifference: '0.00',
    },
  ];
  // The operator and Atlas's investor read the same diff; OTHER is unchanged and left out.
  for (const user of ['pm', 'admin', 'aurora']) {
    const got = await read(user, draft.id);
    expect([user, got.revision, got.status, got.restates, got.changes]).toEqual([user, 2, 'PUBLISHED', { revision: 1, status: 'SUPERSEDED' }, expected]);
  }
  // The publish event records what was dropped (operators read the trail; investors an empty one).
  const trail = (await read('pm', draft.id)).auditTrail.nodes.filter((e: any) => e.action === 'financialReport.publish');
  expect(trail.map((e: any) => e.changes.missingCategories)).toEqual([{ before: null, after: ['VENDORS'] }]);
  expect((await read('aurora', draft.id)).auditTrail.nodes).toEqual([]);
  // The original's publish event has no such entry.
  const first = (await read('pm', original.id)).auditTrail.nodes.filter((e: any) => e.action === 'financialReport.publish');
  expect(first.map((e: any) => 'missingCategories' in e.changes)).toEqual([false]);

  // Viewers who may not see the report get nothing, as for a random id.
  for (const user of ['beacon', 'cobalt']) expect((await app.gql(CHANGES, { id: draft.id }, await kit.token(user))).data.node).toBeNull();
});

test('a complete restatement needs no confirmation and reports nothing missing', async () => {
  const original = await kit.ok('pm', 'createFinancialReport', {
    projectId: await kit.project('atlas'), periodStart: '2041-02-01', periodEnd: '2041-02-28', summary: 'February.',
    lines: [line('LABOR', '1.00', '1.00', '1.00'), line('OTHER', '0.00', '0.00', '5.00')],
  });
  expect((await publish({ id: original.id, version: original.version })).userErrors).toEqual([]);
  const draft = await kit.ok('pm', 'restateFinancialReport', { id: original.id, version: original.version + 1 });
  const edited = await kit.ok('pm', 'updateFinancialReport', {
    id: draft.id, version: draft.version, lines: [line('LABOR', '1.00', '1.10', '0.90'), line('LICENSES', '3.00', '0.00', '3.00'), line('OTHER', '0.00', '0.00', '5.00')],
  });
  const out = await publish({ id: draft.id, version: edited.version });
  expect([out.missingCategories, out.userErrors, out.financialReport.status]).toEqual([[], [], 'PUBLISHED']);
  expect((await read('aurora', draft.id)).changes.map((c: any) => [c.category, c.kind, c.actualDifference, c.estimateToCompleteDifference])).toEqual([
    ['LABOR', 'CHANGED', '0.10', '-0.10'], ['LICENSES', 'ADDED', '0.00', '3.00'],
  ]);
});

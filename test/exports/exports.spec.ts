/**
 * Exports (docs/exports.md) on the demo data, against the real server:
 * each export holds exactly what its requester reads in the API — the same
 * rows, the same hidden fields — money exact to the cent in XLSX, the
 * investor pack only with what the investor sees, jobs private to their
 * requester, and every export and download in the audit trail.
 *
 * EXPORT_INLINE_MAX_ROWS is 2 here, so lists of up to 2 rows are written
 * during the request and longer ones by the job queue's runner (with progress).
 */
import ExcelJS from 'exceljs';
import { inflateSync } from 'node:zlib';
import { toCsv, moneyCell } from '../../src/modules/export/export.formats';
import { startTestApp, USERS, type DemoUser, type TestApp } from '../support/app';

jest.setTimeout(60_000);

let app: TestApp;
const token: Partial<Record<DemoUser, string>> = {};

beforeAll(async () => {
  app = await startTestApp({ env: { EXPORT_INLINE_MAX_ROWS: '2' } });
  for (const user of Object.keys(USERS) as DemoUser[]) token[user] = await app.login(USERS[user]);
});

afterAll(async () => {
  await app?.close();
});

const JOB = 'id kind format status progress rowCount fileName contentType size downloadUrl error';

async function gqlOk<T = any>(query: string, variables: Record<string, unknown>, user: DemoUser): Promise<T> {
  const res = await app.gql<T>(query, variables, token[user]);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!;
}

async function request(user: DemoUser, input: Record<string, unknown>) {
  return app.gql(`mutation($input: RequestExportInput!) { requestExport(input: $input) { exportJob { ${JOB} } userErrors { code message field } } }`, { input }, token[user]);
}

/** Waits (polling node(id)) until the job is DONE or FAILED; returns every progress value seen. */
async function finished(user: DemoUser, id: string) {
  const seen: number[] = [];
  for (let i = 0; i < 400; i++) {
    const data = await gqlOk(`query($id: ID!) { node(id: $id) { ... on ExportJob { ${JOB} } } }`, { id }, user);
    seen.push(data.node.progress);
    if (data.node.status === 'DONE' || data.node.status === 'FAILED') return { job: data.node, seen };
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('export did not finish');
}

async function download(url: string, user: DemoUser | null) {
  const res = await fetch(`http://127.0.0.1:${app.server.port}${url}`, { headers: user ? { authorization: `Bearer ${token[user]}` } : {} });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

/** Requests an export, waits for it, downloads it. */
async function exported(user: DemoUser, input: Record<string, unknown>) {
  const res = await request(user, input);
  if (res.errors || res.data.requestExport.userErrors.length) throw new Error(JSON.stringify(res.errors ?? res.data.requestExport.userErrors));
  const requested = res.data.requestExport.exportJob;
  const { job, seen } = requested.status === 'DONE' ? { job: requested, seen: [100] } : await finished(user, requested.id);
  expect(job.status).toBe('DONE');
  const file = await download(job.downloadUrl, user);
  expect(file.status).toBe(200);
  expect(file.body.length).toBe(job.size);
  return { requested, job, seen, file };
}

/** RFC 4180 parser (quoted fields, doubled quotes, CRLF rows), for reading exports back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

function records(csv: Buffer): Record<string, string>[] {
  const text = csv.toString('utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  expect(text.endsWith('\r\n')).toBe(true);
  const [header, ...rows] = parseCsv(text.slice(1));
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

// Within the cost limit: each page is checked to be complete (hasNextPage false).
const DELIVERABLES = `{ projects(first: 5) { pageInfo { hasNextPage } edges { node { code contracts(first: 10) { pageInfo { hasNextPage } edges { node { reference
  deliverables(first: 30) { pageInfo { hasNextPage } edges { node { id title status dueDate round submittedAt decidedAt submissionNote rejectionReason milestone { title } } } } } } } } } } }`;

describe('CSV of deliverables: exactly the rows and fields each role reads in the API', () => {
  test.each(Object.keys(USERS) as DemoUser[])('%s', async (user) => {
    const data = await gqlOk(DELIVERABLES, {}, user);
    const complete = JSON.stringify(data).match(/"hasNextPage":(true|false)/g)!;
    expect(complete.every((m) => m.endsWith('false'))).toBe(true);
    const expected = data.projects.edges.flatMap((p: any) => p.node.contracts.edges.flatMap((c: any) => c.node.deliverables.edges.map(({ node: d }: any) => ({
      Id: d.id, Project: p.node.code, Contract: c.node.reference, Milestone: d.milestone?.title ?? '', Title: d.title, Status: d.status, 'Due date': d.dueDate,
      Round: String(d.round), 'Submitted at': d.submittedAt ?? '', 'Decided at': d.decidedAt ?? '', 'Submission note': d.submissionNote ?? '', 'Rejection reason': d.rejectionReason ?? '',
    }))));
    const { file, job } = await exported(user, { kind: 'DELIVERABLES', format: 'CSV' });
    expect(job.contentType).toBe('text/csv; charset=utf-8');
    const rows = records(file.body);
    const byId = (a: Record<string, string>, b: Record<string, string>) => a.Id.localeCompare(b.Id);
    expect(rows.sort(byId)).toEqual(expected.sort(byId));
    expect(job.rowCount).toBe(expected.length);
    const projects = new Set(rows.map((r) => r.Project));
    if (user === 'aurora' || user === 'beacon') expect(rows).toEqual([]); // investors read no deliverable
    if (user === 'cobalt') { expect(rows.length).toBeGreaterThan(0); expect([...projects]).toEqual(['PRJ-2025-01']); } // no Borealis row
    if (user === 'delta') { expect(rows.length).toBeGreaterThan(0); expect([...projects]).toEqual(['PRJ-2025-02']); } // no Atlas row
    if (user === 'admin') expect(rows.length).toBeGreaterThan(2); // written by the background runner
  });
});

test('milestones: planned values for investors and the operator, no such column for partners (hidden in the API too)', async () => {
  const atlas = (await gqlOk('{ projects(first: 10) { edges { node { id code currency } } } }', {}, 'admin')).projects.edges.map((e: any) => e.node).find((p: any) => p.code === 'PRJ-2025-01');
  const query = `query($id: ID!) { node(id: $id) { ... on Project { milestones(first: 100) { edges { node { id title plannedValue } } } } } }`;
  const investor = await gqlOk(query, { id: atlas.id }, 'aurora');
  const { file } = await exported('aurora', { kind: 'MILESTONES', format: 'XLSX', projectId: atlas.id });
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(file.body as any);
  const sheet = book.worksheets[0];
  const header = (sheet.getRow(1).values as unknown[]).slice(1);
  expect(header).toContain('Planned value');
  const col = header.indexOf('Planned value') + 1;
  const idCol = header.indexOf('Id') + 1;
  const api = new Map(investor.node.milestones.edges.map((e: any) => [e.node.id, e.node.plannedValue]));
  expect(sheet.rowCount - 1).toBe(api.size);
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const value = row.getCell(col).value;
    expect(typeof value === 'number' ? value.toFixed(2) : value).toBe(api.get(row.getCell(idCol).value as string));
    expect(row.getCell(header.indexOf('Currency') + 1).value).toBe('EUR');
  }

  const partner = await app.gql(query, { id: atlas.id }, token.cobalt);
  expect(partner.errors?.[0].extensions?.code).toBe('FORBIDDEN'); // the API hides plannedValue from partners
  const cobalt = records((await exported('cobalt', { kind: 'MILESTONES', format: 'CSV', projectId: atlas.id })).file.body);
  expect(cobalt.length).toBe(api.size);
  for (const row of cobalt) expect(Object.keys(row)).not.toContain('Planned value');
});

const REPORTS = `query($id: ID!) { node(id: $id) { ... on Project { currency financialReports(first: 50) { edges { node { id status periodEnd revision
  lines(first: 20) { edges { node { category planned actual estimateToComplete } } } } } } } } }`;

test('XLSX of a report\'s lines opens with the API\'s numbers, exact to the cent, currency in its own column; in the background with progress', async () => {
  const atlas = (await gqlOk('{ projects(first: 10) { edges { node { id code } } } }', {}, 'aurora')).projects.edges.map((e: any) => e.node).find((p: any) => p.code === 'PRJ-2025-01');
  const reports = (await gqlOk(REPORTS, { id: atlas.id }, 'aurora')).node.financialReports.edges.map((e: any) => e.node);
  const report = reports.find((r: any) => r.status === 'PUBLISHED');
  expect(report).toBeTruthy();
  const lines = report.lines.edges.map((e: any) => e.node);
  expect(lines.length).toBeGreaterThan(2);
  const { file, requested, seen, job } = await exported('aurora', { kind: 'REPORT_LINES', format: 'XLSX', reportId: report.id });
  expect(requested.status).toBe('QUEUED'); // more rows than EXPORT_INLINE_MAX_ROWS
  expect(seen[seen.length - 1]).toBe(100);
  expect(job.fileName).toMatch(/^report-lines-PRJ-2025-01-\d{4}-\d{2}-\d{2}-r\d+-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(file.body as any);
  const sheet = book.worksheets[0];
  const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
  expect(header).toEqual(['Project', 'Period start', 'Period end', 'Revision', 'Report status', 'Category', 'Planned', 'Actual', 'Estimate to complete', 'Currency']);
  const read = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const money = (key: string) => {
      const cell = row.getCell(header.indexOf(key) + 1);
      expect(typeof cell.value).toBe('number');
      expect(cell.numFmt).toBe('#,##0.00');
      return (cell.value as number).toFixed(2);
    };
    read.push({ category: row.getCell(6).value, planned: money('Planned'), actual: money('Actual'), estimateToComplete: money('Estimate to complete') });
    expect(row.getCell(10).value).toBe('EUR');
    expect(row.getCell(3).value).toBe(report.periodEnd);
  }
  expect(read).toEqual(lines);

  // The operator's export of the same report: the same figures.
  const admin = await exported('admin', { kind: 'REPORT_LINES', format: 'CSV', reportId: report.id });
  expect(records(admin.file.body).map((r) => ({ category: r.Category, planned: r.Planned, actual: r.Actual, estimateToComplete: r['Estimate to complete'] }))).toEqual(lines);

  // A partner cannot read reports: the report is NOT_FOUND, like a random id.
  const partner = await request('cobalt', { kind: 'REPORT_LINES', format: 'XLSX', reportId: report.id });
  expect(partner.errors?.[0].extensions?.code).toBe('NOT_FOUND');
});

test('money cells: a number only when it reads back as the exact decimal string, else text', () => {
  for (const s of ['0.00', '0.05', '-12.30', '1234567.89', '9999999999999.99']) expect((moneyCell(s) as number).toFixed(2)).toBe(s);
  expect(moneyCell('1234567890123456.78')).toBe('1234567890123456.78');
});

test('CSV: RFC 4180 quoting, CRLF, formula-like text neutralised (not negative numbers)', async () => {
  const csv = await toCsv({
    name: 't',
    columns: [{ key: 'a', header: 'A', type: 'text' }, { key: 'm', header: 'M', type: 'money' }],
    rows: [{ a: '=HYPERLINK("http://x","y")', m: '-12.50' }, { a: 'two\r\nlines, "quoted"', m: '1.00' }, { a: '@SUM(A1)', m: null }, { a: '+1', m: '0.00' }, { a: '-x', m: '2.00' }],
  });
  expect(csv.toString('utf8')).toBe('\uFEFFA,M\r\n"\'=HYPERLINK(""http://x"",""y"")",-12.50\r\n"two\r\nlines, ""quoted""",1.00\r\n\'@SUM(A1),\r\n\'+1,0.00\r\n\'-x,2.00\r\n');
});

/** The text of a pdfkit PDF: its (deflated) content streams' TJ strings, one line per text run. */
function pdfText(pdf: Buffer): string {
  const out: string[] = [];
  const raw = pdf.toString('latin1');
  const streams = /stream\r?\n([\s\S]*?)\r?\nendstream/g;
  for (let m = streams.exec(raw); m; m = streams.exec(raw)) {
    const bytes = Buffer.from(m[1], 'latin1');
    let content: string;
    try { content = inflateSync(bytes).toString('latin1'); } catch { content = m[1]; }
    for (const tj of content.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      out.push([...tj[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => Buffer.from(h[1], 'hex').toString('latin1')).join(''));
    }
  }
  return out.join('\n');
}

test('investor pack: the project\'s figures from the dashboard, its visible milestones, risks and updates; nothing of what the investor cannot see', async () => {
  const projects = (await gqlOk('{ projects(first: 10) { edges { node { id code name } } } }', {}, 'admin')).projects.edges.map((e: any) => e.node);
  const atlas = projects.find((p: any) => p.code === 'PRJ-2025-01');
  const cirrus = projects.find((p: any) => p.code === 'PRJ-2026-01');
  const figures = (await gqlOk(`query($id: ID!) { node(id: $id) { ... on Project { name currency
    financials { budget actualToDate estimateAtCompletion varianceAtCompletion }
    earnedValue { plannedValue earnedValue costPerformanceIndex schedulePerformanceIndex }
    riskSummary(top: 5) { topRisks { risk { title } } }
    risks(first: 100) { edges { node { title } } } } } }`, { id: atlas.id }, 'aurora')).node;
  const { file, job } = await exported('aurora', { kind: 'INVESTOR_PACK', format: 'PDF', projectId: atlas.id });
  expect(job.contentType).toBe('application/pdf');
  expect(file.body.subarray(0, 5).toString()).toBe('%PDF-');
  const text = pdfText(file.body);
  expect(text).toContain('Atlas');
  expect(text).toContain('PRJ-2025-01');
  const f = figures.financials;
  const ev = figures.earnedValue;
  for (const value of [f.budget, f.actualToDate, f.estimateAtCompletion, f.varianceAtCompletion, ev.plannedValue, ev.earnedValue]) {
    expect(value).not.toBeNull();
    expect(text).toContain(`${value} EUR`);
  }
  for (const ratio of [ev.costPerformanceIndex, ev.schedulePerformanceIndex]) if (ratio !== null) expect(text).toContain(ratio);
  for (const t of figures.riskSummary.topRisks) expect(text).toContain(t.risk.title);
  // Atlas risks the investor does not see (operator-only ones) are not in its pack.
  const visible = new Set(figures.risks.edges.map((e: any) => e.node.title));
  const all = (await gqlOk('query($id: ID!) { node(id: $id) { ... on Project { risks(first: 100) { edges { node { title } } } } } }', { id: atlas.id }, 'admin')).node.risks.edges.map((e: any) => e.node.title);
  const hidden = all.filter((t: string) => !visible.has(t));
  expect(hidden.length).toBeGreaterThan(0);
  for (const t of hidden) expect(text).not.toContain(t);
  expect(text).not.toContain('Cirrus');
  expect(text).not.toContain('PRJ-2026-01');

  // A project the investor cannot see: NOT_FOUND; partners read no financial figures: FORBIDDEN.
  expect((await request('aurora', { kind: 'INVESTOR_PACK', format: 'PDF', projectId: cirrus.id })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  expect((await request('cobalt', { kind: 'INVESTOR_PACK', format: 'PDF', projectId: atlas.id })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
});

test('a job belongs to its requester only: another user (even ADMIN) gets not found, by node(id) and by download', async () => {
  const atlas = (await gqlOk('{ projects(first: 10) { edges { node { id code } } } }', {}, 'aurora')).projects.edges.map((e: any) => e.node).find((p: any) => p.code === 'PRJ-2025-01');
  const { job } = await exported('aurora', { kind: 'RISKS', format: 'CSV', projectId: atlas.id });
  for (const other of ['beacon', 'admin', 'pm', 'cobalt'] as DemoUser[]) {
    expect((await gqlOk('query($id: ID!) { node(id: $id) { id } }', { id: job.id }, other)).node).toBeNull();
    const res = await download(job.downloadUrl, other);
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body.toString()).errors[0].extensions.code).toBe('NOT_FOUND');
  }
  // The same answer as a random id; no token: 401.
  const random = await download(`/exports/${Buffer.from('ExportJob:00000000-0000-7000-8000-000000000000').toString('base64')}`, 'aurora');
  expect(random.status).toBe(404);
  expect((await download(job.downloadUrl, null)).status).toBe(401);
});

test('input checks: formats per kind, required ids, statuses; audit events for operators only', async () => {
  const check = async (input: Record<string, unknown>) => (await request('admin', input)).data.requestExport.userErrors;
  expect(await check({ kind: 'DELIVERABLES', format: 'PDF' })).toEqual([{ code: 'VALIDATION', field: ['input', 'format'], message: expect.stringContaining('CSV or XLSX') }]);
  expect(await check({ kind: 'INVESTOR_PACK', format: 'PDF' })).toEqual([{ code: 'VALIDATION', field: ['input', 'projectId'], message: expect.any(String) }]);
  expect(await check({ kind: 'REPORT_LINES', format: 'CSV' })).toEqual([{ code: 'VALIDATION', field: ['input', 'reportId'], message: expect.any(String) }]);
  expect(await check({ kind: 'RISKS', format: 'CSV', filter: { status: 'NOPE' } })).toEqual([{ code: 'VALIDATION', field: ['input', 'filter', 'status'], message: expect.stringContaining('OPEN') }]);
  expect((await request('aurora', { kind: 'AUDIT_EVENTS', format: 'CSV' })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
});

test('every export and every download is in the audit trail; the operator exports the trail itself', async () => {
  const atlas = (await gqlOk('{ projects(first: 10) { edges { node { id code } } } }', {}, 'aurora')).projects.edges.map((e: any) => e.node).find((p: any) => p.code === 'PRJ-2025-01');
  const { job } = await exported('aurora', { kind: 'MILESTONES', format: 'CSV', projectId: atlas.id });
  const events = async (user: DemoUser, action: string) => (await gqlOk(`query($f: AuditEventFilter) { auditEvents(first: 100, filter: $f) { edges { node { action entityId actor { email } project { code } changes } } } }`,
    { f: { action } }, user)).auditEvents.edges.map((e: any) => e.node).filter((e: any) => e.entityId === job.id);
  const [requested] = await events('admin', 'exportJob.request');
  expect(requested).toMatchObject({ actor: { email: USERS.aurora }, project: { code: 'PRJ-2025-01' } });
  expect(requested.changes.kind).toEqual({ before: null, after: 'MILESTONES' });
  expect(await events('admin', 'exportJob.download')).toEqual([expect.objectContaining({ actor: { email: USERS.aurora } })]);
  // The manager of Atlas sees who exported its figures.
  expect(await events('pm', 'exportJob.request')).toHaveLength(1);

  const trail = await exported('admin', { kind: 'AUDIT_EVENTS', format: 'CSV', filter: { status: 'exportJob.request' } });
  const rows = records(trail.file.body);
  expect(rows.length).toBeGreaterThan(2);
  expect(new Set(rows.map((r) => r.Action))).toEqual(new Set(['exportJob.request']));
  expect(rows.some((r) => r['Entity id'] === job.id && r.Actor === USERS.aurora)).toBe(true);

  // The audit page's other filters: one actor, one type.
  const auroraId = (await gqlOk('{ viewer { user { id } } }', {}, 'aurora')).viewer.user.id;
  const mine = records((await exported('admin', { kind: 'AUDIT_EVENTS', format: 'CSV', filter: { actorId: auroraId, entityType: 'ExportJob' } })).file.body);
  expect(mine.length).toBeGreaterThan(0);
  for (const r of mine) expect([r.Actor, r['Entity type']]).toEqual([USERS.aurora, 'ExportJob']);
  expect((await request('admin', { kind: 'RISKS', format: 'CSV', filter: { actorId: auroraId } })).data.requestExport.userErrors[0].field).toEqual(['input', 'filter', 'actorId']);
});

test('a partner\'s formula-like text leaves as text: neutralised in CSV and XLSX, for every reader of the row', async () => {
  const contracts = await gqlOk('{ projects(first: 5) { edges { node { id code contracts(first: 10) { edges { node { id reference } } } } } } }', {}, 'cobalt');
  const atlas = contracts.projects.edges[0].node;
  const title = '=HYPERLINK("http://evil.example","open me")';
  const raised = await gqlOk(`mutation($input: RaiseRiskInput!) { raiseRisk(input: $input) { risk { id title } userErrors { message } } }`, {
    input: { contractId: atlas.contracts.edges[0].node.id, title, category: 'VENDOR', likelihood: 2, impact: 2, description: '@SUM(1,2)' },
  }, 'cobalt');
  expect(raised.raiseRisk.risk.title).toBe(title);
  const id = raised.raiseRisk.risk.id;
  for (const user of ['cobalt', 'admin'] as DemoUser[]) {
    const csv = records((await exported(user, { kind: 'RISKS', format: 'CSV', projectId: atlas.id })).file.body);
    expect(csv.find((r) => r.Id === id)?.Title).toBe(`'${title}`);
    const { file } = await exported(user, { kind: 'RISKS', format: 'XLSX', projectId: atlas.id });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.body as any);
    const sheet = book.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    let found = false;
    sheet.eachRow((row) => {
      if (row.getCell(header.indexOf('Id') + 1).value !== id) return;
      found = true;
      const cell = row.getCell(header.indexOf('Title') + 1);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.value).toBe(`'${title}`);
    });
    expect(found).toBe(true);
  }
});

/**
 * availableActions and overdue on deliverables, contracts, financial reports
 * and risks: exactly what each demo role may do next on objects in several
 * states, what it must not be offered, that an object the viewer cannot see
 * stays invisible, and that both fields cost no SQL statement.
 */
import { addDays, today } from '../../src/core/dates';
import { startTestApp, USERS, type TestApp } from '../support/app';
import { uuidOf, WriteKit } from '../write/support';

let app: TestApp;
let kit: WriteKit;
let cobaltViewer: string;

type Role = 'admin' | 'pm' | 'aurora' | 'cobalt' | 'delta' | 'cobaltViewer';
const ROLES: Role[] = ['admin', 'pm', 'aurora', 'cobalt', 'delta', 'cobaltViewer'];
/** Per role: the actions offered, or null when the object is invisible to that role. */
type Expected = Record<Role, string[] | null>;

const email = (role: Role) => (role === 'cobaltViewer' ? cobaltViewer : USERS[role]);

// Aliased per type: the same field name with different enum types cannot share a selection.
const NODE = `query($id: ID!) { node(id: $id) {
  ... on Deliverable { dStatus: status dActions: availableActions overdue }
  ... on Contract { cStatus: status cActions: availableActions overdue }
  ... on FinancialReport { rStatus: status rActions: availableActions }
  ... on Risk { kStatus: status kActions: availableActions }
} }`;

interface Seen { status: string; availableActions: string[]; overdue?: boolean }

async function node(role: Role, id: string): Promise<Seen | null> {
  const res = await app.gql(NODE, { id }, await kit.token(email(role)));
  expect(res.errors).toBeUndefined();
  const n = res.data.node;
  if (!n) return null;
  const prefix = ['d', 'c', 'r', 'k'].find((p) => `${p}Status` in n)!;
  return { status: n[`${prefix}Status`], availableActions: n[`${prefix}Actions`], ...('overdue' in n ? { overdue: n.overdue } : {}) };
}

async function actionsByRole(id: string): Promise<Expected> {
  const out = {} as Expected;
  for (const role of ROLES) out[role] = (await node(role, id))?.availableActions ?? null;
  return out;
}

/** The same expectation for every role that sees the object. */
function table(rows: Partial<Record<Role, string[]>>): Expected {
  return Object.fromEntries(ROLES.map((r) => [r, rows[r] ?? null])) as Expected;
}

const reportId = (project: string, status: string, revision = 1) => kit.idOf(
  'financial_report', 'FinancialReport',
  'project_id = (select id from project where name = ?) and status = ? and revision = ? order by period_start desc limit 1',
  [project, status, revision],
);

beforeAll(async () => {
  app = await startTestApp();
  kit = new WriteKit(app);
  cobaltViewer = (await kit.newUser('Cobalt Cloud', 'VIEWER')).email;
}, 120_000);

afterAll(async () => {
  await app?.close();
});

// First, before the tests below add deliverables that would come due sooner.
it('objects reached through a summary carry them too', async () => {
  const res = await app.gql(
    `{ viewer { partnerSummary { deliverableStats { nextDue { title status availableActions overdue } } } } }`, {}, await kit.token('cobalt'),
  );
  expect(res.errors).toBeUndefined();
  expect(res.data.viewer.partnerSummary.deliverableStats.nextDue).toEqual({
    title: 'Payments API adapter', status: 'IN_PROGRESS', availableActions: ['SUBMIT'], overdue: false,
  });
});

describe('Deliverable.availableActions', () => {
  const OPERATOR_ON_SUBMITTED = ['ACCEPT', 'REJECT', 'UPDATE'];

  it.each([
    // Cobalt's ACTIVE Atlas contract (ATL-C-001): the vendor starts and submits, the operator decides and edits.
    ['Migration scripts', 'SUBMITTED', table({ admin: OPERATOR_ON_SUBMITTED, pm: OPERATOR_ON_SUBMITTED, cobalt: [], cobaltViewer: [] })],
    ['Reconciliation report', 'REJECTED', table({ admin: ['UPDATE'], pm: ['UPDATE'], cobalt: ['START', 'SUBMIT'], cobaltViewer: [] })],
    ['Payments API adapter', 'IN_PROGRESS', table({ admin: ['UPDATE'], pm: ['UPDATE'], cobalt: ['SUBMIT'], cobaltViewer: [] })],
    ['UAT test plan', 'PLANNED', table({ admin: ['UPDATE'], pm: ['UPDATE'], cobalt: ['START'], cobaltViewer: [] })],
    ['MVP release 1.0', 'ACCEPTED', table({ admin: [], pm: [], cobalt: [], cobaltViewer: [] })],
    // Delta's DRAFT Atlas contract: invisible to Delta until it is activated.
    ['Load test scenarios', 'PLANNED', table({ admin: ['UPDATE'], pm: ['UPDATE'] })],
    // Delta's ACTIVE Borealis contract.
    ['Warehouse regression pack', 'REJECTED', table({ admin: ['UPDATE'], pm: ['UPDATE'], delta: ['START', 'SUBMIT'] })],
    ['Consent flow test report', 'SUBMITTED', table({ admin: OPERATOR_ON_SUBMITTED, pm: OPERATOR_ON_SUBMITTED, delta: [] })],
    ['Dashboard accessibility audit', 'IN_PROGRESS', table({ admin: ['UPDATE'], pm: ['UPDATE'], delta: ['SUBMIT'] })],
    // Cirrus: pm manages neither it nor sees it; Cobalt's contract there is a DRAFT.
    ['Archive scanner', 'PLANNED', table({ admin: ['UPDATE'] })],
  ])('%s (%s)', async (title, status, expected) => {
    const id = await kit.deliverable(title);
    expect((await node('admin', id))?.status).toBe(status);
    expect(await actionsByRole(id)).toEqual(expected);
  });

  it('a partner is offered nothing while the contract is SUSPENDED; the operator may still edit', async () => {
    const contractId = await kit.newContract('atlas', 'DRAFT', 'Cobalt Cloud');
    const [{ reference }] = await kit.sql<{ reference: string }>('select reference from contract where id = ?', [uuidOf(contractId)]);
    const planned = await kit.newDeliverable(reference, 'PLANNED');
    const rejected = await kit.newDeliverable(reference, 'REJECTED');
    await kit.setStatus('contract', contractId, 'ACTIVE');
    expect((await actionsByRole(rejected)).cobalt).toEqual(['START', 'SUBMIT']);
    await kit.setStatus('contract', contractId, 'SUSPENDED');
    expect(await actionsByRole(planned)).toEqual(table({ admin: ['UPDATE'], pm: ['UPDATE'], cobalt: [], cobaltViewer: [] }));
    expect(await actionsByRole(rejected)).toEqual(table({ admin: ['UPDATE'], pm: ['UPDATE'], cobalt: [], cobaltViewer: [] }));
    // Not offered, and indeed refused.
    const refused = await kit.run('cobalt', 'startDeliverable', { id: planned, version: await kit.version('deliverable', planned) });
    expect(refused.userErrors.map((e) => e.code)).toEqual(['INVALID_TRANSITION']);
  });

  it('no partner is ever offered the operator\'s moves, and no investor anything', async () => {
    const LIST = `{ projects(first: 5) { nodes { name contracts(first: 10) { nodes { deliverables(first: 20) { nodes { title availableActions } } } } } } }`;
    const offered = async (role: Role) => {
      const res = await app.gql(LIST, {}, await kit.token(email(role)));
      expect(res.errors).toBeUndefined();
      return res.data.projects.nodes.flatMap((p: any) => p.contracts.nodes.flatMap((c: any) => c.deliverables.nodes.flatMap((d: any) => d.availableActions)));
    };
    for (const role of ['cobalt', 'delta'] as Role[]) {
      const all = await offered(role);
      expect(all.length).toBeGreaterThan(0);
      expect([...new Set(all)].sort()).toEqual(['START', 'SUBMIT']);
    }
    expect(await offered('cobaltViewer')).toEqual([]);
    expect(await offered('aurora')).toEqual([]); // investors see no contracts at all
    expect([...new Set(await offered('pm'))].sort()).toEqual(['ACCEPT', 'REJECT', 'UPDATE']);
  });

  it('the payload of a move carries the next moves', async () => {
    const id = await kit.newDeliverable('ATL-C-001', 'PLANNED');
    const res = await app.gql(
      `mutation($input: StartDeliverableInput!) { startDeliverable(input: $input) { deliverable { status availableActions } userErrors { code } } }`,
      { input: { id, version: await kit.version('deliverable', id) } },
      await kit.token('cobalt'),
    );
    expect(res.data.startDeliverable).toEqual({ deliverable: { status: 'IN_PROGRESS', availableActions: ['SUBMIT'] }, userErrors: [] });
  });
});

describe('Deliverable.overdue', () => {
  it.each([
    ['Reconciliation report', true], // REJECTED, due last month: still owed
    ['Warehouse regression pack', true],
    ['Migration scripts', false], // SUBMITTED last month: waiting for review is not overdue
    ['MVP release 1.0', false], // ACCEPTED
    ['Payments API adapter', false], // due in two months
    ['UAT test plan', false],
  ])('%s: %s', async (title, overdue) => {
    expect((await node('admin', await kit.deliverable(title)))?.overdue).toBe(overdue);
  });

  it('is strictly before today (UTC), for every owed status, and the same for every role that sees it', async () => {
    const contract = await kit.ok('admin', 'createContract', {
      projectId: await kit.project('atlas'), counterpartyId: await kit.org('Cobalt Cloud'), reference: `OD-${kit.next()}`, title: 'Overdue checks',
      kind: 'FIXED_PRICE', value: '10.00', startDate: addDays(today(), -60), endDate: addDays(today(), 60),
    });
    await kit.setStatus('contract', contract.id, 'ACTIVE');
    const make = async (dueDate: string, status: string) => {
      const d = await kit.ok('admin', 'createDeliverable', { contractId: contract.id, title: `Due ${dueDate} ${status}`, dueDate });
      if (status !== 'PLANNED') await kit.setStatus('deliverable', d.id, status);
      return d.id as string;
    };
    const yesterday = addDays(today(), -1);
    const cases: [string, string, boolean][] = [
      [yesterday, 'PLANNED', true], [yesterday, 'IN_PROGRESS', true], [yesterday, 'REJECTED', true],
      [yesterday, 'SUBMITTED', false], [yesterday, 'ACCEPTED', false],
      [today(), 'PLANNED', false], [today(), 'IN_PROGRESS', false],
    ];
    for (const [due, status, overdue] of cases) {
      const id = await make(due, status);
      for (const role of ['admin', 'pm', 'cobalt', 'cobaltViewer'] as Role[]) {
        expect([due, status, role, (await node(role, id))?.overdue]).toEqual([due, status, role, overdue]);
      }
    }
  });
});

describe('Contract.availableActions and overdue', () => {
  const MANAGE_ACTIVE = ['SUSPEND', 'COMPLETE', 'TERMINATE'];

  it.each([
    ['ATL-C-001', 'ACTIVE', table({ admin: MANAGE_ACTIVE, pm: MANAGE_ACTIVE, cobalt: [], cobaltViewer: [] })],
    ['ATL-C-002', 'DRAFT', table({ admin: ['ACTIVATE', 'UPDATE'], pm: ['ACTIVATE', 'UPDATE'] })], // a DRAFT is invisible to its partner
    ['BOR-C-001', 'ACTIVE', table({ admin: MANAGE_ACTIVE, pm: MANAGE_ACTIVE, delta: [] })],
    ['CIR-C-001', 'DRAFT', table({ admin: ['ACTIVATE', 'UPDATE'] })], // pm does not manage Cirrus
  ])('%s (%s)', async (reference, status, expected) => {
    const id = await kit.contract(reference);
    expect((await node('admin', id))?.status).toBe(status);
    expect(await actionsByRole(id)).toEqual(expected);
    expect((await node('admin', id))?.overdue).toBe(false); // the demo contracts end with their projects
  });

  it.each([
    ['SUSPENDED', ['RESUME', 'TERMINATE']],
    ['COMPLETED', []],
    ['TERMINATED', []],
  ])('a %s contract', async (status, operator) => {
    const id = await kit.newContract('atlas', status, 'Cobalt Cloud');
    expect(await actionsByRole(id)).toEqual(table({ admin: operator, pm: operator, cobalt: [], cobaltViewer: [] }));
  });

  it('is overdue once its end date is before today and it is neither COMPLETED nor TERMINATED', async () => {
    const make = async (endDate: string, status: string) => {
      const c = await kit.ok('admin', 'createContract', {
        projectId: await kit.project('borealis'), counterpartyId: await kit.org('Delta QA'), reference: `END-${kit.next()}`, title: 'End date checks',
        kind: 'TIME_AND_MATERIALS', value: '10.00', startDate: addDays(today(), -90), endDate,
      });
      if (status !== 'DRAFT') await kit.setStatus('contract', c.id, status);
      return c.id as string;
    };
    const yesterday = addDays(today(), -1);
    const cases: [string, string, boolean, Role[]][] = [
      [yesterday, 'DRAFT', true, ['admin', 'pm']],
      [yesterday, 'ACTIVE', true, ['admin', 'pm', 'delta']],
      [yesterday, 'SUSPENDED', true, ['admin', 'pm', 'delta']],
      [yesterday, 'COMPLETED', false, ['admin', 'pm', 'delta']],
      [yesterday, 'TERMINATED', false, ['admin', 'pm', 'delta']],
      [today(), 'ACTIVE', false, ['admin', 'pm', 'delta']],
    ];
    for (const [end, status, overdue, roles] of cases) {
      const id = await make(end, status);
      for (const role of roles) expect([end, status, role, (await node(role, id))?.overdue]).toEqual([end, status, role, overdue]);
      expect(await node('aurora', id)).toBeNull();
    }
  });
});

describe('FinancialReport.availableActions', () => {
  it('per status and role', async () => {
    const draft = await reportId('Atlas', 'DRAFT');
    const published = await reportId('Atlas', 'PUBLISHED');
    const superseded = await reportId('Atlas', 'SUPERSEDED');
    const borealisDraft = await reportId('Borealis', 'DRAFT');
    const cirrusDraft = await kit.newReport('cirrus', 'DRAFT');
    const DRAFT = ['UPDATE', 'DELETE', 'PUBLISH'];
    // Investors read published and superseded reports, never drafts; partners read no report.
    expect(await actionsByRole(draft)).toEqual(table({ admin: DRAFT, pm: DRAFT }));
    expect(await actionsByRole(borealisDraft)).toEqual(table({ admin: DRAFT, pm: DRAFT }));
    expect(await actionsByRole(published)).toEqual(table({ admin: ['RESTATE'], pm: ['RESTATE'], aurora: [] }));
    expect(await actionsByRole(superseded)).toEqual(table({ admin: [], pm: [], aurora: [] }));
    expect(await actionsByRole(cirrusDraft)).toEqual(table({ admin: DRAFT }));
  });
});

describe('Risk.availableActions', () => {
  const OPEN = ['MITIGATE', 'REALIZE', 'REASSESS', 'UPDATE', 'ASSIGN_OWNER'];
  const MITIGATING = ['CLOSE', 'REALIZE', 'REASSESS', 'UPDATE', 'ASSIGN_OWNER'];

  it.each([
    ['Key architect may leave', 'OPEN', table({ admin: OPEN, pm: OPEN })], // INTERNAL
    ['Payments API sandbox unstable', 'MITIGATING', table({ admin: MITIGATING, pm: MITIGATING, cobalt: [], cobaltViewer: [] })], // CONTRACT, Cobalt's
    ['Budget pressure from FX rates', 'OPEN', table({ admin: OPEN, pm: OPEN, aurora: [] })], // INVESTORS
    ['Regulatory approval of the go-live', 'OPEN', table({ admin: OPEN, pm: OPEN, aurora: [], cobalt: [], cobaltViewer: [] })], // STAKEHOLDERS
    ['Legacy data quality', 'CLOSED', table({ admin: [], pm: [], aurora: [], cobalt: [], cobaltViewer: [] })], // final
    ['Test environment shortages', 'OPEN', table({ admin: OPEN, pm: OPEN, delta: [] })], // CONTRACT, Delta's
    ['Storage costs', 'OPEN', table({ admin: OPEN })], // Cirrus, STAKEHOLDERS: Cobalt's contract there is a DRAFT
  ])('%s (%s)', async (title, status, expected) => {
    const id = await kit.risk(title);
    expect((await node('admin', id))?.status).toBe(status);
    expect(await actionsByRole(id)).toEqual(expected);
  });

  it('a REALIZED risk offers nothing', async () => {
    const id = await kit.newRisk('atlas', 'REALIZED');
    expect(await actionsByRole(id)).toEqual(table({ admin: [], pm: [] }));
  });
});

describe('QaThread.availableActions', () => {
  const THREAD = `query($id: ID!) { node(id: $id) { ... on QaThread { status private availableActions } } }`;
  const PEOPLE = ['admin', 'pm', 'aurora', 'beacon', 'cobalt', 'delta'] as const;
  const byPerson = async (id: string) => {
    const out: Record<string, unknown> = {};
    for (const who of PEOPLE) {
      const res = await app.gql(THREAD, { id }, await kit.token(USERS[who]));
      expect(res.errors).toBeUndefined();
      out[who] = res.data.node ? `${res.data.node.status}${res.data.node.private ? ' private' : ''}: ${res.data.node.availableActions.join(' ')}` : null;
    }
    return out;
  };
  const version = async (id: string) => (await kit.sql<{ version: number }>('select version from qa_thread where id = ?', [uuidOf(id)]))[0].version;

  it('follows the thread from a private question to its close, for each demo user; what is not offered is refused', async () => {
    const report = await reportId('Borealis', 'PUBLISHED');
    const thread = await kit.ok('aurora', 'askQuestion', { subjectId: report, private: true, title: 'FX hedge', body: 'Is the FX exposure hedged?' });
    expect(await byPerson(thread.id)).toEqual({
      admin: 'OPEN private: ANSWER CLOSE', pm: 'OPEN private: ANSWER CLOSE', aurora: 'OPEN private: FOLLOW_UP', beacon: null, cobalt: null, delta: null,
    });
    await kit.ok('pm', 'postMessage', { threadId: thread.id, body: 'Yes, 80 % through forwards.' });
    expect(await byPerson(thread.id)).toEqual({
      admin: 'ANSWERED private: ANSWER CLOSE PUBLISH', pm: 'ANSWERED private: ANSWER CLOSE PUBLISH', aurora: 'ANSWERED private: FOLLOW_UP', beacon: null, cobalt: null, delta: null,
    });
    await kit.ok('pm', 'publishThread', { id: thread.id, version: await version(thread.id) });
    // Beacon, Borealis's other investor, now reads the thread but may not write in Aurora's.
    expect(await byPerson(thread.id)).toEqual({
      admin: 'ANSWERED: ANSWER CLOSE', pm: 'ANSWERED: ANSWER CLOSE', aurora: 'ANSWERED: FOLLOW_UP', beacon: 'ANSWERED: ', cobalt: null, delta: null,
    });
    const refused = await kit.run('beacon', 'postMessage', { threadId: thread.id, body: 'And ours?' });
    expect([refused.code, refused.userErrors]).toEqual(['FORBIDDEN', []]);
    await kit.ok('admin', 'closeThread', { id: thread.id, version: await version(thread.id) });
    expect(await byPerson(thread.id)).toEqual({
      admin: 'CLOSED: ', pm: 'CLOSED: ', aurora: 'CLOSED: ', beacon: 'CLOSED: ', cobalt: null, delta: null,
    });
  });
});

describe('cost', () => {
  const LIST = (extra: string) => `{
    projects(first: 5) { nodes {
      contracts(first: 10) { nodes { status ${extra} deliverables(first: 20) { nodes { status ${extra} } } } }
      financialReports(first: 20) { nodes { status ${extra.replace('overdue', '')} } }
      risks(first: 20) { nodes { status ${extra.replace('overdue', '')} } }
    } }
  }`;

  it.each(['admin', 'pm', 'aurora', 'cobalt', 'delta'] as Role[])('availableActions and overdue add no statement (%s)', async (role) => {
    const token = await kit.token(email(role));
    app.sql.reset();
    const plain = await app.gql(LIST(''), {}, token);
    const plainCount = app.sql.count;
    app.sql.reset();
    const withActions = await app.gql(LIST('availableActions overdue'), {}, token);
    const actionsCount = app.sql.count;
    expect(plain.errors).toBeUndefined();
    expect(withActions.errors).toBeUndefined();
    expect(plainCount).toBeGreaterThan(0);
    expect(actionsCount).toBe(plainCount);
    // The same rows either way, and rows there are.
    const rows = (data: any) => JSON.stringify(data).match(/"status"/g)?.length ?? 0;
    expect(rows(withActions.data)).toBe(rows(plain.data));
    expect(rows(plain.data)).toBeGreaterThan(5);
  });
});

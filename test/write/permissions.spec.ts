/**
 * The permission matrix: every mutation × every demo user (plus a partner
 * VIEWER) → allowed, FORBIDDEN or NOT_FOUND, per docs/visibility.md (who
 * writes) and docs/visibility.md (an invisible target is NOT_FOUND, never FORBIDDEN):
 *
 * - ADMIN writes everything; MANAGER (pm: Atlas, Borealis) within managed
 *   projects, and Cirrus objects do not exist for them;
 * - investors and viewers never change the projects' objects (FORBIDDEN, whatever the id);
 * - partner MEMBERs only start/submit deliverables and raise risks on their
 *   own organization's non-draft contracts; other contracts are invisible;
 * - project updates are edited by their author only;
 * - investors and partners (any role) ask questions about what they see and
 *   follow up in their organization's threads; investors open and
 *   acknowledge reports.
 *
 * Each cell gets a fresh target; a refused cell must leave every table as it was.
 */
import { addDays } from '../../src/core/dates';
import { startTestApp, type TestApp } from '../support/app';
import { WriteKit, type MutationName, type ProjectKey } from './support';

let app: TestApp;
let kit: WriteKit;
let viewerEmail: string;
const VENDOR = 'Matrix Vendor';

beforeAll(async () => {
  app = await startTestApp();
  kit = new WriteKit(app);
  // Fresh contracts go to an organization without users, so no demo user's scope changes during the matrix.
  await kit.ok('admin', 'createOrganization', { name: VENDOR, kind: 'VENDOR' });
  viewerEmail = (await kit.newUser('Cobalt Cloud', 'VIEWER')).email;
});
afterAll(async () => {
  await app?.close();
});

type Outcome = 'ok' | 'FORBIDDEN' | 'NOT_FOUND';
const COLUMNS = ['admin', 'pm', 'aurora', 'beacon', 'cobalt', 'delta', 'cobaltViewer'] as const;
type Column = (typeof COLUMNS)[number];

/** A row of the matrix: one outcome per column, in COLUMNS order ("ok", "F" or "NF"). */
function row(spec: string): Record<Column, Outcome> {
  const cells = spec.trim().split(/\s+/);
  if (cells.length !== COLUMNS.length) throw new Error(`row needs ${COLUMNS.length} cells: ${spec}`);
  const map: Record<string, Outcome> = { ok: 'ok', F: 'FORBIDDEN', NF: 'NOT_FOUND' };
  return Object.fromEntries(COLUMNS.map((c, i) => [c, map[cells[i]]])) as Record<Column, Outcome>;
}

//                                admin pm  aurora beacon cobalt delta cobaltViewer
const ADMIN_ONLY = row('          ok    F   F      F      F      F     F');
const MANAGED = row('             ok    ok  F      F      F      F     F');
const UNMANAGED = row('           ok    NF  F      F      F      F     F');
const COBALT_CONTRACT = row('     F     F   F      F      ok     NF    F');
const DELTA_CONTRACT = row('      F     F   F      F      NF     ok    F');
const DRAFT_CONTRACT = row('      F     F   F      F      NF     NF    F');
const AUTHOR_PM = row('           F     ok  F      F      F      F     F');
const AUTHOR_ADMIN = row('        ok    NF  F      F      F      F     F');
// Q&A: investors and partners ask about what they see; the asking organization and the project's operator staff write.
const ASK_ATLAS_STAKEHOLDERS = row('F  F   ok     NF     ok     NF    ok');
const ASK_BOREALIS_REPORT = row('  F     F   ok     ok     NF     NF    NF');
const POST_ATLAS_AURORA = row('    ok    ok  ok     NF     NF     NF    NF');
const POST_BOREALIS_BEACON = row('ok    ok  F      ok     NF     F     NF');
const POST_CIRRUS_BEACON = row('  ok    NF  NF     ok     NF     NF    NF');
const READ_ATLAS_REPORT = row('   F     F   ok     NF     F      F     F');
const READ_BOREALIS_REPORT = row('F     F   ok     ok     F      F     F');

const OPERATOR: Partial<Record<ProjectKey, Record<Column, Outcome>>> = { atlas: MANAGED, cirrus: UNMANAGED };
const PARTNER: Partial<Record<ProjectKey, Record<Column, Outcome>>> = { atlas: COBALT_CONTRACT, borealis: DELTA_CONTRACT, cirrus: DRAFT_CONTRACT };
const PARTNER_CONTRACT: Record<ProjectKey, string> = { atlas: 'ATL-C-001', borealis: 'BOR-C-001', cirrus: 'CIR-C-001' };
const INVESTOR_ORG: Record<ProjectKey, string> = { atlas: 'Aurora Capital', borealis: 'Aurora Capital', cirrus: 'Beacon Ventures' };

type Setup = (p: ProjectKey) => Promise<Record<string, unknown>>;

const target = async (table: string, id: string) => ({ id, version: await kit.version(table, id) });

/** Global id of a demo row found by one column. */
const demo = async (type: string, sql: string, params: unknown[]) => {
  const [r] = await kit.sql<{ id: string }>(sql, params);
  return Buffer.from(`${type}:${r.id}`).toString('base64url');
};
const riskId = (title: string) => demo('Risk', 'select id from risk where title = ?', [title]);
const publishedReport = (project: string) => demo('FinancialReport',
  `select r.id from financial_report r join project p on p.id = r.project_id where p.name = ? and r.status = 'PUBLISHED' order by r.period_start desc limit 1`, [project]);
/** A fresh thread asked by `who` on a risk; `answered`: with an answer by `staff`. */
async function thread(who: string, risk: string, priv: boolean, staff?: string) {
  const t = await kit.ok(who, 'askQuestion', { subjectId: await riskId(risk), title: 'Matrix question', body: 'Why?', private: priv });
  if (staff) await kit.ok(staff, 'postMessage', { threadId: t.id, body: 'Because.' });
  return target('qa_thread', t.id);
}

const SETUPS: Record<MutationName, [Setup, Partial<Record<ProjectKey, Record<Column, Outcome>>>]> = {
  createProject: [async () => ({ code: `PM-${kit.next()}`, name: 'Matrix', currency: 'EUR', budget: '10.00', startDate: '2030-01-01', targetEndDate: '2030-06-30' }), { atlas: ADMIN_ONLY }],
  updateProject: [async (p) => ({ ...(await target('project', await kit.project(p))), description: `Edited ${kit.next()}` }), OPERATOR],
  changeProjectStatus: [async (p) => {
    const id = await kit.project(p);
    const next: Record<string, string> = { PLANNED: 'ACTIVE', ACTIVE: 'ON_HOLD', ON_HOLD: 'ACTIVE' };
    return { ...(await target('project', id)), status: next[await kit.status('project', id)] };
  }, OPERATOR],
  assignProjectManagers: [async (p) => {
    const id = await kit.project(p);
    const managers = await kit.sql<{ user_id: string }>('select user_id from project_manager where project_id = ?', [Buffer.from(id, 'base64url').toString().split(':')[1]]);
    return { ...(await target('project', id)), managerIds: managers.map((m) => Buffer.from(`User:${m.user_id}`).toString('base64url')) };
  }, { atlas: ADMIN_ONLY, cirrus: ADMIN_ONLY }],
  recordInvestment: [async (p) => ({
    projectId: await kit.project(p), organizationId: await kit.org(INVESTOR_ORG[p]), committedAmount: '1000.00', committedOn: '2030-01-01',
  }), { atlas: ADMIN_ONLY, cirrus: ADMIN_ONLY }],
  updateInvestment: [async (p) => ({ ...(await target('investment', await kit.investment(p, INVESTOR_ORG[p]))), committedAmount: `${400000 + kit.next()}.00` }), { atlas: ADMIN_ONLY, cirrus: ADMIN_ONLY }],

  createMilestone: [async (p) => ({ projectId: await kit.project(p), title: 'Matrix milestone', dueDate: addDays(kit.dates(p).start, 5) }), OPERATOR],
  updateMilestone: [async (p) => ({ ...(await target('milestone', await kit.newMilestone(p))), title: 'Renamed' }), OPERATOR],
  setMilestoneProgress: [async (p) => ({ ...(await target('milestone', await kit.newMilestone(p))), progress: 10 }), OPERATOR],
  changeMilestoneStatus: [async (p) => ({ ...(await target('milestone', await kit.newMilestone(p))), status: 'IN_PROGRESS' }), OPERATOR],
  cancelMilestone: [async (p) => target('milestone', await kit.newMilestone(p)), OPERATOR],

  createContract: [async (p) => ({
    projectId: await kit.project(p), counterpartyId: await kit.org(VENDOR), reference: `M-${kit.next()}`, title: 'Matrix', kind: 'TIME_AND_MATERIALS',
    value: '5.00', startDate: kit.dates(p).start, endDate: kit.dates(p).end,
  }), OPERATOR],
  updateContract: [async (p) => ({ ...(await target('contract', await kit.newContract(p, 'DRAFT', VENDOR))), title: 'Renamed' }), OPERATOR],
  activateContract: [async (p) => target('contract', await kit.newContract(p, 'DRAFT', VENDOR)), OPERATOR],
  suspendContract: [async (p) => target('contract', await kit.newContract(p, 'ACTIVE', VENDOR)), OPERATOR],
  resumeContract: [async (p) => target('contract', await kit.newContract(p, 'SUSPENDED', VENDOR)), OPERATOR],
  completeContract: [async (p) => target('contract', await kit.newContract(p, 'ACTIVE', VENDOR)), OPERATOR],
  terminateContract: [async (p) => ({ ...(await target('contract', await kit.newContract(p, 'ACTIVE', VENDOR))), reason: 'Matrix.' }), OPERATOR],

  createDeliverable: [async (p) => {
    const [c] = await kit.sql<{ start_date: string }>('select start_date::text from contract where reference = ?', [PARTNER_CONTRACT[p]]);
    return { contractId: await kit.contract(PARTNER_CONTRACT[p]), title: 'Matrix deliverable', dueDate: addDays(c.start_date, 3) };
  }, OPERATOR],
  updateDeliverable: [async (p) => ({ ...(await target('deliverable', await kit.newDeliverable(PARTNER_CONTRACT[p]))), title: 'Renamed' }), OPERATOR],
  acceptDeliverable: [async (p) => target('deliverable', await kit.newDeliverable(PARTNER_CONTRACT[p], 'SUBMITTED')), OPERATOR],
  rejectDeliverable: [async (p) => ({ ...(await target('deliverable', await kit.newDeliverable(PARTNER_CONTRACT[p], 'SUBMITTED'))), reason: 'No.' }), OPERATOR],
  startDeliverable: [async (p) => target('deliverable', await kit.newDeliverable(PARTNER_CONTRACT[p], 'PLANNED')), PARTNER],
  submitDeliverable: [async (p) => ({ ...(await target('deliverable', await kit.newDeliverable(PARTNER_CONTRACT[p], 'IN_PROGRESS'))), note: 'Done.' }), PARTNER],

  createFinancialReport: [async (p) => {
    const start = `${2050 + kit.next()}-01-01`;
    return { projectId: await kit.project(p), periodStart: start, periodEnd: `${start.slice(0, 4)}-01-31` };
  }, OPERATOR],
  updateFinancialReport: [async (p) => ({ ...(await target('financial_report', await kit.newReport(p))), summary: 'Edited.' }), OPERATOR],
  publishFinancialReport: [async (p) => target('financial_report', await kit.newReport(p)), OPERATOR],
  restateFinancialReport: [async (p) => target('financial_report', await kit.newReport(p, 'PUBLISHED')), OPERATOR],
  deleteFinancialReport: [async (p) => target('financial_report', await kit.newReport(p)), OPERATOR],

  createRisk: [async (p) => ({ projectId: await kit.project(p), title: 'Matrix risk', category: 'OTHER', likelihood: 1, impact: 1 }), OPERATOR],
  updateRisk: [async (p) => ({ ...(await target('risk', await kit.newRisk(p))), title: 'Renamed' }), OPERATOR],
  reassessRisk: [async (p) => ({ ...(await target('risk', await kit.newRisk(p))), likelihood: 5, impact: 5 }), OPERATOR],
  changeRiskStatus: [async (p) => ({ ...(await target('risk', await kit.newRisk(p))), status: 'MITIGATING' }), OPERATOR],
  changeRiskVisibility: [async (p) => ({ ...(await target('risk', await kit.newRisk(p))), visibility: 'STAKEHOLDERS' }), OPERATOR],
  assignRiskOwner: [async (p) => ({ ...(await target('risk', await kit.newRisk(p))), ownerId: await kit.user('admin') }), OPERATOR],
  raiseRisk: [async (p) => ({ contractId: await kit.contract(PARTNER_CONTRACT[p]), title: 'Partner risk', category: 'VENDOR', likelihood: 3, impact: 3 }), PARTNER],

  postProjectUpdate: [async (p) => ({ projectId: await kit.project(p), title: 'Matrix update', body: 'Body.', audience: 'INVESTORS' }), OPERATOR],
  editProjectUpdate: [async (p) => ({ ...(await target('project_update', await kit.newUpdate(p, p === 'cirrus' ? 'admin' : 'pm'))), title: 'Edited' }), {
    atlas: AUTHOR_PM, cirrus: AUTHOR_ADMIN,
  }],

  askQuestion: [async (p) => ({
    subjectId: p === 'atlas' ? await riskId('Regulatory approval of the go-live') : await publishedReport('Borealis'), title: 'Matrix question', body: 'Why?', private: true,
  }), { atlas: ASK_ATLAS_STAKEHOLDERS, borealis: ASK_BOREALIS_REPORT }],
  postMessage: [async (p) => {
    const t = p === 'atlas' ? await thread('aurora', 'Budget pressure from FX rates', false)
      : p === 'borealis' ? await thread('beacon', 'Consent law changes', false) : await thread('beacon', 'Archive formats unknown', false);
    return { threadId: t.id, body: 'Matrix message' };
  }, { atlas: POST_ATLAS_AURORA, borealis: POST_BOREALIS_BEACON, cirrus: POST_CIRRUS_BEACON }],
  publishThread: [async (p) => (p === 'atlas'
    ? thread('aurora', 'Budget pressure from FX rates', true, 'pm')
    : thread('beacon', 'Archive formats unknown', true, 'admin')), OPERATOR],
  closeThread: [async (p) => (p === 'atlas' ? thread('aurora', 'Budget pressure from FX rates', true) : thread('beacon', 'Archive formats unknown', true)), OPERATOR],
  markReportOpened: [async (p) => ({ id: await publishedReport(p === 'atlas' ? 'Atlas' : 'Borealis') }), { atlas: READ_ATLAS_REPORT, borealis: READ_BOREALIS_REPORT }],
  acknowledgeReport: [async (p) => ({ id: await publishedReport(p === 'atlas' ? 'Atlas' : 'Borealis') }), { atlas: READ_ATLAS_REPORT, borealis: READ_BOREALIS_REPORT }],
  remindReport: [async (p) => ({ id: await publishedReport(p === 'atlas' ? 'Atlas' : 'Borealis') }), { atlas: MANAGED, borealis: MANAGED }],

  createOrganization: [async () => ({ name: `Org ${kit.next()}`, kind: 'INVESTOR' }), { atlas: ADMIN_ONLY }],
  createUser: [async () => ({ organizationId: await kit.org('Delta QA'), email: `matrix${kit.next()}@test.example`, name: 'M', role: 'VIEWER', password: 'long-enough-password' }), { atlas: ADMIN_ONLY }],
  changeUserRole: [async () => ({ ...(await target('app_user', (await kit.newUser('Delta QA', 'VIEWER')).id)), role: 'MEMBER' }), { atlas: ADMIN_ONLY }],
  disableUser: [async () => target('app_user', (await kit.newUser('Delta QA', 'VIEWER')).id), { atlas: ADMIN_ONLY }],
};

const CELLS = Object.entries(SETUPS).flatMap(([mutation, [setup, rows]]) =>
  Object.entries(rows).map(([project, expected]) => ({ mutation: mutation as MutationName, project: project as ProjectKey, setup, expected: expected! })),
);

test('the matrix covers every mutation of the schema', async () => {
  const res = await app.gql('{ __schema { mutationType { fields { name } } } }', {}, await kit.token('admin'));
  const all = res.data.__schema.mutationType.fields.map((f: { name: string }) => f.name).sort();
  const covered = new Set(CELLS.map((c) => c.mutation));
  // Sign-in, the viewer's own API tokens and inbox, an organization's webhook endpoints, the viewer's e-mail preferences
  // and exports are not workflow writes of a project; they have their own tests (test/notify; webhooks.spec.ts has the
  // webhook role matrix; an export is allowed to everyone, with what each may read: test/exports).
  // The file mutations take the acting user's own uploads, so their matrix is in test/files/permissions.spec.ts.
  expect(all.filter((m: string) => !covered.has(m as MutationName))).toEqual([
    'addProjectDocument', 'attachFiles', 'createApiToken', 'createDocumentFolder', 'createWebhookEndpoint', 'deleteWebhookEndpoint',
    'disableWebhookEndpoint', 'enableWebhookEndpoint', 'login', 'markAllNotificationsRead', 'markNotificationsRead', 'requestExport',
    'revokeApiToken', 'rotateWebhookSecret', 'setEmailPreferences', 'updateWebhookEndpoint',
  ]);
});

test.each(CELLS)('$mutation on $project', async ({ mutation, project, setup, expected }) => {
  const actual = {} as Record<Column, Outcome | string>;
  for (const column of COLUMNS) {
    const input = await setup(project);
    const user = column === 'cobaltViewer' ? viewerEmail : column;
    const before = expected[column] === 'ok' ? null : await kit.checksums();
    const out = await kit.run(user, mutation, input);
    if (out.code) {
      actual[column] = out.code as Outcome;
      expect(out.res.data?.[mutation] ?? null).toBeNull();
    } else if (out.userErrors.length === 0 && out.object !== null) {
      actual[column] = 'ok';
    } else {
      actual[column] = `userErrors ${JSON.stringify(out.userErrors)}`;
    }
    if (before) expect(await kit.checksums()).toEqual(before);
  }
  expect(actual).toEqual(expected);
});

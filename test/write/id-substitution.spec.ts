/**
 * ID substitution: every id argument of every mutation, given
 * - another tenant's id (an object the actor cannot see),
 * - a random UUID of the right type,
 * - a malformed id, and the id of another type,
 * changes nothing anywhere (row checksums of every domain table), and the
 * invisible object's NOT_FOUND is byte-for-byte the random id's NOT_FOUND.
 *
 * Actors: pm (MANAGER of Atlas and Borealis; Cirrus is the other tenant),
 * cobalt (partner; Delta's contracts are the other tenant), admin for the
 * ADMIN-only mutations (everything is visible to them: random and malformed only).
 */
import { addDays } from '../../src/core/dates';
import { startTestApp, type TestApp } from '../support/app';
import { MUTATION_NAMES, randomGid, WriteKit, type MutationName } from './support';

let app: TestApp;
let kit: WriteKit;
beforeAll(async () => {
  app = await startTestApp();
  kit = new WriteKit(app);
});
afterAll(async () => {
  await app?.close();
});

type Input = Record<string, unknown>;

interface IdCase {
  mutation: MutationName;
  arg: string;
  type: string;
  actor: 'pm' | 'cobalt' | 'admin' | 'aurora';
  /** A valid input for the actor, before substitution. */
  base: () => Promise<Input>;
  /** An id of the same type the actor cannot see, if such an object exists for them. */
  foreign?: () => Promise<string>;
}

const version = async (table: string, id: string) => ({ id, version: await kit.version(table, id) });
const CIRRUS_MILESTONE = 'Inventory of archives';
const CIRRUS_DELIVERABLE = 'Archive scanner';
const CIRRUS_RISK = 'Archive formats unknown';
let cirrusReport: string | undefined;

const foreign = {
  project: () => kit.project('cirrus'),
  milestone: () => kit.milestone(CIRRUS_MILESTONE),
  contract: () => kit.contract('CIR-C-001'),
  deliverable: () => kit.deliverable(CIRRUS_DELIVERABLE),
  risk: () => kit.risk(CIRRUS_RISK),
  // The demo has no Cirrus report: the administrator drafts one (once).
  report: async () => (cirrusReport ??= await kit.newReport('cirrus')),
  update: async () => {
    const [u] = await kit.sql<{ id: string }>("select id from project_update where project_id = (select id from project where name = 'Cirrus') limit 1");
    return Buffer.from(`ProjectUpdate:${u.id}`).toString('base64url');
  },
  deltaDeliverable: () => kit.deliverable('Consent flow test report'),
  deltaContract: () => kit.contract('BOR-C-001'),
};

const atlasDates = () => kit.dates('atlas');

/** Q&A: a fresh thread asked by Aurora on an Atlas risk (answered by pm when asked); Beacon's Cirrus thread is another tenant's for pm. */
const askedThread = async (answered = false) => {
  const t = await kit.ok('aurora', 'askQuestion', { subjectId: await kit.risk('Budget pressure from FX rates'), title: 'Q', body: 'Why?', private: true });
  if (answered) await kit.ok('pm', 'postMessage', { threadId: t.id, body: 'Because.' });
  return version('qa_thread', t.id);
};
let cirrusThread: string | undefined;
const foreignThread = async () => (cirrusThread ??= (await kit.ok('beacon', 'askQuestion', { subjectId: await kit.risk(CIRRUS_RISK), title: 'Q', body: 'Why?', private: false })).id);
const atlasPublishedReport = async () => {
  const [r] = await kit.sql<{ id: string }>("select r.id from financial_report r join project p on p.id = r.project_id where p.name = 'Atlas' and r.status = 'PUBLISHED' limit 1");
  return Buffer.from(`FinancialReport:${r.id}`).toString('base64url');
};

const CASES: IdCase[] = [
  { mutation: 'updateProject', arg: 'id', type: 'Project', actor: 'pm', base: async () => ({ ...(await version('project', await kit.project('atlas'))), description: 'x' }), foreign: foreign.project },
  { mutation: 'changeProjectStatus', arg: 'id', type: 'Project', actor: 'pm', base: async () => ({ ...(await version('project', await kit.project('atlas'))), status: 'ON_HOLD' }), foreign: foreign.project },
  { mutation: 'assignProjectManagers', arg: 'id', type: 'Project', actor: 'admin', base: async () => ({ ...(await version('project', await kit.project('atlas'))), managerIds: [await kit.user('pm')] }) },
  { mutation: 'assignProjectManagers', arg: 'managerIds', type: 'User', actor: 'admin', base: async () => ({ ...(await version('project', await kit.project('atlas'))), managerIds: [await kit.user('pm')] }) },
  { mutation: 'recordInvestment', arg: 'projectId', type: 'Project', actor: 'admin', base: async () => ({ projectId: await kit.project('atlas'), organizationId: await kit.org('Aurora Capital'), committedAmount: '1.00', committedOn: '2030-01-01' }) },
  { mutation: 'recordInvestment', arg: 'organizationId', type: 'Organization', actor: 'admin', base: async () => ({ projectId: await kit.project('atlas'), organizationId: await kit.org('Aurora Capital'), committedAmount: '1.00', committedOn: '2030-01-01' }) },
  { mutation: 'updateInvestment', arg: 'id', type: 'Investment', actor: 'admin', base: async () => ({ ...(await version('investment', await kit.investment('atlas', 'Aurora Capital'))), committedAmount: '2.00' }) },

  { mutation: 'createMilestone', arg: 'projectId', type: 'Project', actor: 'pm', base: async () => ({ projectId: await kit.project('atlas'), title: 'M', dueDate: addDays(atlasDates().start, 3) }), foreign: foreign.project },
  { mutation: 'updateMilestone', arg: 'id', type: 'Milestone', actor: 'pm', base: async () => ({ ...(await version('milestone', await kit.newMilestone('atlas'))), title: 'x' }), foreign: foreign.milestone },
  { mutation: 'setMilestoneProgress', arg: 'id', type: 'Milestone', actor: 'pm', base: async () => ({ ...(await version('milestone', await kit.newMilestone('atlas'))), progress: 5 }), foreign: foreign.milestone },
  { mutation: 'changeMilestoneStatus', arg: 'id', type: 'Milestone', actor: 'pm', base: async () => ({ ...(await version('milestone', await kit.newMilestone('atlas'))), status: 'IN_PROGRESS' }), foreign: foreign.milestone },
  { mutation: 'cancelMilestone', arg: 'id', type: 'Milestone', actor: 'pm', base: async () => version('milestone', await kit.newMilestone('atlas')), foreign: foreign.milestone },

  ...(['projectId', 'counterpartyId'] as const).map((arg): IdCase => ({
    mutation: 'createContract', arg, type: arg === 'projectId' ? 'Project' : 'Organization', actor: 'pm', foreign: arg === 'projectId' ? foreign.project : undefined,
    base: async () => ({
      projectId: await kit.project('atlas'), counterpartyId: await kit.org('Cobalt Cloud'), reference: 'X', title: 'X', kind: 'FIXED_PRICE', value: '1.00',
      startDate: atlasDates().start, endDate: atlasDates().end,
    }),
  })),
  { mutation: 'updateContract', arg: 'id', type: 'Contract', actor: 'pm', base: async () => ({ ...(await version('contract', await kit.newContract('atlas'))), title: 'x' }), foreign: foreign.contract },
  { mutation: 'updateContract', arg: 'counterpartyId', type: 'Organization', actor: 'pm', base: async () => ({ ...(await version('contract', await kit.newContract('atlas'))), counterpartyId: await kit.org('Delta QA') }) },
  ...([['activateContract', 'DRAFT'], ['suspendContract', 'ACTIVE'], ['resumeContract', 'SUSPENDED'], ['completeContract', 'ACTIVE'], ['terminateContract', 'ACTIVE']] as const).map(
    ([mutation, state]): IdCase => ({
      mutation, arg: 'id', type: 'Contract', actor: 'pm', foreign: foreign.contract,
      base: async () => ({ ...(await version('contract', await kit.newContract('atlas', state))), ...(mutation === 'terminateContract' ? { reason: 'r' } : {}) }),
    }),
  ),

  ...(['contractId', 'milestoneId'] as const).map((arg): IdCase => ({
    mutation: 'createDeliverable', arg, type: arg === 'contractId' ? 'Contract' : 'Milestone', actor: 'pm', foreign: arg === 'contractId' ? foreign.contract : foreign.milestone,
    base: async () => ({ contractId: await kit.contract('ATL-C-001'), milestoneId: await kit.milestone('Data migration'), title: 'D', dueDate: addDays(atlasDates().start, 40) }),
  })),
  { mutation: 'updateDeliverable', arg: 'id', type: 'Deliverable', actor: 'pm', base: async () => ({ ...(await version('deliverable', await kit.newDeliverable('ATL-C-001'))), title: 'x' }), foreign: foreign.deliverable },
  { mutation: 'updateDeliverable', arg: 'milestoneId', type: 'Milestone', actor: 'pm', base: async () => ({ ...(await version('deliverable', await kit.newDeliverable('ATL-C-001'))), milestoneId: await kit.milestone('Data migration') }), foreign: foreign.milestone },
  { mutation: 'acceptDeliverable', arg: 'id', type: 'Deliverable', actor: 'pm', base: async () => version('deliverable', await kit.newDeliverable('ATL-C-001', 'SUBMITTED')), foreign: foreign.deliverable },
  { mutation: 'rejectDeliverable', arg: 'id', type: 'Deliverable', actor: 'pm', base: async () => ({ ...(await version('deliverable', await kit.newDeliverable('ATL-C-001', 'SUBMITTED'))), reason: 'r' }), foreign: foreign.deliverable },
  { mutation: 'startDeliverable', arg: 'id', type: 'Deliverable', actor: 'cobalt', base: async () => version('deliverable', await kit.newDeliverable('ATL-C-001')), foreign: foreign.deltaDeliverable },
  { mutation: 'submitDeliverable', arg: 'id', type: 'Deliverable', actor: 'cobalt', base: async () => version('deliverable', await kit.newDeliverable('ATL-C-001', 'IN_PROGRESS')), foreign: foreign.deltaDeliverable },
  // The same deliverable kind, on Cobalt's own project but Delta's (draft) contract: still another tenant's.
  { mutation: 'submitDeliverable', arg: 'id', type: 'Deliverable', actor: 'cobalt', base: async () => version('deliverable', await kit.newDeliverable('ATL-C-001', 'IN_PROGRESS')), foreign: () => kit.deliverable('Load test scenarios') },

  { mutation: 'createFinancialReport', arg: 'projectId', type: 'Project', actor: 'pm', base: async () => ({ projectId: await kit.project('atlas'), periodStart: '2045-01-01', periodEnd: '2045-01-31' }), foreign: foreign.project },
  { mutation: 'updateFinancialReport', arg: 'id', type: 'FinancialReport', actor: 'pm', base: async () => ({ ...(await version('financial_report', await kit.newReport('atlas'))), summary: 'x' }), foreign: foreign.report },
  { mutation: 'publishFinancialReport', arg: 'id', type: 'FinancialReport', actor: 'pm', base: async () => version('financial_report', await kit.newReport('atlas')), foreign: foreign.report },
  { mutation: 'restateFinancialReport', arg: 'id', type: 'FinancialReport', actor: 'pm', base: async () => version('financial_report', await kit.newReport('atlas', 'PUBLISHED')), foreign: foreign.report },
  { mutation: 'deleteFinancialReport', arg: 'id', type: 'FinancialReport', actor: 'pm', base: async () => version('financial_report', await kit.newReport('atlas')), foreign: foreign.report },

  ...(['projectId', 'contractId'] as const).map((arg): IdCase => ({
    mutation: 'createRisk', arg, type: arg === 'projectId' ? 'Project' : 'Contract', actor: 'pm', foreign: arg === 'projectId' ? foreign.project : foreign.contract,
    base: async () => ({ projectId: await kit.project('atlas'), contractId: await kit.contract('ATL-C-001'), title: 'R', category: 'OTHER', likelihood: 1, impact: 1 }),
  })),
  { mutation: 'updateRisk', arg: 'id', type: 'Risk', actor: 'pm', base: async () => ({ ...(await version('risk', await kit.newRisk('atlas'))), title: 'x' }), foreign: foreign.risk },
  { mutation: 'reassessRisk', arg: 'id', type: 'Risk', actor: 'pm', base: async () => ({ ...(await version('risk', await kit.newRisk('atlas'))), likelihood: 1, impact: 1 }), foreign: foreign.risk },
  { mutation: 'changeRiskStatus', arg: 'id', type: 'Risk', actor: 'pm', base: async () => ({ ...(await version('risk', await kit.newRisk('atlas'))), status: 'MITIGATING' }), foreign: foreign.risk },
  { mutation: 'changeRiskVisibility', arg: 'id', type: 'Risk', actor: 'pm', base: async () => ({ ...(await version('risk', await kit.newRisk('atlas'))), visibility: 'INVESTORS' }), foreign: foreign.risk },
  { mutation: 'assignRiskOwner', arg: 'id', type: 'Risk', actor: 'pm', base: async () => ({ ...(await version('risk', await kit.newRisk('atlas'))), ownerId: await kit.user('pm') }), foreign: foreign.risk },
  { mutation: 'assignRiskOwner', arg: 'ownerId', type: 'User', actor: 'pm', base: async () => ({ ...(await version('risk', await kit.newRisk('atlas'))), ownerId: await kit.user('pm') }) },
  { mutation: 'raiseRisk', arg: 'contractId', type: 'Contract', actor: 'cobalt', base: async () => ({ contractId: await kit.contract('ATL-C-001'), title: 'R', category: 'OTHER', likelihood: 1, impact: 1 }), foreign: foreign.deltaContract },
  { mutation: 'raiseRisk', arg: 'contractId', type: 'Contract', actor: 'cobalt', base: async () => ({ contractId: await kit.contract('ATL-C-001'), title: 'R', category: 'OTHER', likelihood: 1, impact: 1 }), foreign: () => kit.contract('ATL-C-002') },

  { mutation: 'postProjectUpdate', arg: 'projectId', type: 'Project', actor: 'pm', base: async () => ({ projectId: await kit.project('atlas'), title: 'U', body: 'B', audience: 'PARTNERS' }), foreign: foreign.project },
  { mutation: 'editProjectUpdate', arg: 'id', type: 'ProjectUpdate', actor: 'pm', base: async () => ({ ...(await version('project_update', await kit.newUpdate('atlas', 'pm'))), title: 'x' }), foreign: foreign.update },

  { mutation: 'askQuestion', arg: 'subjectId', type: 'Risk', actor: 'cobalt', base: async () => ({ subjectId: await kit.risk('Regulatory approval of the go-live'), title: 'Q', body: 'B', private: false }), foreign: foreign.risk },
  { mutation: 'askQuestion', arg: 'subjectId', type: 'FinancialReport', actor: 'aurora', base: async () => ({ subjectId: await atlasPublishedReport(), title: 'Q', body: 'B', private: true }), foreign: foreign.report },
  { mutation: 'postMessage', arg: 'threadId', type: 'QaThread', actor: 'pm', base: async () => ({ threadId: (await askedThread()).id, body: 'A' }), foreign: foreignThread },
  { mutation: 'postMessage', arg: 'mentionIds', type: 'User', actor: 'pm', base: async () => ({ threadId: (await askedThread()).id, body: 'A', mentionIds: [await kit.user('admin')] }) },
  { mutation: 'publishThread', arg: 'id', type: 'QaThread', actor: 'pm', base: () => askedThread(true), foreign: foreignThread },
  { mutation: 'closeThread', arg: 'id', type: 'QaThread', actor: 'pm', base: () => askedThread(), foreign: foreignThread },
  { mutation: 'markReportOpened', arg: 'id', type: 'FinancialReport', actor: 'aurora', base: async () => ({ id: await atlasPublishedReport() }), foreign: foreign.report },
  { mutation: 'acknowledgeReport', arg: 'id', type: 'FinancialReport', actor: 'aurora', base: async () => ({ id: await atlasPublishedReport() }), foreign: foreign.report },
  { mutation: 'remindReport', arg: 'id', type: 'FinancialReport', actor: 'pm', base: async () => ({ id: await atlasPublishedReport() }), foreign: foreign.report },

  { mutation: 'createUser', arg: 'organizationId', type: 'Organization', actor: 'admin', base: async () => ({ organizationId: await kit.org('Delta QA'), email: `sub${kit.next()}@test.example`, name: 'S', role: 'VIEWER', password: 'long-enough-password' }) },
  { mutation: 'changeUserRole', arg: 'id', type: 'User', actor: 'admin', base: async () => ({ ...(await version('app_user', (await kit.newUser('Delta QA', 'VIEWER')).id)), role: 'MEMBER' }) },
  { mutation: 'disableUser', arg: 'id', type: 'User', actor: 'admin', base: async () => version('app_user', (await kit.newUser('Delta QA', 'VIEWER')).id) },
];

/** Any other type's id, to prove ids are checked for their type before any lookup. */
const WRONG_TYPE: Record<string, string> = { Project: 'Milestone', User: 'Organization', Organization: 'User' };

function substitute(input: Input, arg: string, value: string): Input {
  return { ...input, [arg]: Array.isArray(input[arg]) ? [value] : value };
}

test('every mutation with an id argument is covered', () => {
  const covered = new Set(CASES.map((c) => c.mutation));
  const withoutIds: MutationName[] = ['createProject', 'createOrganization'];
  expect(MUTATION_NAMES.filter((m) => !covered.has(m) && !withoutIds.includes(m))).toEqual([]);
});

test.each(CASES.map((c) => ({ ...c, label: `${c.mutation}.${c.arg}` })))('$label ($actor)', async (c) => {
  const input = await c.base();
  const foreignId = c.foreign ? await c.foreign() : null;
  const before = await kit.checksums();

  const outRandom = await kit.run(c.actor, c.mutation, substitute(input, c.arg, randomGid(c.type)));
  expect(outRandom.code).toBe('NOT_FOUND');
  expect(outRandom.res.errors).toHaveLength(1);
  expect(outRandom.res.data?.[c.mutation] ?? null).toBeNull();

  if (foreignId) {
    const outForeign = await kit.run(c.actor, c.mutation, substitute(input, c.arg, foreignId));
    // Indistinguishable: same HTTP status, same error (message, path, code), same data.
    expect(outForeign.res.status).toBe(outRandom.res.status);
    expect(outForeign.res.errors).toEqual(outRandom.res.errors);
    expect(outForeign.res.data).toEqual(outRandom.res.data);
  }

  for (const bad of ['not-an-id', randomGid(WRONG_TYPE[c.type] ?? 'Project'), '']) {
    const out = await kit.run(c.actor, c.mutation, substitute(input, c.arg, bad));
    expect(out.code).toBe('BAD_USER_INPUT');
    expect(out.res.data?.[c.mutation] ?? null).toBeNull();
  }

  expect(await kit.checksums()).toEqual(before);
});

describe('linked ids that are visible but of another project are a VALIDATION error, and change nothing', () => {
  test('createDeliverable with a Borealis milestone on an Atlas contract', async () => {
    const before = await kit.checksums();
    const out = await kit.run('pm', 'createDeliverable', {
      contractId: await kit.contract('ATL-C-001'), milestoneId: await kit.milestone('Consent management'), title: 'D', dueDate: addDays(atlasDates().start, 40),
    });
    expect(out.userErrors).toEqual([{
      field: ['input', 'milestoneId'], code: 'VALIDATION', message: 'milestoneId: this milestone belongs to another project; a deliverable\'s milestone must be of its contract\'s project',
    }]);
    expect(await kit.checksums()).toEqual(before);
  });

  test('updateDeliverable moving an Atlas deliverable to a Borealis milestone', async () => {
    const input = { ...(await version('deliverable', await kit.newDeliverable('ATL-C-001'))), milestoneId: await kit.milestone('Consent management') };
    const before = await kit.checksums();
    const out = await kit.run('pm', 'updateDeliverable', input);
    expect(out.userErrors.map((e) => e.code)).toEqual(['VALIDATION']);
    expect(await kit.checksums()).toEqual(before);
  });

  test('createRisk on Atlas with the Borealis contract', async () => {
    const before = await kit.checksums();
    const out = await kit.run('pm', 'createRisk', {
      projectId: await kit.project('atlas'), contractId: await kit.contract('BOR-C-001'), title: 'R', category: 'OTHER', likelihood: 1, impact: 1,
    });
    expect(out.userErrors).toEqual([{
      field: ['input', 'contractId'], code: 'VALIDATION', message: 'contractId: this contract belongs to another project; a risk\'s contract must be of its project',
    }]);
    expect(await kit.checksums()).toEqual(before);
  });
});

/**
 * Every state machine as a table: each (state, action) pair either leads to
 * the expected state or answers INVALID_TRANSITION naming the current state
 * and changes nothing (same status, same version, no audit event).
 * The tables are written out from docs/state-machines.md, not derived from the
 * code under test.
 */
import { startTestApp, type TestApp } from '../support/app';
import { NEW_REPORT_LINES, WriteKit, type MutationName } from './support';

let app: TestApp;
let kit: WriteKit;
beforeAll(async () => {
  app = await startTestApp();
  kit = new WriteKit(app);
});
afterAll(async () => {
  await app?.close();
});

const X = null; // INVALID_TRANSITION

interface Case {
  state: string;
  action: string;
  expected: string | null;
}

function cases(table: Record<string, Record<string, string | null>>): Case[] {
  return Object.entries(table).flatMap(([state, row]) => Object.entries(row).map(([action, expected]) => ({ state, action, expected })));
}

/** Runs one case and checks the outcome in the payload, the database and the audit table. */
async function check(
  c: Case, entity: string, table: string, id: string, user: string, mutation: MutationName, input: Record<string, unknown>, expectedAction: string,
) {
  const version = await kit.version(table, id);
  const audits = await kit.auditCount();
  const out = await kit.run(user, mutation, { id, version, ...input });
  expect(out.res.errors).toBeUndefined();
  if (c.expected === null) {
    expect(out.object).toBeNull();
    expect(out.userErrors).toHaveLength(1);
    expect(out.userErrors[0].code).toBe('INVALID_TRANSITION');
    expect(out.userErrors[0].message.startsWith(`${entity} is ${c.state}`)).toBe(true);
    expect(await kit.status(table, id)).toBe(c.state);
    expect(await kit.version(table, id)).toBe(version);
    expect(await kit.auditCount()).toBe(audits);
  } else {
    expect(out.userErrors).toEqual([]);
    expect(out.object.status).toBe(c.expected);
    expect(out.object.version).toBe(version + 1);
    expect(await kit.status(table, id)).toBe(c.expected);
    const [event] = await kit.sql<{ action: string }>('select action from audit_event where entity_id = ? order by occurred_at desc, id desc limit 1', [
      Buffer.from(id, 'base64url').toString().split(':')[1],
    ]);
    expect(event.action).toBe(expectedAction);
  }
  return out;
}

describe('Contract: DRAFT → ACTIVE ⇄ SUSPENDED; ACTIVE → COMPLETED; ACTIVE|SUSPENDED → TERMINATED; edits only as DRAFT', () => {
  const TABLE = {
    DRAFT: { activate: 'ACTIVE', suspend: X, resume: X, complete: X, terminate: X, update: 'DRAFT' },
    ACTIVE: { activate: X, suspend: 'SUSPENDED', resume: X, complete: 'COMPLETED', terminate: 'TERMINATED', update: X },
    SUSPENDED: { activate: X, suspend: X, resume: 'ACTIVE', complete: X, terminate: 'TERMINATED', update: X },
    COMPLETED: { activate: X, suspend: X, resume: X, complete: X, terminate: X, update: X },
    TERMINATED: { activate: X, suspend: X, resume: X, complete: X, terminate: X, update: X },
  };
  const MUTATION: Record<string, MutationName> = {
    activate: 'activateContract', suspend: 'suspendContract', resume: 'resumeContract', complete: 'completeContract', terminate: 'terminateContract', update: 'updateContract',
  };
  test.each(cases(TABLE))('$state + $action → $expected', async (c) => {
    const id = await kit.newContract('atlas', c.state);
    const input = c.action === 'terminate' ? { reason: 'Vendor insolvent.' } : c.action === 'update' ? { title: 'Renamed contract' } : {};
    const out = await check(c, 'Contract', 'contract', id, 'pm', MUTATION[c.action], input, `contract.${c.action}`);
    if (c.action === 'terminate' && c.expected) expect(out.object.terminationReason).toBe('Vendor insolvent.');
    if (c.action === 'update' && c.expected) expect(out.object.title).toBe('Renamed contract');
  });
});

describe('Deliverable: PLANNED → IN_PROGRESS → SUBMITTED → ACCEPTED | REJECTED; REJECTED → IN_PROGRESS | SUBMITTED', () => {
  const TABLE = {
    PLANNED: { start: 'IN_PROGRESS', submit: X, accept: X, reject: X, update: 'PLANNED' },
    IN_PROGRESS: { start: X, submit: 'SUBMITTED', accept: X, reject: X, update: 'IN_PROGRESS' },
    SUBMITTED: { start: X, submit: X, accept: 'ACCEPTED', reject: 'REJECTED', update: 'SUBMITTED' },
    ACCEPTED: { start: X, submit: X, accept: X, reject: X, update: X },
    REJECTED: { start: 'IN_PROGRESS', submit: 'SUBMITTED', accept: X, reject: X, update: 'REJECTED' },
  };
  // The partner starts and submits; the operator decides and edits.
  const ACTOR: Record<string, [string, MutationName, Record<string, unknown>]> = {
    start: ['cobalt', 'startDeliverable', {}],
    submit: ['cobalt', 'submitDeliverable', { note: 'Ready for review.' }],
    accept: ['pm', 'acceptDeliverable', {}],
    reject: ['pm', 'rejectDeliverable', { reason: 'Missing the test evidence.' }],
    update: ['pm', 'updateDeliverable', { title: 'Renamed deliverable' }],
  };
  test.each(cases(TABLE))('$state + $action → $expected', async (c) => {
    const id = await kit.newDeliverable('ATL-C-001', c.state);
    const [user, mutation, input] = ACTOR[c.action];
    const out = await check(c, 'Deliverable', 'deliverable', id, user, mutation, input, `deliverable.${c.action}`);
    if (!c.expected) return;
    if (c.action === 'submit') {
      expect(out.object.submissionNote).toBe('Ready for review.');
      expect(out.object.submittedAt).not.toBeNull();
    }
    if (c.action === 'reject') {
      expect(out.object.rejectionReason).toBe('Missing the test evidence.');
      expect(out.object.decidedAt).not.toBeNull();
    }
    if (c.action === 'accept') expect(out.object.decidedAt).not.toBeNull();
  });

  // Partners act only while the contract is ACTIVE; the message names the contract's state.
  test.each([
    ['SUSPENDED', 'start', 'PLANNED'], ['SUSPENDED', 'submit', 'IN_PROGRESS'], ['SUSPENDED', 'submit', 'REJECTED'],
    ['COMPLETED', 'start', 'PLANNED'], ['COMPLETED', 'submit', 'IN_PROGRESS'],
    ['TERMINATED', 'start', 'PLANNED'], ['TERMINATED', 'submit', 'IN_PROGRESS'],
  ])('contract %s: %s from %s is INVALID_TRANSITION', async (contractStatus, action, state) => {
    const contract = await kit.newContract('atlas', 'ACTIVE');
    const [ref] = await kit.sql<{ reference: string }>('select reference from contract where id = ?', [Buffer.from(contract, 'base64url').toString().split(':')[1]]);
    const id = await kit.newDeliverable(ref.reference, state);
    await kit.setStatus('contract', contract, contractStatus);
    const [, mutation, input] = ACTOR[action];
    const version = await kit.version('deliverable', id);
    const out = await kit.run('cobalt', mutation, { id, version, ...input });
    expect(out.userErrors).toEqual([
      { field: null, code: 'INVALID_TRANSITION', message: `Contract ${ref.reference} is ${contractStatus}: deliverables can be ${action === 'start' ? 'started' : 'submitted'} only while it is ACTIVE` },
    ]);
    expect(await kit.status('deliverable', id)).toBe(state);
  });
});

describe('Milestone: PLANNED → IN_PROGRESS → DONE; DONE → IN_PROGRESS; PLANNED|IN_PROGRESS → CANCELLED', () => {
  const TABLE = {
    PLANNED: { PLANNED: X, IN_PROGRESS: 'IN_PROGRESS', DONE: 'DONE', CANCELLED: 'CANCELLED', cancel: 'CANCELLED', progress: 'PLANNED', update: 'PLANNED' },
    IN_PROGRESS: { PLANNED: X, IN_PROGRESS: X, DONE: 'DONE', CANCELLED: 'CANCELLED', cancel: 'CANCELLED', progress: 'IN_PROGRESS', update: 'IN_PROGRESS' },
    DONE: { PLANNED: X, IN_PROGRESS: 'IN_PROGRESS', DONE: X, CANCELLED: X, cancel: X, progress: X, update: 'DONE' },
    CANCELLED: { PLANNED: X, IN_PROGRESS: X, DONE: X, CANCELLED: X, cancel: X, progress: X, update: X },
  };
  const ACTION_NAME: Record<string, string> = {
    'PLANNED>IN_PROGRESS': 'start', 'DONE>IN_PROGRESS': 'reopen', DONE: 'complete', CANCELLED: 'cancel', cancel: 'cancel', progress: 'progress', update: 'update',
  };
  test.each(cases(TABLE))('$state + $action → $expected', async (c) => {
    const id = await kit.newMilestone('atlas', c.state);
    let mutation: MutationName = 'changeMilestoneStatus';
    let input: Record<string, unknown> = { status: c.action };
    if (c.action === 'cancel') [mutation, input] = ['cancelMilestone', {}];
    if (c.action === 'progress') [mutation, input] = ['setMilestoneProgress', { progress: 45 }];
    if (c.action === 'update') [mutation, input] = ['updateMilestone', { title: 'Renamed milestone' }];
    const action = ACTION_NAME[`${c.state}>${c.action}`] ?? ACTION_NAME[c.action];
    const out = await check(c, 'Milestone', 'milestone', id, 'pm', mutation, input, `milestone.${action}`);
    if (c.action === 'DONE' && c.expected) {
      expect(out.object.progress).toBe(100);
      expect(Date.now() - Date.parse(out.object.completedAt)).toBeLessThan(60_000);
    }
    if (c.state === 'DONE' && c.expected === 'IN_PROGRESS') expect(out.object.completedAt).toBeNull();
    if (c.action === 'progress' && c.expected) expect(out.object.progress).toBe(45);
  });
});

describe('Risk: OPEN → MITIGATING → CLOSED; OPEN|MITIGATING → REALIZED; final states are read-only', () => {
  const TABLE = {
    OPEN: { OPEN: X, MITIGATING: 'MITIGATING', CLOSED: X, REALIZED: 'REALIZED', reassess: 'OPEN', update: 'OPEN', assignOwner: 'OPEN' },
    MITIGATING: { OPEN: X, MITIGATING: X, CLOSED: 'CLOSED', REALIZED: 'REALIZED', reassess: 'MITIGATING', update: 'MITIGATING', assignOwner: 'MITIGATING' },
    CLOSED: { OPEN: X, MITIGATING: X, CLOSED: X, REALIZED: X, reassess: X, update: X, assignOwner: X },
    REALIZED: { OPEN: X, MITIGATING: X, CLOSED: X, REALIZED: X, reassess: X, update: X, assignOwner: X },
  };
  const ACTION_NAME: Record<string, string> = { MITIGATING: 'mitigate', CLOSED: 'close', REALIZED: 'realize', reassess: 'reassess', update: 'update', assignOwner: 'assignOwner' };
  test.each(cases(TABLE))('$state + $action → $expected', async (c) => {
    const id = await kit.newRisk('atlas', c.state);
    let mutation: MutationName = 'changeRiskStatus';
    let input: Record<string, unknown> = { status: c.action };
    if (c.action === 'reassess') [mutation, input] = ['reassessRisk', { likelihood: 4, impact: 5, note: 'Worse.' }];
    if (c.action === 'update') [mutation, input] = ['updateRisk', { title: 'Renamed risk' }];
    if (c.action === 'assignOwner') [mutation, input] = ['assignRiskOwner', { ownerId: await kit.user('pm') }];
    const out = await check(c, 'Risk', 'risk', id, 'pm', mutation, input, `risk.${ACTION_NAME[c.action]}`);
    if (c.action === 'reassess' && c.expected) expect([out.object.likelihood, out.object.impact, out.object.score]).toEqual([4, 5, 20]);
  });
});

describe('FinancialReport: DRAFT → PUBLISHED → SUPERSEDED; only drafts are edited or deleted', () => {
  const TABLE = {
    DRAFT: { publish: 'PUBLISHED', restate: X, update: 'DRAFT', delete: 'DELETED' },
    PUBLISHED: { publish: X, restate: 'PUBLISHED', update: X, delete: X },
    SUPERSEDED: { publish: X, restate: X, update: X, delete: X },
  };
  const MUTATION: Record<string, MutationName> = {
    publish: 'publishFinancialReport', restate: 'restateFinancialReport', update: 'updateFinancialReport', delete: 'deleteFinancialReport',
  };
  test.each(cases(TABLE))('$state + $action → $expected', async (c) => {
    const id = await kit.newReport('atlas', c.state);
    const uuid = Buffer.from(id, 'base64url').toString().split(':')[1];
    const input = c.action === 'update' ? { summary: 'Corrected summary.' } : {};
    const version = await kit.version('financial_report', id);
    const before = await kit.checksums();
    const out = await kit.run('pm', MUTATION[c.action], { id, version, ...input });
    expect(out.res.errors).toBeUndefined();
    if (c.expected === null) {
      expect(out.userErrors).toHaveLength(1);
      expect(out.userErrors[0].code).toBe('INVALID_TRANSITION');
      expect(out.userErrors[0].message.startsWith(`FinancialReport is ${c.state}`)).toBe(true);
      expect(await kit.checksums()).toEqual(before);
      return;
    }
    expect(out.userErrors).toEqual([]);
    if (c.action === 'delete') {
      expect(out.object).toBe(id);
      expect(await kit.sql('select id from financial_report where id = ?', [uuid])).toEqual([]);
      expect(await kit.sql('select id from financial_report_line where report_id = ?', [uuid])).toEqual([]);
      return;
    }
    if (c.action === 'restate') {
      // The published revision is untouched; the payload is the new DRAFT revision 2, prefilled.
      expect(await kit.status('financial_report', id)).toBe('PUBLISHED');
      expect(await kit.version('financial_report', id)).toBe(version);
      expect(out.object).toMatchObject({ status: 'DRAFT', revision: 2, summary: 'Test period', version: 1 });
      expect(out.object.lines.nodes).toEqual([...NEW_REPORT_LINES].sort((a, b) => a.category.localeCompare(b.category)));
      return;
    }
    expect(out.object.status).toBe(c.expected);
    expect(out.object.version).toBe(version + 1);
    if (c.action === 'publish') expect(out.object.publishedBy.id).toBe(await kit.user('pm'));
    if (c.action === 'update') expect(out.object.summary).toBe('Corrected summary.');
  });
});

describe('Project: PLANNED → ACTIVE ⇄ ON_HOLD; ACTIVE → COMPLETED; not final → CANCELLED', () => {
  const TABLE = {
    PLANNED: { PLANNED: X, ACTIVE: 'ACTIVE', ON_HOLD: X, COMPLETED: X, CANCELLED: 'CANCELLED' },
    ACTIVE: { PLANNED: X, ACTIVE: X, ON_HOLD: 'ON_HOLD', COMPLETED: 'COMPLETED', CANCELLED: 'CANCELLED' },
    ON_HOLD: { PLANNED: X, ACTIVE: 'ACTIVE', ON_HOLD: X, COMPLETED: X, CANCELLED: 'CANCELLED' },
    COMPLETED: { PLANNED: X, ACTIVE: X, ON_HOLD: X, COMPLETED: X, CANCELLED: X },
    CANCELLED: { PLANNED: X, ACTIVE: X, ON_HOLD: X, COMPLETED: X, CANCELLED: X },
  };
  const ACTION_NAME: Record<string, string> = { ACTIVE: 'activate', ON_HOLD: 'hold', COMPLETED: 'complete', CANCELLED: 'cancel' };
  test.each(cases(TABLE))('$state + $action → $expected', async (c) => {
    const project = await kit.ok('admin', 'createProject', {
      code: `SM-${kit.next()}`, name: 'State machine', currency: 'EUR', budget: '1.00', startDate: '2030-01-01', targetEndDate: '2030-12-31',
    });
    await kit.setStatus('project', project.id, c.state);
    await check(c, 'Project', 'project', project.id, 'admin', 'changeProjectStatus', { status: c.action }, `project.${ACTION_NAME[c.action]}`);
  });
});

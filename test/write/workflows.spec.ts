/**
 * The stakeholder workflows end to end, each through the API of the people
 * involved: what the operator does, what the partner and the investor see
 * change as a result.
 */
import { addDays } from '../../src/core/dates';
import { startTestApp, type TestApp } from '../support/app';
import { uuidOf, WriteKit } from './support';

let app: TestApp;
let kit: WriteKit;
beforeAll(async () => {
  app = await startTestApp();
  kit = new WriteKit(app);
});
afterAll(async () => {
  await app?.close();
});

const PROJECT_NAMES = '{ projects { nodes { name } } }';
const names = async (token: string) => (await app.gql(PROJECT_NAMES, {}, token)).data?.projects.nodes.map((p: { name: string }) => p.name);

test('disabling a user stops their access token and API token at once, and their sign-in', async () => {
  const created = await kit.ok('admin', 'createUser', {
    organizationId: await kit.org('Beacon Ventures'), email: 'leaving@beacon.example', name: 'Leaving Analyst', role: 'VIEWER', password: 'correct-horse-battery',
  });
  const login = 'mutation($input: LoginInput!) { login(input: $input) { token userErrors { code } } }';
  const signIn = async () => (await app.gql(login, { input: { email: 'leaving@beacon.example', password: 'correct-horse-battery' } })).data.login;
  const { token } = await signIn();
  expect(await names(token)).toEqual(['Borealis', 'Cirrus']);
  const api = await app.gql('mutation { createApiToken(input: { name: "script" }) { secret } }', {}, token);
  const secret = api.data.createApiToken.secret as string;
  expect(await names(secret)).toEqual(['Borealis', 'Cirrus']);

  const disabled = await kit.ok('admin', 'disableUser', { id: created.id, version: 1 });
  expect(disabled.version).toBe(2);
  expect(Date.now() - Date.parse(disabled.disabledAt)).toBeLessThan(60_000);

  for (const t of [token, secret]) {
    const res = await app.gql(PROJECT_NAMES, {}, t);
    expect(res.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  }
  expect(await signIn()).toEqual({ token: null, userErrors: [{ code: 'INVALID_CREDENTIALS' }] });
  // Disabling twice is an invalid transition, not a silent success.
  const again = await kit.run('admin', 'disableUser', { id: created.id, version: 2 });
  expect(again.userErrors[0].code).toBe('INVALID_TRANSITION');
});

test('a partner VIEWER promoted to MEMBER can submit from their next request', async () => {
  const viewer = await kit.newUser('Cobalt Cloud', 'VIEWER');
  const deliverable = await kit.newDeliverable('ATL-C-001', 'IN_PROGRESS');
  const denied = await kit.run(viewer.email, 'submitDeliverable', { id: deliverable, version: 1, note: 'n' });
  expect(denied.code).toBe('FORBIDDEN');
  await kit.ok('admin', 'changeUserRole', { id: viewer.id, version: 1, role: 'MEMBER' });
  const submitted = await kit.ok(viewer.email, 'submitDeliverable', { id: deliverable, version: 1, note: 'n' });
  expect(submitted.status).toBe('SUBMITTED');
});

test('a contract with a new partner: invisible as a DRAFT, then the partner delivers, is rejected, resubmits and is accepted', async () => {
  const contractInput = {
    projectId: await kit.project('atlas'), counterpartyId: await kit.org('Delta QA'), reference: 'ATL-C-009', title: 'Performance testing',
    kind: 'TIME_AND_MATERIALS', value: '45000.00', startDate: kit.dates('atlas').start, endDate: kit.dates('atlas').end,
  };
  const delta = await kit.token('delta');
  const contract = await kit.ok('pm', 'createContract', contractInput);
  expect(await names(delta)).toEqual(['Borealis']);
  const deliverable = await kit.ok('pm', 'createDeliverable', {
    contractId: contract.id, milestoneId: await kit.milestone('User acceptance testing'), title: 'Load test report', dueDate: addDays(kit.dates('atlas').start, 200),
  });
  // Not yet active: the partner cannot see it, so it does not exist for them.
  expect((await kit.run('delta', 'startDeliverable', { id: deliverable.id, version: 1 })).code).toBe('NOT_FOUND');

  const active = await kit.ok('pm', 'activateContract', { id: contract.id, version: 1 });
  expect(active.status).toBe('ACTIVE');
  expect(await names(delta)).toEqual(['Atlas', 'Borealis']);
  // Fields change only while DRAFT.
  const edit = await kit.run('pm', 'updateContract', { id: contract.id, version: 2, value: '1.00' });
  expect(edit.userErrors).toEqual([{ field: null, code: 'INVALID_TRANSITION', message: 'Contract is ACTIVE: update is allowed only when it is DRAFT' }]);

  let d = await kit.ok('delta', 'startDeliverable', { id: deliverable.id, version: 1 });
  d = await kit.ok('delta', 'submitDeliverable', { id: d.id, version: d.version, note: 'Report v1 attached.' });
  expect(d).toMatchObject({ status: 'SUBMITTED', submissionNote: 'Report v1 attached.', version: 3 });
  // Only the operator decides.
  expect((await kit.run('delta', 'acceptDeliverable', { id: d.id, version: d.version })).code).toBe('FORBIDDEN');
  d = await kit.ok('pm', 'rejectDeliverable', { id: d.id, version: d.version, reason: 'Peak load scenario missing.' });
  const seen = await app.gql('query($id: ID!) { node(id: $id) { ... on Deliverable { status rejectionReason milestone { title } } } }', { id: d.id }, delta);
  expect(seen.data.node).toEqual({ status: 'REJECTED', rejectionReason: 'Peak load scenario missing.', milestone: { title: 'User acceptance testing' } });

  // Resubmission straight from REJECTED; while the contract is suspended it is refused.
  const suspended = await kit.ok('pm', 'suspendContract', { id: contract.id, version: 2 });
  const blocked = await kit.run('delta', 'submitDeliverable', { id: d.id, version: d.version, note: 'v2' });
  expect(blocked.userErrors).toEqual([{ field: null, code: 'INVALID_TRANSITION', message: 'Contract ATL-C-009 is SUSPENDED: deliverables can be submitted only while it is ACTIVE' }]);
  await kit.ok('pm', 'resumeContract', { id: contract.id, version: suspended.version });
  d = await kit.ok('delta', 'submitDeliverable', { id: d.id, version: d.version, note: 'Report v2 with peak load.' });
  d = await kit.ok('pm', 'acceptDeliverable', { id: d.id, version: d.version });
  expect(d).toMatchObject({ status: 'ACCEPTED', rejectionReason: null, submissionNote: 'Report v2 with peak load.' });

  const trail = await kit.sql<{ action: string; actor: string }>(
    'select e.action, u.email as actor from audit_event e join app_user u on u.id = e.actor_id where e.entity_id = ? order by e.occurred_at, e.id', [uuidOf(d.id)],
  );
  expect(trail).toEqual([
    { action: 'deliverable.create', actor: 'pm@northwind.example' },
    { action: 'deliverable.start', actor: 'qa@delta.example' },
    { action: 'deliverable.submit', actor: 'qa@delta.example' },
    { action: 'deliverable.reject', actor: 'pm@northwind.example' },
    { action: 'deliverable.submit', actor: 'qa@delta.example' },
    { action: 'deliverable.accept', actor: 'pm@northwind.example' },
  ]);

  const terminated = await kit.ok('pm', 'terminateContract', { id: contract.id, version: await kit.version('contract', contract.id), reason: 'Scope moved in-house.' });
  expect(terminated).toMatchObject({ status: 'TERMINATED', terminationReason: 'Scope moved in-house.' });
});

test('a partner raises a risk; the operator triages, reassesses and shares it with stakeholders', async () => {
  const raised = await kit.ok('cobalt', 'raiseRisk', {
    contractId: await kit.contract('ATL-C-001'), title: 'Sandbox credentials expire weekly', category: 'VENDOR', likelihood: 3, impact: 2, description: 'Blocks our CI.',
  });
  expect(raised).toMatchObject({ visibility: 'CONTRACT', owner: null, status: 'OPEN', score: 6 });
  const aurora = await kit.token('aurora');
  const auroraSees = async () => (await app.gql('query($id: ID!) { node(id: $id) { id } }', { id: raised.id }, aurora)).data.node;
  expect(await auroraSees()).toBeNull();

  let r = await kit.ok('pm', 'assignRiskOwner', { id: raised.id, version: 1, ownerId: await kit.user('pm') });
  expect(r.owner).toEqual({ id: await kit.user('pm') });
  // Owners manage the project: an investor or a manager of other projects cannot own it.
  const bad = await kit.run('pm', 'assignRiskOwner', { id: raised.id, version: r.version, ownerId: await kit.user('aurora') });
  expect(bad.userErrors[0]).toMatchObject({ code: 'VALIDATION', field: ['input', 'ownerId'] });
  r = await kit.ok('pm', 'reassessRisk', { id: r.id, version: r.version, likelihood: 4, impact: 4, note: 'Happened twice this month.' });
  r = await kit.ok('pm', 'changeRiskStatus', { id: r.id, version: r.version, status: 'MITIGATING' });
  r = await kit.ok('pm', 'changeRiskVisibility', { id: r.id, version: r.version, visibility: 'STAKEHOLDERS' });
  expect(r).toMatchObject({ status: 'MITIGATING', visibility: 'STAKEHOLDERS', score: 16, version: 5 });
  expect(await auroraSees()).toEqual({ id: raised.id });

  const history = await app.gql(
    'query($id: ID!) { node(id: $id) { ... on Risk { assessments { nodes { likelihood impact score note assessedBy { email } } } } } }', { id: r.id }, aurora,
  );
  expect(history.data.node.assessments.nodes).toEqual([
    { likelihood: 3, impact: 2, score: 6, note: 'Raised by the partner.', assessedBy: null },
    { likelihood: 4, impact: 4, score: 16, note: 'Happened twice this month.', assessedBy: { email: 'pm@northwind.example' } },
  ]);
});

test('managers: assigning a project opens it to the manager, removing closes it; only operator staff can manage', async () => {
  const cirrus = await kit.project('cirrus');
  const milestone = await kit.newMilestone('cirrus');
  expect((await kit.run('pm', 'setMilestoneProgress', { id: milestone, version: 1, progress: 5 })).code).toBe('NOT_FOUND');

  const invalid = await kit.run('admin', 'assignProjectManagers', { id: cirrus, version: await kit.version('project', cirrus), managerIds: [await kit.user('aurora')] });
  expect(invalid.userErrors).toEqual([{ field: ['input', 'managerIds', '0'], code: 'VALIDATION', message: 'Iris Relations cannot manage projects: only operator users with role ADMIN or MANAGER can' }]);

  const assigned = await kit.ok('admin', 'assignProjectManagers', { id: cirrus, version: await kit.version('project', cirrus), managerIds: [await kit.user('admin'), await kit.user('pm')] });
  expect((await kit.ok('pm', 'setMilestoneProgress', { id: milestone, version: 1, progress: 5 })).progress).toBe(5);
  expect(await names(await kit.token('pm'))).toEqual(['Atlas', 'Borealis', 'Cirrus']);

  await kit.ok('admin', 'assignProjectManagers', { id: cirrus, version: assigned.version, managerIds: [await kit.user('admin')] });
  expect((await kit.run('pm', 'setMilestoneProgress', { id: milestone, version: 2, progress: 6 })).code).toBe('NOT_FOUND');
  const [event] = await kit.sql<{ changes: any }>("select changes from audit_event where action = 'project.assignManagers' order by occurred_at desc limit 1");
  expect(event.changes.managers.before.sort()).toEqual([await kit.user('admin'), await kit.user('pm')].sort());
  expect(event.changes.managers.after).toEqual([await kit.user('admin')]);
});

test('milestones: completing records completedAt and 100 %, reopening clears it', async () => {
  const id = await kit.newMilestone('atlas');
  let m = await kit.ok('pm', 'changeMilestoneStatus', { id, version: 1, status: 'IN_PROGRESS' });
  m = await kit.ok('pm', 'setMilestoneProgress', { id, version: m.version, progress: 80 });
  m = await kit.ok('pm', 'changeMilestoneStatus', { id, version: m.version, status: 'DONE' });
  expect(m).toMatchObject({ status: 'DONE', progress: 100 });
  expect(Date.now() - Date.parse(m.completedAt)).toBeLessThan(60_000);
  m = await kit.ok('pm', 'changeMilestoneStatus', { id, version: m.version, status: 'IN_PROGRESS' });
  expect(m).toMatchObject({ status: 'IN_PROGRESS', completedAt: null, progress: 100 });
});

test('project updates: posted with the viewer as author, edited by the author only', async () => {
  const id = await kit.newUpdate('atlas', 'pm');
  const denied = await kit.run('admin', 'editProjectUpdate', { id, version: 1, title: 'Admin rewrite' });
  expect(denied.code).toBe('FORBIDDEN');
  const edited = await kit.ok('pm', 'editProjectUpdate', { id, version: 1, title: 'Corrected title', audience: 'INVESTORS' });
  expect(edited).toMatchObject({ title: 'Corrected title', audience: 'INVESTORS', version: 2, author: { id: await kit.user('pm') } });
  const aurora = await app.gql('query($id: ID!) { node(id: $id) { ... on ProjectUpdate { title author { name } } } }', { id }, await kit.token('aurora'));
  expect(aurora.data.node).toEqual({ title: 'Corrected title', author: { name: 'Paul Manager' } });
});

test('two mutations in one request: the second reads what the first wrote', async () => {
  const id = await kit.newMilestone('atlas');
  const res = await app.gql(
    `mutation($a: UpdateMilestoneInput!, $b: SetMilestoneProgressInput!) {
      a: updateMilestone(input: $a) { milestone { title version progress } userErrors { code } }
      b: setMilestoneProgress(input: $b) { milestone { title version progress project { name } } userErrors { code } }
    }`,
    { a: { id, version: 1, title: 'First' }, b: { id, version: 2, progress: 33 } },
    await kit.token('pm'),
  );
  expect(res.data).toEqual({
    a: { milestone: { title: 'First', version: 2, progress: 0 }, userErrors: [] },
    b: { milestone: { title: 'First', version: 3, progress: 33, project: { name: 'Atlas' } }, userErrors: [] },
  });
});

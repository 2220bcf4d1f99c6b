/**
 * Mass assignment: inputs are explicit per mutation, so a client cannot set
 * ids, status, version, author, owner, project, organization or audit fields
 * except through the mutation meant for it. Checked three ways: the exact
 * fields of every input type, requests carrying extra fields (refused before
 * anything runs), and the server-set fields of created objects.
 */
import { startTestApp, type TestApp } from '../support/app';
import { uuidOf, WriteKit, type MutationName } from './support';

let app: TestApp;
let kit: WriteKit;
beforeAll(async () => {
  app = await startTestApp();
  kit = new WriteKit(app);
});
afterAll(async () => {
  await app?.close();
});

/** Every field every mutation input has: reviewed by hand, a new field must be added here on purpose. */
const INPUT_FIELDS: Record<string, string> = {
  AcceptDeliverableInput: 'comment id version',
  ActivateContractInput: 'id version',
  AcknowledgeReportInput: 'id',
  AddProjectDocumentInput: 'audience fileId folderId title',
  AskQuestionInput: 'body private subjectId title',
  AssignProjectManagersInput: 'id managerIds version',
  AssignRiskOwnerInput: 'id ownerId version',
  AttachFilesInput: 'fileIds subjectId',
  CancelMilestoneInput: 'id version',
  ChangeMilestoneStatusInput: 'id status version',
  ChangeProjectStatusInput: 'id status version',
  ChangeRiskStatusInput: 'id status version',
  ChangeRiskVisibilityInput: 'id version visibility',
  ChangeUserRoleInput: 'id role version',
  CloseThreadInput: 'id version',
  CompleteContractInput: 'id version',
  CreateContractInput: 'counterpartyId endDate kind projectId reference startDate title value',
  CreateDeliverableInput: 'contractId description dueDate milestoneId title',
  CreateDocumentFolderInput: 'name projectId',
  CreateFinancialReportInput: 'lines periodEnd periodStart projectId summary',
  CreateMilestoneInput: 'description dueDate plannedValue projectId title',
  CreateOrganizationInput: 'kind name',
  CreateProjectInput: 'budget code currency description name startDate targetEndDate',
  CreateRiskInput: 'category contractId description impact likelihood mitigationPlan projectId title visibility',
  CreateUserInput: 'email name organizationId password role',
  DeleteFinancialReportInput: 'id version',
  DisableUserInput: 'id version',
  EditProjectUpdateInput: 'audience body id title version',
  FinancialReportLineInput: 'actual category estimateToComplete planned',
  MarkReportOpenedInput: 'id',
  PostMessageInput: 'body mentionIds threadId',
  PostProjectUpdateInput: 'audience body projectId title',
  PublishFinancialReportInput: 'confirmMissingCategories id version',
  PublishThreadInput: 'id version',
  RaiseRiskInput: 'category contractId description impact likelihood title',
  ReassessRiskInput: 'id impact likelihood note version',
  RecordInvestmentInput: 'committedAmount committedOn organizationId projectId',
  RejectDeliverableInput: 'id reason version',
  RequestExportInput: 'asOf filter format kind projectId reportId',
  RemindReportInput: 'id',
  RestateFinancialReportInput: 'id version',
  ResumeContractInput: 'id version',
  SetMilestoneProgressInput: 'id progress version',
  StartDeliverableInput: 'id version',
  SubmitDeliverableInput: 'fileIds id note version',
  SuspendContractInput: 'id version',
  TerminateContractInput: 'id reason version',
  UpdateContractInput: 'counterpartyId endDate id kind reference startDate title value version',
  UpdateDeliverableInput: 'description dueDate id milestoneId title version',
  UpdateFinancialReportInput: 'id lines summary version',
  UpdateInvestmentInput: 'committedAmount committedOn id version',
  UpdateMilestoneInput: 'description dueDate id plannedValue title version',
  UpdateProjectInput: 'budget currency description id name startDate targetEndDate version',
  UpdateRiskInput: 'category description id mitigationPlan title version',
  CreateWebhookEndpointInput: 'description eventTypes url',
  UpdateWebhookEndpointInput: 'description eventTypes id url version',
  DisableWebhookEndpointInput: 'id version',
  EnableWebhookEndpointInput: 'id version',
  RotateWebhookSecretInput: 'id version',
  DeleteWebhookEndpointInput: 'id',
  SetEmailPreferencesInput: 'preferences',
};

/** Fields the server alone sets: no input anywhere may carry them. */
const SERVER_ONLY = [
  'createdAt', 'updatedAt', 'author', 'authorId', 'owner', 'actor', 'actorId', 'requestId', 'publishedAt', 'publishedBy', 'publishedById', 'submittedAt',
  'decidedAt', 'completedAt', 'revision', 'score', 'passwordHash', 'disabledAt', 'rejectionReason', 'submissionNote', 'terminationReason', 'project',
  'organization', 'counterparty', 'assessedBy', 'assessedAt', 'occurredAt', 'changes', 'entityId', 'entityType',
];

test('every mutation input has exactly its reviewed fields, and none the server sets', async () => {
  const res = await app.gql(
    `{ __schema { mutationType { fields { name args { type { ofType { name } } } } } types { name kind inputFields { name } } } }`,
    {}, await kit.token('admin'),
  );
  const types = new Map<string, string[]>(
    res.data.__schema.types.filter((t: any) => t.kind === 'INPUT_OBJECT').map((t: any) => [t.name, t.inputFields.map((f: any) => f.name).sort()]),
  );
  const used = res.data.__schema.mutationType.fields
    .map((f: any) => f.args[0]?.type.ofType?.name)
    .filter((n: string) => n && !['LoginInput', 'CreateApiTokenInput', 'RevokeApiTokenInput', 'MarkNotificationsReadInput', 'MarkAllNotificationsReadInput'].includes(n));
  const actual = Object.fromEntries([...used, 'FinancialReportLineInput'].sort().map((n: string) => [n, types.get(n)!.join(' ')]));
  expect(actual).toEqual(Object.fromEntries(Object.entries(INPUT_FIELDS).sort(([a], [b]) => a.localeCompare(b))));

  for (const [name, fields] of Object.entries(INPUT_FIELDS)) {
    const list = fields.split(' ');
    expect({ name, serverOnly: list.filter((f) => SERVER_ONLY.includes(f)) }).toEqual({ name, serverOnly: [] });
    // status only through the status mutations, version only where the object already exists.
    if (list.includes('status')) expect(name).toMatch(/^Change\w+StatusInput$/);
    if (name.startsWith('Create') || name.startsWith('Post') || name.startsWith('Raise') || name.startsWith('Record')) expect(list).not.toContain('version');
    if (list.includes('ownerId')) expect(name).toBe('AssignRiskOwnerInput');
  }
});

describe('inputs carrying fields they do not have are refused before anything runs', () => {
  const ATTEMPTS: [string, MutationName, string, () => Promise<Record<string, unknown>>][] = [
    ['a contract activated by an update', 'updateContract', 'pm', async () => ({ id: await kit.newContract('atlas'), version: 1, title: 'x', status: 'ACTIVE' })],
    ['a forged author', 'postProjectUpdate', 'pm', async () => ({ projectId: await kit.project('atlas'), title: 't', body: 'b', audience: 'INVESTORS', authorId: await kit.user('admin') })],
    ['a chosen id, version and status', 'createProject', 'admin', async () => ({
      id: 'UHJvamVjdDowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA', version: 7, status: 'ACTIVE', code: 'MA-1', name: 'x', currency: 'EUR', budget: '1.00',
      startDate: '2030-01-01', targetEndDate: '2030-02-01',
    })],
    ['a partner risk made public and owned', 'raiseRisk', 'cobalt', async () => ({
      contractId: await kit.contract('ATL-C-001'), title: 'r', category: 'OTHER', likelihood: 1, impact: 1, visibility: 'STAKEHOLDERS', ownerId: await kit.user('pm'),
    })],
    ['a partner accepting their own deliverable', 'submitDeliverable', 'cobalt', async () => ({
      id: await kit.newDeliverable('ATL-C-001', 'IN_PROGRESS'), version: 1, status: 'ACCEPTED', rejectionReason: null,
    })],
    ['a draft published by an edit', 'updateFinancialReport', 'pm', async () => ({ id: await kit.newReport('atlas'), version: 1, status: 'PUBLISHED', revision: 5 })],
    ['a user created disabled with a chosen hash', 'createUser', 'admin', async () => ({
      organizationId: await kit.org('Delta QA'), email: 'ma@test.example', name: 'x', role: 'VIEWER', password: 'long-enough-password', passwordHash: 'x', disabledAt: '2030-01-01T00:00:00Z',
    })],
    ['a user moved to another organization', 'changeUserRole', 'admin', async () => ({
      id: (await kit.newUser('Delta QA', 'VIEWER')).id, version: 1, role: 'MEMBER', organizationId: await kit.org('Northwind Digital'),
    })],
    ['a milestone created done', 'createMilestone', 'pm', async () => ({
      projectId: await kit.project('atlas'), title: 't', dueDate: kit.dates('atlas').start, progress: 100, completedAt: '2030-01-01T00:00:00Z',
    })],
    ['a risk re-scored without an assessment', 'updateRisk', 'pm', async () => ({ id: await kit.newRisk('atlas'), version: 1, likelihood: 5, impact: 5 })],
    ['a risk moved to another project', 'updateRisk', 'pm', async () => ({ id: await kit.newRisk('atlas'), version: 1, projectId: await kit.project('borealis') })],
  ];

  test.each(ATTEMPTS)('%s (%s)', async (_label, mutation, user, build) => {
    const input = await build();
    const before = await kit.checksums();
    const out = await kit.run(user, mutation, input);
    expect(out.code).toBe('BAD_USER_INPUT');
    expect(out.res.errors![0].message).toMatch(/is not defined by type/);
    expect(out.res.data).toBeUndefined();
    expect(await kit.checksums()).toEqual(before);
  });

  test('the same in a literal document is a validation failure', async () => {
    const id = await kit.newContract('atlas');
    const res = await app.gql(
      `mutation { updateContract(input: { id: "${id}", version: 1, status: ACTIVE }) { contract { status } userErrors { code } } }`, {}, await kit.token('pm'),
    );
    expect(res.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await kit.status('contract', id)).toBe('DRAFT');
  });
});

describe('the server sets owners, authors, states and versions', () => {
  test('a posted update is authored by the viewer', async () => {
    const u = await kit.ok('pm', 'postProjectUpdate', { projectId: await kit.project('atlas'), title: 'By pm', body: 'b', audience: 'PARTNERS' });
    expect(u).toMatchObject({ version: 1, author: { id: await kit.user('pm') } });
  });

  test('an operator risk is owned by its creator, OPEN, with a first assessment by them', async () => {
    const r = await kit.ok('pm', 'createRisk', { projectId: await kit.project('atlas'), title: 'Owned', category: 'OTHER', likelihood: 2, impact: 2 });
    expect(r).toMatchObject({ version: 1, status: 'OPEN', owner: { id: await kit.user('pm') }, score: 4, visibility: 'INTERNAL' });
    const a = await kit.sql('select likelihood, impact, assessed_by_id from risk_assessment where risk_id = ?', [uuidOf(r.id)]);
    expect(a).toEqual([{ likelihood: 2, impact: 2, assessed_by_id: uuidOf(await kit.user('pm')) }]);
  });

  test('a partner risk has CONTRACT visibility and no owner; the partner sees it, other partners and investors do not', async () => {
    const r = await kit.ok('cobalt', 'raiseRisk', { contractId: await kit.contract('ATL-C-001'), title: 'Partner raised', category: 'VENDOR', likelihood: 4, impact: 2 });
    expect(r).toMatchObject({ version: 1, status: 'OPEN', visibility: 'CONTRACT', owner: null, score: 8, contract: { id: await kit.contract('ATL-C-001') } });
    const [row] = await kit.sql('select owner_id, project_id from risk where id = ?', [uuidOf(r.id)]);
    expect(row).toEqual({ owner_id: null, project_id: uuidOf(await kit.project('atlas')) });
    const seen = async (user: 'cobalt' | 'delta' | 'aurora' | 'pm') =>
      (await app.gql('query($id: ID!) { node(id: $id) { id } }', { id: r.id }, await kit.token(user))).data.node;
    expect(await seen('cobalt')).toEqual({ id: r.id });
    expect(await seen('pm')).toEqual({ id: r.id });
    expect(await seen('delta')).toBeNull();
    expect(await seen('aurora')).toBeNull();
  });

  test('new objects start in their initial state at version 1', async () => {
    const contract = await kit.ok('pm', 'createContract', {
      projectId: await kit.project('atlas'), counterpartyId: await kit.org('Cobalt Cloud'), reference: 'INIT-1', title: 't', kind: 'FIXED_PRICE', value: '1.00',
      startDate: kit.dates('atlas').start, endDate: kit.dates('atlas').end,
    });
    expect(contract).toMatchObject({ status: 'DRAFT', version: 1, terminationReason: null });
    const deliverable = await kit.ok('pm', 'createDeliverable', { contractId: contract.id, title: 't', dueDate: kit.dates('atlas').start });
    expect(deliverable).toMatchObject({ status: 'PLANNED', version: 1, submittedAt: null, decidedAt: null, submissionNote: null, rejectionReason: null });
    const milestone = await kit.ok('pm', 'createMilestone', { projectId: await kit.project('atlas'), title: 't', dueDate: kit.dates('atlas').start });
    expect(milestone).toMatchObject({ status: 'PLANNED', version: 1, progress: 0, completedAt: null, plannedValue: null });
    const report = await kit.ok('pm', 'createFinancialReport', { projectId: await kit.project('atlas'), periodStart: '2033-01-01', periodEnd: '2033-01-31' });
    expect(report).toMatchObject({ status: 'DRAFT', version: 1, revision: 1, publishedAt: null, publishedBy: null });
    const project = await kit.ok('admin', 'createProject', { code: 'INIT-1', name: 'n', currency: 'EUR', budget: '0.00', startDate: '2030-01-01', targetEndDate: '2030-01-01' });
    expect(project).toMatchObject({ status: 'PLANNED', version: 1 });
  });
});

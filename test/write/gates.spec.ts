/**
 * One vocabulary for write permission: every write mutation declares a role
 * predicate of the policy on its root field, which refuses (FORBIDDEN, with
 * its own message) before any id is decoded or row loaded; permission on the
 * target is checked after it is found (NOT_FOUND first) and before its
 * version (VERSION_CONFLICT last).
 */
import type { GraphQLSchema } from 'graphql';
import { accessPredicateOf, accessRuleOf } from '../../src/access/access';
import { can } from '../../src/access/policy';
import { createSchema } from '../../src/schema';
import { startTestApp, type TestApp } from '../support/app';
import { WriteKit, type MutationName } from './support';

const OPERATE = 'Only the operator\'s administrators and project managers can';
/** A malformed id: decoding it is BAD_USER_INPUT, so a FORBIDDEN answer shows the gate came first. */
const GARBAGE = 'not-a-global-id';

describe('the declared gates', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await createSchema();
  });

  test('every write mutation but login and the viewer\'s own settings declares one of the role predicates', () => {
    const roles = new Map<unknown, string>([
      [can.operate, 'operate'], [can.administer, 'administer'], [can.actAsPartnerMember, 'actAsPartnerMember'],
      [can.ask, 'ask'], [can.converse, 'converse'], [can.readReports, 'readReports'],
    ]);
    const declared = Object.values(schema.getMutationType()!.getFields()).map((f) => [f.name, roles.get(accessPredicateOf(f)) ?? accessRuleOf(f)]);
    const byGate: Record<string, string[]> = {};
    for (const [name, gate] of declared) (byGate[gate as string] ??= []).push(name as string);
    expect(byGate.public).toEqual(['login']);
    // The viewer's own tokens, inbox, e-mail preferences and exports; webhook endpoints check can.manageWebhooks on the organization.
    expect(byGate.authenticated?.sort()).toEqual([
      'createApiToken', 'createWebhookEndpoint', 'deleteWebhookEndpoint', 'disableWebhookEndpoint', 'enableWebhookEndpoint', 'markAllNotificationsRead',
      'markNotificationsRead', 'requestExport', 'revokeApiToken', 'rotateWebhookSecret', 'setEmailPreferences', 'updateWebhookEndpoint',
    ]);
    expect(byGate.actAsPartnerMember?.sort()).toEqual(['raiseRisk', 'startDeliverable', 'submitDeliverable']);
    expect(byGate.administer?.sort()).toEqual([
      'assignProjectManagers', 'changeUserRole', 'createOrganization', 'createProject', 'createUser', 'disableUser', 'recordInvestment', 'updateInvestment',
    ]);
    expect(byGate.ask).toEqual(['askQuestion']);
    expect(byGate.converse).toEqual(['postMessage']);
    expect(byGate.readReports?.sort()).toEqual(['acknowledgeReport', 'markReportOpened']);
    // 34 workflow writes and the three file mutations (attachFiles, createDocumentFolder, addProjectDocument).
    expect(byGate.operate?.length).toBe(37);
    expect(Object.keys(byGate).sort()).toEqual(['actAsPartnerMember', 'administer', 'ask', 'authenticated', 'converse', 'operate', 'public', 'readReports']);
  });
});

describe('over the API', () => {
  let app: TestApp;
  let kit: WriteKit;
  beforeAll(async () => {
    app = await startTestApp();
    kit = new WriteKit(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  const refusal = async (user: string, name: MutationName, input: Record<string, unknown>) => {
    const out = await kit.run(user, name, input);
    return { code: out.code, message: out.res.errors?.[0]?.message, data: out.res.data?.[name] ?? null };
  };

  test.each([
    ['aurora', 'createContract', { projectId: GARBAGE, counterpartyId: GARBAGE, reference: 'X', title: 'X', kind: 'FIXED_PRICE', value: '1.00', startDate: '2030-01-01', endDate: '2030-02-01' }, `${OPERATE} change contracts`],
    ['cobalt', 'updateMilestone', { id: GARBAGE, version: 1 }, `${OPERATE} change milestones`],
    ['delta', 'publishFinancialReport', { id: GARBAGE, version: 1 }, `${OPERATE} change financial reports`],
    ['beacon', 'changeRiskStatus', { id: GARBAGE, version: 1, status: 'CLOSED' }, `${OPERATE} change the risk register`],
    ['cobalt', 'postProjectUpdate', { projectId: GARBAGE, title: 'X', body: 'X', audience: 'STAKEHOLDERS' }, `${OPERATE} post project updates`],
    ['aurora', 'acceptDeliverable', { id: GARBAGE, version: 1 }, `${OPERATE} do this`],
    ['aurora', 'updateProject', { id: GARBAGE, version: 1 }, `${OPERATE} do this`],
    ['pm', 'createProject', { code: 'GATE-1', name: 'X', currency: 'EUR', budget: '1.00', startDate: '2030-01-01', targetEndDate: '2030-02-01' }, 'Only administrators can create projects'],
    ['pm', 'assignProjectManagers', { id: GARBAGE, version: 1, managerIds: [GARBAGE] }, 'Only administrators can assign project managers'],
    ['pm', 'recordInvestment', { projectId: GARBAGE, organizationId: GARBAGE, committedAmount: '1.00', committedOn: '2030-01-01' }, 'Only administrators can record investments'],
    ['pm', 'disableUser', { id: GARBAGE, version: 1 }, 'Only administrators can manage organizations and users'],
    ['pm', 'startDeliverable', { id: GARBAGE, version: 1 }, 'Only members of the partner organization holding the contract can start or submit its deliverables'],
    ['aurora', 'submitDeliverable', { id: GARBAGE, version: 1 }, 'Only members of the partner organization holding the contract can start or submit its deliverables'],
    ['admin', 'raiseRisk', { contractId: GARBAGE, title: 'X', category: 'OTHER', likelihood: 1, impact: 1 }, 'Only members of a partner organization can raise risks on their contracts'],
  ] as [string, MutationName, Record<string, unknown>, string][])('%s %s: FORBIDDEN before its ids are even decoded', async (user, name, input, message) => {
    const before = await kit.checksums();
    expect(await refusal(user, name, input)).toEqual({ code: 'FORBIDDEN', message, data: null });
    expect(await kit.checksums()).toEqual(before);
  });

  test('a partner VIEWER is refused by the partner gate too', async () => {
    const viewer = (await kit.newUser('Cobalt Cloud', 'VIEWER')).email;
    expect(await refusal(viewer, 'startDeliverable', { id: GARBAGE, version: 1 })).toEqual({
      code: 'FORBIDDEN', message: 'Only members of the partner organization holding the contract can start or submit its deliverables', data: null,
    });
  });

  test('past the gate, the id is decoded: a malformed one is BAD_USER_INPUT', async () => {
    expect((await kit.run('pm', 'updateMilestone', { id: GARBAGE, version: 1 })).code).toBe('BAD_USER_INPUT');
  });

  test('target: NOT_FOUND before FORBIDDEN before VERSION_CONFLICT', async () => {
    const update = await kit.ok('pm', 'postProjectUpdate', { projectId: await kit.project('atlas'), title: 'Gate order', body: 'Body.', audience: 'STAKEHOLDERS' });
    expect(update.version).toBe(1);
    // Visible but not theirs, with a stale version: the permission answers, not the version.
    expect(await refusal('admin', 'editProjectUpdate', { id: update.id, version: 7, title: 'Hijack' })).toEqual({
      code: 'FORBIDDEN', message: 'Only the author of a project update can edit it', data: null,
    });
    // Theirs, stale: the version conflict names the object as before.
    const stale = await kit.run('pm', 'editProjectUpdate', { id: update.id, version: 7, title: 'Late' });
    expect(stale.res.errors).toBeUndefined();
    expect(stale.userErrors).toEqual([{
      code: 'VERSION_CONFLICT', field: ['input', 'version'],
      message: 'ProjectUpdate was changed by someone else since you read it (current version 1, you sent 7): reload it and retry',
    }]);
    // Invisible (a Cirrus risk for the Atlas/Borealis manager), stale and not theirs: NOT_FOUND, like a random id.
    const [cirrusRisk] = await kit.sql<{ id: string }>('select r.id from risk r join project p on p.id = r.project_id where p.name = ? limit 1', ['Cirrus']);
    const id = Buffer.from(`Risk:${cirrusRisk.id}`).toString('base64url');
    expect(await refusal('pm', 'changeRiskStatus', { id, version: 99, status: 'CLOSED' })).toEqual({ code: 'NOT_FOUND', message: 'No Risk with this id', data: null });
    // The same object, visible to the ADMIN, stale: the version conflict.
    const admin = await kit.run('admin', 'changeRiskStatus', { id, version: 99, status: 'CLOSED' });
    expect(admin.userErrors.map((e) => e.code)).toEqual(['VERSION_CONFLICT']);
    expect(admin.userErrors[0].message).toMatch(/^Risk was changed by someone else since you read it \(current version \d+, you sent 99\): reload it and retry$/);
  });
});

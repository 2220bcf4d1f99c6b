/**
 * The audit trail: every successful mutation writes one AuditEvent (actor,
 * action, entity, project, changed fields before/after, request id) in its
 * own transaction; a failed one writes none. Operators read it through
 * `auditEvents` (ADMIN everything, MANAGER their projects) and `auditTrail`.
 */
import { addDays } from '../../src/core/dates';
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

const EVENTS = `
  query Events($filter: AuditEventFilter, $first: Int, $after: String) {
    auditEvents(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage endCursor }
      nodes { id action entityType entityId occurredAt requestId changes actor { id } project { id } }
    }
  }`;

async function events(user: string, filter: Record<string, unknown>, first = 50, after: string | null = null) {
  return app.gql(EVENTS, { filter, first, after }, await kit.token(user));
}

test('an update records who, what, which object, which project, before/after and the request id', async () => {
  const id = await kit.newMilestone('atlas');
  const [before] = await kit.sql<{ title: string; due_date: string }>('select title, due_date::text from milestone where id = ?', [uuidOf(id)]);
  const newDue = addDays(before.due_date, 7);
  const res = await app.gql(
    'mutation($input: UpdateMilestoneInput!) { updateMilestone(input: $input) { milestone { id } userErrors { code } } }',
    { input: { id, version: 1, title: 'Audited title', dueDate: newDue, plannedValue: '1000.00', description: '' } },
    await kit.token('pm'),
  );
  expect(res.data.updateMilestone.userErrors).toEqual([]);
  const requestId = res.headers.get('x-request-id');
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);

  const out = await events('pm', { entityId: id });
  expect(out.errors).toBeUndefined();
  const [update, create] = out.data.auditEvents.nodes;
  expect(out.data.auditEvents.totalCount).toBe(2);
  expect(create.action).toBe('milestone.create');
  // Unchanged fields (plannedValue, description) are not listed.
  expect(update).toEqual({
    id: expect.any(String),
    action: 'milestone.update',
    entityType: 'Milestone',
    entityId: id,
    occurredAt: expect.any(String),
    requestId,
    changes: { title: { before: before.title, after: 'Audited title' }, dueDate: { before: before.due_date, after: newDue } },
    actor: { id: await kit.user('pm') },
    project: { id: await kit.project('atlas') },
  });
  expect(Date.now() - Date.parse(update.occurredAt)).toBeLessThan(60_000);
});

test('a creation lists every field set, with ids as global ids; a user\'s password never appears', async () => {
  const user = await kit.ok('admin', 'createUser', {
    organizationId: await kit.org('Delta QA'), email: 'audited@test.example', name: 'Audited', role: 'VIEWER', password: 'a-secret-password-123',
  });
  const out = await events('admin', { entityId: user.id });
  expect(out.data.auditEvents.nodes.map((e: any) => [e.action, e.project, e.changes])).toEqual([[
    'user.create', null, {
      email: { before: null, after: 'audited@test.example' }, name: { before: null, after: 'Audited' }, role: { before: null, after: 'VIEWER' },
      organization: { before: null, after: await kit.org('Delta QA') },
    },
  ]]);
  const [raw] = await kit.sql<{ changes: string }>('select changes::text from audit_event where entity_id = ?', [uuidOf(user.id)]);
  expect(raw.changes).not.toMatch(/password|secret|argon/i);
});

describe('a failed mutation leaves no audit event and no change', () => {
  test.each([
    ['VERSION_CONFLICT', async () => ({ user: 'pm', m: 'updateMilestone', input: { id: await kit.newMilestone('atlas'), version: 9, title: 'x' } })],
    ['VALIDATION', async () => ({ user: 'pm', m: 'setMilestoneProgress', input: { id: await kit.newMilestone('atlas'), version: 1, progress: -1 } })],
    ['INVALID_TRANSITION', async () => ({ user: 'pm', m: 'cancelMilestone', input: { id: await kit.newMilestone('atlas', 'DONE'), version: 1 } })],
    ['FORBIDDEN', async () => ({ user: 'aurora', m: 'cancelMilestone', input: { id: await kit.newMilestone('atlas'), version: 1 } })],
    ['NOT_FOUND', async () => ({ user: 'pm', m: 'cancelMilestone', input: { id: await kit.newMilestone('cirrus'), version: 1 } })],
    ['BAD_USER_INPUT', async () => ({ user: 'pm', m: 'cancelMilestone', input: { id: 'nope', version: 1 } })],
  ] as const)('%s', async (code, build) => {
    const { user, m, input } = await build();
    const before = await kit.checksums();
    const out = await kit.run(user, m as any, input);
    expect(out.code ?? out.userErrors[0]?.code).toBe(code);
    expect(await kit.checksums()).toEqual(before);
  });

  test('racing creations of the same project code: one project, one event', async () => {
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => kit.run('admin', 'createProject', {
      code: 'RACE-1', name: 'Race', currency: 'EUR', budget: '1.00', startDate: '2030-01-01', targetEndDate: '2030-01-02',
    })));
    expect(outcomes.filter((o) => o.object).length).toBe(1);
    expect(outcomes.filter((o) => o.userErrors[0]?.code === 'ALREADY_EXISTS').length).toBe(9);
    const [p] = await kit.sql<{ id: string }>("select id from project where code = 'RACE-1'");
    const rows = await kit.sql('select action from audit_event where entity_id = ?', [p.id]);
    expect(rows).toEqual([{ action: 'project.create' }]);
  });
});

describe('who reads the audit trail', () => {
  let cirrusEvent: string;
  let atlasEvent: string;
  let orgEvent: string;
  beforeAll(async () => {
    cirrusEvent = await kit.newMilestone('cirrus');
    atlasEvent = await kit.newMilestone('atlas');
    orgEvent = (await kit.ok('admin', 'createOrganization', { name: 'Audit Org', kind: 'VENDOR' })).id;
  });

  test('ADMIN: everything, including organizations and users', async () => {
    for (const id of [cirrusEvent, atlasEvent, orgEvent]) {
      expect((await events('admin', { entityId: id })).data.auditEvents.totalCount).toBe(1);
    }
  });

  test('MANAGER: the events of the projects they manage only', async () => {
    expect((await events('pm', { entityId: atlasEvent })).data.auditEvents.totalCount).toBe(1);
    expect((await events('pm', { entityId: cirrusEvent })).data.auditEvents.totalCount).toBe(0);
    expect((await events('pm', { entityId: orgEvent })).data.auditEvents.totalCount).toBe(0);
    expect((await events('pm', { projectId: await kit.project('cirrus') })).data.auditEvents.totalCount).toBe(0);
    const all = await events('pm', {}, 100);
    const projects = new Set(all.data.auditEvents.nodes.map((e: any) => e.project?.id));
    expect([...projects].sort()).toEqual([await kit.project('atlas')]);
    // Totals agree with the database, scoped the same way.
    const [row] = await kit.sql<{ n: string }>(
      "select count(*)::text as n from audit_event where project_id in (select project_id from project_manager pm join app_user u on u.id = pm.user_id where u.email = 'pm@northwind.example')",
    );
    expect(all.data.auditEvents.totalCount).toBe(Number(row.n));
  });

  test.each(['aurora', 'beacon', 'cobalt', 'delta'])('%s: FORBIDDEN', async (user) => {
    const out = await events(user, {});
    expect(out.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(out.data).toBeNull();
  });

  test('auditTrail on objects: operators see the changes, everyone else an empty trail', async () => {
    const query = 'query($id: ID!) { node(id: $id) { ... on Milestone { auditTrail { totalCount nodes { action } } } } }';
    const pm = await app.gql(query, { id: atlasEvent }, await kit.token('pm'));
    expect(pm.data.node.auditTrail).toEqual({ totalCount: 1, nodes: [{ action: 'milestone.create' }] });
    for (const user of ['aurora', 'cobalt']) {
      const out = await app.gql(query, { id: atlasEvent }, await kit.token(user));
      expect(out.errors).toBeUndefined();
      expect(out.data.node.auditTrail).toEqual({ totalCount: 0, nodes: [] });
    }
    const project = await app.gql('{ projects(first: 5) { nodes { name auditTrail { totalCount } } } }', {}, await kit.token('aurora'));
    expect(project.data.projects.nodes.map((p: any) => p.auditTrail.totalCount)).toEqual([0, 0]);
  });
});

test('filters by project, entity type, actor, action and time; pages newest first with stable cursors', async () => {
  const start = new Date(Date.now() - 1000).toISOString();
  const id = await kit.newRisk('borealis');
  for (let i = 1; i <= 4; i += 1) await kit.ok('pm', 'reassessRisk', { id, version: i, likelihood: i, impact: 5, note: `Round ${i}` });
  const end = new Date(Date.now() + 1000).toISOString();

  const filter = { projectId: await kit.project('borealis'), entityType: 'RISK', actorId: await kit.user('pm'), action: 'risk.reassess', from: start, to: end };
  const page1 = await events('pm', filter, 3);
  expect(page1.errors).toBeUndefined();
  expect(page1.data.auditEvents.totalCount).toBe(4);
  expect(page1.data.auditEvents.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  expect(page1.data.auditEvents.nodes.map((e: any) => e.changes.note.after)).toEqual(['Round 4', 'Round 3', 'Round 2']);
  const page2 = await events('pm', filter, 3, page1.data.auditEvents.pageInfo.endCursor);
  expect(page2.data.auditEvents.nodes.map((e: any) => e.changes.note.after)).toEqual(['Round 1']);
  expect(page2.data.auditEvents.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  expect(page2.data.auditEvents.totalCount).toBe(4);

  // The admin's creation of the risk is not pm's.
  expect((await events('pm', { ...filter, action: 'risk.create' })).data.auditEvents.totalCount).toBe(0);
  expect((await events('admin', { entityId: id, actorId: await kit.user('admin') })).data.auditEvents.nodes.map((e: any) => e.action)).toEqual(['risk.create']);
  // A window before the changes is empty.
  expect((await events('pm', { ...filter, from: '2000-01-01T00:00:00Z', to: start })).data.auditEvents.totalCount).toBe(0);
  // The trail shows the same five events on the risk itself.
  const trail = await app.gql('query($id: ID!) { node(id: $id) { ... on Risk { auditTrail(first: 10) { totalCount nodes { action } } } } }', { id }, await kit.token('pm'));
  expect(trail.data.node.auditTrail.nodes.map((e: any) => e.action)).toEqual(['risk.reassess', 'risk.reassess', 'risk.reassess', 'risk.reassess', 'risk.create']);
});

test('malformed filter ids are BAD_USER_INPUT', async () => {
  for (const filter of [{ projectId: 'x' }, { actorId: gid('Project', '00000000-0000-0000-0000-000000000000') }, { entityId: '!!' }]) {
    const out = await events('admin', filter);
    expect(out.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  }
});

test('forged cursors are BAD_USER_INPUT, not database errors', async () => {
  const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  for (const after of [forge(['2030-01-01T00:00:00.000Z', 'not-a-uuid']), forge(['yesterday', '00000000-0000-0000-0000-000000000000']), forge([3, 'x']), 'garbage']) {
    const out = await events('admin', {}, 5, after);
    expect(out.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  }
});

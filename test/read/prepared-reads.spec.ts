/**
 * Prepared reads (src/access/prepared-reads.ts, PREPARED_READS): the
 * reader's statements are built once per shape of the scoped condition and
 * bound per request. One server prepares (the shipped default), another on
 * the same database builds every statement with the QueryBuilder
 * (PREPARED_READS=off): every viewer gets the same answers from both, with
 * the same number of statements; two viewers of one shape share one
 * statement text and still get their own rows; a condition the shape cannot
 * stand for (a DateTime value) is built per request, with the same rows.
 */
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/core/logger';
import { startServer, type RunningServer } from '../../src/http/server';
import { compileShape, numbered, shapeOf } from '../../src/access/prepared-reads';
import { Reader } from '../../src/access/reader';
import { buildViewer } from '../../src/access/viewer';
import { Milestone } from '../../src/model/milestone.entity';
import { User } from '../../src/model/identity.entity';
import { startTestApp, USERS, type DemoUser, type TestApp } from '../support/app';

jest.setTimeout(60_000);

let app: TestApp;
let off: RunningServer;
beforeAll(async () => {
  app = await startTestApp();
  off = await startServer(app.orm, { ...app.config, preparedReads: false }, createLogger('silent'), 0);
});
afterAll(async () => {
  await off?.stop();
  await new Promise((resolve) => off?.httpServer.close(resolve));
  await app?.close();
});

async function post(url: string, query: string, variables: Record<string, unknown>, token: string): Promise<{ body: any; statements: string[] }> {
  app.sql.reset();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json() as any;
  if (body.extensions?.cost) body.extensions.cost = { ...body.extensions.cost, throttleStatus: 'compared elsewhere' };
  return { body, statements: [...app.sql.statements] };
}

const PROJECT_TREE = `query T($first: Int, $status: [DeliverableStatus!], $since: Date) {
  projects(first: $first) {
    totalCount
    nodes {
      code name budget
      milestones(first: 5, filter: { overdue: false, dueFrom: $since }) { totalCount nodes { title dueDate status plannedValue deliverables(first: 3, filter: { status: $status }) { totalCount nodes { title status contract { reference counterparty { name } } } } } }
      contracts(first: 5) { totalCount nodes { reference status value } }
      financialReports(first: 2) { totalCount nodes { periodStart status revision lines { nodes { category actual estimateToComplete } } } }
      risks(first: 5, filter: { minScore: 2 }) { totalCount nodes { title score visibility } }
      investments { nodes { committedAmount organization { name } } }
      updates(first: 3) { nodes { title audience } }
    }
  }
}`;

const CASES: { name: string; query: string; variables?: Record<string, unknown> }[] = [
  { name: 'project tree with filters', query: PROJECT_TREE, variables: { first: 10, status: ['IN_PROGRESS', 'SUBMITTED', 'ACCEPTED'], since: '2020-01-01' } },
  { name: 'last page', query: '{ projects(last: 2) { totalCount pageInfo { hasPreviousPage hasNextPage } nodes { code } } }' },
  { name: 'search and status', query: '{ projects(filter: { search: "a", status: [ACTIVE, ON_HOLD] }) { totalCount nodes { code status } } }' },
  { name: 'organizations and users', query: '{ organizations(first: 20) { totalCount nodes { name kind } } users(first: 50) { totalCount nodes { email role } } }' },
  { name: 'nodes', query: '{ viewer { organization { name } } projects(first: 3) { nodes { id } } }' },
];

const VIEWERS: DemoUser[] = ['admin', 'pm', 'aurora', 'beacon', 'cobalt', 'delta'];

test('every viewer gets the same answers, with as many statements, prepared or built per request', async () => {
  const differences: string[] = [];
  let prepared = 0;
  for (const who of VIEWERS) {
    const token = await app.login(USERS[who]);
    for (const c of CASES) {
      const reference = await post(off.url, c.query, c.variables ?? {}, token);
      expect(reference.statements.some((s) => s.includes('$1'))).toBe(false);
      const answer = await post(app.server.url, c.query, c.variables ?? {}, token);
      if (JSON.stringify(answer.body) !== JSON.stringify(reference.body)) differences.push(`${who}, ${c.name}: ${JSON.stringify(answer.body)} vs ${JSON.stringify(reference.body)}`);
      if (answer.statements.length !== reference.statements.length) differences.push(`${who}, ${c.name}: ${answer.statements.length} statements vs ${reference.statements.length}`);
      // The reader's statements (alias "e") are all prepared.
      const reader = answer.statements.filter((s) => s.includes(' as "e"'));
      const perRequest = reader.filter((s) => !s.includes('$1'));
      if (perRequest.length) differences.push(`${who}, ${c.name}: built per request: ${perRequest.join('; ')}`);
      prepared += reader.length;
    }
  }
  expect(differences).toEqual([]);
  expect(prepared).toBeGreaterThan(50);
});

test('the answers compared above hold data for every side', async () => {
  const counts: Record<string, number> = {};
  for (const who of VIEWERS) {
    const { body } = await post(app.server.url, PROJECT_TREE, { first: 10, status: null, since: null }, await app.login(USERS[who]));
    expect((body.errors ?? []).filter((e: { extensions: { code: string } }) => e.extensions.code !== 'FORBIDDEN')).toEqual([]);
    counts[who] = body.data.projects.totalCount;
  }
  expect(counts).toEqual({ admin: 3, pm: 2, aurora: 2, beacon: 2, cobalt: 1, delta: 1 });
});

test('two viewers of one shape share the statement and each gets their own rows', async () => {
  const query = '{ projects(first: 10) { nodes { code contracts(first: 10) { nodes { reference } } } } }';
  const [cobalt, delta] = [await post(app.server.url, query, {}, await app.login(USERS.cobalt)), await post(app.server.url, query, {}, await app.login(USERS.delta))];
  // The reader's statements (the viewer's scope, read on a first request, has its own).
  const contractStatements = (r: { statements: string[] }) => r.statements.filter((x) => x.includes('from "contract" as "e"'));
  expect(contractStatements(cobalt)).toHaveLength(1);
  expect(contractStatements(cobalt)).toEqual(contractStatements(delta));
  expect(contractStatements(cobalt)[0]).toContain('"e"."project_id" = any($1) and "e"."counterparty_id" = $2');
  expect(cobalt.body.data.projects.nodes).toEqual([{ code: 'PRJ-2025-01', contracts: { nodes: [{ reference: 'ATL-C-001' }] } }]);
  expect(delta.body.data.projects.nodes).toEqual([{ code: 'PRJ-2025-02', contracts: { nodes: [{ reference: 'BOR-C-001' }] } }]);
});

test('a condition with a DateTime value is built per request, with the same rows', async () => {
  const em = app.orm.em.fork();
  const user = await em.findOneOrFail(User, { email: USERS.pm }, { populate: ['organization'] });
  const viewer = await buildViewer(em, user, null);
  const spec = { where: { createdAt: { $gte: new Date('2000-01-01T00:00:00Z') } }, sort: 'dueDate' as const };
  app.sql.reset();
  const prepared = await new Reader(em, viewer, true).list(Milestone, spec);
  expect(app.sql.statements.filter((s) => s.includes('from "milestone" as "e"') && !s.includes('$1'))).toHaveLength(1);
  const reference = await new Reader(em, viewer, false).list(Milestone, spec);
  // The pm manages two projects of six milestones each.
  expect(prepared.length).toBe(12);
  expect(prepared.map((m) => m.id)).toEqual(reference.map((m) => m.id));
  // The same list without the DateTime is prepared, and the pm's scope still applies.
  app.sql.reset();
  const all = await new Reader(em, viewer, true).list(Milestone, { sort: 'dueDate' });
  expect(app.sql.statements.filter((s) => s.includes('from "milestone" as "e"') && s.includes('= any($1)'))).toHaveLength(1);
  expect(all.map((m) => m.id)).toEqual(reference.map((m) => m.id));
  const managed = viewer.projectIds as ReadonlySet<string>;
  expect(managed.size).toBe(2);
  expect(all.every((m) => managed.has(m.project.id))).toBe(true);
});

describe('shapes', () => {
  test('values become markers; equal shapes share a key, different operators or nesting do not', () => {
    const a = shapeOf({ $and: [{ project: { $in: ['p1', 'p2'] } }, { status: 'OPEN', isPrivate: false, score: 3 }] })!;
    const b = shapeOf({ $and: [{ project: { $in: ['p9'] } }, { status: 'DONE', isPrivate: true, score: 25 }] })!;
    expect(a.values).toEqual([['p1', 'p2'], 'OPEN', false, 3]);
    expect(b.values).toEqual([['p9'], 'DONE', true, 25]);
    expect(a.key).toBe(b.key);
    expect(shapeOf({ $and: [{ project: { $nin: ['p1'] } }, { status: 'OPEN', isPrivate: false, score: 3 }] })!.key).not.toBe(a.key);
    expect(shapeOf({ $or: [{ project: { $in: ['p1'] } }, { status: 'OPEN', isPrivate: false, score: 3 }] })!.key).not.toBe(a.key);
    expect(shapeOf({ readAt: { $eq: null } })!.values).toEqual([]);
  });

  test('a Date, an entity-like object, an implicit list or a raw key has no shape', () => {
    expect(shapeOf({ occurredAt: { $gt: new Date() } })).toBeNull();
    class Ref { id = 'x'; }
    expect(shapeOf({ project: new Ref() })).toBeNull();
    expect(shapeOf({ id: ['a', 'b'] })).toBeNull();
    expect(shapeOf({ '[raw]: now() (#1)': 1 })).toBeNull();
    expect(shapeOf({ id: { $in: [{ id: 'a' }] } })).toBeNull();
  });

  test('lists become one array parameter; a value the builder changed or dropped refuses the shape', () => {
    const shape = shapeOf({ project: { $in: ['p1', 'p2'] }, status: { $nin: ['DONE'] }, code: 'X' })!;
    const [list, excluded, code] = [0, 1, 2].map((i) => (i === 0 || i === 1 ? [`\u0001vantage:${i}`] : `\u0001vantage:${i}`));
    expect((shape.marked as any).project.$in).toEqual(list);
    expect((shape.marked as any).status.$nin).toEqual(excluded);
    const sql = 'select "e"."id" from "t" as "e" where "e"."project_id" in (?) and "e"."status" not in (?) and "e"."code" = ? limit ?';
    const compiled = compileShape(sql, [list[0], excluded[0], code, 10], shape.values)!;
    expect(compiled.text).toBe('select "e"."id" from "t" as "e" where "e"."project_id" = any(?) and "e"."status" <> all(?) and "e"."code" = ? limit ?');
    expect(compiled.slots).toEqual([{ value: 0 }, { value: 1 }, { value: 2 }, { constant: 10 }]);
    expect(numbered(compiled.text)).toBe('select "e"."id" from "t" as "e" where "e"."project_id" = any($1) and "e"."status" <> all($2) and "e"."code" = $3 limit $4');
    // A marker altered (wrapped in a pattern), missing, or a list not written as `in (?)`: no statement of the shape.
    expect(compileShape(sql, [list[0], excluded[0], `%${code}%`, 10], shape.values)).toBeNull();
    expect(compileShape('select 1 where "a" in (?) and "b" not in (?) and "c" = ? and 1 = ?', [list[0], excluded[0], 'constant', 10], shape.values)).toBeNull();
    expect(compileShape('select 1 where "a" = ? and "b" not in (?) and "c" = ?', [list[0], excluded[0], code], shape.values)).toBeNull();
    expect(compileShape(sql, [list[0], excluded[0], code], shape.values)).toBeNull();
  });
});

test('PREPARED_READS is on by default, turns off, and refuses anything else', () => {
  expect(loadConfig({ NODE_ENV: 'development' }).preparedReads).toBe(true);
  expect(loadConfig({ NODE_ENV: 'test' }).preparedReads).toBe(true);
  expect(loadConfig({ NODE_ENV: 'test', PREPARED_READS: 'off' }).preparedReads).toBe(false);
  expect(() => loadConfig({ NODE_ENV: 'test', PREPARED_READS: 'sometimes' })).toThrow(/PREPARED_READS/);
});

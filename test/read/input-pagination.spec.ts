/**
 * Bad input is the client's problem and says so (BAD_USER_INPUT or a GraphQL
 * validation error, never INTERNAL_SERVER_ERROR); cursor pagination is exact
 * in both directions, whatever the order.
 */
import { randomUUID } from 'node:crypto';
import { toGlobalId } from '../../src/core/global-id';
import { encodeCursor, pageRequest } from '../../src/core/pagination';
import { startTestApp, USERS, type GqlResult, type TestApp } from '../support/app';
import { MILESTONES } from './demo-model';

let app: TestApp;
let admin: string;
let cobalt: string;
let atlasId: string;

beforeAll(async () => {
  app = await startTestApp();
  admin = await app.login(USERS.admin);
  cobalt = await app.login(USERS.cobalt);
  const res = await app.gql('{ projects(filter: { search: "Atlas" }) { nodes { id } } }', {}, admin);
  atlasId = res.data.projects.nodes[0].id;
});
afterAll(async () => {
  await app?.close();
});

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

function codes(res: GqlResult): string[] {
  return (res.errors ?? []).map((e) => String(e.extensions?.code));
}

function expectBadInput(res: GqlResult, messagePart?: RegExp) {
  expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  if (messagePart) expect(res.errors![0].message).toMatch(messagePart);
  expect(JSON.stringify(res)).not.toMatch(/INTERNAL_SERVER_ERROR/);
}

describe('global ids', () => {
  const malformed: [string, string][] = [
    ['not base64url', 'not-an-id!'],
    ['empty', ''],
    ['no type', b64(randomUUID())],
    ['no uuid', b64('Project:')],
    ['not a uuid', b64('Project:12345')],
    ['type with digits', b64(`Pr0ject:${randomUUID()}`)],
    ['a raw uuid', randomUUID()],
    ['sql in the id', b64(`Project:${randomUUID()}' or 1=1 --`)],
    ['far too long', 'A'.repeat(5000)],
  ];

  test.each(malformed)('node(id): %s → BAD_USER_INPUT on node, no other error', async (_what, id) => {
    const res = await app.gql('query($id: ID!) { node(id: $id) { id } }', { id }, cobalt);
    expectBadInput(res, /is not a valid id/);
    expect(res.errors![0].path).toEqual(['node']);
    expect(res.data).toEqual({ node: null });
  });

  test('nodes(ids): one malformed id fails the field with BAD_USER_INPUT naming its position', async () => {
    const res = await app.gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [toGlobalId('Project', randomUUID()), 'garbage!'] }, cobalt);
    expectBadInput(res, /ids\[1\]/);
    expect(res.errors![0].path).toEqual(['nodes']);
    // nodes is a non-null list: the error nulls the whole answer.
    expect(res.data).toBeNull();
  });

  test('nodes(ids): more than 100 ids → BAD_USER_INPUT', async () => {
    const ids = Array.from({ length: 101 }, () => toGlobalId('Project', randomUUID()));
    const res = await app.gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids }, cobalt);
    expectBadInput(res, /at most 100/);
  });

  test('a well-formed id of a type that has no objects answers like a missing object', async () => {
    for (const type of ['Nope', 'PageInfo', 'ProjectManager', 'Query']) {
      const res = await app.gql('query($id: ID!) { node(id: $id) { id } }', { id: toGlobalId(type, randomUUID()) }, cobalt);
      expect({ type, body: res.data, errors: res.errors }).toEqual({ type, body: { node: null }, errors: undefined });
    }
  });

  test('an id of another type where one type is expected → BAD_USER_INPUT (revokeApiToken with a Project id)', async () => {
    const res = await app.gql('mutation($id: String!) { revokeApiToken(input: { id: $id }) { apiToken { id } } }', { id: atlasId }, admin);
    expectBadInput(res, /expected the id of a ApiToken, got the id of a Project/);
    expect(res.errors![0].path).toEqual(['revokeApiToken']);
    expect(res.data).toBeNull();
    const garbage = await app.gql('mutation { revokeApiToken(input: { id: "%%%" }) { apiToken { id } } }', {}, admin);
    expectBadInput(garbage, /is not a valid id/);
  });
});

describe('page arguments', () => {
  const cases: [string, string, Record<string, unknown>, RegExp][] = [
    ['first: 1000', '{ projects(first: 1000) { totalCount } }', {}, /first must be at most 100/],
    ['first: $n = 100000', 'query($n: Int) { projects(first: $n) { totalCount } }', { n: 100000 }, /first must be at most 100/],
    ['first: -1', '{ projects(first: -1) { totalCount } }', {}, /first must be zero or more/],
    ['last: -5 (variable)', 'query($n: Int) { projects(last: $n) { totalCount } }', { n: -5 }, /last must be zero or more/],
    ['last: 101', '{ projects(last: 101) { totalCount } }', {}, /last must be at most 100/],
    ['nested first: 101', '{ projects(first: 1) { nodes { milestones(first: 101) { totalCount } } } }', {}, /first must be at most 100/],
    ['first and last together', '{ projects(first: 1, last: 1) { totalCount } }', {}, /either first or last/],
    ['after: not base64 JSON', '{ projects(after: "garbage") { totalCount } }', {}, /not a valid cursor/],
    ['after: JSON of the wrong shape', `{ projects(after: "${b64('{"a":1}')}") { totalCount } }`, {}, /not a valid cursor/],
    ['after: array of the wrong types', `{ projects(after: "${b64('[[1],2]')}") { totalCount } }`, {}, /not a valid cursor/],
    ['before: junk', '{ projects(before: "%%") { totalCount } }', {}, /not a valid cursor/],
    ['nested after: junk', '{ projects(first: 1) { nodes { milestones(after: "junk") { totalCount } } } }', {}, /not a valid cursor/],
    ['minScore out of range', '{ projects(first: 1) { nodes { risks(filter: { minScore: 26 }) { totalCount } } } }', {}, /minScore must be between 1 and 25/],
    ['a bad Date in variables', 'query($d: Date) { projects(first: 1) { nodes { milestones(filter: { dueFrom: $d }) { totalCount } } } }', { d: '2024-02-30' }, /not a calendar date/],
  ];

  test.each(cases)('%s → BAD_USER_INPUT', async (_what, query, variables, message) => {
    const res = await app.gql(query, variables, admin);
    expectBadInput(res, message);
    expect(res.status).toBeLessThan(500);
  });

  test('values GraphQL itself refuses are validation errors, never 500', async () => {
    for (const query of ['{ projects(first: 2147483648) { totalCount } }', '{ projects(first: "5") { totalCount } }', '{ projects(first: 1.5) { totalCount } }', '{ node(id: true) { id } }']) {
      const res = await app.gql(query, {}, admin);
      expect({ query, codes: codes(res) }).toEqual({ query, codes: ['GRAPHQL_VALIDATION_FAILED'] });
      expect(res.status).toBe(400);
    }
    const literalDate = await app.gql('{ projects(first: 1) { nodes { milestones(filter: { dueFrom: "yesterday" }) { totalCount } } } }', {}, admin);
    expect(codes(literalDate)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    // An Int literal is a valid ID for GraphQL, but not a valid global id.
    expectBadInput(await app.gql('{ node(id: 5) { id } }', {}, admin), /is not a valid id/);
  });

  test('the resolvers check page arguments too, not only the query-cost layer in front of them', () => {
    expect(() => pageRequest({ first: 1000 })).toThrow(/at most 100/);
    expect(() => pageRequest({ first: -1 })).toThrow(/zero or more/);
    expect(() => pageRequest({ last: 101 })).toThrow(/at most 100/);
    expect(() => pageRequest({ first: 1, last: 1 })).toThrow(/either first or last/);
    expect(() => pageRequest({ first: 1.5 })).toThrow(/zero or more/);
    expect(pageRequest({})).toEqual({ first: 20, last: null, after: null, before: null });
    expect(pageRequest({ last: 3 })).toEqual({ first: null, last: 3, after: null, before: null });
  });
});

/* ---------- pagination ---------- */

const MILESTONES_PAGE = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  node(id: $id) { ... on Project { milestones(first: $first, after: $after, last: $last, before: $before) {
    totalCount edges { cursor node { title } } nodes { title }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } } }`;

async function milestonesPage(args: Record<string, unknown>) {
  const res = await app.gql(MILESTONES_PAGE, { id: atlasId, ...args }, admin);
  expect(res.errors).toBeUndefined();
  const c = res.data.node.milestones;
  expect(c.nodes).toEqual(c.edges.map((e: any) => e.node));
  expect(c.pageInfo.startCursor).toBe(c.edges[0]?.cursor ?? null);
  expect(c.pageInfo.endCursor).toBe(c.edges[c.edges.length - 1]?.cursor ?? null);
  return { titles: c.nodes.map((n: any) => n.title) as string[], totalCount: c.totalCount, pageInfo: c.pageInfo, cursors: c.edges.map((e: any) => e.cursor) as string[] };
}

describe('Atlas milestones, by due date (6)', () => {
  const all = MILESTONES.filter((m) => m.project === 'atlas').map((m) => m.title);

  test('forward with first/after: three pages of two, exact pageInfo and totalCount', async () => {
    const p1 = await milestonesPage({ first: 2 });
    expect([p1.titles, p1.totalCount, p1.pageInfo.hasNextPage, p1.pageInfo.hasPreviousPage]).toEqual([all.slice(0, 2), 6, true, false]);
    const p2 = await milestonesPage({ first: 2, after: p1.pageInfo.endCursor });
    expect([p2.titles, p2.totalCount, p2.pageInfo.hasNextPage, p2.pageInfo.hasPreviousPage]).toEqual([all.slice(2, 4), 6, true, true]);
    const p3 = await milestonesPage({ first: 2, after: p2.pageInfo.endCursor });
    expect([p3.titles, p3.totalCount, p3.pageInfo.hasNextPage, p3.pageInfo.hasPreviousPage]).toEqual([all.slice(4, 6), 6, false, true]);
    const p4 = await milestonesPage({ first: 2, after: p3.pageInfo.endCursor });
    expect(p4).toEqual({ titles: [], totalCount: 6, cursors: [], pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null } });
  });

  test('backward with last/before', async () => {
    const p1 = await milestonesPage({ last: 2 });
    expect([p1.titles, p1.totalCount, p1.pageInfo.hasNextPage, p1.pageInfo.hasPreviousPage]).toEqual([all.slice(4, 6), 6, false, true]);
    const p2 = await milestonesPage({ last: 2, before: p1.pageInfo.startCursor });
    expect([p2.titles, p2.pageInfo.hasNextPage, p2.pageInfo.hasPreviousPage]).toEqual([all.slice(2, 4), true, true]);
    const p3 = await milestonesPage({ last: 2, before: p2.pageInfo.startCursor });
    expect([p3.titles, p3.pageInfo.hasNextPage, p3.pageInfo.hasPreviousPage]).toEqual([all.slice(0, 2), true, false]);
    const p4 = await milestonesPage({ last: 2, before: p3.pageInfo.startCursor });
    expect([p4.titles, p4.pageInfo.hasPreviousPage, p4.totalCount]).toEqual([[], false, 6]);
  });

  test('a window between two cursors, the default page size, first: 0, and last larger than the list', async () => {
    const whole = await milestonesPage({});
    expect([whole.titles, whole.pageInfo.hasNextPage, whole.pageInfo.hasPreviousPage]).toEqual([all, false, false]);
    const window = await milestonesPage({ after: whole.cursors[0], before: whole.cursors[5] });
    expect(window.titles).toEqual(all.slice(1, 5));
    const windowLast = await milestonesPage({ after: whole.cursors[0], before: whole.cursors[5], last: 2 });
    expect([windowLast.titles, windowLast.pageInfo.hasPreviousPage, windowLast.pageInfo.hasNextPage]).toEqual([all.slice(3, 5), true, true]);
    const none = await milestonesPage({ first: 0 });
    expect(none).toEqual({ titles: [], totalCount: 6, cursors: [], pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null } });
    const big = await milestonesPage({ last: 100 });
    expect([big.titles, big.pageInfo.hasPreviousPage, big.pageInfo.hasNextPage]).toEqual([all, false, false]);
  });

  test('cursors are positions, not row references: a cursor past the end is just the end', async () => {
    const beyond = encodeCursor('9999-12-31', 'ffffffff-ffff-7fff-bfff-ffffffffffff');
    expect((await milestonesPage({ first: 5, after: beyond })).titles).toEqual([]);
    expect((await milestonesPage({ last: 2, before: beyond })).titles).toEqual(all.slice(4));
  });
});

/**
 * Walking any connection page by page, in either direction and in every order,
 * yields exactly the whole list once. (Cursors used to be compared as strings
 * against a database order: native enums sort by declaration, text by
 * collation, so some pages skipped rows.)
 */
describe('paging every order yields the whole list exactly once', () => {
  const variants: [string, string][] = [
    ['projects by CODE', 'projects(orderBy: { field: CODE, direction: ASC }, %ARGS%) { %PAGE% }'],
    ['projects by NAME desc', 'projects(orderBy: { field: NAME, direction: DESC }, %ARGS%) { %PAGE% }'],
    ['projects by START_DATE', 'projects(orderBy: { field: START_DATE, direction: ASC }, %ARGS%) { %PAGE% }'],
    ['milestones by TITLE', 'node(id: "%ATLAS%") { ... on Project { c: milestones(orderBy: { field: TITLE, direction: ASC }, %ARGS%) { %PAGE% } } }'],
    ['milestones by TITLE desc', 'node(id: "%ATLAS%") { ... on Project { c: milestones(orderBy: { field: TITLE, direction: DESC }, %ARGS%) { %PAGE% } } }'],
    ['milestones by DUE_DATE desc', 'node(id: "%ATLAS%") { ... on Project { c: milestones(orderBy: { field: DUE_DATE, direction: DESC }, %ARGS%) { %PAGE% } } }'],
    ['risks by SCORE (default, desc)', 'node(id: "%ATLAS%") { ... on Project { c: risks(%ARGS%) { %PAGE% } } }'],
    ['risks by TITLE', 'node(id: "%ATLAS%") { ... on Project { c: risks(orderBy: { field: TITLE, direction: ASC }, %ARGS%) { %PAGE% } } }'],
    ['reports by PUBLISHED_AT (drafts have none)', 'node(id: "%ATLAS%") { ... on Project { c: financialReports(orderBy: { field: PUBLISHED_AT, direction: ASC }, %ARGS%) { %PAGE% } } }'],
    ['reports by PUBLISHED_AT desc', 'node(id: "%ATLAS%") { ... on Project { c: financialReports(orderBy: { field: PUBLISHED_AT, direction: DESC }, %ARGS%) { %PAGE% } } }'],
    ['updates (newest first)', 'node(id: "%ATLAS%") { ... on Project { c: updates(%ARGS%) { %PAGE% } } }'],
    ['deliverables of a contract by TITLE', 'node(id: "%ATLAS%") { ... on Project { contracts(first: 1) { nodes { c: deliverables(orderBy: { field: TITLE, direction: ASC }, %ARGS%) { %PAGE% } } } } }'],
    ['report lines by category', 'node(id: "%ATLAS%") { ... on Project { financialReports(first: 1, filter: { status: [PUBLISHED] }, orderBy: { field: PERIOD_START, direction: DESC }) { nodes { c: lines(%ARGS%) { %PAGE% } } } } }'],
  ];
  const PAGE = 'totalCount edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';

  function connectionOfAnswer(data: any): any {
    if (data.projects) return data.projects;
    const p = data.node;
    if (p.c) return p.c;
    if (p.contracts) return p.contracts.nodes[0].c;
    return p.financialReports.nodes[0].c;
  }

  test.each(variants)('%s', async (_what, template) => {
    const run = async (args: string) => {
      const vars = [args.includes('$after') ? '$after: String' : '', args.includes('$before') ? '$before: String' : ''].filter(Boolean).join(', ');
      const q = `query${vars ? `(${vars})` : ''} { ${template.replace('%ATLAS%', atlasId).replace('%ARGS%', args).replace('%PAGE%', PAGE)} }`;
      return (cursor: { after?: string | null; before?: string | null }) => app.gql(q, cursor, admin);
    };
    const wholeRes = await (await run('first: 100'))({});
    expect(wholeRes.errors).toBeUndefined();
    const whole = connectionOfAnswer(wholeRes.data);
    const ids: string[] = whole.edges.map((e: any) => e.node.id);
    expect(ids.length).toBe(whole.totalCount);
    expect(ids.length).toBeGreaterThan(2);

    const forward: string[] = [];
    const next = await run('first: 2, after: $after');
    let after: string | null = null;
    for (let guard = 0; guard < 50; guard += 1) {
      const c = connectionOfAnswer((await next({ after })).data);
      forward.push(...c.edges.map((e: any) => e.node.id));
      expect(c.totalCount).toBe(ids.length);
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    expect(forward).toEqual(ids);

    const backward: string[] = [];
    const prev = await run('last: 2, before: $before');
    let before: string | null = null;
    for (let guard = 0; guard < 50; guard += 1) {
      const c = connectionOfAnswer((await prev({ before })).data);
      backward.unshift(...c.edges.map((e: any) => e.node.id));
      if (!c.pageInfo.hasPreviousPage) break;
      before = c.pageInfo.startCursor;
    }
    expect(backward).toEqual(ids);
  });
});

describe('pages cut in SQL and pages after a cursor agree on the order, whatever the characters', () => {
  // Case, accents, punctuation, a character beyond U+FFFF (a surrogate pair in JavaScript) and one just below it.
  const titles = ['alpha', 'Beta', 'ábc', 'Zeta', '_under', 'a', '😀 smile', '\uFFFD replacement', '\uE000 private', 'ab', 'AB', '0 zero'];

  test('milestones by TITLE, both directions: first/last windows equal the list paged one by one with cursors', async () => {
    const res = await app.gql('{ projects(filter: { search: "Borealis" }) { nodes { id startDate } } }', {}, admin);
    const project = res.data.projects.nodes[0];
    const created = await Promise.all(titles.map((title) => app.gql(
      'mutation($input: CreateMilestoneInput!) { createMilestone(input: $input) { milestone { id } userErrors { message } } }',
      { input: { projectId: project.id, title, dueDate: project.startDate } }, admin,
    )));
    for (const c of created) expect(c.data?.createMilestone?.userErrors).toEqual([]);

    for (const direction of ['ASC', 'DESC']) {
      const q = (args: string) => `query${args.includes('$after') ? '($after: String)' : ''} { node(id: "${project.id}") { ... on Project { milestones(orderBy: { field: TITLE, direction: ${direction} }, ${args}) {
        totalCount nodes { title } pageInfo { hasNextPage hasPreviousPage endCursor startCursor } } } } }`;
      const whole = (await app.gql(q('first: 100'), {}, admin)).data.node.milestones;
      const all: string[] = whole.nodes.map((n: any) => n.title);
      expect(all.length).toBe(whole.totalCount);
      for (const t of titles) expect(all).toContain(t);
      // The SQL order (collate "C") is JavaScript's code-point order.
      const expected = [...all].sort((x, y) => {
        const a = [...x].map((ch) => ch.codePointAt(0)!);
        const b = [...y].map((ch) => ch.codePointAt(0)!);
        for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
        return a.length - b.length;
      });
      expect(direction === 'ASC' ? all : [...all].reverse()).toEqual(expected);

      const forward: string[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 100; guard += 1) {
        const page: any = (await app.gql(q('first: 1, after: $after'), { after }, admin)).data.node.milestones;
        forward.push(...page.nodes.map((n: any) => n.title));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(forward).toEqual(all);

      for (const n of [0, 1, 3, all.length, all.length + 5]) {
        const first = (await app.gql(q(`first: ${n}`), {}, admin)).data.node.milestones;
        expect([n, first.nodes.map((x: any) => x.title), first.totalCount, first.pageInfo.hasNextPage, first.pageInfo.hasPreviousPage])
          .toEqual([n, all.slice(0, n), all.length, all.length > n, false]);
        const last = (await app.gql(q(`last: ${n}`), {}, admin)).data.node.milestones;
        expect([n, last.nodes.map((x: any) => x.title), last.totalCount, last.pageInfo.hasNextPage, last.pageInfo.hasPreviousPage])
          .toEqual([n, n ? all.slice(-n) : [], all.length, false, all.length > n]);
      }
    }
  });

  test('first: 0 and a parent without visible children still report their totals; one windowed statement per level', async () => {
    const doc = `{ all: projects(first: 100) { totalCount } projects(first: 0) { totalCount nodes { id } }
      p: projects(first: 3) { nodes { code milestones(first: 0) { totalCount nodes { id } } financialReports(first: 2) { totalCount nodes { id } } } } }`;
    app.sql.reset();
    const res = await app.gql(doc, {}, cobalt);
    expect(res.errors).toBeUndefined();
    expect(res.data.projects).toEqual({ totalCount: res.data.all.totalCount, nodes: [] });
    expect(res.data.p.nodes.length).toBeGreaterThan(0);
    for (const n of res.data.p.nodes) {
      expect(n.milestones.nodes).toEqual([]);
      expect(n.milestones.totalCount).toBeGreaterThan(0);
      // Partners see no financial report: an empty page, a total of 0.
      expect(n.financialReports).toEqual({ totalCount: 0, nodes: [] });
    }
    const milestoneStatements = app.sql.statements.filter((q) => /from "milestone"/.test(q));
    expect(milestoneStatements.length).toBe(1);
    expect(milestoneStatements[0]).toMatch(/row_number\(\) over \(partition by "e"\."project_id" order by/);
  });
});

/**
 * Root connections page in SQL after and before cursors (keyset conditions,
 * src/access/reader.ts): every order of `projects`, paged one by one forward
 * and backward, gives exactly the list read in one page, with exact pageInfo
 * and totalCount, for an operator and an investor; each cursor page is one
 * statement cut in SQL.
 */
import { startTestApp, USERS, type TestApp } from '../support/app';

jest.setTimeout(60_000);

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const PAGE = `query($first: Int, $after: String, $last: Int, $before: String, $order: ProjectOrder) {
  projects(first: $first, after: $after, last: $last, before: $before, orderBy: $order) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { code } }
  }
}`;

interface Page { totalCount: number; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null }; edges: { cursor: string; node: { code: string } }[] }

async function page(token: string, variables: Record<string, unknown>): Promise<Page> {
  const res = await app.gql(PAGE, variables, token);
  expect(res.errors).toBeUndefined();
  return res.data.projects;
}

const ORDERS = ['CODE', 'NAME', 'START_DATE', 'CREATED_AT'].flatMap((field) => [{ field, direction: 'ASC' }, { field, direction: 'DESC' }]);

test.each([['admin', USERS.admin, 3], ['beacon (investor)', USERS.beacon, 2]] as const)(
  '%s: every order, paged one by one both ways, is the whole list, with exact pageInfo',
  async (_name, email, visible) => {
    const token = await app.login(email);
    for (const order of ORDERS) {
      const whole = await page(token, { first: 100, order });
      expect(whole.totalCount).toBe(visible);
      const codes = whole.edges.map((e) => e.node.code);
      const cursors = whole.edges.map((e) => e.cursor);

      const forward: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < visible; i++) {
        const p: Page = await page(token, { first: 1, after, order });
        expect({ order, i, p: { total: p.totalCount, codes: p.edges.map((e) => e.node.code), next: p.pageInfo.hasNextPage, previous: p.pageInfo.hasPreviousPage } })
          .toEqual({ order, i, p: { total: visible, codes: [codes[i]], next: i < visible - 1, previous: i > 0 } });
        forward.push(p.edges[0].node.code);
        after = p.pageInfo.endCursor;
      }
      const end = await page(token, { first: 1, after, order });
      expect([end.edges, end.pageInfo.hasNextPage, end.pageInfo.hasPreviousPage, end.totalCount]).toEqual([[], false, true, visible]);
      expect(forward).toEqual(codes);

      const backward: string[] = [];
      let before: string | null = null;
      for (let i = visible - 1; i >= 0; i--) {
        const p: Page = await page(token, { last: 1, before, order });
        expect({ order, i, codes: p.edges.map((e) => e.node.code), next: p.pageInfo.hasNextPage, previous: p.pageInfo.hasPreviousPage })
          .toEqual({ order, i, codes: [codes[i]], next: i < visible - 1, previous: i > 0 });
        backward.unshift(p.edges[0].node.code);
        before = p.pageInfo.startCursor;
      }
      expect(backward).toEqual(codes);

      if (visible === 3) {
        // Between two cursors: only the middle one.
        const between = await page(token, { first: 10, after: cursors[0], before: cursors[2], order });
        expect([between.edges.map((e) => e.node.code), between.pageInfo.hasNextPage, between.pageInfo.hasPreviousPage, between.totalCount])
          .toEqual([[codes[1]], false, true, 3]);
      }
    }
  },
);

test('a page after a cursor is one statement, cut in SQL', async () => {
  const token = await app.login(USERS.admin);
  const first = await page(token, { first: 1 });
  app.sql.reset();
  await page(token, { first: 1, after: first.pageInfo.endCursor });
  const reads = app.sql.statements.filter((s) => /from "project"/.test(s));
  expect(reads.length).toBe(1);
  expect(reads[0]).toMatch(/"__in"/);
  expect(reads[0]).toMatch(/"__rn" <= /);
});

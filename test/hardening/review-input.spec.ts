/**
 * Text the database cannot store is the client's mistake, refused before
 * anything runs: a NUL character in any string input (literal or variable,
 * nested in input objects and lists) and a DateTime PostgreSQL cannot hold or
 * that is not an ISO 8601 instant. Never INTERNAL_SERVER_ERROR, nothing written.
 */
import { startTestApp, USERS, type GqlResult, type TestApp } from '../support/app';

jest.setTimeout(120_000);

let app: TestApp;
let admin: string;
let projectId: string;
let organizationId: string;
beforeAll(async () => {
  app = await startTestApp();
  admin = await app.login(USERS.admin);
  const ids = await app.gql('{ projects(first: 1) { nodes { id } } viewer { organization { id } } }', {}, admin);
  projectId = ids.data.projects.nodes[0].id;
  organizationId = ids.data.viewer.organization.id;
});
afterAll(() => app?.close());

const NUL = '\u0000';
/** The same character as a GraphQL string escape, for literals. */
const NUL_ESCAPE = '\\u0000';

async function rowCounts(): Promise<Record<string, number>> {
  const rows = await app.orm.em.fork().getConnection().execute<{ t: string; n: string }[]>(
    `select 'update' t, count(*)::text n from project_update union all select 'user', count(*)::text from app_user
     union all select 'token', count(*)::text from api_token union all select 'audit', count(*)::text from audit_event`,
  );
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}

function expectRefused(res: GqlResult, message: string): void {
  expect({ status: res.status, errors: res.errors?.map((e) => ({ message: e.message, code: e.extensions?.code })), data: res.data }).toEqual({
    status: 400,
    errors: [{ message, code: 'BAD_USER_INPUT' }],
    data: undefined,
  });
}

const nulIn = (where: string) => `Text values must not contain the NUL character (\\u0000): found in ${where}`;

describe('a NUL character in any string input is BAD_USER_INPUT', () => {
  const cases: [string, string, Record<string, unknown>, string][] = [
    ['search filter, variable', 'query Q($s: String) { projects(filter: { search: $s }) { totalCount } }', { s: `At${NUL}las` }, '$s'],
    ['search filter, nested input variable', 'query Q($f: ProjectFilter) { projects(filter: $f) { totalCount } }', { f: { search: `x${NUL}` } }, '$f.search'],
    ['search filter, literal', `{ projects(filter: { search: "At${NUL_ESCAPE}las" }) { totalCount } }`, {}, 'a string literal'],
    ['audit action filter, variable', 'query Q($a: String) { auditEvents(filter: { action: $a }) { totalCount } }', { a: `project.create${NUL}` }, '$a'],
    ['audit action filter, literal', `{ auditEvents(filter: { action: "${NUL_ESCAPE}" }) { totalCount } }`, {}, 'a string literal'],
    ['token name, variable', 'mutation M($i: CreateApiTokenInput!) { createApiToken(input: $i) { secret userErrors { code } } }', { i: { name: `sync${NUL}job` } }, '$i.name'],
    ['token name, literal', `mutation { createApiToken(input: { name: "sync${NUL_ESCAPE}" }) { secret userErrors { code } } }`, {}, 'a string literal'],
    ['variable default value', `query Q($s: String = "${NUL_ESCAPE}") { projects(filter: { search: $s }) { totalCount } }`, {}, 'a string literal'],
    ['inside a list variable', 'query Q($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['a', `b${NUL}`] }, '$ids[1]'],
    ['a variable the operation does not declare', '{ viewer { role } }', { s: NUL }, '$s'],
  ];
  test.each(cases)('%s', async (_name, query, variables, where) => {
    const before = await rowCounts();
    expectRefused(await app.gql(query, variables, admin), nulIn(where));
    expect(await rowCounts()).toEqual(before);
  });

  test('update title and user name, inline and as variables, and nothing is written', async () => {
    const before = await rowCounts();
    const post = 'mutation M($i: PostProjectUpdateInput!) { postProjectUpdate(input: $i) { projectUpdate { id } userErrors { code } } }';
    expectRefused(await app.gql(post, { i: { projectId, audience: 'INVESTORS', title: `Q3${NUL}`, body: 'b' } }, admin), nulIn('$i.title'));
    expectRefused(
      await app.gql(`mutation { postProjectUpdate(input: { projectId: "${projectId}", audience: INVESTORS, title: "Q3${NUL_ESCAPE}", body: "b" }) { userErrors { code } } }`, {}, admin),
      nulIn('a string literal'),
    );
    const create = 'mutation M($i: CreateUserInput!) { createUser(input: $i) { user { id } userErrors { code } } }';
    const user = { organizationId, role: 'MANAGER', email: 'new.pm@northwind.example', password: 'a-long-enough-password' };
    expectRefused(await app.gql(create, { i: { ...user, name: `New${NUL}PM` } }, admin), nulIn('$i.name'));
    expectRefused(await app.gql(create, { i: { ...user, name: 'New PM', email: `new${NUL}@northwind.example` } }, admin), nulIn('$i.email'));
    expect(await rowCounts()).toEqual(before);
    // Without the NUL, the same inputs are accepted.
    const ok = await app.gql(post, { i: { projectId, audience: 'INVESTORS', title: 'Q3', body: 'b' } }, admin);
    expect(ok.data.postProjectUpdate.userErrors).toEqual([]);
    const okUser = await app.gql(create, { i: { ...user, name: 'New PM' } }, admin);
    expect(okUser.data.createUser.userErrors).toEqual([]);
  });

  test('sign-in with a NUL in the password is refused the same way, before any attempt is counted', async () => {
    expectRefused(
      await app.gql('mutation L($i: LoginInput!) { login(input: $i) { token } }', { i: { email: USERS.pm, password: `vantage-demo${NUL}` } }),
      nulIn('$i.password'),
    );
  });
});

describe('DateTime inputs PostgreSQL cannot store, or that are not ISO 8601 instants, are BAD_USER_INPUT', () => {
  const TOKEN = 'mutation M($i: CreateApiTokenInput!) { createApiToken(input: $i) { secret userErrors { code } } }';
  const AUDIT = 'query Q($f: AuditEventFilter) { auditEvents(filter: $f) { totalCount } }';
  const cases: [string, string, string][] = [
    ['+275760-09-13T00:00:00.000Z', TOKEN, '"+275760-09-13T00:00:00.000Z" is not an ISO 8601 date-time with a time zone, such as "2024-05-01T12:00:00.000Z"'],
    ['-000001-01-01T00:00:00.000Z', AUDIT, '"-000001-01-01T00:00:00.000Z" is not an ISO 8601 date-time with a time zone, such as "2024-05-01T12:00:00.000Z"'],
    ['0000-01-01T00:00:00Z', AUDIT, '"0000-01-01T00:00:00Z" is not a valid date-time (years 0001 to 9999)'],
    ['2024-02-30T00:00:00Z', TOKEN, '"2024-02-30" is not a calendar date'],
    ['2030-01-01T24:00:00Z', TOKEN, '"2030-01-01T24:00:00Z" is not a valid date-time (years 0001 to 9999)'],
    ['2030-01-01T12:00:00', TOKEN, '"2030-01-01T12:00:00" is not an ISO 8601 date-time with a time zone, such as "2024-05-01T12:00:00.000Z"'],
    ['May 1, 2030', AUDIT, '"May 1, 2030" is not an ISO 8601 date-time with a time zone, such as "2024-05-01T12:00:00.000Z"'],
    ['1', AUDIT, '"1" is not an ISO 8601 date-time with a time zone, such as "2024-05-01T12:00:00.000Z"'],
  ];
  test.each(cases)('%s', async (value, query, reason) => {
    const before = await rowCounts();
    const variables = query === TOKEN ? { i: { name: 'dated', expiresAt: value } } : { f: { from: value } };
    const res = await app.gql(query, variables, admin);
    const path = query === TOKEN ? '$i' : '$f';
    const field = query === TOKEN ? 'expiresAt' : 'from';
    expectRefused(res, `The operation's variables are invalid: Variable "${path}" got invalid value "${value}" at "${path.slice(1)}.${field}"; Expected type "DateTime". ${reason}`);
    expect(await rowCounts()).toEqual(before);
  });

  test('inline literals are refused before execution like every invalid scalar literal, never a 500', async () => {
    const res = await app.gql('{ auditEvents(filter: { from: "+275760-09-13T00:00:00.000Z" }) { totalCount } }', {}, admin);
    expect(res.status).toBe(400);
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(res.errors?.[0].message).toContain('"+275760-09-13T00:00:00.000Z" is not an ISO 8601 date-time with a time zone');
  });

  test('instants at the ends of the range and with offsets are accepted', async () => {
    for (const from of ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '2024-05-01T14:00:00+02:00', '2024-05-01T12:00Z']) {
      const res = await app.gql(AUDIT, { f: { from } }, admin);
      expect({ from, errors: res.errors }).toEqual({ from, errors: undefined });
    }
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const token = await app.gql('mutation M($i: CreateApiTokenInput!) { createApiToken(input: $i) { apiToken { expiresAt } userErrors { code } } }', { i: { name: 'ok', expiresAt: future.replace('Z', '+00:00') } }, admin);
    expect(token.data.createApiToken).toEqual({ apiToken: { expiresAt: future }, userErrors: [] });
  });
});

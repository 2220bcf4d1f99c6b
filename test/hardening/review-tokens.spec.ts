/**
 * API token scopes: READ (queries), WRITE (also mutations, but not the
 * administration of tokens, users and organizations), ADMIN (all the user
 * may do). A token never creates a token with more scope than its own, nor
 * one that allows any document unless it does itself, and revoking a token
 * revokes every token created through it, at any depth.
 */
import { buildContext } from '../../src/access/context';
import { decodeId } from '../../src/core/global-id';
import { identityService } from '../../src/modules/identity/identity.service';
import { startTestApp, USERS, type GqlResult, type TestApp } from '../support/app';

jest.setTimeout(120_000);

let app: TestApp;
let session: string;
let projectId: string;
let organizationId: string;
beforeAll(async () => {
  app = await startTestApp();
  session = await app.login(USERS.admin);
  const ids = await app.gql('{ projects(first: 1) { nodes { id } } viewer { organization { id } } }', {}, session);
  projectId = ids.data.projects.nodes[0].id;
  organizationId = ids.data.viewer.organization.id;
});
afterAll(() => app?.close());

const CREATE = 'mutation C($i: CreateApiTokenInput!) { createApiToken(input: $i) { secret apiToken { id name scope } userErrors { field message code } } }';
const REVOKE = 'mutation R($id: String!) { revokeApiToken(input: { id: $id }) { apiToken { id revokedAt } userErrors { code } } }';
const POST = 'mutation P($i: PostProjectUpdateInput!) { postProjectUpdate(input: $i) { projectUpdate { title } userErrors { code } } }';
const CREATE_USER = 'mutation U($i: CreateUserInput!) { createUser(input: $i) { user { email } userErrors { code } } }';

async function token(by: string, name: string, scope?: string): Promise<{ secret: string; id: string; scope: string }> {
  const res = await app.gql(CREATE, { i: { name, ...(scope ? { scope } : {}) } }, by);
  const out = res.data?.createApiToken;
  if (!out?.secret) throw new Error(`createApiToken failed: ${JSON.stringify(res)}`);
  return { secret: out.secret, id: out.apiToken.id, scope: out.apiToken.scope };
}

function refusal(res: GqlResult): { code: unknown; message: string } | null {
  const e = res.errors?.[0];
  return e ? { code: e.extensions?.code, message: e.message } : null;
}

async function count(table: string): Promise<number> {
  const [row] = await app.orm.em.fork().getConnection().execute<{ n: string }[]>(`select count(*)::text n from ${table}`);
  return Number(row.n);
}

test('tokens made in a session default to ADMIN (full) scope; a scope can be asked for', async () => {
  expect((await token(session, 'default')).scope).toBe('ADMIN');
  expect((await token(session, 'reader', 'READ')).scope).toBe('READ');
  expect((await token(session, 'writer', 'WRITE')).scope).toBe('WRITE');
});

test('READ: queries only', async () => {
  const read = await token(session, 'read only', 'READ');
  expect((await app.gql('{ viewer { role } projects { totalCount } }', {}, read.secret)).data).toEqual({ viewer: { role: 'ADMIN' }, projects: { totalCount: 3 } });
  const updates = await count('project_update');
  const post = await app.gql(POST, { i: { projectId, audience: 'INVESTORS', title: 'by a read token', body: 'b' } }, read.secret);
  expect(refusal(post)).toEqual({ code: 'FORBIDDEN', message: 'This API token has the READ scope; Mutation.postProjectUpdate needs WRITE' });
  expect(post.data).toBeNull();
  expect(refusal(await app.gql(CREATE, { i: { name: 'child', scope: 'READ' } }, read.secret))).toEqual({
    code: 'FORBIDDEN', message: 'This API token has the READ scope; Mutation.createApiToken needs ADMIN',
  });
  expect(await count('project_update')).toBe(updates);
  // Signing in needs no credential at all, so no scope either.
  const login = await app.gql('mutation { login(input: { email: "pm@northwind.example", password: "vantage-demo" }) { token } }', {}, read.secret);
  expect(login.data.login.token).toEqual(expect.any(String));
});

test('WRITE: queries and mutations, but no token, user or organization administration', async () => {
  const write = await token(session, 'writer', 'WRITE');
  const tokens = await count('api_token');
  const users = await count('app_user');
  const post = await app.gql(POST, { i: { projectId, audience: 'INVESTORS', title: 'by a write token', body: 'b' } }, write.secret);
  expect(post.data.postProjectUpdate).toEqual({ projectUpdate: { title: 'by a write token' }, userErrors: [] });
  expect(refusal(await app.gql(CREATE, { i: { name: 'child' } }, write.secret))).toEqual({
    code: 'FORBIDDEN', message: 'This API token has the WRITE scope; Mutation.createApiToken needs ADMIN',
  });
  expect(refusal(await app.gql(REVOKE, { id: write.id }, write.secret))).toEqual({
    code: 'FORBIDDEN', message: 'This API token has the WRITE scope; Mutation.revokeApiToken needs ADMIN',
  });
  const user = { organizationId, role: 'MANAGER', email: 'by.token@northwind.example', name: 'By Token', password: 'a-long-enough-password' };
  expect(refusal(await app.gql(CREATE_USER, { i: user }, write.secret))).toEqual({
    code: 'FORBIDDEN', message: 'This API token has the WRITE scope; Mutation.createUser needs ADMIN',
  });
  expect(refusal(await app.gql('mutation { createOrganization(input: { name: "X", kind: VENDOR }) { userErrors { code } } }', {}, write.secret))).toEqual({
    code: 'FORBIDDEN', message: 'This API token has the WRITE scope; Mutation.createOrganization needs ADMIN',
  });
  expect(await count('api_token')).toBe(tokens);
  expect(await count('app_user')).toBe(users);
  // The same user through an ADMIN token may.
  const admin = await token(session, 'admin');
  expect((await app.gql(CREATE_USER, { i: user }, admin.secret)).data.createUser).toEqual({ user: { email: 'by.token@northwind.example' }, userErrors: [] });
});

test('a scope narrows the user, never widens it: an investor\'s ADMIN token is still an investor', async () => {
  const investor = await app.login(USERS.aurora);
  const t = await token(investor, 'investor admin token');
  expect(t.scope).toBe('ADMIN');
  expect(refusal(await app.gql('mutation { createOrganization(input: { name: "X", kind: VENDOR }) { userErrors { code } } }', {}, t.secret))?.code).toBe('FORBIDDEN');
  expect((await app.gql('{ projects { totalCount } }', {}, t.secret)).data.projects.totalCount).toBe(2);
});

test('a token creates tokens of at most its own scope (without one, its own) and allows any document only if it does itself', async () => {
  const admin = await token(session, 'parent');
  expect((await token(admin.secret, 'inherits')).scope).toBe('ADMIN');
  expect((await token(admin.secret, 'narrower', 'READ')).scope).toBe('READ');
  // Through the service itself (the second line, behind the root-field check): a WRITE credential asking for ADMIN.
  const write = await token(session, 'write parent', 'WRITE');
  const ctx = await buildContext(app.orm, app.config, `Bearer ${write.secret}`);
  expect(ctx.viewer?.tokenScope).toBe('WRITE');
  const before = await count('api_token');
  const refused = await identityService.createApiToken(ctx, { name: 'escalation', scope: 'ADMIN' as never });
  expect({ ...refused, userErrors: refused.userErrors.map((e) => ({ ...e })) }).toEqual({
    apiToken: null, secret: null,
    userErrors: [{ field: ['input', 'scope'], message: 'scope ADMIN is more than this API token\'s own scope (WRITE)', code: 'VALIDATION' }],
  });
  const inherited = await identityService.createApiToken(await buildContext(app.orm, app.config, `Bearer ${write.secret}`), { name: 'same' });
  expect(inherited.apiToken?.scope).toBe('WRITE');
  expect(await count('api_token')).toBe(before + 1);

  // Any document: never by default (not inherited either), asked for in a session or by a token that has it, refused to one that has not.
  const ask = (by: string, name: string, allowAnyDocument?: boolean) => app.gql(
    'mutation C($i: CreateApiTokenInput!) { createApiToken(input: $i) { secret apiToken { allowsAnyDocument } userErrors { field message code } } }',
    { i: { name, ...(allowAnyDocument === undefined ? {} : { allowAnyDocument }) } }, by,
  ).then((r) => r.data.createApiToken);
  const wide = await ask(session, 'integration', true);
  expect([wide.apiToken.allowsAnyDocument, (await ask(session, 'plain')).apiToken.allowsAnyDocument]).toEqual([true, false]);
  expect([(await ask(wide.secret, 'child')).apiToken.allowsAnyDocument, (await ask(wide.secret, 'wide child', true)).apiToken.allowsAnyDocument]).toEqual([false, true]);
  const narrowCtx = await buildContext(app.orm, app.config, `Bearer ${admin.secret}`);
  expect([narrowCtx.viewer?.tokenAllowsAnyDocument, (await buildContext(app.orm, app.config, `Bearer ${wide.secret}`)).viewer?.tokenAllowsAnyDocument]).toEqual([false, true]);
  expect(await ask(admin.secret, 'escalation', true)).toEqual({
    secret: null, apiToken: null,
    userErrors: [{ field: ['input', 'allowAnyDocument'], message: 'allowAnyDocument is more than this API token may do: it does not allow any document itself', code: 'VALIDATION' }],
  });
});

test('revoking a token revokes the tokens created through it, transitively, and nothing else', async () => {
  const parent = await token(session, 'parent');
  const child = await token(parent.secret, 'child');
  const grandchild = await token(child.secret, 'grandchild', 'WRITE');
  const greatGrandchildOfOther = await token(session, 'unrelated');
  const sibling = await token(session, 'sibling');
  const ok = async (secret: string) => (await app.gql('{ viewer { role } }', {}, secret)).data?.viewer?.role === 'ADMIN';
  expect([await ok(parent.secret), await ok(child.secret), await ok(grandchild.secret)]).toEqual([true, true, true]);

  const revoked = await app.gql(REVOKE, { id: parent.id }, session);
  expect(revoked.data.revokeApiToken.userErrors).toEqual([]);
  for (const t of [parent, child, grandchild]) {
    const res = await app.gql('{ viewer { role } }', {}, t.secret);
    expect(refusal(res)).toEqual({ code: 'UNAUTHENTICATED', message: 'This API token is not valid (unknown or revoked)' });
  }
  expect([await ok(sibling.secret), await ok(greatGrandchildOfOther.secret)]).toEqual([true, true]);

  const rows = await app.orm.em.fork().getConnection().execute<{ name: string; revoked: boolean }[]>(
    `select name, revoked_at is not null as revoked from api_token where id in (?, ?, ?, ?) order by created_at`,
    [parent.id, child.id, grandchild.id, sibling.id].map((id) => decodeId(id, 'ApiToken')),
  );
  expect(rows).toEqual([
    { name: 'parent', revoked: true },
    { name: 'child', revoked: true },
    { name: 'grandchild', revoked: true },
    { name: 'sibling', revoked: false },
  ]);
  // Each revocation is audited.
  const events = await app.gql('{ auditEvents(filter: { action: "apiToken.revoke" }) { totalCount } }', {}, session);
  expect(events.data.auditEvents.totalCount).toBe(3);
});

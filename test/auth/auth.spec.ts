/**
 * Authentication: login, access tokens (JWT), API tokens. A token that is
 * expired, revoked, forged or belongs to a disabled user is refused at once
 * with UNAUTHENTICATED.
 */
import { createHash, randomUUID } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { toGlobalId } from '../../src/core/global-id';
import { hashPassword, verifyPassword } from '../../src/access/auth';
import { ApiToken, User } from '../../src/model/identity.entity';
import { startTestApp, USERS, type GqlResult, type TestApp } from '../support/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const LOGIN = `mutation($input: LoginInput!) { login(input: $input) {
  token expiresAt userErrors { field message code }
  viewer { role user { email organization { name } } organization { name kind } apiTokens { totalCount } } } }`;
const WHO = '{ viewer { user { email } role organization { name } } }';

function code(res: GqlResult): string | undefined {
  return res.errors?.[0]?.extensions?.code as string | undefined;
}

async function userId(email: string): Promise<string> {
  const [u] = await app.orm.em.fork().find(User, { email });
  return u.id;
}

describe('login', () => {
  test('success: a signed token that expires, and the viewer with organization and role', async () => {
    const before = Date.now();
    const res = await app.gql(LOGIN, { input: { email: USERS.delta, password: 'vantage-demo' } });
    expect(res.errors).toBeUndefined();
    const login = res.data.login;
    expect(login.userErrors).toEqual([]);
    expect(login.viewer).toEqual({ role: 'MEMBER', user: { email: USERS.delta, organization: { name: 'Delta QA' } }, organization: { name: 'Delta QA', kind: 'SUBCONTRACTOR' }, apiTokens: { totalCount: 0 } });
    const after = Date.now();
    // Signed between before and after, with whole seconds: expiry = signing time + TTL.
    const expiresAt = new Date(login.expiresAt).getTime();
    expect(expiresAt).toBeGreaterThanOrEqual(before - 1000 + app.config.jwt.ttlSeconds * 1000);
    expect(expiresAt).toBeLessThanOrEqual(after + app.config.jwt.ttlSeconds * 1000);
    const [header] = login.token.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    const me = await app.gql(WHO, {}, login.token);
    expect(me.data).toEqual({ viewer: { user: { email: USERS.delta }, role: 'MEMBER', organization: { name: 'Delta QA' } } });
  });

  test('a wrong password and an unknown email give the identical answer', async () => {
    const wrongPassword = await app.gql(LOGIN, { input: { email: USERS.admin, password: 'vantage-demo!' } });
    const unknownEmail = await app.gql(LOGIN, { input: { email: 'nobody@northwind.example', password: 'vantage-demo' } });
    const expected = { login: { token: null, expiresAt: null, viewer: null, userErrors: [{ field: null, message: 'Email or password is incorrect', code: 'INVALID_CREDENTIALS' }] } };
    expect(wrongPassword.data).toEqual(expected);
    expect(unknownEmail.data).toEqual(expected);
    expect([wrongPassword.status, wrongPassword.errors, unknownEmail.status, unknownEmail.errors]).toEqual([200, undefined, 200, undefined]);
  });

  test('email is matched case-insensitively, the password is not', async () => {
    const ok = await app.gql(LOGIN, { input: { email: '  QA@Delta.Example ', password: 'vantage-demo' } });
    expect(ok.data.login.viewer.user.email).toBe(USERS.delta);
    const bad = await app.gql(LOGIN, { input: { email: USERS.delta, password: 'VANTAGE-DEMO' } });
    expect(bad.data.login.userErrors[0].code).toBe('INVALID_CREDENTIALS');
  });

  test('a login inside an authenticated request switches viewer and scope together', async () => {
    const aurora = await app.login(USERS.aurora);
    const res = await app.gql(`mutation {
      login(input: { email: "${USERS.cobalt}", password: "vantage-demo" }) { viewer { user { email } apiTokens { totalCount } } }
      createApiToken(input: { name: "after login" }) { apiToken { name } }
    }`, {}, aurora);
    expect(res.errors).toBeUndefined();
    expect(res.data.login.viewer.user.email).toBe(USERS.cobalt);
    const cobaltTokens = await app.gql('{ viewer { apiTokens { nodes { name } } } }', {}, await app.login(USERS.cobalt));
    const auroraTokens = await app.gql('{ viewer { apiTokens { nodes { name } } } }', {}, aurora);
    expect(cobaltTokens.data.viewer.apiTokens.nodes).toEqual([{ name: 'after login' }]);
    expect(auroraTokens.data.viewer.apiTokens.nodes).toEqual([]);
    await app.orm.em.fork().nativeDelete(ApiToken, { name: 'after login' });
  });
});

describe('access tokens (JWT)', () => {
  const sign = (claims: Record<string, unknown>, opts: { alg?: string; secret?: Uint8Array; exp?: number; iat?: number; iss?: string; aud?: string; sub?: string | null } = {}) => {
    const now = Math.floor(Date.now() / 1000);
    let jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: opts.alg ?? 'HS256', typ: 'JWT' })
      .setIssuer(opts.iss ?? app.config.jwt.issuer)
      .setAudience(opts.aud ?? app.config.jwt.audience)
      .setIssuedAt(opts.iat ?? now)
      .setExpirationTime(opts.exp ?? now + 600);
    if (opts.sub !== null) jwt = jwt.setSubject(opts.sub!);
    return jwt.sign(opts.secret ?? app.config.jwt.secret);
  };

  test('a token signed here for this user is accepted (control)', async () => {
    const token = await sign({}, { sub: await userId(USERS.beacon) });
    expect((await app.gql(WHO, {}, token)).data.viewer.user.email).toBe(USERS.beacon);
  });

  test('expired → UNAUTHENTICATED saying so', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await sign({}, { sub: await userId(USERS.beacon), iat: now - 7200, exp: now - 60 });
    const res = await app.gql(WHO, {}, token);
    expect([code(res), res.data]).toEqual(['UNAUTHENTICATED', null]);
    expect(res.errors![0].message).toMatch(/expired/);
  });

  test('forged, mis-addressed or unsigned tokens → UNAUTHENTICATED', async () => {
    const sub = await userId(USERS.admin);
    const forged: [string, string][] = [
      ['alg none', new UnsecuredJWT({ sub }).setIssuer(app.config.jwt.issuer).setAudience(app.config.jwt.audience).setIssuedAt().setExpirationTime('10m').encode()],
      ['HS512 with the right secret', await sign({}, { sub, alg: 'HS512' })],
      ['another secret', await sign({}, { sub, secret: new TextEncoder().encode('another-secret-that-is-long-enough-to-sign') })],
      ['another issuer', await sign({}, { sub, iss: 'someone-else' })],
      ['another audience', await sign({}, { sub, aud: 'another-api' })],
      ['no subject', await sign({}, { sub: null })],
      ['a user that does not exist', await sign({}, { sub: randomUUID() })],
      ['a subject that is not a uuid', await sign({}, { sub: "1' or '1'='1" })],
      ['the signature of another token', (await sign({}, { sub })).split('.').slice(0, 2).join('.') + '.' + (await sign({ x: 1 }, { sub })).split('.')[2]],
    ];
    const answers = [];
    for (const [what, token] of forged) {
      const res = await app.gql(WHO, {}, token);
      answers.push([what, code(res), res.data]);
    }
    expect(answers).toEqual(forged.map(([what]) => [what, 'UNAUTHENTICATED', null]));
  });

  test('malformed Authorization headers → UNAUTHENTICATED', async () => {
    const endpoint = app.server.url.replace('localhost', '127.0.0.1');
    const token = await app.login(USERS.admin);
    for (const header of [`Basic ${token}`, `Bearer ${token} ${token}`, 'Bearer', `Token ${token}`]) {
      const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', authorization: header }, body: JSON.stringify({ query: WHO }) });
      const body = await res.json() as { errors?: { extensions?: { code?: string } }[] };
      expect([header.slice(0, 6), body.errors?.[0]?.extensions?.code]).toEqual([header.slice(0, 6), 'UNAUTHENTICATED']);
    }
  });

  test('a disabled user: existing token refused at once, login refused with the same payload as a wrong password; enabled again, the token works', async () => {
    const token = await app.login(USERS.pm);
    expect((await app.gql(WHO, {}, token)).data.viewer.user.email).toBe(USERS.pm);
    const em = app.orm.em.fork();
    await em.nativeUpdate(User, { email: USERS.pm }, { disabledAt: new Date() });
    try {
      const refused = await app.gql(WHO, {}, token);
      expect([code(refused), refused.data]).toEqual(['UNAUTHENTICATED', null]);
      const projects = await app.gql('{ projects { totalCount } }', {}, token);
      expect(code(projects)).toBe('UNAUTHENTICATED');
      const login = await app.gql(LOGIN, { input: { email: USERS.pm, password: 'vantage-demo' } });
      expect(login.data.login).toEqual({ token: null, expiresAt: null, viewer: null, userErrors: [{ field: null, message: 'Email or password is incorrect', code: 'INVALID_CREDENTIALS' }] });
    } finally {
      await em.nativeUpdate(User, { email: USERS.pm }, { disabledAt: null });
    }
    expect((await app.gql(WHO, {}, token)).data.viewer.user.email).toBe(USERS.pm);
  });
});

describe('API tokens', () => {
  const CREATE = 'mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret apiToken { id name prefix expiresAt revokedAt lastUsedAt } userErrors { field code } } }';
  const REVOKE = 'mutation($id: String!) { revokeApiToken(input: { id: $id }) { apiToken { id revokedAt } userErrors { code } } }';
  const LIST = '{ viewer { apiTokens { totalCount nodes { id name prefix revokedAt lastUsedAt } } } }';

  test('create (secret shown once, only its SHA-256 stored), use as Bearer, list without secrets, revoke → refused at once', async () => {
    const owner = await app.login(USERS.beacon);
    const created = await app.gql(CREATE, { input: { name: 'Reporting sync' } }, owner);
    expect(created.errors).toBeUndefined();
    const { secret, apiToken } = created.data.createApiToken;
    expect(secret).toMatch(/^vnt_[A-Za-z0-9_-]{43}$/);
    expect(apiToken).toMatchObject({ name: 'Reporting sync', prefix: secret.slice(0, 12), expiresAt: null, revokedAt: null, lastUsedAt: null });

    // The database holds the hash, never the secret.
    const rows = await app.orm.em.fork().getConnection().execute('select * from api_token');
    expect(rows).toHaveLength(1);
    expect(rows[0].secret_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(secret.slice(12));

    // It authenticates as its owner.
    const me = await app.gql(WHO, {}, secret);
    expect(me.data).toEqual({ viewer: { user: { email: USERS.beacon }, role: 'VIEWER', organization: { name: 'Beacon Ventures' } } });
    const projects = await app.gql('{ projects { nodes { name } } }', {}, secret);
    expect(projects.data.projects.nodes).toEqual([{ name: 'Borealis' }, { name: 'Cirrus' }]);

    // Listed, with lastUsedAt now set; the type has no field that could carry the secret.
    const list = await app.gql(LIST, {}, owner);
    expect(list.data.viewer.apiTokens.totalCount).toBe(1);
    expect(list.data.viewer.apiTokens.nodes[0]).toMatchObject({ id: apiToken.id, name: 'Reporting sync', prefix: secret.slice(0, 12), revokedAt: null });
    expect(list.data.viewer.apiTokens.nodes[0].lastUsedAt).not.toBeNull();
    const fields = await app.gql('{ __type(name: "ApiToken") { fields { name } } }', {}, owner);
    expect(fields.data.__type.fields.map((f: { name: string }) => f.name).filter((n: string) => /secret|hash/i.test(n))).toEqual([]);
    expect(code(await app.gql('{ viewer { apiTokens { nodes { secretHash } } } }', {}, owner))).toBe('GRAPHQL_VALIDATION_FAILED');

    // Revoked: refused on the very next request.
    const revoked = await app.gql(REVOKE, { id: apiToken.id }, owner);
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data.revokeApiToken.apiToken.revokedAt).not.toBeNull();
    const after = await app.gql(WHO, {}, secret);
    expect([code(after), after.data]).toEqual(['UNAUTHENTICATED', null]);
    // Revoking again is harmless and keeps the first revocation time.
    const again = await app.gql(REVOKE, { id: apiToken.id }, owner);
    expect(again.data.revokeApiToken.apiToken.revokedAt).toBe(revoked.data.revokeApiToken.apiToken.revokedAt);
  });

  test('creating and revoking a token are audited in their transaction, without the secret or its hash', async () => {
    const owner = await app.login(USERS.admin);
    const created = (await app.gql(CREATE, { input: { name: 'Audit check' } }, owner)).data.createApiToken;
    await app.gql(REVOKE, { id: created.apiToken.id }, owner);
    const events = await app.gql(
      `{ auditEvents(filter: { entityType: API_TOKEN, entityId: "${created.apiToken.id}" }) { nodes { action changes } } }`, {}, owner,
    );
    expect(events.errors).toBeUndefined();
    const nodes = events.data.auditEvents.nodes as { action: string; changes: Record<string, { before: unknown; after: unknown }> }[];
    expect(nodes.map((n) => n.action).sort()).toEqual(['apiToken.create', 'apiToken.revoke']);
    const create = nodes.find((n) => n.action === 'apiToken.create')!;
    expect(create.changes).toEqual({
      name: { before: null, after: 'Audit check' },
      prefix: { before: null, after: created.secret.slice(0, 12) },
      expiresAt: { before: null, after: null },
      allowsAnyDocument: { before: null, after: false },
    });
    expect(nodes.find((n) => n.action === 'apiToken.revoke')!.changes.revokedAt.before).toBeNull();
    const text = JSON.stringify(nodes);
    expect(text).not.toContain(created.secret.slice(12));
    expect(text).not.toContain(createHash('sha256').update(created.secret).digest('hex'));
  });

  test('another user cannot see or revoke my token: NOT_FOUND, exactly as for a token that does not exist', async () => {
    const owner = await app.login(USERS.aurora);
    const created = await app.gql(CREATE, { input: { name: 'Mine' } }, owner);
    const { secret, apiToken } = created.data.createApiToken;

    for (const other of [USERS.cobalt, USERS.admin]) {
      const token = await app.login(other);
      const theirs = await app.gql(REVOKE, { id: apiToken.id }, token);
      const missing = await app.gql(REVOKE, { id: toGlobalId('ApiToken', randomUUID()) }, token);
      const strip = (r: GqlResult) => ({ status: r.status, data: r.data, errors: r.errors?.map((e) => ({ message: e.message, code: e.extensions?.code, path: e.path })) });
      expect(strip(theirs)).toEqual({ status: 200, data: null, errors: [{ message: 'No ApiToken with this id', code: 'NOT_FOUND', path: ['revokeApiToken'] }] });
      expect(strip(missing)).toEqual(strip(theirs));
      expect((await app.gql(`{ node(id: "${apiToken.id}") { id } }`, {}, token)).data).toEqual({ node: null });
      expect((await app.gql(LIST, {}, token)).data.viewer.apiTokens.nodes.map((n: { id: string }) => n.id)).not.toContain(apiToken.id);
    }
    // Still mine, still working.
    expect((await app.gql(`{ node(id: "${apiToken.id}") { id } }`, {}, owner)).data).toEqual({ node: { id: apiToken.id } });
    expect((await app.gql(WHO, {}, secret)).data.viewer.user.email).toBe(USERS.aurora);
  });

  test('an expired API token is refused; a past expiry is refused at creation', async () => {
    const owner = await app.login(USERS.delta);
    const past = await app.gql(CREATE, { input: { name: 'Old', expiresAt: '2020-01-01T00:00:00Z' } }, owner);
    expect(past.data.createApiToken).toEqual({ secret: null, apiToken: null, userErrors: [{ field: ['input', 'expiresAt'], code: 'VALIDATION' }] });

    const created = await app.gql(CREATE, { input: { name: 'Short-lived', expiresAt: new Date(Date.now() + 3_600_000).toISOString() } }, owner);
    const { secret } = created.data.createApiToken;
    expect((await app.gql(WHO, {}, secret)).data.viewer.user.email).toBe(USERS.delta);
    await app.orm.em.fork().nativeUpdate(ApiToken, { name: 'Short-lived' }, { expiresAt: new Date(Date.now() - 1000) });
    const res = await app.gql(WHO, {}, secret);
    expect([code(res), res.data]).toEqual(['UNAUTHENTICATED', null]);
    expect(res.errors![0].message).toMatch(/expired/);
  });

  test('an API token of a disabled user is refused at once', async () => {
    const owner = await app.login(USERS.cobalt);
    const { secret } = (await app.gql(CREATE, { input: { name: 'Integration' } }, owner)).data.createApiToken;
    expect((await app.gql(WHO, {}, secret)).data.viewer.user.email).toBe(USERS.cobalt);
    const em = app.orm.em.fork();
    await em.nativeUpdate(User, { email: USERS.cobalt }, { disabledAt: new Date() });
    try {
      const res = await app.gql(WHO, {}, secret);
      expect([code(res), res.data]).toEqual(['UNAUTHENTICATED', null]);
    } finally {
      await em.nativeUpdate(User, { email: USERS.cobalt }, { disabledAt: null });
    }
  });

  test('a token name must be 1–100 characters', async () => {
    const owner = await app.login(USERS.admin);
    for (const name of ['', '   ', 'x'.repeat(101)]) {
      const res = await app.gql(CREATE, { input: { name } }, owner);
      expect(res.data.createApiToken).toEqual({ secret: null, apiToken: null, userErrors: [{ field: ['input', 'name'], code: 'VALIDATION' }] });
    }
  });
});

test('passwords are hashed with argon2id at full cost outside tests, at a nominal cost under NODE_ENV=test; verifying follows the hash', async () => {
  const cheap = await hashPassword('correct horse');
  expect(cheap).toMatch(/^\$argon2id\$v=19\$m=4096,t=1,p=1\$/);
  const saved = process.env.NODE_ENV;
  try {
    for (const env of ['production', 'development']) {
      process.env.NODE_ENV = env;
      const full = await hashPassword('correct horse');
      expect(full).toMatch(/^\$argon2id\$v=19\$m=65536,t=3,p=4\$/);
      expect([await verifyPassword(full, 'correct horse'), await verifyPassword(full, 'wrong horse')]).toEqual([true, false]);
    }
  } finally {
    process.env.NODE_ENV = saved;
  }
  expect([await verifyPassword(cheap, 'correct horse'), await verifyPassword(cheap, 'correct horse ')]).toEqual([true, false]);
});

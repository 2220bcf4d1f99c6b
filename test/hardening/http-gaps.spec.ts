/**
 * The HTTP surface beyond GraphQL semantics: a refused credential is a 401
 * with an RFC 6750 challenge; portal responses carry the security headers,
 * are compressed and never expose source maps in production; the local
 * GraphiQL explorer loads with no remote origin; and, in production, browser
 * sessions may send only the portal's own documents.
 */
import { SignJWT } from 'jose';
import { User } from '../../src/model/identity.entity';
import { startHardenedApp, USERS, type HardenedApp } from './support';

let app: HardenedApp;
beforeAll(async () => {
  app = await startHardenedApp();
});
afterAll(async () => {
  await app?.close();
});

const WHO = '{ viewer { user { email } } }';
const LOGIN = 'mutation L($input: LoginInput!) { login(input: $input) { token userErrors { code } } }';

async function userId(email: string): Promise<string> {
  const [u] = await app.orm.em.fork().find(User, { email });
  return u.id;
}

async function expiredToken(email: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(await userId(email))
    .setIssuer(app.config.jwt.issuer)
    .setAudience(app.config.jwt.audience)
    .setIssuedAt(now - 7200)
    .setExpirationTime(now - 60)
    .sign(app.config.jwt.secret);
}

describe('a refused credential answers 401 with a Bearer challenge', () => {
  const summary = (res: Awaited<ReturnType<HardenedApp['gql']>>) => ({
    status: res.status,
    challenge: res.headers.get('www-authenticate'),
    data: res.body?.data,
    codes: res.body?.errors?.map((e) => e.extensions?.code),
  });

  test('expired access token: 401, error="invalid_token", data null, the reason in the message', async () => {
    const res = await app.gql(WHO, {}, await expiredToken(USERS.beacon));
    expect(summary(res)).toEqual({
      status: 401,
      challenge: 'Bearer realm="vantage", error="invalid_token", error_description="The access token has expired: sign in again"',
      data: null,
      codes: ['UNAUTHENTICATED'],
    });
    expect(res.body?.errors?.[0].message).toBe('The access token has expired: sign in again');
  });

  test('revoked API token and forged token: 401 invalid_token; a malformed header: 401 invalid_request', async () => {
    const owner = await app.login(USERS.beacon);
    const created = await app.gql('mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret apiToken { id } } }', { input: { name: 'gone' } }, owner);
    const { secret, apiToken } = created.body!.data.createApiToken;
    expect((await app.gql(WHO, {}, secret)).status).toBe(200);
    await app.gql('mutation($id: String!) { revokeApiToken(input: { id: $id }) { apiToken { id } } }', { id: apiToken.id }, owner);
    const revoked = await app.gql(WHO, {}, secret);
    expect(summary(revoked)).toEqual({
      status: 401,
      challenge: 'Bearer realm="vantage", error="invalid_token", error_description="This API token is not valid (unknown or revoked)"',
      data: null,
      codes: ['UNAUTHENTICATED'],
    });
    const forged = await app.gql(WHO, {}, `${owner.slice(0, -4)}AAAA`);
    expect([forged.status, forged.headers.get('www-authenticate')]).toEqual([401, 'Bearer realm="vantage", error="invalid_token", error_description="The access token is not valid"']);
    const basic = await app.gql(WHO, {}, null, { authorization: 'Basic YWRtaW46eA==' });
    expect([basic.status, basic.headers.get('www-authenticate'), basic.body?.data]).toEqual([
      401, 'Bearer realm="vantage", error="invalid_request", error_description="The Authorization header must be `Bearer <token>`"', null,
    ]);
  });

  test('login does not run behind a refused token', async () => {
    app.resolvers.reset();
    const res = await app.gql(LOGIN, { input: { email: USERS.admin, password: 'vantage-demo' } }, await expiredToken(USERS.admin));
    expect([summary(res), res.body?.errors?.[0].path, app.resolvers.executions]).toEqual([
      { status: 401, challenge: expect.stringMatching(/^Bearer .*error="invalid_token"/), data: null, codes: ['UNAUTHENTICATED'] }, ['login'], 0,
    ]);
  });

  test('a refused token on a document that is not valid keeps the 400 of the validation error', async () => {
    const res = await app.gql('{ viewer { nope } }', {}, await expiredToken(USERS.admin));
    expect([res.status, res.headers.get('www-authenticate'), res.body?.errors?.[0].extensions?.code]).toEqual([400, null, 'GRAPHQL_VALIDATION_FAILED']);
  });

  test('unchanged: no token is anonymous (200, UNAUTHENTICATED per protected field, no challenge); a valid token is 200', async () => {
    const anonymous = await app.gql(WHO);
    expect([anonymous.status, anonymous.headers.get('www-authenticate'), anonymous.body?.errors?.[0].extensions?.code]).toEqual([200, null, 'UNAUTHENTICATED']);
    const login = await app.gql(LOGIN, { input: { email: USERS.admin, password: 'vantage-demo' } });
    expect([login.status, typeof login.body?.data.login.token]).toEqual([200, 'string']);
    const ok = await app.gql(WHO, {}, await app.login(USERS.aurora));
    expect([ok.status, ok.headers.get('www-authenticate'), ok.body?.data]).toEqual([200, null, { viewer: { user: { email: USERS.aurora } } }]);
  });

  test('the request log records the 401 and its code', async () => {
    const res = await app.gql(WHO, {}, await expiredToken(USERS.pm));
    const line = app.logs.find((l) => l.requestId === res.headers.get('x-request-id'));
    expect(line).toMatchObject({ status: 401, errorCodes: ['UNAUTHENTICATED'] });
  });
});

/**
 * The HTTP surface beyond GraphQL semantics: a refused credential is a 401
 * with an RFC 6750 challenge; portal responses carry the security headers,
 * are compressed and never expose source maps in production; the local
 * GraphiQL explorer loads with no remote origin; and, in production, browser
 * sessions, and API tokens that do not allow any document, may send only the
 * portal's own documents.
 */
import express from 'express';
import { SignJWT } from 'jose';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'graphql';
import { decodeId } from '../../src/core/global-id';
import { User } from '../../src/model/identity.entity';
import { canonicalDocument, TrustedDocuments } from '../../src/http/trusted-documents';
import { ICON_SVG, mountWeb, WEB_DIST } from '../../src/http/web';
import { describeInBrowser, ensurePortalBuilt, eventually, launchBrowser, newPage, type Browser } from '../e2e/support/browser';
import { startHardenedApp, STRONG_SECRET, USERS, type HardenedApp } from './support';

let app: HardenedApp;
beforeAll(async () => {
  // The explorer and the allow-list are files of the portal build.
  ensurePortalBuilt();
  app = await startHardenedApp();
}, 600_000);
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

const CSP_REMOTE = /https?:|\*/;

function expectPortalHeaders(headers: Headers, what: string): void {
  const got = {
    what,
    csp: headers.get('content-security-policy'),
    frame: headers.get('x-frame-options'),
    nosniff: headers.get('x-content-type-options'),
    referrer: headers.get('referrer-policy'),
  };
  expect(got).toEqual({ what, csp: expect.stringContaining("frame-ancestors 'none'"), frame: 'DENY', nosniff: 'nosniff', referrer: 'same-origin' });
  expect(got.csp).toContain("script-src 'self';");
  expect(got.csp).not.toMatch(CSP_REMOTE);
}

/** The script and stylesheet addresses a built page loads. */
function assetsOf(html: string): string[] {
  return [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]).filter((u) => !u.startsWith('data:'));
}

describe('portal responses: security headers, compression, no source maps in production', () => {
  test('index.html, the SPA fallback and every asset carry the CSP and anti-framing headers; assets are compressed', async () => {
    const page = await fetch(`${app.base}/index.html`, { headers: { 'accept-encoding': 'gzip' } });
    const html = await page.text();
    expect([page.status, html]).toEqual([200, expect.stringContaining('<div id="root"></div>')]);
    expectPortalHeaders(page.headers, '/index.html');
    const deep = await fetch(`${app.base}/projects/abc`, { headers: { accept: 'text/html' } });
    expect([deep.status, await deep.text()]).toEqual([200, html]);
    expectPortalHeaders(deep.headers, '/projects/abc');

    const assets = assetsOf(html);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/assets\//);
      const res = await fetch(`${app.base}${asset}`, { headers: { 'accept-encoding': 'gzip' } });
      expect([asset, res.status, res.headers.get('cache-control')]).toEqual([asset, 200, 'public, max-age=31536000, immutable']);
      expectPortalHeaders(res.headers, asset);
      if (Number((await res.arrayBuffer()).byteLength) > 1024) expect([asset, res.headers.get('content-encoding')]).toEqual([asset, 'gzip']);
    }
  });

  test('/favicon.ico is the portal\'s icon (no 404 in a browser showing /healthz); a missing file stays 404', async () => {
    const icon = await fetch(`${app.base}/favicon.ico`);
    expect([icon.status, icon.headers.get('content-type'), await icon.text()]).toEqual([200, 'image/svg+xml; charset=utf-8', ICON_SVG]);
    const missing = await fetch(`${app.base}/assets/old-hash.js`, { headers: { accept: 'text/html' } });
    expect(missing.status).toBe(404);
  });

  test('GraphQL JSON is compressed above 1 KB, and identical once decoded', async () => {
    const token = await app.login(USERS.admin);
    const query = '{ projects(first: 20) { nodes { id name code status milestones(first: 20) { nodes { id title status dueDate progress } } } } }';
    const send = (encoding: string) =>
      fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'accept-encoding': encoding }, body: JSON.stringify({ query }) });
    const gzip = await send('gzip');
    const plain = await send('identity');
    const [zipped, unzipped] = [(await gzip.json()) as any, (await plain.json()) as any];
    expect([gzip.headers.get('content-encoding'), plain.headers.get('content-encoding')]).toEqual(['gzip', null]);
    expect(zipped.data).toEqual(unzipped.data);
    expect(zipped.data.projects.nodes.length).toBeGreaterThan(2);
    const small = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect([small.headers.get('content-encoding'), ((await small.json()) as any).data]).toEqual([null, { __typename: 'Query' }]);
  });

  test('a source map is served in development and refused in production, even when the build left one', async () => {
    const dist = mkdtempSync(path.join(tmpdir(), 'vantage-dist-'));
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(path.join(dist, 'assets', 'app-1.js'), 'console.log(1);\n//# sourceMappingURL=app-1.js.map');
    writeFileSync(path.join(dist, 'assets', 'app-1.js.map'), '{"version":3,"sources":["secret.tsx"]}');
    const servers: http.Server[] = [];
    const serve = async (production: boolean) => {
      const web = express();
      mountWeb(web, { dist, production });
      const server = await new Promise<http.Server>((resolve) => { const s = web.listen(0, '127.0.0.1', () => resolve(s)); });
      servers.push(server);
      return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    };
    try {
      const dev = await serve(false);
      const prod = await serve(true);
      const status = async (base: string, p: string) => {
        const res = await fetch(`${base}${p}`);
        return [p, res.status, res.headers.get('x-frame-options')];
      };
      expect(await status(dev, '/assets/app-1.js.map')).toEqual(['/assets/app-1.js.map', 200, 'DENY']);
      expect(await status(prod, '/assets/app-1.js.map')).toEqual(['/assets/app-1.js.map', 404, 'DENY']);
      expect(await status(prod, '/assets/app-1.js')).toEqual(['/assets/app-1.js', 200, 'DENY']);
    } finally {
      for (const s of servers) await new Promise((resolve) => s.close(resolve));
      rmSync(dist, { recursive: true, force: true });
    }
    const production = await startHardenedApp({ databaseUrl: app.databaseUrl, env: { NODE_ENV: 'production', JWT_SECRET: STRONG_SECRET }, logLevel: 'silent' });
    try {
      const maps = readdirSync(path.join(WEB_DIST, 'assets')).filter((f) => f.endsWith('.map'));
      for (const p of ['/assets/index.js.map', ...maps.map((m) => `/assets/${m}`)]) expect([p, (await fetch(`${production.base}${p}`)).status]).toEqual([p, 404]);
    } finally {
      await production.close();
    }
  });
});

describe('the local GraphQL explorer', () => {
  const explorer = (target: HardenedApp) => fetch(target.url, { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });

  test('GET /graphql from a browser is GraphiQL from web/dist: every asset loads from this origin, nothing remote', async () => {
    const res = await explorer(app);
    const html = await res.text();
    expect([res.status, res.headers.get('content-type')?.toLowerCase()]).toEqual([200, 'text/html; charset=utf-8']);
    expect(html).toContain('<title>Vantage GraphQL explorer</title>');
    expectPortalHeaders(res.headers, 'GET /graphql');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const assets = assetsOf(html);
    expect(assets.filter((a) => a.endsWith('.css')).length).toBe(1);
    for (const asset of assets) {
      const r = await fetch(`${app.base}${asset}`);
      const body = await r.text();
      expect([asset, r.status]).toEqual([asset, 200]);
      if (asset.endsWith('.css')) expect([asset, body.match(/url\(\s*["']?(https?:)?\/\/[^)]*\)|@import/g)]).toEqual([asset, null]);
      if (asset.endsWith('.js')) expect([asset, body.match(/import\s*\(?\s*["'](https?:)?\/\/[^"']*["']/g)]).toEqual([asset, null]);
    }
    // An API client asking for JSON still gets GraphQL.
    const get = await fetch(`${app.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'application/json', 'apollo-require-preflight': '1' } });
    expect(((await get.json()) as any).data).toEqual({ __typename: 'Query' });
  });

  test('off in production unless SANDBOX=on', async () => {
    const prod = await startHardenedApp({ databaseUrl: app.databaseUrl, env: { NODE_ENV: 'production', JWT_SECRET: STRONG_SECRET }, logLevel: 'silent' });
    const open = await startHardenedApp({ databaseUrl: app.databaseUrl, env: { NODE_ENV: 'production', JWT_SECRET: STRONG_SECRET, SANDBOX: 'on' }, logLevel: 'silent' });
    try {
      const closed = await explorer(prod);
      expect([closed.status, (await closed.text()).includes('<html')]).toEqual([400, false]);
      const opened = await explorer(open);
      expect([opened.status, await opened.text()]).toEqual([200, expect.stringContaining('<title>Vantage GraphQL explorer</title>')]);
    } finally {
      await Promise.all([prod.close(), open.close()]);
    }
  });
});

describe('trusted documents', () => {
  const PORTAL_DOCS = path.join(__dirname, '../../web/src/graphql');
  const persisted = () => JSON.parse(readFileSync(path.join(WEB_DIST, 'persisted-documents.json'), 'utf8')) as Record<string, string>;
  /** The portal's CurrentViewer document, as the portal's client sends it: reformatted, with __typename added. */
  const currentViewer = () => {
    const text = Object.values(persisted()).find((t) => /query CurrentViewer\b/.test(t))!;
    return text.replace(/\{\n/g, '{ __typename\n').replace(/\n\s*/g, ' ');
  };
  const ARBITRARY = '{ viewer { role user { email } } }';

  let prod: HardenedApp;
  beforeAll(async () => {
    prod = await startHardenedApp({ databaseUrl: app.databaseUrl, env: { NODE_ENV: 'production', JWT_SECRET: STRONG_SECRET } });
  });
  afterAll(async () => {
    await prod?.close();
  });

  test('the build writes every portal operation, keyed by the SHA-256 of its text', () => {
    const docs = persisted();
    const operations = readdirSync(PORTAL_DOCS).filter((f) => f.endsWith('.graphql'))
      .flatMap((f) => parse(readFileSync(path.join(PORTAL_DOCS, f), 'utf8')).definitions)
      .filter((d) => d.kind === 'OperationDefinition').map((d) => (d as { name?: { value: string } }).name!.value).sort();
    const listed = Object.values(docs).map((t) => /^(query|mutation|subscription) (\w+)/.exec(t)![2]).sort();
    expect(listed).toEqual(operations);
    expect(new TrustedDocuments(docs).size).toBe(operations.length);
    const tampered = { ...docs, [Object.keys(docs)[0]]: '{ viewer { role } }' };
    expect(() => new TrustedDocuments(tampered)).toThrow(/does not match its SHA-256/);
  });

  test('the canonical form ignores layout, definition order and __typename, and nothing else', () => {
    const a = parse('query Q { viewer { ...F } } fragment F on Viewer { role }');
    const b = parse('fragment F on Viewer { role __typename }\nquery Q {\n  viewer { __typename ...F }\n}');
    const c = parse('query Q { viewer { ...F } } fragment F on Viewer { role user { email } }');
    const d = parse('query Q { viewer { ...F } } fragment F on Viewer { kind: __typename role }');
    expect(canonicalDocument(a)).toBe(canonicalDocument(b));
    expect([canonicalDocument(c) === canonicalDocument(a), canonicalDocument(d) === canonicalDocument(a)]).toEqual([false, false]);
  });

  test('production: a session runs the portal\'s documents only; others are 400 PERSISTED_QUERY_NOT_ALLOWED and run nothing', async () => {
    const token = await prod.login(USERS.aurora);
    const portal = await prod.gql(currentViewer(), {}, token);
    expect([portal.status, portal.body?.errors, portal.body?.data?.viewer?.user?.email]).toEqual([200, undefined, USERS.aurora]);

    prod.resolvers.reset();
    const other = await prod.gql(ARBITRARY, {}, token);
    expect([other.status, other.body?.data, other.body?.errors]).toEqual([400, undefined, [{
      message: 'This operation is not one of the portal\'s: a signed-in session may send only the portal\'s own operations. Use an API token that allows any document for other queries.',
      extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED' },
    }]]);
    expect(prod.resolvers.executions).toBe(0);
    const line = prod.logs.find((l) => l.requestId === other.headers.get('x-request-id'));
    expect(line).toMatchObject({ status: 400, errorCodes: ['PERSISTED_QUERY_NOT_ALLOWED'] });
    // A portal operation with one field more is another document.
    const widened = currentViewer().replace('viewer {', 'viewer { apiTokens { totalCount }');
    expect((await prod.gql(widened, {}, token)).body?.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
  });

  test('production: an API token sends any document only when it allows any document; otherwise the portal\'s, like a session', async () => {
    const portalText = (name: string) => Object.values(persisted()).find((t) => new RegExp(`^(query|mutation) ${name}\\b`).test(t))!;
    // Creating a token with a hand-written document is done through the unrestricted test server on the same database.
    const create = async (input: Record<string, unknown>) => (await app.gql(
      'mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret apiToken { id allowsAnyDocument } } }', { input }, await app.login(USERS.beacon),
    )).body!.data.createApiToken as { secret: string; apiToken: { id: string; allowsAnyDocument: boolean } };
    const portalOnly = await create({ name: 'trusted: portal only' });
    const integration = await create({ name: 'trusted: integration', allowAnyDocument: true });
    expect([portalOnly.apiToken.allowsAnyDocument, integration.apiToken.allowsAnyDocument]).toEqual([false, true]);

    const res = await prod.gql(ARBITRARY, {}, integration.secret);
    expect([res.status, res.body]).toEqual([200, { data: { viewer: { role: 'VIEWER', user: { email: USERS.beacon } } }, extensions: expect.anything() }]);

    prod.resolvers.reset();
    const refused = await prod.gql(ARBITRARY, {}, portalOnly.secret);
    expect([refused.status, refused.body?.data, refused.body?.errors]).toEqual([400, undefined, [{
      message: 'This operation is not one of the portal\'s: this API token may send only the portal\'s own operations. '
        + 'For other queries, create an API token that allows any document (createApiToken with allowAnyDocument: true, or vantage token create --any-document).',
      extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED' },
    }]]);
    expect(prod.resolvers.executions).toBe(0);
    const portal = await prod.gql(currentViewer(), {}, portalOnly.secret);
    expect([portal.status, portal.body?.errors, portal.body?.data?.viewer?.user?.email]).toEqual([200, undefined, USERS.beacon]);

    // The permission reads back through the portal's own list, and a token without it cannot mint one that has it.
    const listed = await prod.gql(portalText('MyApiTokens'), {}, portalOnly.secret);
    const mine = (listed.body?.data?.viewer?.apiTokens?.nodes as { name: string; allowsAnyDocument: boolean }[]).filter((t) => t.name.startsWith('trusted: '));
    expect(mine.map((t) => [t.name, t.allowsAnyDocument]).sort()).toEqual([['trusted: integration', true], ['trusted: portal only', false]]);
    const minted = await prod.gql(portalText('CreateApiToken'), { input: { name: 'escalation', allowAnyDocument: true } }, portalOnly.secret);
    expect([minted.status, minted.body?.data?.createApiToken]).toEqual([200, {
      apiToken: null, secret: null,
      userErrors: [{ code: 'VALIDATION', field: ['input', 'allowAnyDocument'], message: 'allowAnyDocument is more than this API token may do: it does not allow any document itself' }],
    }]);

    // The viewer cache keeps the token's viewer with its permission, and drops it when the permission is taken away in the database.
    const cache = prod.server.viewerCache!;
    await eventually(async () => cache.live, 'the viewer cache listens');
    await prod.gql(ARBITRARY, {}, integration.secret);
    const hits = cache.stats.hits;
    expect((await prod.gql(ARBITRARY, {}, integration.secret)).status).toBe(200);
    expect(cache.stats.hits).toBe(hits + 1);
    await prod.orm.em.fork().getConnection().execute('update api_token set allows_any_document = false where id = ?', [decodeId(integration.apiToken.id, 'ApiToken')]);
    await eventually(async () => (await prod.gql(ARBITRARY, {}, integration.secret)).status === 400, 'the cached viewer without the permission');

    // Anonymous requests are not restricted: without a viewer they can only sign in.
    const login = await prod.gql('mutation { signIn: login(input: { email: "nobody@example.com", password: "x" }) { token } }');
    expect([login.status, login.body?.data]).toEqual([200, { signIn: { token: null } }]);
  });

  test('off outside production, and TRUSTED_DOCUMENTS=off in production', async () => {
    const dev = await app.gql(ARBITRARY, {}, await app.login(USERS.aurora));
    expect(dev.body?.data?.viewer?.role).toBe('VIEWER');
    const off = await startHardenedApp({ databaseUrl: app.databaseUrl, env: { NODE_ENV: 'production', JWT_SECRET: STRONG_SECRET, TRUSTED_DOCUMENTS: 'off' }, logLevel: 'silent' });
    try {
      const res = await off.gql(ARBITRARY, {}, await off.login(USERS.aurora));
      expect([res.status, res.body?.data?.viewer?.role]).toEqual([200, 'VIEWER']);
    } finally {
      await off.close();
    }
  });

  test('automatic persisted queries are off: no shared cache that could tell one viewer what others sent', async () => {
    const token = await app.login(USERS.admin);
    const body = { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38' } } };
    for (const target of [app, prod]) {
      const register = await target.raw({ headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      const probe = await target.raw({ headers: { 'content-type': 'application/json' }, body: JSON.stringify({ extensions: body.extensions }) });
      expect([register.body?.errors?.[0].extensions?.code, probe.body?.errors?.[0].extensions?.code]).toEqual(['PERSISTED_QUERY_NOT_SUPPORTED', 'PERSISTED_QUERY_NOT_SUPPORTED']);
    }
  });
});

describeInBrowser('in a browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  /** Every request the page makes, and every console error or CSP violation. */
  const watch = (page: Awaited<ReturnType<typeof newPage>>) => {
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
    return { requests, problems };
  };

  test('the explorer renders offline under the CSP and runs a query as the portal\'s signed-in user', async () => {
    const page = await newPage(browser);
    // The portal's session in this origin's storage, as after signing in to the portal.
    await page.goto(`${app.base}/healthz`);
    const token = await app.login(USERS.admin);
    await page.evaluate((value) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('vantage.session', value), JSON.stringify({ token, expiresAt: null }));
    const seen = watch(page);
    await page.goto(app.url);
    await page.locator('.graphiql-container').waitFor();
    await eventually(async () => /viewer/.test(await page.locator('.graphiql-query-editor').innerText()), 'the default query in the editor', 60_000);
    // Under load the editor may not be ready for the first click: click again while the result pane is empty.
    let clicks = 0;
    let text = '';
    await eventually(async () => {
      text = await page.locator('.result-window').innerText();
      if (/"role": "ADMIN"/.test(text)) return true;
      if (!text.replace(/[\s\u200b]/g, '') && clicks++ % 20 === 0) await page.locator('.graphiql-execute-button').click();
      return false;
    }, 'the result of the default query', 60_000).catch((e) => {
      throw new Error(`${(e as Error).message}; the result pane shows ${JSON.stringify(text)}; console: ${JSON.stringify(seen.problems)}`);
    });
    expect(seen.problems).toEqual([]);
    expect(seen.requests.filter((u) => !u.startsWith(app.base) && !u.startsWith('data:'))).toEqual([]);
    await page.context().close();
  });

  test('production: the portal works with trusted documents on (its client sends exactly its own documents)', async () => {
    const prod = await startHardenedApp({ databaseUrl: app.databaseUrl, env: { NODE_ENV: 'production', JWT_SECRET: STRONG_SECRET } });
    try {
      const page = await newPage(browser);
      const seen = watch(page);
      await page.goto(`${prod.base}/signin`);
      await page.getByLabel('Email').fill(USERS.aurora);
      await page.getByLabel('Password').fill('vantage-demo');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
      // The portfolio, then a project page (a chunk of its own, with the charts), each through the portal's own queries.
      await page.getByRole('link', { name: 'Atlas', exact: true }).click();
      await page.waitForURL(/\/projects\//);
      await page.getByRole('heading', { name: /Atlas/, level: 1 }).waitFor();
      await page.getByTestId('spend-by-period').locator('.recharts-bar-rectangle').first().waitFor();
      const requests = prod.logs.filter((l) => l.msg === 'request' && l.path === '/graphql');
      expect(requests.length).toBeGreaterThanOrEqual(3);
      expect(requests.filter((l) => l.errorCodes.length || l.status !== 200).map((l) => `${l.operationName}: ${l.status} ${l.errorCodes}`)).toEqual([]);
      expect(seen.problems).toEqual([]);
      await page.context().close();
    } finally {
      await prod.close();
    }
  });
});

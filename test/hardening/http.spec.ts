/**
 * The HTTP layer: CORS allowlist, body limit, CSRF prevention, the request
 * deadline, introspection and sandbox per environment, error masking with
 * the request id, and request logs that never carry secrets.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../../src/access/context';
import { currentRequest } from '../../src/core/request-meta';
import { DEMO_PASSWORD } from '../../src/db/seed';
import { startHardenedApp, STRONG_SECRET, USERS, type HardenedApp } from './support';

jest.setTimeout(120_000);

/** Throws an error that looks like a database failure from the `viewer` field when asked to. */
const faultyViewer: ApolloServerPlugin<Context> = {
  async requestDidStart({ request }) {
    if (request.http?.headers.get('x-test-fault') !== 'throw') return;
    return {
      async executionDidStart() {
        return {
          willResolveField({ info }) {
            if (info.fieldName === 'viewer') {
              throw new Error('connect failed to 10.0.0.5:5432: select "u0".* from "user" as "u0" where "u0"."password_hash" = $1');
            }
          },
        };
      },
    };
  },
};

/** Holds an operation back before execution, to pass the deadline. */
const slowOperation: ApolloServerPlugin<Context> = {
  async requestDidStart({ request }) {
    const delay = Number(request.http?.headers.get('x-test-delay') ?? 0);
    if (!delay) return;
    return {
      async didResolveOperation() {
        await new Promise((resolve) => setTimeout(resolve, delay));
      },
    };
  },
};

/** Moves the request's deadline into the past when execution reaches the named field. */
const expireAtField: ApolloServerPlugin<Context> = {
  async requestDidStart({ request }) {
    const field = request.http?.headers.get('x-test-expire-at');
    if (!field) return;
    return {
      async executionDidStart() {
        return {
          willResolveField({ info }) {
            const meta = currentRequest();
            if (info.fieldName === field && meta) meta.deadline = Date.now() - 1;
          },
        };
      },
    };
  },
};

let app: HardenedApp;
beforeAll(async () => {
  app = await startHardenedApp({
    env: { CORS_ORIGINS: 'https://app.example.com,http://localhost:3000', BODY_LIMIT_BYTES: '2048', REQUEST_TIMEOUT_MS: '4000' },
    plugins: [faultyViewer, slowOperation, expireAtField],
  });
});
afterAll(async () => {
  await app?.close();
});

test('CORS: only allowlisted origins get CORS headers, never "*"', async () => {
  const preflight = (origin: string) => app.raw({
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
  });
  const allowed = await preflight('https://app.example.com');
  expect(allowed.status).toBe(204);
  expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
  for (const origin of ['https://evil.example', 'https://app.example.com.evil.example', 'null', 'http://app.example.com']) {
    const res = await preflight(origin);
    expect({ origin, acao: res.headers.get('access-control-allow-origin') }).toEqual({ origin, acao: null });
    const post = await app.raw({ headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect({ origin, acao: post.headers.get('access-control-allow-origin') }).toEqual({ origin, acao: null });
  }
  const post = await app.raw({ headers: { origin: 'http://localhost:3000', 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
  expect(post.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
  expect(post.headers.get('access-control-expose-headers')).toContain('retry-after');
});

test('JSON body limit: the limit passes, one byte more is 413 with a GraphQL-shaped error', async () => {
  const shell = JSON.stringify({ query: '{ __typename }', variables: { pad: '' } });
  const body = (size: number) => shell.replace('"pad":""', `"pad":"${'x'.repeat(size - shell.length)}"`);
  const at = await app.raw({ headers: { 'content-type': 'application/json' }, body: body(2048) });
  expect(at.status).toBe(200);
  expect(at.body?.data).toEqual({ __typename: 'Query' });
  const over = await app.raw({ headers: { 'content-type': 'application/json' }, body: body(2049) });
  expect(over.status).toBe(413);
  expect(over.body?.errors?.[0]).toEqual({
    message: 'The request body is larger than 2048 bytes',
    extensions: { code: 'PAYLOAD_TOO_LARGE', requestId: over.headers.get('x-request-id') },
  });
});

test('CSRF prevention and no batching: simple requests and arrays are refused', async () => {
  const get = (headers: Record<string, string>) => app.raw({ method: 'GET', path: `/graphql?query=${encodeURIComponent('{ __typename }')}`, headers });
  expect((await get({})).status).toBe(400);
  expect((await get({})).body?.errors?.[0].message).toMatch(/Cross-Site Request Forgery/);
  expect((await get({ 'apollo-require-preflight': '1' })).body?.data).toEqual({ __typename: 'Query' });
  expect((await app.raw({ headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ __typename }' }) })).status).toBe(415);
  const batch = await app.raw({ headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ query: '{ __typename }' }]) });
  expect([batch.status, batch.body?.errors?.[0].extensions?.code]).toEqual([400, 'BAD_REQUEST']);
});

test('a request past its deadline gets 503 REQUEST_TIMEOUT and does no more database work; the server carries on', async () => {
  const token = await app.login(USERS.pm);
  app.resolvers.reset();
  const started = Date.now();
  const slow = await app.gql('{ viewer { role } }', {}, token, { 'x-test-delay': '6000' });
  const elapsed = Date.now() - started;
  expect(slow.status).toBe(503);
  expect(slow.headers.get('retry-after')).toBe('1');
  expect(slow.body?.errors?.[0]).toEqual({
    message: 'The request took too long and was stopped',
    extensions: { code: 'REQUEST_TIMEOUT', requestId: slow.headers.get('x-request-id') },
  });
  expect(elapsed).toBeGreaterThanOrEqual(3900);
  expect(elapsed).toBeLessThan(5800);
  // The operation carries on in the background until its delay ends; then its first field is stopped, and no SQL runs.
  let statements = 0;
  const count = () => { statements += 1; };
  app.orm.em.getKnex().on('query', count);
  await new Promise((resolve) => setTimeout(resolve, 2500));
  app.orm.em.getKnex().off('query', count);
  expect(statements).toBe(0);
  expect(app.resolvers.calls).toBeLessThanOrEqual(1);
  expect(app.logs.find((l) => l.requestId === slow.headers.get('x-request-id'))).toMatchObject({ status: 503, timedOut: true });

  // Blocked in PostgreSQL (a lock) past the deadline: 503 on time; the late result is dropped without harm.
  const knex = app.orm.em.getKnex();
  const trx = await knex.transaction();
  await trx.raw('lock table project in access exclusive mode');
  const t0 = Date.now();
  const blocked = await app.gql('{ projects { totalCount } }', {}, token);
  expect([blocked.status, blocked.body?.errors?.[0].extensions?.code]).toEqual([503, 'REQUEST_TIMEOUT']);
  expect(Date.now() - t0).toBeLessThan(5800);
  await trx.commit();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const after = await app.gql('{ projects { totalCount } }', {}, token);
  expect(after.body?.data).toEqual({ projects: { totalCount: 2 } });
  console.log(`deadline: 2/2 slow requests answered 503 REQUEST_TIMEOUT after ${elapsed} ms (limit 4000 ms), 0 SQL statements after the deadline, server healthy after`);
});

test('a deadline passed during execution: the next SQL statement is refused, nothing later is read', async () => {
  const token = await app.login(USERS.admin);
  const seen: string[] = [];
  const record = (q: { sql: string }) => { seen.push(q.sql); };
  const knex = app.orm.em.getKnex();
  knex.on('query', record);
  const res = await app.gql(
    '{ projects(first: 1) { nodes { code milestones(first: 5) { nodes { title } } } } }',
    {}, token, { 'x-test-expire-at': 'milestones' },
  );
  knex.off('query', record);
  expect(res.status).toBe(503);
  // `milestones` is non-null: its error empties the whole response.
  expect(res.body?.data).toBeNull();
  expect(res.body?.errors).toEqual([{
    message: 'The request took too long and was stopped',
    locations: [{ line: 1, column: 37 }],
    path: ['projects', 'nodes', 0, 'milestones'],
    extensions: { code: 'REQUEST_TIMEOUT' },
  }]);
  // The projects were read before the deadline passed; the milestones never were.
  expect(seen.filter((sql) => /from "project"/.test(sql)).length).toBeGreaterThan(0);
  expect(seen.filter((sql) => /"milestone"/.test(sql))).toEqual([]);
  expect(app.logs.find((l) => l.requestId === res.headers.get('x-request-id'))).toMatchObject({ timedOut: true });
});

test('an unexpected error is masked with the request id; the log has the full cause under the same id', async () => {
  const token = await app.login(USERS.admin);
  const res = await app.gql('{ viewer { role } }', {}, token, { 'x-test-fault': 'throw' });
  const requestId = res.headers.get('x-request-id');
  expect(res.body?.errors).toEqual([
    { message: 'Internal server error', locations: [{ line: 1, column: 3 }], path: ['viewer'], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } },
  ]);
  expect(res.text).not.toMatch(/10\.0\.0\.5|5432|select|password_hash|at .*\.ts/);
  const logged = app.logs.find((l) => l.msg === 'unexpected error' && l.requestId === requestId);
  expect(logged?.err?.message).toContain('10.0.0.5:5432');
  expect(logged?.err?.stack).toContain('willResolveField');
});

test('suggestions are never sent, whether from validation or from variables', async () => {
  const token = await app.login(USERS.admin);
  const typo = await app.gql('{ projectz { totalCount } viewer { rol } }', {}, token);
  const enumTypo = await app.gql('query Q($s: [ProjectStatus!]) { projects(filter: { status: $s }) { totalCount } }', { s: ['ACTIV'] }, token);
  const inputTypo = await app.gql('query Q($f: ProjectFilter) { projects(filter: $f) { totalCount } }', { f: { statu: ['ACTIVE'] } }, token);
  for (const res of [typo, enumTypo, inputTypo]) {
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(/Did you mean/);
    expect(res.body?.errors?.[0].message.length).toBeGreaterThan(10);
  }
  expect(typo.body?.errors?.map((e) => e.message)).toEqual(['Cannot query field "projectz" on type "Query".', 'Cannot query field "rol" on type "Viewer".']);
});

test('request logs: one JSON line per request with id, viewer, operation, duration and cost; never a secret', async () => {
  const start = app.logs.length;
  const login = await app.gql('mutation SignIn($input: LoginInput!) { login(input: $input) { token } }', { input: { email: USERS.aurora, password: DEMO_PASSWORD } });
  const token = login.body?.data.login.token as string;
  const wrong = await app.gql('mutation SignIn($input: LoginInput!) { login(input: $input) { token } }', { input: { email: USERS.aurora, password: 'Tr0ub4dor&3-not-the-password' } });
  expect(wrong.body?.data.login.token).toBeNull();
  const created = await app.gql('mutation MakeToken { createApiToken(input: { name: "ci" }) { secret } }', {}, token);
  const secret = created.body?.data.createApiToken.secret as string;
  const read = await app.gql('query Portfolio($n: Int) { projects(first: $n) { nodes { name } } }', { n: 3 }, secret);
  expect(read.body?.data.projects.nodes).toHaveLength(2);
  await app.raw({ headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{"query": "{ viewer {' });

  const lines = app.logs.slice(start);
  const text = lines.map((l) => JSON.stringify(l)).join('\n');
  const secrets = [DEMO_PASSWORD, 'Tr0ub4dor&3-not-the-password', token, token.split('.')[2], secret, STRONG_SECRET, app.config.jwt.secret.toString()];
  for (const s of secrets) expect(text.includes(s)).toBe(false);
  expect(text).not.toContain('vantage-development-only-secret');

  const requests = lines.filter((l) => l.msg === 'request');
  expect(requests).toHaveLength(5);
  for (const l of requests) {
    expect(Object.keys(l)).toEqual(expect.arrayContaining(['requestId', 'viewerId', 'operationName', 'durationMs', 'cost', 'status', 'method', 'path']));
    expect(typeof l.durationMs).toBe('number');
  }
  const readLine = requests.find((l) => l.requestId === read.headers.get('x-request-id'));
  expect(readLine).toMatchObject({ operationName: 'Portfolio', operationType: 'query', cost: 4, status: 200, path: '/graphql', errorCodes: [] });
  expect(readLine?.viewerId).toMatch(/^[0-9a-f-]{36}$/);
  expect(requests.find((l) => l.requestId === login.headers.get('x-request-id'))).toMatchObject({ operationName: 'SignIn', viewerId: null, cost: 1 });
  expect(requests[requests.length - 1]).toMatchObject({ status: 400, errorCodes: ['BAD_REQUEST'] });
  console.log(`logs: ${requests.length} request lines with id/viewer/operation/duration/cost, ${secrets.length} secrets checked, 0 found`);
});

test('health: /healthz is live, /readyz follows readiness', async () => {
  expect((await app.raw({ method: 'GET', path: '/healthz' })).body).toEqual({ status: 'ok' });
  expect((await app.raw({ method: 'GET', path: '/readyz' })).body).toEqual({ status: 'ready' });
  app.server.setReady(false);
  const res = await app.raw({ method: 'GET', path: '/readyz' });
  expect([res.status, res.body]).toEqual([503, { status: 'shutting down' }]);
  app.server.setReady(true);
});

test('introspection and sandbox: on in development, off in production, switchable', async () => {
  const introspect = '{ __schema { queryType { name } } }';
  const landing = (target: HardenedApp) => fetch(target.url, { headers: { accept: 'text/html' } }).then(async (r) => ({ status: r.status, html: await r.text() }));
  const dev = await startHardenedApp({ databaseUrl: app.databaseUrl, env: { NODE_ENV: 'development' }, logLevel: 'silent' });
  const prod = await startHardenedApp({ databaseUrl: app.databaseUrl, env: { NODE_ENV: 'production', JWT_SECRET: STRONG_SECRET }, logLevel: 'silent' });
  const prodOpen = await startHardenedApp({ databaseUrl: app.databaseUrl, env: { NODE_ENV: 'production', JWT_SECRET: STRONG_SECRET, INTROSPECTION: 'on' }, logLevel: 'silent' });
  try {
    expect((await dev.gql(introspect)).body?.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    expect((await landing(dev)).html).toMatch(/<html/i);
    const refused = await prod.gql(introspect);
    expect(refused.status).toBe(400);
    expect(refused.body?.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(refused.body?.errors?.[0].message).toMatch(/introspection is not allowed/i);
    expect((await landing(prod)).html).not.toMatch(/<html/i);
    expect((await prodOpen.gql(introspect)).body?.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  } finally {
    await Promise.all([dev.close(), prod.close(), prodOpen.close()]);
  }
});

test('HOST=127.0.0.1: the server listens on the loopback interface only', async () => {
  const local = await startHardenedApp({ env: { HOST: '127.0.0.1' } });
  try {
    expect(local.server.httpServer.address()).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
    const res = await local.gql('{ __typename }');
    expect(res.body?.data).toEqual({ __typename: 'Query' });
  } finally {
    await local.close();
  }
});

/**
 * GET /metrics after real GraphQL requests: exact counts per operation name
 * and outcome, the cost histogram, rate-limit rejections, SQL statements
 * (the same knex events the statement-count tests read), the pool and the
 * event loop; bounded operation-name labels; the token in production.
 */
import { ConfigError, loadConfig } from '../../src/config';
import { createLogger } from '../../src/core/logger';
import { startServer, type RunningServer } from '../../src/http/server';
import { statementKind, TRANSACTION_CONTROL } from '../../src/ops/metrics';
import { STRONG_SECRET } from '../hardening/support';
import { startTestApp, USERS, type TestApp } from '../support/app';

const METRICS_TOKEN = '7c1e9a4f2b8d6035e1f7a9c3b5d7e9f1a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { LOGIN_ATTEMPTS_PER_ACCOUNT: '2', METRICS_MAX_OPERATION_NAMES: '6' } });
});
afterAll(async () => {
  await app?.close();
});

type Series = Map<string, number>;

/** `name{a="x",b="y"} value` lines of the text format, keyed exactly as written. */
function parse(text: string): Series {
  const series: Series = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    series.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return series;
}

async function scrape(base: string, token?: string): Promise<{ status: number; text: string; type: string | null }> {
  const res = await fetch(`${base}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
}

async function post(body: string, token?: string) {
  const res = await fetch(`http://127.0.0.1:${app.server.port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  return { status: res.status, body: (await res.json()) as { errors: { extensions: { code: string } }[] } };
}

const PROJECTS = 'query Projects { projects { totalCount } }';
const NEW_ORG = 'mutation NewOrg($input: CreateOrganizationInput!) { createOrganization(input: $input) { organization { id } userErrors { code } } }';
const BAD_LOGIN = 'mutation BadLogin($input: LoginInput!) { login(input: $input) { token userErrors { code } } }';
const LONG_NAME = `Q${'x'.repeat(99)}`;

test('a scrape after real requests counts each operation and outcome exactly', async () => {
  const base = `http://127.0.0.1:${app.server.port}`;
  const admin = await app.login(USERS.admin);

  const first = await app.gql(PROJECTS, {}, admin);
  expect(first.data).toEqual({ projects: { totalCount: 3 } });
  const cost = (first.extensions as { cost: { requestedQueryCost: number } }).cost.requestedQueryCost;
  await app.gql(PROJECTS, {}, admin);
  expect((await app.gql(PROJECTS, {}, null)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  expect((await app.gql(NEW_ORG, { input: { name: '', kind: 'VENDOR' } }, admin)).data).toEqual({ createOrganization: { organization: null, userErrors: [{ code: 'VALIDATION' }] } });
  // Two failed sign-ins are allowed for one account, the third is refused before any resolver runs.
  const bad = { input: { email: 'nobody@example.com', password: 'wrong-password-123' } };
  for (let i = 0; i < 2; i += 1) expect((await app.gql(BAD_LOGIN, bad)).data).toEqual({ login: { token: null, userErrors: [{ code: 'INVALID_CREDENTIALS' }] } });
  const limited = await app.gql(BAD_LOGIN, bad);
  expect([limited.status, limited.errors?.[0].extensions?.code]).toEqual([429, 'RATE_LIMITED']);
  // Names of documents that do not parse or validate are never labels.
  expect((await post(JSON.stringify({ query: 'query Broken {' }))).body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  expect((await post(JSON.stringify({ query: 'query Nope { nope }' }), admin)).body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect((await app.gql('{ __typename }', {}, admin)).data).toEqual({ __typename: 'Query' });
  // Names are truncated, and past six distinct ones (Login, Projects, NewOrg, BadLogin, the long one, A1) they are "other".
  for (const name of [LONG_NAME, 'A1', 'A2', 'A3', 'A1']) expect((await app.gql(`query ${name} { __typename }`, {}, admin)).status).toBe(200);

  const res = await scrape(base);
  expect(res.status).toBe(200);
  expect(res.type).toBe('text/plain; version=0.0.4; charset=utf-8');
  const series = parse(res.text);
  const count = (labels: string) => series.get(`vantage_graphql_request_duration_seconds_count{${labels}}`);
  const counts = [...series].filter(([k]) => k.startsWith('vantage_graphql_request_duration_seconds_count'));
  expect(Object.fromEntries(counts)).toEqual({
    'vantage_graphql_request_duration_seconds_count{operation="Login",outcome="ok"}': 1,
    'vantage_graphql_request_duration_seconds_count{operation="Projects",outcome="ok"}': 2,
    'vantage_graphql_request_duration_seconds_count{operation="Projects",outcome="UNAUTHENTICATED"}': 1,
    'vantage_graphql_request_duration_seconds_count{operation="NewOrg",outcome="user_error"}': 1,
    'vantage_graphql_request_duration_seconds_count{operation="BadLogin",outcome="user_error"}': 2,
    'vantage_graphql_request_duration_seconds_count{operation="BadLogin",outcome="RATE_LIMITED"}': 1,
    'vantage_graphql_request_duration_seconds_count{operation="invalid",outcome="GRAPHQL_PARSE_FAILED"}': 1,
    'vantage_graphql_request_duration_seconds_count{operation="invalid",outcome="GRAPHQL_VALIDATION_FAILED"}': 1,
    'vantage_graphql_request_duration_seconds_count{operation="anonymous",outcome="ok"}': 1,
    [`vantage_graphql_request_duration_seconds_count{operation="${LONG_NAME.slice(0, 64)}",outcome="ok"}`]: 1,
    'vantage_graphql_request_duration_seconds_count{operation="A1",outcome="ok"}': 2,
    'vantage_graphql_request_duration_seconds_count{operation="other",outcome="ok"}': 2,
  });
  expect(count('operation="Projects",outcome="ok"')).toBe(2);
  // The cost of each measured operation: two identical Projects queries.
  expect(series.get('vantage_graphql_operation_cost_count{operation="Projects"}')).toBe(3);
  expect(series.get('vantage_graphql_operation_cost_sum{operation="Projects"}')).toBe(3 * cost);
  expect(series.get('vantage_rate_limit_rejections_total{limit="sign_in"}')).toBe(1);
  expect(series.get('vantage_rate_limit_rejections_total{limit="cost_budget"}')).toBe(0);

  // Every SQL statement the server issued through the ORM is measured once: the same ones as the test's own
  // listener sees, less transaction control (knex reports no end for BEGIN, COMMIT, ROLLBACK, SAVEPOINT)
  // and less the scrape's own read of the job queue, which ends after the histogram was written out.
  const statements = [...series].filter(([k]) => k.startsWith('vantage_db_statement_duration_seconds_count'));
  const ofScrape = app.sql.statements.filter((sql) => sql.includes('from graphile_worker.jobs group by'));
  expect(ofScrape.length).toBe(1);
  const timed = app.sql.statements.filter((sql) => !TRANSACTION_CONTROL.has(statementKind(sql)) && !ofScrape.includes(sql));
  expect(app.sql.statements.length - timed.length).toBe(3); // the failed NewOrg's BEGIN and ROLLBACK, the scrape's queue read
  expect(statements.reduce((sum, [, v]) => sum + v, 0)).toBe(timed.length);
  expect(series.get('vantage_db_statement_duration_seconds_count{statement="select",outcome="ok"}')).toBeGreaterThan(0);
  expect(statements.map(([k]) => k).every((k) => /\{statement="(select|insert|update|delete|begin|commit|rollback|savepoint|release|with|set|lock|other)",outcome="(ok|error)"\}$/.test(k))).toBe(true);

  // Nothing in flight at the scrape; the pool is the ORM's (10 connections).
  expect(series.get('vantage_db_pool_connections{state="in_use"}')).toBe(0);
  expect(series.get('vantage_db_pool_waiting')).toBe(0);
  expect(series.get('vantage_db_pool_max')).toBe(10);
  expect(series.get('vantage_db_pool_connections{state="idle"}')).toBeGreaterThanOrEqual(1);
  expect(series.has('nodejs_eventloop_lag_seconds')).toBe(true);
  expect(series.has('nodejs_eventloop_lag_p99_seconds')).toBe(true);
  // No label value carries a variable: the e-mail and password sent above appear nowhere.
  expect(res.text).not.toMatch(/nobody@example\.com|wrong-password/);
});

async function serverWith(env: Record<string, string>): Promise<RunningServer> {
  const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: app.config.databaseUrl!, JWT_SECRET: STRONG_SECRET, ...env });
  return startServer(app.orm, config, createLogger('silent'), 0);
}

async function stop(server: RunningServer): Promise<void> {
  await server.stop();
  await new Promise((resolve) => server.httpServer.close(resolve));
}

test('production: the token is required (401 without it or with another), and without METRICS_TOKEN there is no endpoint (404)', async () => {
  const guarded = await serverWith({ METRICS_TOKEN });
  const open = await serverWith({});
  try {
    const base = `http://127.0.0.1:${guarded.port}`;
    const none = await scrape(base);
    expect([none.status, none.text]).toEqual([401, 'Unauthorized: send the metrics token as Authorization: Bearer <METRICS_TOKEN>']);
    expect((await fetch(`${base}/metrics`)).headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect((await scrape(base, METRICS_TOKEN.replace(/.$/, 'x'))).status).toBe(401);
    expect((await scrape(base, STRONG_SECRET)).status).toBe(401);
    const ok = await scrape(base, METRICS_TOKEN);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('# TYPE vantage_graphql_request_duration_seconds histogram');

    const off = await scrape(`http://127.0.0.1:${open.port}`, METRICS_TOKEN);
    expect([off.status, off.text]).toEqual([404, 'Not found']);
  } finally {
    await stop(guarded);
    await stop(open);
  }
});

test('cost-budget rejections are counted, one per RATE_LIMITED response', async () => {
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: app.config.databaseUrl!, COST_BUDGET_PER_MINUTE: '10' });
  const server = await startServer(app.orm, config, createLogger('silent'), 0);
  try {
    const base = `http://127.0.0.1:${server.port}`;
    let limited = 0;
    for (let i = 0; i < 15; i += 1) {
      const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'query Cheap { __typename }' }) });
      const body = (await res.json()) as { errors?: { extensions: { code: string } }[] };
      if (res.status === 429 && body.errors?.[0].extensions.code === 'RATE_LIMITED') limited += 1;
    }
    expect(limited).toBeGreaterThanOrEqual(5);
    const series = parse((await scrape(base)).text);
    expect(series.get('vantage_rate_limit_rejections_total{limit="cost_budget"}')).toBe(limited);
    expect(series.get('vantage_rate_limit_rejections_total{limit="sign_in"}')).toBe(0);
    expect(series.get('vantage_graphql_request_duration_seconds_count{operation="Cheap",outcome="RATE_LIMITED"}')).toBe(limited);
    // Anonymous requests of the first test spent from the same address's budget (shared in the database), so all may be refused.
    expect(series.get('vantage_graphql_request_duration_seconds_count{operation="Cheap",outcome="ok"}') ?? 0).toBe(15 - limited);
  } finally {
    await stop(server);
  }
});

test('METRICS_TOKEN is validated at start-up with a message that says how to fix it', () => {
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (err) {
      return (err as ConfigError).problems;
    }
  };
  const prod = { NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@db.internal:5432/vantage', JWT_SECRET: STRONG_SECRET };
  expect(problems({ ...prod, METRICS_TOKEN: 'short' })).toEqual(['METRICS_TOKEN must be at least 32 random characters without spaces — generate one with `openssl rand -hex 32`']);
  expect(problems({ ...prod, METRICS_TOKEN: STRONG_SECRET })).toEqual(['METRICS_TOKEN must differ from JWT_SECRET: whoever scrapes metrics must not be able to sign access tokens']);
  expect(loadConfig(prod).metrics).toEqual({ enabled: false, token: null, maxOperationNames: 200 });
  expect(loadConfig({ ...prod, METRICS_TOKEN }).metrics).toEqual({ enabled: true, token: METRICS_TOKEN, maxOperationNames: 200 });
  expect(loadConfig({ NODE_ENV: 'development' }).metrics).toEqual({ enabled: true, token: null, maxOperationNames: 200 });
});

test('the job queue\'s depth is reported by task and state, read from the queue\'s table at each scrape', async () => {
  const sql = (text: string, params: unknown[] = []) => app.orm.em.fork().getConnection().execute(text, params as any[]);
  // A task no worker runs, so the jobs stay where they are put.
  const add = async (runAt: string, maxAttempts = 5) =>
    (await sql(`select id from graphile_worker.add_job('metrics_probe', '{}'::json, run_at := ${runAt}, max_attempts := ?)`, [maxAttempts]))[0].id;
  await add("now() - interval '1 second'");
  await add("now() + interval '1 hour'");
  const running = await add("now() - interval '1 second'");
  const failed = await add("now() - interval '1 second'", 1);
  await sql("update graphile_worker._private_jobs set locked_at = now(), locked_by = 'metrics-probe' where id = ?", [running]);
  await sql('update graphile_worker._private_jobs set attempts = 1 where id = ?', [failed]);
  try {
    const series = parse((await scrape(`http://127.0.0.1:${app.server.port}`)).text);
    const probe = [...series].filter(([k]) => k.startsWith('vantage_jobs{task="metrics_probe"'));
    expect(Object.fromEntries(probe)).toEqual({
      'vantage_jobs{task="metrics_probe",state="ready"}': 1,
      'vantage_jobs{task="metrics_probe",state="scheduled"}': 1,
      'vantage_jobs{task="metrics_probe",state="running"}': 1,
      'vantage_jobs{task="metrics_probe",state="failed"}': 1,
    });
  } finally {
    await sql("delete from graphile_worker._private_jobs where task_id = (select id from graphile_worker._private_tasks where identifier = 'metrics_probe')");
  }
  const after = parse((await scrape(`http://127.0.0.1:${app.server.port}`)).text);
  expect([...after.keys()].filter((k) => k.includes('metrics_probe'))).toEqual([]);
});

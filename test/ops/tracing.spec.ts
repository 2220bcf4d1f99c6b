/**
 * Tracing of the real process (`node -r @swc-node/register src/main.ts`)
 * exporting to a real OTLP/HTTP receiver started here: the request's span
 * carries its request id, GraphQL and PostgreSQL spans of the same trace
 * arrive, and no span carries variables, tokens or SQL values. Without an
 * endpoint, nothing of OpenTelemetry is loaded.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { gunzipSync } from 'node:zlib';
import { DEMO_PASSWORD } from '../../src/db/seed';
import { instrumentationConfig, sqlWithoutValues } from '../../src/ops/tracing';
import { createTestDatabase, dropTestDatabase, USERS } from '../support/app';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../..');

interface OtlpValue { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number; arrayValue?: { values: OtlpValue[] } }
interface OtlpSpan { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes?: { key: string; value: OtlpValue }[] }
interface Span { traceId: string; spanId: string; parentSpanId: string; name: string; kind: number; attributes: Record<string, unknown> }

function valueOf(v: OtlpValue): unknown {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue) return v.arrayValue.values.map(valueOf);
  return null;
}

/** An OTLP/HTTP receiver: POST /v1/traces with JSON bodies (what @opentelemetry/exporter-trace-otlp-http sends). */
function startReceiver(): Promise<{ server: http.Server; port: number; spans: Span[]; bodies: string[]; contentTypes: string[] }> {
  const spans: Span[] = [];
  const bodies: string[] = [];
  const contentTypes: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      let raw: Buffer = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
      const text = raw.toString('utf8');
      bodies.push(text);
      contentTypes.push(String(req.headers['content-type']));
      const body = JSON.parse(text) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
      for (const rs of body.resourceSpans ?? []) {
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) {
            spans.push({
              traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId ?? '', name: s.name, kind: s.kind,
              attributes: Object.fromEntries((s.attributes ?? []).map((a) => [a.key, valueOf(a.value)])),
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port, spans, bodies, contentTypes })));
}

async function startMain(env: Record<string, string>): Promise<{ child: ChildProcess; base: string; exited: Promise<number | null> }> {
  const childEnv: Record<string, string> = { ...(process.env as Record<string, string>), NODE_ENV: 'development', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env };
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`main did not start: ${stderr}`)), 120_000);
    child.once('exit', (code) => reject(new Error(`main exited with ${code}: ${stderr}`)));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line);
      if (entry.msg === 'Vantage is ready') {
        clearTimeout(timer);
        resolve(new URL(String(entry.url).replace('localhost', '127.0.0.1')).origin);
      }
    });
  });
  return { child, base, exited };
}

async function until<T>(what: string, probe: () => T | undefined | false, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('without OTEL_EXPORTER_OTLP_ENDPOINT nothing of OpenTelemetry is loaded; with it, the SDK and instrumentations are', () => {
  const script = "require('./src/ops/tracing'); process.stdout.write(String(Object.keys(require.cache).filter((k) => k.includes('@opentelemetry')).length))";
  const env = { ...process.env };
  delete env.OTEL_EXPORTER_OTLP_ENDPOINT;
  delete env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const off = execFileSync(process.execPath, ['-r', '@swc-node/register', '-e', script], { cwd: ROOT, env, encoding: 'utf8' });
  expect(off).toBe('0');
  const on = execFileSync(process.execPath, ['-r', '@swc-node/register', '-e', script], { cwd: ROOT, env: { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' }, encoding: 'utf8' });
  expect(Number(on)).toBeGreaterThan(50);
});

test('instrumentation settings never record values', () => {
  expect(instrumentationConfig.pg.enhancedDatabaseReporting).toBe(false);
  expect(instrumentationConfig.graphql.allowValues).toBe(false);
  expect(sqlWithoutValues(`select "e0"."id" from "app_user" as "e0" where "e0"."email" = 'a@b.example' and "e0"."x" in (12, 3.5, -4) and y = E'it\\'s' and "t2"."n" = $1 limit 21`))
    .toBe(`select "e0"."id" from "app_user" as "e0" where "e0"."email" = ? and "e0"."x" in (?, ?, ?) and y = ? and "t2"."n" = $1 limit ?`);
});

test('a request of the real process is traced: its span has the request id, GraphQL and PostgreSQL spans follow, no value is exported', async () => {
  const receiver = await startReceiver();
  const db = await createTestDatabase();
  let running: Awaited<ReturnType<typeof startMain>> | null = null;
  try {
    running = await startMain({
      DATABASE_URL: db.url,
      SEED_DEMO: '1',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiver.port}`,
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_SERVICE_NAME: 'vantage-test',
    });
    const gql = async (query: string, variables: Record<string, unknown>, token?: string) => {
      const res = await fetch(`${running!.base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { requestId: res.headers.get('x-request-id')!, body: (await res.json()) as any };
    };
    const login = await gql('mutation SignIn($input: LoginInput!) { login(input: $input) { token } }', { input: { email: USERS.aurora, password: DEMO_PASSWORD } });
    const token = login.body.data.login.token as string;
    expect(token).toMatch(/^ey/);
    const userId = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')).sub as string;
    const secretName = 'Sekrit-Filter-Value';
    const res = await gql(
      'query Portfolio($first: Int!, $name: String) { projects(first: $first) { nodes { name } } p2: projects(first: 2, filter: { search: "Zq-Literal-Term" }) { totalCount } p3: projects(filter: { search: $name }) { totalCount } }',
      { first: 7, name: secretName },
      token,
    );
    expect(res.body).toEqual({ data: { projects: { nodes: [expect.anything(), expect.anything()] }, p2: { totalCount: 0 }, p3: { totalCount: 0 } }, extensions: expect.anything() });
    expect(res.body.data.projects.nodes.map((n: { name: string }) => n.name).sort()).toEqual(['Atlas', 'Borealis']);

    const server = await until('the request span', () => receiver.spans.find((s) => s.attributes['vantage.request_id'] === res.requestId));
    expect(server.kind).toBe(2); // SERVER
    expect(server.name).toMatch(/^POST/);
    const trace = await until('graphql and pg spans of the request', () => {
      const spans = receiver.spans.filter((s) => s.traceId === server.traceId);
      return spans.some((s) => s.attributes['db.system'] === 'postgresql' || s.attributes['db.system.name'] === 'postgresql')
        && spans.some((s) => s.attributes['graphql.operation.name'] === 'Portfolio') ? spans : undefined;
    });
    const graphql = trace.filter((s) => /^graphql|Portfolio/.test(s.name) || Object.keys(s.attributes).some((k) => k.startsWith('graphql.')));
    const pg = trace.filter((s) => s.attributes['db.system'] === 'postgresql' || s.attributes['db.system.name'] === 'postgresql');
    expect(graphql.length).toBeGreaterThanOrEqual(2);
    expect(pg.length).toBeGreaterThanOrEqual(2);
    expect(trace.some((s) => s.name.startsWith('graphql.parse'))).toBe(true);
    expect(trace.some((s) => s.attributes['graphql.operation.type'] === 'query')).toBe(true);
    // The document is recorded with its literals masked.
    const source = trace.map((s) => s.attributes['graphql.source']).find((v) => typeof v === 'string') as string;
    expect(source).toContain('p2: projects(first: *  filter: { search: "*" })');
    expect(source).not.toContain('Zq-Literal-Term');
    // Statements are recorded without their values.
    const statements = pg.map((s) => String(s.attributes['db.statement'] ?? s.attributes['db.query.text'] ?? ''));
    expect(statements.some((sql) => /\bselect\b/i.test(sql))).toBe(true);
    expect(statements.every((sql) => !sql.includes("'"))).toBe(true);
    // Every span of the trace hangs off the request span's trace; the login's request has its own.
    expect(receiver.spans.find((s) => s.attributes['vantage.request_id'] === login.requestId)?.traceId).not.toBe(server.traceId);

    // Nothing the client sent — password, e-mail, token, variables, literal ids — nor the viewer's id that the SQL filters on.
    const everything = receiver.bodies.join('\n');
    for (const secret of [DEMO_PASSWORD, USERS.aurora, token, token.split('.')[2], secretName, 'Zq-Literal-Term', userId]) {
      expect({ secret, found: everything.includes(secret) }).toEqual({ secret, found: false });
    }
    expect(receiver.contentTypes.every((t) => t.startsWith('application/json'))).toBe(true);
    expect(receiver.spans.some((s) => s.name === 'GET /healthz' || s.attributes['http.target'] === '/healthz')).toBe(false);
  } finally {
    if (running) {
      running.child.kill('SIGTERM');
      await running.exited;
    }
    await new Promise((r) => receiver.server.close(r));
    await dropTestDatabase(db.name);
  }
});

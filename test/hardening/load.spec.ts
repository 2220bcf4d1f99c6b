/**
 * Load: the real server process (`node --max-semi-space-size=64 -r @swc-node/register src/main.ts`, as `npm start`)
 * under a steady mixed workload of the six demo users — lists, nested
 * connections, node lookups, dashboards, the audit trail, and writes
 * (project updates, milestones, raised risks, API tokens) — from a closed
 * loop of concurrent clients, i.e. at the highest rate the machine sustains.
 * 0 errors; the server's memory does not grow between the second and the
 * last third beyond noise: the heap after a full garbage collection (taken
 * through the server's inspector, so live objects only) is compared; the RSS
 * is printed too, but it follows V8's heap sizing more than the program.
 *
 * LOAD_SECONDS (default 60) and LOAD_CLIENTS (default 8).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { DEMO_PASSWORD } from '../../src/db/seed';
import { createTestDatabase, dropTestDatabase } from '../support/app';
import { percentile, USERS } from './support';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 8);
const ROOT = path.resolve(__dirname, '../..');

jest.setTimeout((SECONDS + 180) * 1000);

let child: ChildProcess | undefined;
let database: { url: string; name: string } | undefined;
afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  if (database) await dropTestDatabase(database.name);
});

/** Full GC in the server, then its heap in use (MB), through its inspector (WebSocket is flagged in Node 20, so a helper process). */
const PROBE = `
const ws = new WebSocket(process.argv[1]); let n = 0;
const send = (method, params = {}) => new Promise((resolve) => {
  const id = ++n;
  const on = (ev) => { const m = JSON.parse(ev.data); if (m.id === id) { ws.removeEventListener('message', on); resolve(m.result); } };
  ws.addEventListener('message', on);
  ws.send(JSON.stringify({ id, method, params }));
});
ws.onopen = async () => {
  await send('HeapProfiler.collectGarbage');
  const r = await send('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
  console.log(r.result.value); ws.close(); process.exit(0);
};`;
function heapAfterGcMb(inspector: string): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--experimental-websocket', '--no-warnings', '-e', PROBE, inspector], { timeout: 20_000 }, (err, stdout) => {
      if (err) reject(err);
      else resolve(JSON.parse(stdout.trim()).heapUsed / 1024 / 1024);
    });
  });
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

test(`load: ${SECONDS} s of mixed reads and writes by the demo users, ${CLIENTS} concurrent clients — 0 errors, no heap growth`, async () => {
  database = await createTestDatabase();
  child = spawn(process.execPath, ['--inspect=127.0.0.1:0', '--max-semi-space-size=64', '-r', '@swc-node/register', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: database.url, SEED_DEMO: '1', PORT: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  const inspectorUrl = () => /Debugger listening on (ws:\/\/\S+)/.exec(stderr)?.[1];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 120_000);
    readline.createInterface({ input: child!.stdout! }).on('line', (line) => {
      const m = /Vantage GraphQL API: (http:\/\/\S+\/graphql)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace('localhost', '127.0.0.1'));
      }
    });
  });
  const pid = child.pid!;

  const gql = async (query: string, variables: Record<string, unknown>, token?: string) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
    return { status: res.status, body };
  };

  // The demo users and what each of them may act on.
  const users = Object.entries(USERS) as [keyof typeof USERS, string][];
  const ctx: Record<string, { token: string; side: string; projects: string[]; contracts: string[] }> = {};
  for (const [name, email] of users) {
    const token = (await gql('mutation L($i: LoginInput!) { login(input: $i) { token } }', { i: { email, password: DEMO_PASSWORD } })).body.data.login.token;
    const me = (await gql('{ viewer { organization { kind } } projects { nodes { id contracts { nodes { id status } } } } }', {}, token)).body.data;
    const kind = me.viewer.organization.kind;
    ctx[name] = {
      token,
      side: kind === 'OPERATOR' ? 'operator' : kind === 'INVESTOR' ? 'investor' : 'partner',
      projects: me.projects.nodes.map((p: any) => p.id),
      contracts: me.projects.nodes.flatMap((p: any) => p.contracts.nodes.filter((c: any) => c.status === 'ACTIVE').map((c: any) => c.id)),
    };
  }

  type Op = { name: string; weight: number; for: (u: typeof ctx[string], name: string) => boolean; run: (u: typeof ctx[string], i: number) => Promise<{ status: number; body: any }[]> };
  const pick = <T>(items: T[], i: number) => items[i % items.length];
  const ops: Op[] = [
    { name: 'projects', weight: 30, for: () => true, run: async (u) => [await gql('{ projects { totalCount nodes { id name status milestones(first: 5) { totalCount nodes { title status progress } } risks(first: 5) { totalCount nodes { title score } } updates(first: 3) { nodes { title } } } } }', {}, u.token)] },
    { name: 'portfolio', weight: 15, for: (u) => u.side !== 'partner', run: async (u) => [await gql('{ viewer { portfolio { projectCount totals { currency budget actualToDate estimateAtCompletion } projects { nodes { project { name } milestoneSummary { total done overdue } riskSummary { open exposure } financials { actualToDate burnRate } } } } } }', {}, u.token)] },
    { name: 'partner summary', weight: 15, for: (u) => u.side === 'partner', run: async (u) => [await gql('{ viewer { portfolio { projectCount milestoneSummary { total } riskSummary { open } } partnerSummary { contractTotals { count } deliverableStats { total overdue acceptanceRate } contracts { nodes { reference deliverables { nodes { title status dueDate } } } } } } }', {}, u.token)] },
    { name: 'node', weight: 15, for: (u) => u.projects.length > 0, run: async (u, i) => [await gql('query N($id: ID!) { node(id: $id) { id ... on Project { name managers { name } contracts { nodes { reference status } } investments { nodes { committedAmount } } financialReports(first: 3) { nodes { periodStart status } } } } }', { id: pick(u.projects, i) }, u.token)] },
    { name: 'audit', weight: 5, for: (u) => u.side === 'operator', run: async (u) => [await gql('{ auditEvents(first: 20) { totalCount nodes { action occurredAt actor { name } } } }', {}, u.token)] },
    {
      name: 'post update', weight: 6, for: (u) => u.side === 'operator' && u.projects.length > 0,
      run: async (u, i) => [await gql('mutation U($i: PostProjectUpdateInput!) { postProjectUpdate(input: $i) { projectUpdate { id } userErrors { code message } } }', { i: { projectId: pick(u.projects, i), title: `Load update ${i}`, body: 'Steady progress.', audience: 'STAKEHOLDERS' } }, u.token)],
    },
    {
      name: 'create milestone', weight: 4, for: (u) => u.side === 'operator' && u.projects.length > 0,
      run: async (u, i) => [await gql('mutation M($i: CreateMilestoneInput!) { createMilestone(input: $i) { milestone { id } userErrors { code message } } }', { i: { projectId: pick(u.projects, i), title: `Load milestone ${i}`, dueDate: '2027-06-30', plannedValue: '1000.00' } }, u.token)],
    },
    {
      name: 'raise risk', weight: 5, for: (u) => u.side === 'partner' && u.contracts.length > 0,
      run: async (u, i) => [await gql('mutation R($i: RaiseRiskInput!) { raiseRisk(input: $i) { risk { id } userErrors { code message } } }', { i: { contractId: pick(u.contracts, i), title: `Load risk ${i}`, category: 'SCHEDULE', likelihood: 1 + (i % 5), impact: 1 + ((i * 7) % 5) } }, u.token)],
    },
    {
      name: 'api token', weight: 5, for: () => true,
      run: async (u, i) => {
        const created = await gql('mutation C($i: CreateApiTokenInput!) { createApiToken(input: $i) { apiToken { id } userErrors { code } } }', { i: { name: `load ${i}` } }, u.token);
        const id = created.body.data?.createApiToken.apiToken?.id;
        const revoked = await gql('mutation V($i: RevokeApiTokenInput!) { revokeApiToken(input: $i) { apiToken { revokedAt } userErrors { code } } }', { i: { id } }, u.token);
        return [created, revoked];
      },
    },
  ];

  const started = Date.now();
  const deadline = started + SECONDS * 1000;
  const samples: { at: number; ms: number }[] = [];
  const errors: string[] = [];
  const perOp = new Map<string, number>();
  const rss: { at: number; mb: number }[] = [];
  const sampler = setInterval(() => rss.push({ at: Date.now() - started, mb: rssMb(pid) }), 500);
  const heap: { at: number; mb: number }[] = [];
  let probing = true;
  const prober = (async () => {
    const inspector = inspectorUrl()!;
    while (probing && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 4000));
      const at = Date.now() - started;
      if (Date.now() < deadline) heap.push({ at, mb: await heapAfterGcMb(inspector) });
    }
  })();

  let counter = 0;
  const client = async (n: number) => {
    while (Date.now() < deadline) {
      counter += 1;
      const i = counter;
      const [name, u] = (() => {
        const [userName] = users[(i * 7 + n) % users.length];
        return [userName, ctx[userName]] as const;
      })();
      const allowed = ops.filter((op) => op.for(u, name));
      const total = allowed.reduce((s, op) => s + op.weight, 0);
      let r = (i * 2654435761) % total;
      const op = allowed.find((o) => (r -= o.weight) < 0)!;
      const t0 = Date.now();
      try {
        const results = await op.run(u, i);
        for (const res of results) {
          const userErrors = Object.values(res.body.data ?? {}).flatMap((v: any) => v?.userErrors ?? []);
          if (res.status !== 200 || res.body.errors || userErrors.length) errors.push(`${op.name} as ${name}: ${res.status} ${JSON.stringify(res.body.errors ?? userErrors).slice(0, 200)}`);
        }
      } catch (err) {
        errors.push(`${op.name} as ${name}: ${(err as Error).message}`);
      }
      samples.push({ at: t0 - started, ms: Date.now() - t0 });
      perOp.set(op.name, (perOp.get(op.name) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
  clearInterval(sampler);
  probing = false;
  await prober;
  const elapsed = (Date.now() - started) / 1000;

  const third = (SECONDS * 1000) / 3;
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
  const windowMean = (xs: { at: number; mb: number }[], from: number, to: number) => mean(xs.filter((s) => s.at >= from && s.at < to).map((s) => s.mb));
  const second = windowMean(rss, third, 2 * third);
  const last = windowMean(rss, 2 * third, Infinity);
  const heapSecond = windowMean(heap, third, 2 * third);
  const heapLast = windowMean(heap, 2 * third, Infinity);
  const heapGrowth = heapLast - heapSecond;
  const latencies = samples.map((s) => s.ms).sort((a, b) => a - b);
  const rate = samples.length / elapsed;

  expect(errors.slice(0, 10)).toEqual([]);
  expect(samples.length).toBeGreaterThan(SECONDS);
  // Live objects after a full GC: a leak of a few KB per operation would exceed 10% over thousands of operations.
  expect(heap.filter((s) => s.at >= third).length).toBeGreaterThanOrEqual(4);
  expect(heapGrowth).toBeLessThan(Math.max(3, heapSecond * 0.1));
  console.log(
    `load: ${samples.length} operations in ${elapsed.toFixed(1)} s = ${rate.toFixed(1)} ops/s with ${CLIENTS} clients, 0 errors; ` +
    `latency p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms; ` +
    `server heap after GC second third ${heapSecond.toFixed(1)} MB, last third ${heapLast.toFixed(1)} MB (${heapGrowth >= 0 ? '+' : ''}${heapGrowth.toFixed(1)} MB); ` +
    `RSS ${second.toFixed(1)} → ${last.toFixed(1)} MB, peak ${Math.max(...rss.map((s) => s.mb)).toFixed(1)} MB; ` +
    `mix ${[...perOp].map(([k, v]) => `${k} ${v}`).join(', ')}`,
  );
});

/**
 * Graceful shutdown of the real process (`node -r @swc-node/register
 * src/main.ts` on its embedded PostgreSQL): SIGTERM during a steady request
 * stream and a request held in PostgreSQL by a lock. Readiness fails first,
 * in-flight requests finish, the process exits within its grace period and no
 * PostgreSQL process is left behind — also when a request outlives the grace.
 * The stream goes through a stand-in load balancer that follows /readyz, as
 * in production: the instance leaves the rotation before its listener closes.
 */
import { MikroORM } from '@mikro-orm/postgresql';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { DEMO_PASSWORD } from '../../src/db/seed';
import { USERS } from './support';

jest.setTimeout(300_000);

const ROOT = path.resolve(__dirname, '../..');

interface Reply { status: number; text: string }

/** One request on its own connection (no keep-alive), so a refused connection is told apart from a failed request. */
function request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

function gql(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Reply> {
  return request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
}

interface Running {
  child: ChildProcess;
  url: string;
  base: string;
  dataDir: string;
  pgDir: string;
  logs: Record<string, any>[];
  exited: Promise<{ code: number | null; at: number }>;
}

async function startMain(env: Record<string, string>): Promise<Running> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vantage-shutdown-'));
  // Reachable by the postgres user when running as root, so the data stays here.
  chmodSync(dataDir, 0o755);
  const childEnv: Record<string, string> = { ...(process.env as Record<string, string>), NODE_ENV: 'development', PORT: '0', VANTAGE_DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env };
  delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: Record<string, any>[] = [];
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.once('exit', (code) => resolve({ code, at: Date.now() })));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`main did not start: ${stderr}`)), 180_000);
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      try {
        const entry = JSON.parse(line);
        logs.push(entry);
        if (entry.msg === 'Vantage is ready') {
          clearTimeout(timer);
          resolve(String(entry.url).replace('localhost', '127.0.0.1'));
        }
      } catch {
        /* not a log line */
      }
    });
    void exited.then(({ code }) => reject(new Error(`main exited with ${code} during start-up: ${stderr}`)));
  });
  return { child, url, base: url.replace(/\/graphql$/, ''), dataDir, pgDir: path.join(dataDir, 'pg'), logs, exited };
}

/** Processes whose command line names this data directory (a running PostgreSQL and its workers). */
function processesUsing(dir: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,args']).toString();
  return out.split('\n').filter((l) => l.includes(dir) && !l.includes('ps -eo'));
}

async function lockProjects(pgDir: string) {
  const port = Number(readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[3]);
  const orm = await MikroORM.init({
    clientUrl: `postgres://postgres:vantage-embedded@127.0.0.1:${port}/postgres`,
    entities: [],
    discovery: { warnWhenNoEntities: false },
    allowGlobalContext: true,
  });
  const trx = await orm.em.getKnex().transaction();
  await trx.raw('lock table project in access exclusive mode');
  return {
    async release() {
      await trx.commit().catch(() => undefined);
      await orm.close();
    },
  };
}

function cleanup(run: Running | undefined) {
  if (!run) return;
  if (run.child.exitCode === null) run.child.kill('SIGKILL');
  rmSync(run.dataDir, { recursive: true, force: true });
}

let first: Running | undefined;
let second: Running | undefined;
afterAll(() => {
  cleanup(first);
  cleanup(second);
});

test('SIGTERM during a steady stream: readiness fails first, 0 failed in-flight requests, exit within the grace period, no orphan PostgreSQL', async () => {
  const drainMs = 1500;
  const graceMs = 8000;
  first = await startMain({ READINESS_DRAIN_MS: String(drainMs), SHUTDOWN_GRACE_MS: String(graceMs) });
  const run = first;
  const postmaster = Number(readFileSync(path.join(run.pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  expect(processesUsing(run.pgDir).length).toBeGreaterThan(0);

  const token = JSON.parse((await gql(run.url, 'mutation L($i: LoginInput!) { login(input: $i) { token } }', { i: { email: USERS.pm, password: DEMO_PASSWORD } })).text).data.login.token;
  // The stream reads tables the lock below does not hold, so it keeps flowing while the held request waits.
  const query = '{ viewer { role user { email } organization { name } } }';

  // A load balancer in front: it polls /readyz and routes requests only while the instance is ready.
  let routable = true;
  let balancing = true;
  const balancer = (async () => {
    while (balancing) {
      try {
        routable = (await request(`${run.base}/readyz`)).status === 200;
      } catch {
        routable = false;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();

  // The steady stream through the balancer: each request on its own connection.
  const results = { ok: 0, refused: 0, failed: [] as string[] };
  let streaming = true;
  const stream = async () => {
    while (streaming) {
      if (!routable) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      try {
        const res = await gql(run.url, query, {}, token);
        if (res.status === 200 && !JSON.parse(res.text).errors) results.ok += 1;
        else results.failed.push(`${res.status} ${res.text.slice(0, 120)}`);
      } catch (err) {
        // Refused connections were never accepted: not in flight.
        if ((err as NodeJS.ErrnoException).code === 'ECONNREFUSED') results.refused += 1;
        else results.failed.push(String((err as Error).message));
      }
    }
  };
  const streams = [stream(), stream(), stream()];
  await new Promise((resolve) => setTimeout(resolve, 1500));

  // A request held in PostgreSQL by a lock when the signal arrives.
  const lock = await lockProjects(run.pgDir);
  const slowStarted = Date.now();
  const slow = gql(run.url, '{ projects { totalCount } }', {}, token);
  await new Promise((resolve) => setTimeout(resolve, 500));

  const signalAt = Date.now();
  const okAtSignal = results.ok;
  run.child.kill('SIGTERM');
  // While readiness drains, /readyz says 503 and requests are still served.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const ready = await request(`${run.base}/readyz`);
  expect([ready.status, JSON.parse(ready.text)]).toEqual([503, { status: 'shutting down' }]);

  // Let the held request finish well inside the grace period.
  await new Promise((resolve) => setTimeout(resolve, drainMs + 1000));
  await lock.release();
  const slowRes = await slow;
  const slowMs = Date.now() - slowStarted;
  expect(slowRes.status).toBe(200);
  expect(JSON.parse(slowRes.text)).toMatchObject({ data: { projects: { totalCount: 2 } } });

  const { code, at } = await run.exited;
  streaming = false;
  balancing = false;
  await Promise.all([...streams, balancer]);
  const exitMs = at - signalAt;

  expect(code).toBe(0);
  expect(exitMs).toBeLessThan(drainMs + graceMs);
  expect(results.failed).toEqual([]);
  expect(results.ok).toBeGreaterThan(okAtSignal);
  expect(processesUsing(run.pgDir)).toEqual([]);
  expect(existsSync(path.join(run.pgDir, 'postmaster.pid'))).toBe(false);
  expect(() => process.kill(postmaster, 0)).toThrow();
  // Every request the server received was answered 200 (readiness probes aside).
  const served = run.logs.filter((l) => l.msg === 'request' && l.path === '/graphql');
  expect(served.filter((l) => l.status !== 200)).toEqual([]);
  const messages = run.logs.map((l) => l.msg);
  expect(messages).toEqual(expect.arrayContaining(['shutting down: readiness off, then draining requests', 'stopped']));
  console.log(
    `SIGTERM: ${results.ok} requests served (${results.ok - okAtSignal} after the signal), 0 failed in flight (${results.refused} refused after the listener closed; server log: ${served.length} received, all 200), ` +
    `held request answered 200 after ${slowMs} ms, /readyz 503 during drain, exit 0 after ${exitMs} ms (limit ${drainMs + graceMs} ms), 0 PostgreSQL processes left`,
  );
});

test('a request that outlives the grace period does not keep the process or PostgreSQL alive', async () => {
  const graceMs = 2000;
  second = await startMain({ READINESS_DRAIN_MS: '0', SHUTDOWN_GRACE_MS: String(graceMs) });
  const run = second;
  const token = JSON.parse((await gql(run.url, 'mutation L($i: LoginInput!) { login(input: $i) { token } }', { i: { email: USERS.pm, password: DEMO_PASSWORD } })).text).data.login.token;
  const lock = await lockProjects(run.pgDir);
  const stuck = gql(run.url, '{ projects { totalCount } }', {}, token).then((r) => `status ${r.status}`, (e) => `error ${e.code ?? e.message}`);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const signalAt = Date.now();
  run.child.kill('SIGTERM');
  const { code, at } = await run.exited;
  const exitMs = at - signalAt;
  const outcome = await stuck;
  await lock.release().catch(() => undefined);
  // The limit: the grace period, then at most 5 s to close the ORM and PostgreSQL.
  expect(exitMs).toBeLessThan(graceMs + 5000);
  expect([0, 1]).toContain(code);
  expect(outcome).toMatch(/error|status 5/);
  expect(processesUsing(run.pgDir)).toEqual([]);
  console.log(`SIGTERM with a request stuck past the ${graceMs} ms grace: exit ${code} after ${exitMs} ms, stuck request ${outcome}, 0 PostgreSQL processes left`);
});

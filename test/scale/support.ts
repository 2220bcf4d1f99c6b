/**
 * Real server processes (`node -r @swc-node/register src/main.ts`) on one
 * database given by DATABASE_URL, for the scale-out tests: start, SIGTERM,
 * start again on the same port. Every address is 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { freePort } from '../../src/db/embedded';
import { createTestDatabase } from '../support/app';

const ROOT = path.resolve(__dirname, '../..');

export interface Reply { status: number; text: string; headers: http.IncomingHttpHeaders }

/** One request on its own connection (no keep-alive), so a refused connection is told apart from a failed request. */
export function request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, headers: res.headers }));
      res.on('error', reject);
    });
    req.setTimeout(init.timeoutMs ?? 60_000, () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
    req.end(init.body);
  });
}

export async function gql(base: string, query: string, variables: Record<string, unknown> = {}, token?: string | null, headers: Record<string, string> = {}) {
  const res = await request(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  let body: any = null;
  try {
    body = JSON.parse(res.text);
  } catch {
    body = null;
  }
  return { status: res.status, body, headers: res.headers, text: res.text };
}

/** A fresh database with the migrations and the demo data, prepared once before any instance starts. */
export async function preparedDatabase(): Promise<{ url: string; name: string }> {
  return createTestDatabase('seeded');
}

export interface Instance {
  name: string;
  port: number;
  base: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  /** SIGTERM, then waits for the exit; returns the exit code and how long it took. */
  stop(): Promise<{ code: number | null; ms: number }>;
}

export async function startInstance(name: string, port: number, env: Record<string, string>): Promise<Instance> {
  const childEnv: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    ...env,
  };
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (c: Buffer) => {
    output = (output + c.toString()).slice(-4000);
  };
  child.stderr!.on('data', keep);
  // Drained from the start, so a full pipe never blocks the server.
  readline.createInterface({ input: child.stdout! }).on('line', () => undefined);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 180 s: ${output}`)), 180_000);
    // The development banner is off under NODE_ENV=test: readiness is the signal, as for a load balancer.
    const poll = async () => {
      for (;;) {
        if (child.exitCode !== null) return;
        try {
          if ((await request(`${base}/readyz`, { timeoutMs: 2000 })).status === 200) {
            clearTimeout(timer);
            resolve();
            return;
          }
        } catch {
          /* not listening yet */
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    void poll();
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} during start-up: ${output}`));
    });
  });
  return {
    name,
    port,
    base,
    child,
    exited,
    async stop() {
      const at = Date.now();
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      return { code, ms: Date.now() - at };
    },
  };
}

export function kill(instances: (Instance | undefined)[]): void {
  for (const i of instances) if (i && i.child.exitCode === null) i.child.kill('SIGKILL');
}

export { freePort };

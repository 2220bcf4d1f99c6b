/**
 * `npm start` under a process manager: SIGTERM goes to npm, which forwards
 * it to the shell running the script. The script `exec`s node, so the shell
 * is replaced by the server and the signal reaches it: the server shuts down
 * gracefully and stops its embedded PostgreSQL — nothing is left running.
 */
import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

jest.setTimeout(300_000);

const ROOT = path.resolve(__dirname, '../..');

/** Every process (pid, parent, command line). */
function processes(): { pid: number; ppid: number; args: string }[] {
  return execFileSync('ps', ['-eo', 'pid=,ppid=,args=']).toString().split('\n').filter(Boolean).map((line) => {
    const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line)!;
    return { pid: Number(m[1]), ppid: Number(m[2]), args: m[3] };
  });
}

function descendants(root: number): { pid: number; args: string }[] {
  const all = processes();
  const out: { pid: number; args: string }[] = [];
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const p of all) if (p.ppid === parent) { out.push(p); queue.push(p.pid); }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 2000 }, (res) => { res.resume(); resolve(true); });
    req.on('error', () => resolve(false));
    req.on('timeout', () => { req.destroy(); resolve(false); });
  });
}

async function waitFor(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return check();
}

let dataDir: string | undefined;
let leftovers: number[] = [];
afterAll(() => {
  for (const pid of leftovers) if (alive(pid)) process.kill(pid, 'SIGKILL');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('SIGTERM to the npm process of `npm start` stops the server and its PostgreSQL', async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'vantage-npm-start-'));
  // Reachable by the postgres user when running as root, so the data stays here.
  chmodSync(dataDir, 0o755);
  const env: Record<string, string> = { ...(process.env as Record<string, string>), NODE_ENV: 'development', PORT: '0', VANTAGE_DATA_DIR: dataDir, LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  // The portal build of `prestart` is not what is tested here (and may take a minute): npm still runs `start` itself.
  env.npm_config_ignore_scripts = 'true';
  const npm = spawn('npm', ['start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  npm.stderr!.on('data', (c) => (stderr += c));
  const npmExited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not get ready: ${stderr}`)), 180_000);
    readline.createInterface({ input: npm.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      try {
        const entry = JSON.parse(line);
        if (entry.msg === 'Vantage is ready') {
          clearTimeout(timer);
          resolve(String(entry.url).replace('localhost', '127.0.0.1'));
        }
      } catch {
        /* not a log line */
      }
    });
    void npmExited.then((code) => reject(new Error(`npm start exited with ${code} during start-up: ${stderr}`)));
  });
  const health = url.replace(/\/graphql$/, '/healthz');
  expect(await answers(health)).toBe(true);

  const tree = descendants(npm.pid!);
  leftovers = tree.map((p) => p.pid);
  const server = tree.find((p) => p.args.includes('src/main.ts'))!;
  expect(server).toBeDefined();
  // The shell is gone: npm's child is the server itself.
  expect(processes().find((p) => p.pid === server.pid)?.ppid).toBe(npm.pid);
  const pgDir = path.join(dataDir, 'pg');
  const postmaster = Number(readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  expect(alive(postmaster)).toBe(true);

  npm.kill('SIGTERM');
  await npmExited;
  expect(await waitFor(() => !alive(server.pid), 30_000)).toBe(true);
  expect(await waitFor(() => !alive(postmaster), 30_000)).toBe(true);
  expect(await waitFor(async () => !(await answers(health)), 10_000)).toBe(true);
  const left = processes().filter((p) => leftovers.includes(p.pid) || p.args.includes(pgDir));
  expect(left).toEqual([]);
  console.log(`npm start: SIGTERM to npm (pid ${npm.pid}) stopped the server (pid ${server.pid}) and PostgreSQL (pid ${postmaster}); no process left`);
});

/**
 * Test side of pg-child.ts: a PostgreSQL of the test's own that it can stop
 * and start again on the same port and data directory.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

const ROOT = path.resolve(__dirname, '../..');

export interface ControlledPostgres {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops PostgreSQL and the child, and removes the data. */
  close(): Promise<void>;
}

export async function startControlledPostgres(): Promise<ControlledPostgres> {
  const base = mkdtempSync(path.join(tmpdir(), 'vantage-faults-'));
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['-r', '@swc-node/register', 'test/hardening/pg-child.ts', base], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test' },
  });
  child.stderr.on('data', () => undefined);
  const events: Record<string, any>[] = [];
  const waiters: { event: string; resolve: (e: Record<string, any>) => void; reject: (e: Error) => void }[] = [];
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    let event: Record<string, any>;
    try {
      event = JSON.parse(line);
    } catch {
      return;
    }
    events.push(event);
    for (const w of [...waiters]) {
      if (event.event === w.event) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(event);
      } else if (event.event === 'error') {
        waiters.splice(waiters.indexOf(w), 1);
        w.reject(new Error(event.message));
      }
    }
  });
  const next = (event: string, timeoutMs = 120_000) => new Promise<Record<string, any>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`PostgreSQL control: no "${event}" within ${timeoutMs} ms`)), timeoutMs);
    waiters.push({
      event,
      resolve: (e) => { clearTimeout(timer); resolve(e); },
      reject: (e) => { clearTimeout(timer); reject(e); },
    });
  });
  const ready = await next('ready');
  const command = async (cmd: string, event: string) => {
    const done = next(event);
    child.stdin.write(`${cmd}\n`);
    await done;
  };
  return {
    url: ready.url,
    dataDir: ready.dataDir,
    stop: () => command('stop', 'stopped'),
    start: () => command('start', 'started'),
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.stdin.write('exit\n');
        await exited;
      }
      rmSync(base, { recursive: true, force: true });
      rmSync(ready.dataDir, { recursive: true, force: true });
    },
  };
}

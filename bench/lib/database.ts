/**
 * The bench's own PostgreSQL: the project's embedded server with its data in
 * bench/.data (git-ignored), or BENCH_DATABASE_URL. The database is migrated
 * with the project's migrations and filled by the deterministic generator;
 * a marker table remembers which scale and anchor it holds, so a second run
 * at the same scale reuses the data.
 */
import path from 'node:path';
import { Pool } from 'pg';
import { hashPassword } from '../../src/access/auth';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded';
import { initOrm, migrate } from '../../src/db/orm';
import type { Db } from '../scenarios/db';
import { generate, truncateAll, type Scale } from '../scenarios/generate';

export const GENERATOR_VERSION = 3;

export interface BenchDatabase {
  url: string;
  embedded: EmbeddedDatabase | null;
  pool: Pool;
  db: Db;
  stop(): Promise<void>;
}

export function poolDb(pool: Pool): Db {
  return { query: async (text, params) => (await pool.query(text, params as unknown[])).rows };
}

export async function openDatabase(log: (m: string) => void): Promise<BenchDatabase> {
  let embedded: EmbeddedDatabase | null = null;
  let url = process.env.BENCH_DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: path.resolve(__dirname, '../.data'),
      // Reads dominate; synchronous_commit off keeps the one write scenario from measuring the disk of a shared machine.
      postgresFlags: ['-c', 'synchronous_commit=off', '-c', 'max_connections=200', '-c', 'shared_buffers=256MB'],
    });
    url = embedded.url;
    log(`embedded PostgreSQL at ${new URL(url).host} (data in bench/.data)`);
  }
  const pool = new Pool({ connectionString: url, max: 4 });
  pool.on('error', () => undefined);
  return {
    url,
    embedded,
    pool,
    db: poolDb(pool),
    async stop() {
      await pool.end().catch(() => undefined);
      if (embedded) await embedded.stop();
    },
  };
}

/** Migrates and (re)generates the data when the marker does not match. */
export async function prepareData(bench: BenchDatabase, scale: Scale, anchor: string, log: (m: string) => void, force = false): Promise<void> {
  const orm = await initOrm({ url: bench.url, poolMax: 2 });
  try {
    await migrate(orm);
  } finally {
    await orm.close();
  }
  const db = bench.db;
  await db.query('create table if not exists bench_meta (key text primary key, value text not null)');
  const wanted = JSON.stringify({ v: GENERATOR_VERSION, scale, anchor });
  const [have] = await db.query<{ value: string }>(`select value from bench_meta where key = 'data'`);
  if (!force && have?.value === wanted) {
    log(`data of scale ${scale.name} (anchor ${anchor}) already present`);
    return;
  }
  log(`generating scale ${scale.name}: ${scale.projects} projects, anchor ${anchor}`);
  const started = Date.now();
  await truncateAll(db);
  await generate(db, scale, anchor, await hashPassword('vantage-bench'), (m) => log(`  ${m}`));
  await db.query(`insert into bench_meta (key, value) values ('data', $1) on conflict (key) do update set value = excluded.value`, [wanted]);
  log(`generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * A real streaming replica of a dedicated test PostgreSQL: a low-level base
 * backup (`pg_backup_start`, copy of the data directory, `pg_backup_stop`
 * and its backup_label), `standby.signal` and `primary_conninfo`, and a
 * second postgres on another port, run by the same binary and user as the
 * primary. The embedded distribution has no pg_basebackup, hence the copy.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../src/db/embedded';

export interface Replica {
  url(database: string): string;
  dataDir: string;
  /** Fast shutdown; resolves when the process has exited. */
  stop(): Promise<void>;
  query<T = any>(sql: string, database?: string): Promise<T[]>;
  close(): Promise<void>;
}

export async function sql<T = any>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Starts a hot standby of the PostgreSQL at `primaryUrl` (data in `primaryDataDir`) and waits until it accepts queries. */
export async function startReplica(primaryUrl: string, primaryDataDir: string): Promise<Replica> {
  const primary = new URL(primaryUrl);
  const dataDir = `${primaryDataDir}-replica`;
  rmSync(dataDir, { recursive: true, force: true });
  const slot = 'scale_replica';

  const session = new Client({ connectionString: primaryUrl });
  await session.connect();
  try {
    const [settings] = (await session.query(`select current_setting('wal_level') as wal_level, current_setting('max_wal_senders')::int as senders`)).rows;
    if (settings.wal_level === 'minimal' || settings.senders < 1) throw new Error(`the primary cannot stream: wal_level=${settings.wal_level}, max_wal_senders=${settings.senders}`);
    // The slot keeps the WAL from the backup's start until the standby has streamed it.
    await session.query(`select pg_create_physical_replication_slot($1, true)`, [slot]);
    await session.query(`select pg_backup_start('scale-replica', true)`);
    // cp -a keeps the owner (the postgres user when running as root) and the 0700 mode PostgreSQL requires.
    execFileSync('cp', ['-a', primaryDataDir, dataDir]);
    const [stopped] = (await session.query('select labelfile from pg_backup_stop(true)')).rows;
    writeFileSync(path.join(dataDir, 'backup_label'), stopped.labelfile);
  } finally {
    await session.end();
  }
  // What a base backup leaves out: the primary's pid file, its WAL (streamed instead) and its slots.
  for (const f of ['postmaster.pid', 'postmaster.opts']) rmSync(path.join(dataDir, f), { force: true });
  for (const dir of ['pg_wal', 'pg_replslot']) {
    for (const entry of readdirSync(path.join(dataDir, dir))) {
      if (entry !== 'archive_status' && entry !== 'summaries') rmSync(path.join(dataDir, dir, entry), { recursive: true, force: true });
    }
  }
  writeFileSync(path.join(dataDir, 'standby.signal'), '');
  const password = decodeURIComponent(primary.password);
  appendFileSync(
    path.join(dataDir, 'postgresql.auto.conf'),
    `\nprimary_conninfo = 'host=127.0.0.1 port=${primary.port} user=${decodeURIComponent(primary.username)} password=${password} application_name=${slot}'\n` +
      `primary_slot_name = '${slot}'\nhot_standby = on\n`,
  );

  // The primary's own command line names its binary.
  const opts = readFileSync(path.join(primaryDataDir, 'postmaster.opts'), 'utf8');
  const binary = opts.trim().split(/\s+"?/)[0].replace(/"/g, '');
  if (!existsSync(binary)) throw new Error(`postgres binary not found (postmaster.opts: ${opts})`);
  const root = userInfo().uid === 0;
  let ids: { uid: number; gid: number } | undefined;
  if (root) {
    ids = {
      uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
      gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
    };
    execFileSync('chown', ['-R', `${ids.uid}:${ids.gid}`, dataDir]);
  }
  const port = await freePort();
  const child: ChildProcess = spawn(binary, ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'], {
    ...(ids ?? {}),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (c) => (log = (log + c.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const base = new URL(primaryUrl);
  base.port = String(port);
  const url = (database: string) => withDatabase(base.toString(), database);
  const query = <T>(text: string, database = 'postgres') => sql<T>(url(database), text);

  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the replica exited during start-up: ${log}`);
    try {
      const [row] = await query<{ standby: boolean }>('select pg_is_in_recovery() as standby');
      if (!row.standby) throw new Error('the copy started as a primary, not a standby');
      break;
    } catch (err) {
      if (/not a standby|started as a primary/.test((err as Error).message)) throw err;
      if (Date.now() > deadline) throw new Error(`the replica did not accept connections within 120 s: ${log}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      await exited;
    })();
    return stopping;
  };
  return {
    url,
    dataDir,
    stop,
    query,
    async close() {
      await stop();
      await sql(primaryUrl, `select pg_drop_replication_slot($1) from pg_replication_slots where slot_name = $1`, [slot]).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

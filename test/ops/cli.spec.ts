/**
 * The administration CLI against a database of its own, created empty:
 * exact outputs and exit codes of every command, and what each write left in
 * the database (audit events included). The binary itself (`node
 * bin/vantage.js`, what `npx vantage` runs) is run as a child process where
 * the process matters: help, usage errors' exit codes, a migration, the
 * password read from stdin, a token; the other cases call the same `run`
 * in this process (a child process costs seconds of compiling each).
 */
import { MikroORM } from '@mikro-orm/postgresql';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { migrationsList } from '../../migrations';
import { verifyPassword } from '../../src/access/auth';
import { initOrm } from '../../src/db/orm';
import { AuditEvent } from '../../src/model/audit.entity';
import { ApiToken, Organization, User } from '../../src/model/identity.entity';
import { run } from '../../src/cli/main';
import { createTestDatabase, dropTestDatabase } from '../support/app';

// Each run is a new process that compiles and loads the ORM: seconds each, on a busy machine more.
jest.setTimeout(600_000);

const ROOT = path.resolve(__dirname, '../..');
const MIGRATIONS = migrationsList.map((m) => m.name);

interface Run { code: number | null; stdout: string; stderr: string }

let db: { url: string; name: string };
let orm: MikroORM | null = null;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await orm?.close();
  if (db) await dropTestDatabase(db.name);
});

function cli(args: string[], options: { env?: Record<string, string | undefined>; input?: string } = {}): Promise<Run> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), NODE_ENV: 'test', DATABASE_URL: db.url };
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/vantage.js'), ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** The CLI's `run` in this process, with the environment a child would get and its output captured. */
async function cliIn(args: string[], options: { env?: Record<string, string | undefined> } = {}): Promise<Run> {
  const env: Record<string, string | undefined> = { NODE_ENV: 'test', DATABASE_URL: db.url, ...(options.env ?? {}) };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  const captured = { stdout: '', stderr: '' };
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  const capture = (name: 'stdout' | 'stderr') => ((chunk: unknown, ...rest: unknown[]) => {
    captured[name] += String(chunk);
    const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    done?.();
    return true;
  }) as typeof process.stdout.write;
  set(env);
  process.stdout.write = capture('stdout');
  process.stderr.write = capture('stderr');
  try {
    const code = await run(args);
    return { code, ...captured };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    set(saved);
  }
}

const json = (run: Run) => JSON.parse(run.stdout);

async function em() {
  orm ??= await initOrm({ url: db.url });
  return orm.em.fork();
}

test('usage: help, no command, unknown command or option, missing arguments, missing DATABASE_URL', async () => {
  const help = await cli(['--help']);
  expect([help.code, help.stderr]).toEqual([0, '']);
  expect(help.stdout.split('\n')[0]).toBe('Usage: vantage <command> [options]');
  expect(help.stdout).toContain('  user set-role  change a user\'s role (it must fit their organization\'s kind)');
  expect(help.stdout).toContain('Exit codes: 0 ok, 1 failure, 2 usage.');

  const commandHelp = await cliIn(['token', 'create', '--help']);
  expect([commandHelp.code, commandHelp.stdout]).toEqual([0, 'Usage: vantage token create --user <e-mail> --name <what it is for> [--expires-at <ISO date-time>] [--any-document] [--json]\n\n'
    + 'token create: create an API token for a user (the secret is shown once; --any-document: it may send any query, not only the portal\'s)\n']);

  const none = await cli([]);
  expect([none.code, none.stdout, none.stderr]).toEqual([2, '', 'vantage: no command given\nRun `vantage --help` for the commands.\n']);
  const unknown = await cliIn(['frobnicate']);
  expect([unknown.code, unknown.stderr]).toEqual([2, 'vantage: unknown command "frobnicate"\nRun `vantage --help` for the commands.\n']);
  const unknownSub = await cliIn(['user', 'delete', 'x@example.com', '--json']);
  expect([unknownSub.code, json(unknownSub)]).toEqual([2, { ok: false, error: { message: 'unknown command "user delete"', exitCode: 2 } }]);
  const badOption = await cliIn(['org', 'create', '--name', 'X', '--kind', 'VENDOR', '--colour', 'red']);
  expect(badOption.code).toBe(2);
  expect(badOption.stderr).toMatch(/^vantage: Unknown option '--colour'/);
  const missingArg = await cliIn(['user', 'disable']);
  expect([missingArg.code, missingArg.stderr]).toEqual([2, 'vantage: user disable takes <e-mail> (got none)\nUsage: vantage user disable <e-mail> [--json]\n']);
  const missingUrl = await cli(['migrate'], { env: { DATABASE_URL: undefined } });
  expect([missingUrl.code, missingUrl.stderr]).toEqual([2, 'vantage: DATABASE_URL is required: export DATABASE_URL=postgres://user:password@host:5432/database\nRun `vantage --help` for the commands.\n']);
  const badKind = await cliIn(['org', 'create', '--name', 'X', '--kind', 'BANK']);
  expect([badKind.code, badKind.stderr.split('\n')[0]]).toEqual([2, 'vantage: --kind must be one of OPERATOR, INVESTOR, VENDOR, SUBCONTRACTOR (got "BANK")']);
});

test('doctor, migrate and seed on a new database', async () => {
  const before = await cliIn(['doctor', '--json']);
  expect(before.code).toBe(0);
  expect(json(before)).toEqual({
    ok: true,
    checks: [
      { name: 'configuration', status: 'ok', detail: 'valid (NODE_ENV=test)' },
      { name: 'database', status: 'ok', detail: expect.stringMatching(/^127\.0\.0\.1:\d+\/vantage_test_\w+ reachable in \d+ ms, PostgreSQL \d+/) },
      { name: 'migrations', status: 'warn', detail: `${MIGRATIONS.length} pending (${MIGRATIONS.join(', ')}): run \`vantage migrate\` (the server also applies them at start)` },
      { name: 'replicas', status: 'ok', detail: 'no replicas configured' },
    ],
  });

  const seedFirst = await cliIn(['seed']);
  expect([seedFirst.code, seedFirst.stderr]).toEqual([1, `vantage: ${MIGRATIONS.length} migration(s) pending: run \`vantage migrate\` first\n`]);

  const migrate = await cli(['migrate']);
  expect([migrate.code, migrate.stdout]).toEqual([0, `Applied ${MIGRATIONS.length} migrations:\n${MIGRATIONS.map((n) => `  ${n}`).join('\n')}\n`]);
  const again = await cliIn(['migrate', '--json']);
  expect([again.code, json(again)]).toEqual([0, { ok: true, applied: [] }]);

  const seed = await cliIn(['seed']);
  expect([seed.code, seed.stdout]).toEqual([0, 'Loaded the demo data (demo logins use the password "vantage-demo").\n']);
  expect(await (await em()).count(User, {})).toBe(6);
  const twice = await cliIn(['seed']);
  expect([twice.code, twice.stdout, twice.stderr]).toEqual([1, '', 'vantage: the database is not empty: seed loads the demo data into an empty database only\n']);

  const after = await cliIn(['doctor']);
  expect(after.code).toBe(0);
  expect(after.stdout.split('\n').map((l) => l.replace(/reachable in \d+ ms, PostgreSQL [\d.]+/, 'reachable'))).toEqual([
    'ok    configuration: valid (NODE_ENV=test)',
    `ok    database: ${new URL(db.url).hostname}:${new URL(db.url).port}/${db.name} reachable`,
    'ok    migrations: none pending',
    'ok    replicas: no replicas configured',
    '',
  ]);
});

test('doctor fails on an unreachable database, a primary given as a replica, and an invalid configuration', async () => {
  const down = await cliIn(['doctor', '--json'], { env: { DATABASE_URL: 'postgres://u:secret-pw@127.0.0.1:1/nowhere' } });
  expect(down.code).toBe(1);
  expect(json(down).checks[1]).toEqual({ name: 'database', status: 'fail', detail: 'cannot reach the database at 127.0.0.1:1/nowhere: connect ECONNREFUSED 127.0.0.1:1' });
  expect(down.stdout).not.toContain('secret-pw');

  const replica = await cliIn(['doctor', '--json'], { env: { DATABASE_REPLICA_URLS: db.url } });
  expect(replica.code).toBe(1);
  const url = new URL(db.url);
  expect(json(replica).checks[3]).toEqual({ name: `replica ${url.hostname}:${url.port}/${db.name}`, status: 'fail', detail: 'reachable, but not a standby (pg_is_in_recovery() is false): it is a primary' });

  const config = await cliIn(['doctor', '--json'], { env: { NODE_ENV: 'production', JWT_SECRET: 'short' } });
  expect(config.code).toBe(1);
  expect(json(config).checks[0]).toEqual({ name: 'configuration', status: 'fail', detail: 'JWT_SECRET is too weak for production: use at least 32 random characters, e.g. `openssl rand -hex 32`' });
});

test('org create, user create / set-role / disable go through the API rules and are audited with the cli actor', async () => {
  const org = await cliIn(['org', 'create', '--name', 'Echo Partners', '--kind', 'vendor', '--json']);
  expect(org.code).toBe(0);
  const created = json(org);
  expect(created).toEqual({
    ok: true,
    organization: { id: expect.any(String), globalId: expect.any(String), name: 'Echo Partners', kind: 'VENDOR' },
    requestId: expect.stringMatching(/^cli:[0-9a-f-]{36}$/),
  });
  const emptyName = await cliIn(['org', 'create', '--name', '   ', '--kind', 'VENDOR']);
  expect([emptyName.code, emptyName.stderr]).toEqual([1, 'vantage: name: name must be 1–200 characters (got 0)\n']);

  const user = await cli(['user', 'create', '--email', 'New.Person@Echo.example', '--name', 'New Person', '--org', 'Echo Partners', '--role', 'MEMBER', '--password-stdin'], { input: 'correct horse battery staple\n' });
  expect([user.code, user.stderr]).toEqual([0, '']);
  expect(user.stdout).toMatch(/^Created user new\.person@echo\.example \(MEMBER of Echo Partners\), id [0-9a-f-]{36}\n$/);
  const row = (await (await em()).find(User, { email: 'new.person@echo.example' }, { populate: ['passwordHash', 'organization'] }))[0];
  expect([row.name, row.role, row.organization.id]).toEqual(['New Person', 'MEMBER', created.organization.id]);
  // The same argon2id hash as the API writes.
  expect(row.passwordHash).toMatch(/^\$argon2id\$/);
  expect(await verifyPassword(row.passwordHash, 'correct horse battery staple')).toBe(true);

  const generated = await cliIn(['user', 'create', '--email', 'second@echo.example', '--name', 'Second', '--org', created.organization.globalId, '--role', 'VIEWER', '--json']);
  expect(generated.code).toBe(0);
  const password = json(generated).password as string;
  expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
  const second = (await (await em()).find(User, { email: 'second@echo.example' }, { populate: ['passwordHash'] }))[0];
  expect(await verifyPassword(second.passwordHash, password)).toBe(true);

  const duplicate = await cli(['user', 'create', '--email', 'new.person@echo.example', '--name', 'Again', '--org', 'Echo Partners', '--role', 'MEMBER', '--password-stdin'], { input: 'another long password' });
  expect([duplicate.code, duplicate.stdout, duplicate.stderr]).toEqual([1, '', 'vantage: email: A user with this email already exists\n']);
  const duplicateJson = await cliIn(['user', 'create', '--email', 'new.person@echo.example', '--name', 'Again', '--org', 'Echo Partners', '--role', 'MEMBER', '--json']);
  expect([duplicateJson.code, json(duplicateJson)]).toEqual([1, {
    ok: false,
    error: {
      message: 'email: A user with this email already exists', exitCode: 1,
      userErrors: [{ code: 'ALREADY_EXISTS', field: ['input', 'email'], message: 'A user with this email already exists' }],
      requestId: expect.stringMatching(/^cli:/),
    },
  }]);
  const wrongRole = await cliIn(['user', 'create', '--email', 'boss@echo.example', '--name', 'Boss', '--org', 'Echo Partners', '--role', 'ADMIN']);
  expect([wrongRole.code, wrongRole.stderr]).toEqual([1, 'vantage: role: role ADMIN is not valid in a VENDOR organization (valid: MEMBER or VIEWER)\n']);
  const shortPassword = await cli(['user', 'create', '--email', 'short@echo.example', '--name', 'Short', '--org', 'Echo Partners', '--role', 'MEMBER', '--password-stdin'], { input: 'tiny' });
  expect([shortPassword.code, shortPassword.stderr]).toEqual([1, 'vantage: password: password must be 12–200 characters\n']);
  const noOrg = await cliIn(['user', 'create', '--email', 'x@echo.example', '--name', 'X', '--org', 'Nowhere Inc', '--role', 'MEMBER']);
  expect([noOrg.code, noOrg.stderr]).toEqual([1, 'vantage: no organization named "Nowhere Inc"\n']);
  const missing = await cliIn(['user', 'create', '--name', 'X', '--org', 'Echo Partners', '--role', 'MEMBER']);
  expect([missing.code, missing.stderr.split('\n')[0]]).toEqual([2, 'vantage: --email is required']);

  const role = await cliIn(['user', 'set-role', 'new.person@echo.example', 'VIEWER']);
  expect([role.code, role.stdout]).toEqual([0, 'Changed the role of new.person@echo.example from MEMBER to VIEWER\n']);
  const badRole = await cliIn(['user', 'set-role', 'new.person@echo.example', 'MANAGER']);
  expect([badRole.code, badRole.stderr]).toEqual([1, 'vantage: role: role MANAGER is not valid in a VENDOR organization (valid: MEMBER or VIEWER)\n']);
  const nobody = await cliIn(['user', 'set-role', 'nobody@echo.example', 'VIEWER']);
  expect([nobody.code, nobody.stderr]).toEqual([1, 'vantage: no user with the e-mail nobody@echo.example\n']);

  const disable = await cliIn(['user', 'disable', 'second@echo.example']);
  expect([disable.code, disable.stdout]).toEqual([0, 'Disabled user second@echo.example: they cannot sign in, and their tokens stop working now\n']);
  const disableAgain = await cliIn(['user', 'disable', 'second@echo.example']);
  expect(disableAgain.code).toBe(1);
  expect(disableAgain.stderr).toMatch(/^vantage: User is already disabled \(since \d{4}-\d\d-\d\dT[\d:.]+Z\)\n$/);

  const events = await (await em()).find(AuditEvent, { action: { $in: ['organization.create', 'user.create', 'user.changeRole', 'user.disable'] } }, { orderBy: { occurredAt: 'asc' } });
  expect(events.map((e) => [e.action, e.actor ?? null, e.requestId.slice(0, 4)])).toEqual([
    ['organization.create', null, 'cli:'],
    ['user.create', null, 'cli:'],
    ['user.create', null, 'cli:'],
    ['user.changeRole', null, 'cli:'],
    ['user.disable', null, 'cli:'],
  ]);
  expect(events[0].requestId).toBe(created.requestId);
  expect(events[3].changes).toEqual({ role: { before: 'MEMBER', after: 'VIEWER' } });
  // The password, even hashed, is not in the trail.
  expect(JSON.stringify(events.map((e) => e.changes))).not.toMatch(/password|argon2/i);
});

test('token create / revoke act as the token\'s user, like the API', async () => {
  const created = await cli(['token', 'create', '--user', 'ir@aurora.example', '--name', 'nightly export', '--expires-at', '2099-01-01T00:00:00Z', '--any-document', '--json']);
  expect(created.code).toBe(0);
  const out = json(created);
  expect(out).toEqual({
    ok: true,
    apiToken: {
      id: expect.any(String), globalId: expect.any(String), name: 'nightly export', prefix: out.secret.slice(0, 12), expiresAt: '2099-01-01T00:00:00.000Z',
      allowsAnyDocument: true, user: 'ir@aurora.example',
    },
    secret: expect.stringMatching(/^vnt_[A-Za-z0-9_-]{43}$/),
    requestId: expect.stringMatching(/^cli:/),
  });
  const row = await (await em()).findOneOrFail(ApiToken, { id: out.apiToken.id }, { populate: ['user'] });
  expect(row.secretHash).toBe(createHash('sha256').update(out.secret).digest('hex'));
  expect([row.user.email, row.allowsAnyDocument]).toEqual(['ir@aurora.example', true]);

  const past = await cliIn(['token', 'create', '--user', 'ir@aurora.example', '--name', 'old', '--expires-at', '2001-01-01T00:00:00Z']);
  expect([past.code, past.stderr]).toEqual([1, 'vantage: expiresAt: expiresAt must be in the future\n']);
  const badDate = await cliIn(['token', 'create', '--user', 'ir@aurora.example', '--name', 'x', '--expires-at', 'tomorrow']);
  expect([badDate.code, badDate.stderr.split('\n')[0]]).toEqual([2, 'vantage: --expires-at must be an ISO date-time such as 2027-01-31T00:00:00Z (got "tomorrow")']);
  const disabled = await cliIn(['token', 'create', '--user', 'second@echo.example', '--name', 'x']);
  expect([disabled.code, disabled.stderr]).toEqual([1, 'vantage: user second@echo.example is disabled: a token of theirs would not work\n']);

  const revoke = await cliIn(['token', 'revoke', out.apiToken.prefix]);
  expect([revoke.code, revoke.stdout]).toEqual([0, `Revoked API token ${out.apiToken.prefix} ("nightly export") of ir@aurora.example\n`]);
  const revokedRow = await (await em()).findOneOrFail(ApiToken, { id: out.apiToken.id });
  expect(revokedRow.revokedAt).toBeInstanceOf(Date);
  const again = await cliIn(['token', 'revoke', out.apiToken.id, '--json']);
  expect([again.code, json(again).alreadyRevoked, json(again).apiToken.revokedAt]).toEqual([0, true, revokedRow.revokedAt!.toISOString()]);
  const unknown = await cliIn(['token', 'revoke', 'vnt_nothing']);
  expect([unknown.code, unknown.stderr]).toEqual([1, 'vantage: no API token with the prefix "vnt_nothing"\n']);

  const iris = await (await em()).findOneOrFail(User, { email: 'ir@aurora.example' });
  const events = await (await em()).find(AuditEvent, { action: { $in: ['apiToken.create', 'apiToken.revoke'] } }, { orderBy: { occurredAt: 'asc' } });
  expect(events.map((e) => [e.action, e.actor?.id, e.requestId.slice(0, 4), e.entityId])).toEqual([
    ['apiToken.create', iris.id, 'cli:', out.apiToken.id],
    ['apiToken.revoke', iris.id, 'cli:', out.apiToken.id],
  ]);
  expect(JSON.stringify(events.map((e) => e.changes))).not.toContain(out.secret.slice(12));
  expect(events[0].changes.allowsAnyDocument).toEqual({ before: null, after: true });

  // Without --any-document (the default): portal operations only, and the text says how to get more.
  const portalOnly = await cliIn(['token', 'create', '--user', 'ir@aurora.example', '--name', 'portal only']);
  const lines = portalOnly.stdout.split('\n');
  expect([portalOnly.code, lines[1]]).toEqual([0, 'It may send only the portal\'s own operations where trusted documents are on (production); --any-document for other queries.']);
  const portalRow = await (await em()).findOneOrFail(ApiToken, { name: 'portal only' });
  expect([portalRow.allowsAnyDocument, lines[0]]).toEqual([false, `Created API token "portal only" for ir@aurora.example, id ${portalRow.id}, prefix ${portalRow.prefix}`]);
});

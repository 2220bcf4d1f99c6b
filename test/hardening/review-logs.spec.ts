/**
 * A failed SQL statement is logged with its text, never with its values:
 * the values of a statement on app_user or api_token are password hashes
 * and token hashes.
 */
import 'reflect-metadata';
import type { MikroORM } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import { createLogger, withoutSqlValues } from '../../src/core/logger';
import { initOrm } from '../../src/db/orm';
import { makeFormatError } from '../../src/http/server';
import { createTestDatabase, dropTestDatabase } from '../support/app';

jest.setTimeout(120_000);

const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2VjcmV0LXNhbHQtdmFsdWU$Zm9yYmlkZGVuLWhhc2gtdmFsdWUtMTIzNDU2Nzg5';
const TOKEN_HASH = 'f3a9c1d2e4b5a6978899aabbccddeeff00112233445566778899aabbccddeeff';

let db: { url: string; name: string };
let orm: MikroORM;
beforeAll(async () => {
  db = await createTestDatabase('seeded');
  orm = await initOrm({ url: db.url });
});
afterAll(async () => {
  await orm?.close();
  if (db) await dropTestDatabase(db.name);
});

async function failure(sql: string, params: unknown[]): Promise<Error> {
  try {
    await orm.em.fork().getConnection().execute(sql, params);
  } catch (err) {
    return err as Error;
  }
  throw new Error('the statement was expected to fail');
}

function capture() {
  const lines: string[] = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
  return { logger, text: () => lines.join('') };
}

test('an unexpected database error reaches the log with its statement and without its values', async () => {
  // A duplicate e-mail: the driver puts the statement, values inlined, into the message, and PostgreSQL the key into `detail`.
  const err = await failure(
    `insert into app_user (id, email, name, password_hash, role, organization_id, created_at, updated_at, version)
     select gen_random_uuid(), ?, 'Someone', ?, role, organization_id, now(), now(), 1 from app_user where email = ?`,
    ['admin@northwind.example', HASH, 'admin@northwind.example'],
  );
  // The raw error does carry the values: this is what must not be written.
  expect(`${err.message} ${(err as any).detail}`).toContain(HASH);

  const { logger, text } = capture();
  const formatted = makeFormatError(logger)({ message: err.message, path: ['createUser'] }, new GraphQLError(err.message, { originalError: err, path: ['createUser'] }));
  expect(formatted.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
  const log = text();
  expect(log).not.toContain(HASH);
  expect(log).not.toContain('c2VjcmV0LXNhbHQtdmFsdWU');
  expect(log).not.toContain('admin@northwind.example');
  expect(log).toContain('insert into app_user (id, email, name, password_hash, role, organization_id, created_at, updated_at, version)');
  expect(log).toContain('duplicate key value violates unique constraint \\"app_user_email_unique\\"');
  expect(log).toContain('Key (email)=(?) already exists.');
  const entry = JSON.parse(text().trim());
  expect(entry.msg).toBe('unexpected error');
  expect(entry.err.code).toBe('23505');
});

test('a token hash in a failing update and a value quoted in the PostgreSQL message are blanked too', async () => {
  const err = await failure('update api_token set secret_hash = ? where id = ?', [TOKEN_HASH, `not-a-uuid-${TOKEN_HASH.slice(0, 12)}`]);
  expect(err.message).toContain(TOKEN_HASH);
  const { logger, text } = capture();
  logger.error({ err }, 'unexpected error');
  const log = text();
  expect(log).not.toContain(TOKEN_HASH);
  expect(log).not.toContain(TOKEN_HASH.slice(0, 12));
  expect(log).toContain('update api_token set secret_hash = ? where id = ?');
  expect(log).toContain('invalid input syntax for type uuid: \\"?\\"');
});

test('the ORM query log, when switched on, shows placeholders instead of values', async () => {
  const lines: string[] = [];
  const debugOrm = await initOrm({ url: db.url, debug: true, log: (line) => void lines.push(line) });
  try {
    await debugOrm.em.fork().getConnection().execute('update api_token set secret_hash = ? where id = ?', [TOKEN_HASH, 'not-a-uuid']).catch(() => undefined);
  } finally {
    await debugOrm.close();
  }
  const log = lines.join('\n');
  expect(log).toContain('update api_token set secret_hash = $1 where id = $2');
  expect(log).not.toContain(TOKEN_HASH);
});

test('messages that are not from the database are left as they are', () => {
  expect(withoutSqlValues(`select 1 from t where a = 'x''y' and b = E'z\\'w'`)).toBe('select 1 from t where a = ? and b = ?');
  const { logger, text } = capture();
  logger.error({ err: new Error(`the user's "name" is missing`) }, 'x');
  expect(JSON.parse(text()).err.message).toBe(`the user's "name" is missing`);
});

/**
 * Migrations are the only way the schema changes: on a fresh database, after
 * all migrations, the entities describe exactly what is there.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { initOrm, migrate } from '../../src/db/orm';
import { createTestDatabase, dropTestDatabase } from '../support/app';

let orm: MikroORM;
let name: string;

beforeAll(async () => {
  const db = await createTestDatabase();
  name = db.name;
  orm = await initOrm({ url: db.url });
  await migrate(orm);
});
afterAll(async () => {
  await orm?.close();
  if (name) await dropTestDatabase(name);
});

test('every migration applied, none pending', async () => {
  const migrator = orm.getMigrator();
  expect(await migrator.getPendingMigrations()).toEqual([]);
  expect((await migrator.getExecutedMigrations()).length).toBeGreaterThan(0);
});

test('entities and migrations agree: no schema difference (a new entity field needs `npm run migration:create`)', async () => {
  const diff = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: true });
  expect(diff.trim()).toBe('');
  expect(await orm.getMigrator().checkMigrationNeeded()).toBe(false);
});

test('the constraints the model asks for are in the database', async () => {
  const rows: { conname: string }[] = await orm.em.fork().getConnection().execute(
    "select conname from pg_constraint where contype in ('c', 'u') and connamespace = 'public'::regnamespace order by conname",
  );
  const names = rows.map((r) => r.conname);
  for (const expected of [
    'project_code_unique', 'app_user_email_unique', 'financial_report_period_revision_unique', 'api_token_secret_hash_unique',
    'risk_likelihood_range', 'risk_impact_range', 'milestone_progress_range', 'project_budget_non_negative', 'contract_value_non_negative',
    'investment_amount_non_negative', 'financial_report_line_non_negative', 'milestone_planned_value_non_negative',
  ]) {
    expect([expected, names.includes(expected)]).toEqual([expected, true]);
  }
});

test('every foreign key column has an index', async () => {
  const rows: { tbl: string; col: string }[] = await orm.em.fork().getConnection().execute(`
    select c.conrelid::regclass::text as tbl, a.attname as col
    from pg_constraint c
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    where c.contype = 'f' and c.connamespace = 'public'::regnamespace
      and not exists (
        select 1 from pg_index i where i.indrelid = c.conrelid and i.indkey[0] = c.conkey[1]
      )
    order by 1, 2`);
  expect(rows.map((r) => `${r.tbl}.${r.col}`)).toEqual([]);
});

/**
 * `prepare-templates.ts SERVER_URL MIGRATED SEEDED`: creates the two template
 * databases of a test run: MIGRATED holds the schema, SEEDED the schema and
 * the demo data. Run by test/global-setup.ts.
 */
import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { initOrm, migrate } from '../../src/db/orm';
import { seedDemo } from '../../src/db/seed';

async function main(): Promise<void> {
  const [serverUrl, migrated, seeded] = process.argv.slice(2);
  if (!serverUrl || !migrated || !seeded) throw new Error('usage: prepare-templates.ts SERVER_URL MIGRATED SEEDED');
  const urlOf = (name: string) => {
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  const admin = await MikroORM.init({ clientUrl: serverUrl, entities: [], discovery: { warnWhenNoEntities: false }, allowGlobalContext: true });
  try {
    const execute = (sql: string) => admin.em.getConnection().execute(sql);
    await execute(`create database "${migrated}"`);
    let orm = await initOrm({ url: urlOf(migrated) });
    await migrate(orm);
    await orm.close();
    await execute(`create database "${seeded}" template "${migrated}"`);
    orm = await initOrm({ url: urlOf(seeded) });
    await seedDemo(orm.em.fork());
    await orm.close();
  } finally {
    await admin.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

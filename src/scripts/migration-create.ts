/**
 * Writes a migration for the difference between the entities and the
 * migrated schema: `npm run migration:create` (embedded database when no
 * DATABASE_URL). Then add it to migrations/index.ts.
 */
import 'reflect-metadata';
import { loadConfig } from '../config';
import { startEmbeddedPostgres } from '../db/embedded';
import { initOrm, migrate } from '../db/orm';

async function main() {
  const config = loadConfig();
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres({ dataDir: `${config.dataDir}/migrations` });
  const url = config.databaseUrl ?? embedded!.url;
  const orm = await initOrm({ url });
  try {
    await migrate(orm);
    const result = await orm.getMigrator().createMigration(undefined, false, process.argv.includes('--initial'));
    console.log(result.fileName ? `wrote migrations/${result.fileName}` : 'no changes');
  } finally {
    await orm.close();
    await embedded?.stop();
  }
}
main().catch((err) => {
  console.error(err);
  process.exit(1);
});

import { MikroORM } from '@mikro-orm/postgresql';
import { rmSync } from 'node:fs';
import { TEMPLATE_ENV } from './support/templates';

export default async function globalTeardown(): Promise<void> {
  const handle = (globalThis as { __vantagePg?: { db: { stop(): Promise<void> }; dataDirs: string[] } }).__vantagePg;
  if (!handle) {
    // A server of DATABASE_URL's outlives the run: remove the run's templates from it.
    const url = process.env.VANTAGE_TEST_DATABASE_URL;
    if (!url) return;
    const admin = await MikroORM.init({ clientUrl: url, entities: [], discovery: { warnWhenNoEntities: false }, allowGlobalContext: true });
    try {
      for (const name of Object.values(TEMPLATE_ENV).map((key) => process.env[key]).filter(Boolean)) {
        await admin.em.getConnection().execute(`drop database if exists "${name}" with (force)`);
      }
    } finally {
      await admin.close();
    }
    return;
  }
  await handle.db.stop();
  for (const dir of handle.dataDirs) rmSync(dir, { recursive: true, force: true });
}

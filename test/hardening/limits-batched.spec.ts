/**
 * The cost budget counted in memory and flushed in batches
 * (COST_BUDGET_FLUSH_MS > 0): two limiters on one database stand for two
 * instances; flushes are triggered by hand so the tolerance is checked
 * exactly. Each instance decides on the shared total it last read plus its
 * own spends since; the shared total in the table is exact.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../../src/config';
import { initOrm } from '../../src/db/orm';
import { RateLimits } from '../../src/http/limits/limits.store';
import { createTestDatabase, dropTestDatabase } from '../support/app';

let orm: MikroORM;
let name: string;
let a: RateLimits;
let b: RateLimits;

beforeAll(async () => {
  const db = await createTestDatabase('migrated');
  name = db.name;
  orm = await initOrm({ url: db.url });
  // A long interval: nothing is written but by the flushes below.
  const { limits } = loadConfig({ NODE_ENV: 'test', COST_BUDGET_PER_MINUTE: '100', COST_BUDGET_FLUSH_MS: '60000' });
  a = new RateLimits(orm.em.getKnex(), limits);
  b = new RateLimits(orm.em.getKnex(), limits);
});

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await orm?.close();
  if (name) await dropTestDatabase(name);
});

async function shared(key: string): Promise<number | null> {
  const rows = await orm.em.fork().getConnection().execute('select points from rate_limit where key = ?', [`cost:${key}`]);
  return rows.length ? Number(rows[0].points) : null;
}

async function spend(limits: RateLimits, key: string, times: number): Promise<(number | 'refused')[]> {
  const out: (number | 'refused')[] = [];
  for (let i = 0; i < times; i += 1) {
    const s = await limits.cost.spend(key, 10);
    out.push(s.allowed ? s.remaining : 'refused');
  }
  return out;
}

test('spends are counted in memory, written in one upsert per flush, and each instance learns the others\' total', async () => {
  const key = 'user:shared';
  expect(await spend(a, key, 6)).toEqual([90, 80, 70, 60, 50, 40]);
  // Nothing written yet: no statement per spend.
  expect(await shared(key)).toBeNull();
  // B has not seen A's spends: within the tolerance, it decides on its own.
  expect(await spend(b, key, 3)).toEqual([90, 80, 70]);
  await a.flush();
  expect(await shared(key)).toBe(60);
  await b.flush();
  expect(await shared(key)).toBe(90);
  // B now knows the total; A still decides on what it read at its flush (60) plus its own spends since.
  expect(await spend(b, key, 2)).toEqual([0, 'refused']);
  expect(await spend(a, key, 1)).toEqual([30]);
  await a.flush();
  await b.flush();
  // The table holds every point spent (refused spends count, like the per-request store's).
  expect(await shared(key)).toBe(120);
  // Both refuse from now on, without a statement.
  expect([await spend(a, key, 1), await spend(b, key, 1)]).toEqual([['refused'], ['refused']]);
  // Admitted: 6 + 3 + 1 + 1 spends of 10 = 110 of a budget of 100, the overshoot being A's one spend after B's
  // flush and before its own: at most what an instance admits in one flush interval.
});

test('another viewer\'s budget is its own; stop() writes what is still in memory', async () => {
  expect(await spend(a, 'user:other', 2)).toEqual([90, 80]);
  expect(await spend(b, 'ip:10.0.0.1', 1)).toEqual([90]);
  await a.stop();
  expect(await shared('user:other')).toBe(20);
  expect(await shared('ip:10.0.0.1')).toBeNull();
  await b.flush();
  expect(await shared('ip:10.0.0.1')).toBe(10);
});

/**
 * The viewer cache's and the batched budget's settings: their defaults per
 * environment, and a clear refusal of each bad value.
 */
import { ConfigError, loadConfig } from '../../src/config';
import { STRONG_SECRET } from './support';

const PRODUCTION = { NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@db:5432/vantage', JWT_SECRET: STRONG_SECRET };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

test('defaults: on outside tests, off under NODE_ENV=test', () => {
  const production = loadConfig(PRODUCTION);
  expect([production.viewerCache, production.limits.costFlushMs]).toEqual([{ size: 10_000, listenUrl: null, heartbeatMs: 5_000 }, 1_000]);
  const dev = loadConfig({ NODE_ENV: 'development' });
  expect([dev.viewerCache.size, dev.limits.costFlushMs]).toEqual([10_000, 1_000]);
  const test = loadConfig({ NODE_ENV: 'test' });
  expect([test.viewerCache.size, test.limits.costFlushMs]).toEqual([0, 0]);
  const listen = loadConfig({ ...PRODUCTION, DATABASE_LISTEN_URL: 'postgresql://u:p@db-direct:5432/vantage', VIEWER_CACHE_SIZE: '0', COST_BUDGET_FLUSH_MS: '0' });
  expect([listen.viewerCache.listenUrl, listen.viewerCache.size, listen.limits.costFlushMs]).toEqual(['postgresql://u:p@db-direct:5432/vantage', 0, 0]);
});

test('bad values are refused, each with what to write instead', () => {
  expect(problems({ ...PRODUCTION, VIEWER_CACHE_SIZE: '-1', VIEWER_CACHE_HEARTBEAT_MS: '10', COST_BUDGET_FLUSH_MS: 'soon' })).toEqual([
    'COST_BUDGET_FLUSH_MS must be an integer between 0 and 60000 (got "soon")',
    'VIEWER_CACHE_SIZE must be an integer between 0 and 1000000 (got "-1")',
    'VIEWER_CACHE_HEARTBEAT_MS must be an integer between 100 and 60000 (got "10")',
  ]);
  expect(problems({ ...PRODUCTION, DATABASE_LISTEN_URL: 'mysql://db/vantage' })).toEqual([
    'DATABASE_LISTEN_URL must look like postgres://user:password@host:5432/database (the primary, not through a transaction-mode pool)',
  ]);
  expect(problems({ NODE_ENV: 'development', DATABASE_LISTEN_URL: 'postgres://u:p@db:5432/vantage' })).toEqual([
    'DATABASE_LISTEN_URL needs DATABASE_URL (it is another way to reach that database); the embedded PostgreSQL is reached directly',
  ]);
});

/** The scale-out settings: replica URLs, read-your-writes bound, probe interval, pool size. */
import { ConfigError, loadConfig } from '../../src/config';

const PRIMARY = 'postgres://app:secret@db-primary:5432/vantage';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig({ NODE_ENV: 'test', ...env });
    return [];
  } catch (err) {
    return (err as ConfigError).problems;
  }
}

test('replicas, their timings and the pool size are read from the environment', () => {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: PRIMARY,
    DATABASE_REPLICA_URLS: ' postgres://app:secret@db-replica-1:5432/vantage, postgresql://app:secret@db-replica-2/vantage ,',
    REPLICA_STICKY_MS: '2500',
    REPLICA_CHECK_MS: '300',
    DATABASE_POOL_MAX: '25',
  });
  expect(config.replicas).toEqual({
    urls: ['postgres://app:secret@db-replica-1:5432/vantage', 'postgresql://app:secret@db-replica-2/vantage'],
    stickyMs: 2500,
    checkMs: 300,
  });
  expect(config.poolMax).toBe(25);
});

test('defaults: no replica, 10 s read-your-writes bound, a probe a second, 10 connections', () => {
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: PRIMARY });
  expect(config.replicas).toEqual({ urls: [], stickyMs: 10_000, checkMs: 1_000 });
  expect(config.poolMax).toBe(10);
});

test('a malformed replica URL, replicas without a primary URL and out-of-range timings are refused, naming the variable', () => {
  expect(problems({ DATABASE_URL: PRIMARY, DATABASE_REPLICA_URLS: 'mysql://x@y/z' })).toEqual([
    'DATABASE_REPLICA_URLS must be comma-separated URLs like postgres://user:password@replica-1:5432/database',
  ]);
  expect(problems({ DATABASE_REPLICA_URLS: 'postgres://app@db-replica-1/vantage' })).toEqual([
    'DATABASE_REPLICA_URLS needs DATABASE_URL (the primary they replicate); the embedded PostgreSQL has no replicas',
  ]);
  expect(problems({ DATABASE_URL: PRIMARY, REPLICA_CHECK_MS: '10', REPLICA_STICKY_MS: '-1', DATABASE_POOL_MAX: '0' })).toEqual([
    'REPLICA_STICKY_MS must be an integer between 0 and 600000 (got "-1")',
    'REPLICA_CHECK_MS must be an integer between 100 and 60000 (got "10")',
    'DATABASE_POOL_MAX must be an integer between 1 and 1000 (got "0")',
  ]);
});

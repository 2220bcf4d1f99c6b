/**
 * Start-up configuration: production refuses what would be unsafe, and the
 * hardening settings are validated with messages that say how to fix them.
 */
import { ConfigError, DEVELOPMENT_JWT_SECRET, loadConfig } from '../../src/config';
import { cronItems } from '../../src/jobs/tasks';
import { STRONG_SECRET } from './support';

const PROD = { NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@db.internal:5432/vantage', JWT_SECRET: STRONG_SECRET };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

test('production refuses a missing, development or weak signing secret', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['missing', { ...PROD, JWT_SECRET: '' }, /JWT_SECRET is required in production/],
    ['development', { ...PROD, JWT_SECRET: DEVELOPMENT_JWT_SECRET }, /too weak/],
    ['short', { ...PROD, JWT_SECRET: 'abc123' }, /too weak/],
    ['long but repetitive', { ...PROD, JWT_SECRET: 'a'.repeat(64) }, /too weak/],
    ['31 characters', { ...PROD, JWT_SECRET: STRONG_SECRET.slice(0, 31) }, /too weak/],
  ];
  for (const [name, env, expected] of cases) {
    const found = problems(env);
    expect({ name, found: found.some((p) => expected.test(p)) }).toEqual({ name, found: true });
  }
  expect(problems(PROD)).toEqual([]);
  console.log(`config: ${cases.length}/${cases.length} unsafe production secrets refused at start-up`);
});

test('production defaults: no sandbox, no introspection, limits not echoed, no cross-origin, readiness drain', () => {
  const config = loadConfig(PROD);
  expect(config.sandbox).toBe(false);
  expect(config.introspection).toBe(false);
  expect(config.limits.exposeLimits).toBe(false);
  expect(config.http.corsOrigins).toEqual([]);
  expect(config.http.readinessDrainMs).toBe(5000);
  expect(config.limits.costBudgetPerMinute).toBe(100_000);
  expect(config.limits.loginAttemptsPerAccount).toBe(10);
  expect(config.limits.loginAttemptsPerIp).toBe(100);

  const dev = loadConfig({ NODE_ENV: 'development' });
  expect(dev.sandbox).toBe(true);
  expect(dev.introspection).toBe(true);
  expect(dev.limits.exposeLimits).toBe(true);
  expect(dev.http.corsOrigins).toBe('any');

  // Both can be switched explicitly.
  const open = loadConfig({ ...PROD, INTROSPECTION: 'on', SANDBOX: '1' });
  expect([open.introspection, open.sandbox]).toEqual([true, true]);
  const closed = loadConfig({ NODE_ENV: 'development', INTROSPECTION: 'off', SANDBOX: 'false' });
  expect([closed.introspection, closed.sandbox]).toEqual([false, false]);
});

test('CORS: "*" refused in production, origins validated, allowlist parsed', () => {
  expect(problems({ ...PROD, CORS_ORIGINS: '*' })).toEqual([
    'CORS_ORIGINS must not be "*" in production: list the origins of your frontends, e.g. https://app.example.com',
  ]);
  expect(problems({ ...PROD, CORS_ORIGINS: 'https://app.example.com, *' })[0]).toMatch(/must not be "\*"/);
  expect(problems({ ...PROD, CORS_ORIGINS: 'app.example.com' })[0]).toMatch(/"app.example.com" is not an origin/);
  expect(problems({ ...PROD, CORS_ORIGINS: 'https://app.example.com/path' })[0]).toMatch(/is not an origin/);
  expect(loadConfig({ ...PROD, CORS_ORIGINS: 'https://app.example.com, http://localhost:3000' }).http.corsOrigins).toEqual([
    'https://app.example.com',
    'http://localhost:3000',
  ]);
  expect(loadConfig({ NODE_ENV: 'development', CORS_ORIGINS: '*' }).http.corsOrigins).toBe('any');
});

test('numeric settings are range-checked with the variable named', () => {
  const found = problems({
    NODE_ENV: 'test',
    BODY_LIMIT_BYTES: '10',
    REQUEST_TIMEOUT_MS: 'soon',
    MAX_QUERY_DEPTH: '1',
    MAX_QUERY_COST: '-5',
    COST_BUDGET_PER_MINUTE: '1.5',
    LOGIN_ATTEMPTS_PER_ACCOUNT: '0',
  });
  expect(found).toEqual([
    'BODY_LIMIT_BYTES must be an integer between 1024 and 52428800 (got "10")',
    'REQUEST_TIMEOUT_MS must be an integer between 100 and 600000 (got "soon")',
    'MAX_QUERY_DEPTH must be an integer between 2 and 100 (got "1")',
    'MAX_QUERY_COST must be an integer between 10 and 10000000 (got "-5")',
    'COST_BUDGET_PER_MINUTE must be an integer between 10 and 1000000000 (got "1.5")',
    'LOGIN_ATTEMPTS_PER_ACCOUNT must be an integer between 1 and 1000000 (got "0")',
  ]);
});

test('HOST: every interface by default, an address when set, a malformed value refused', () => {
  expect(loadConfig(PROD).host).toBeUndefined();
  expect(loadConfig({ ...PROD, HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
  expect(loadConfig({ ...PROD, HOST: '::1' }).host).toBe('::1');
  expect(problems({ ...PROD, HOST: 'http://0.0.0.0/' })).toEqual(['HOST must be an address or host name to listen on, e.g. 127.0.0.1 or :: (got "http://0.0.0.0/")']);
});

test('periodic jobs: scheduled outside tests, none under NODE_ENV=test unless JOBS_SCHEDULES turns them on', () => {
  const names = (env: Record<string, string>) => cronItems(loadConfig(env)).map((item) => item.identifier);
  const all = ['milestone_slipped', 'email_digest_daily', 'email_digest_weekly'];
  expect(names(PROD)).toEqual(all);
  expect(names({ NODE_ENV: 'development' })).toEqual(all);
  expect(names({ NODE_ENV: 'test' })).toEqual([]);
  expect(names({ NODE_ENV: 'test', JOBS_SCHEDULES: 'on' })).toEqual(all);
  expect(names({ ...PROD, JOBS_SCHEDULES: 'off' })).toEqual([]);
  expect(problems({ NODE_ENV: 'test', JOBS_SCHEDULES: 'sometimes' })).toEqual(['JOBS_SCHEDULES must be 1/true/yes/on or 0/false/no/off (got "sometimes")']);
});

/**
 * Sign-in limits cannot be turned against the account's owner: failures are
 * counted per (account, client address) pair, and past the threshold the
 * pair waits a growing delay instead of the account being locked. The owner,
 * from another address, signs in with the right password at any time; a
 * per-address limit across accounts still bounds a single attacker.
 */
import { DEMO_PASSWORD } from '../../src/db/seed';
import { loginDelaySeconds } from '../../src/http/limits/limits.store';
import { startHardenedApp, USERS, type HardenedApp, type Response } from './support';

jest.setTimeout(180_000);

const ENV = {
  TRUST_PROXY_HOPS: '1',
  LOGIN_ATTEMPTS_PER_ACCOUNT: '3',
  LOGIN_DELAY_SECONDS: '3',
  LOGIN_WINDOW_SECONDS: '600',
  LOGIN_ATTEMPTS_PER_IP: '12',
};
const ATTACKER = '198.51.100.7';
const OWNER = '192.0.2.44';

let app: HardenedApp;
beforeAll(async () => {
  app = await startHardenedApp({ env: ENV, logLevel: 'warn' });
});
afterAll(() => app?.close());

function login(email: string, password: string, ip: string): Promise<Response> {
  return app.gql('mutation L($i: LoginInput!) { login(input: $i) { token userErrors { code } } }', { i: { email, password } }, null, { 'x-forwarded-for': ip });
}

const failed = (res: Response) => res.status === 200 && res.body?.data?.login?.userErrors?.[0]?.code === 'INVALID_CREDENTIALS';
const signedIn = (res: Response) => res.status === 200 && typeof res.body?.data?.login?.token === 'string';
function waitSeconds(res: Response): number | null {
  if (res.status !== 429) return null;
  expect(res.body?.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
  const retry = res.body?.errors?.[0].extensions?.retryAfterSeconds;
  expect(res.headers.get('retry-after')).toBe(String(retry));
  expect(res.body?.errors?.[0].message).toBe(`Too many sign-in attempts: retry in ${retry} seconds`);
  return retry;
}
const sleep = (s: number) => new Promise((resolve) => setTimeout(resolve, s * 1000 + 150));

test('the delay: nothing below the threshold, then the base delay doubling per failure, at most the window', () => {
  const config = { loginAttemptsPerAccount: 10, loginDelaySeconds: 30, loginWindowSeconds: 900 };
  expect([1, 9, 10, 11, 12, 13, 14, 15, 16, 50].map((n) => loginDelaySeconds(n, config))).toEqual([0, 0, 30, 60, 120, 240, 480, 900, 900, 900]);
});

test('an attacker\'s failures from address A do not lock the owner out from address B; A waits longer and longer', async () => {
  // Three failures from A: the third starts A's wait.
  for (let i = 0; i < 3; i++) expect(failed(await login(USERS.pm, `guess-${i}`, ATTACKER))).toBe(true);
  app.resolvers.reset();
  // The wait runs from the answer; a second may pass before the next request, so 3 s or 2 s remain.
  const first = waitSeconds(await login(USERS.pm, 'guess-3', ATTACKER));
  expect([2, 3]).toContain(first);
  // Refused before any resolver: the guess was never checked.
  expect(app.resolvers.calls).toBe(0);
  // Even the right password from A waits: that pair is over the limit.
  expect(waitSeconds(await login(USERS.pm, DEMO_PASSWORD, ATTACKER))).toBeGreaterThan(0);

  // Meanwhile the owner, from B, signs in — also after a typo of their own.
  expect(signedIn(await login(USERS.pm, DEMO_PASSWORD, OWNER))).toBe(true);
  expect(failed(await login(USERS.pm, 'typo', OWNER))).toBe(true);
  expect(signedIn(await login(USERS.pm, DEMO_PASSWORD, OWNER))).toBe(true);

  // A's next answered failure doubles its wait: 3 s, then 6 s, then 12 s.
  await sleep(first!);
  expect(failed(await login(USERS.pm, 'guess-4', ATTACKER))).toBe(true);
  const second = waitSeconds(await login(USERS.pm, 'guess-5', ATTACKER));
  expect([5, 6]).toContain(second);
  await sleep(second!);
  expect(failed(await login(USERS.pm, 'guess-6', ATTACKER))).toBe(true);
  expect([11, 12]).toContain(waitSeconds(await login(USERS.pm, 'guess-7', ATTACKER)));
  // And B still signs in.
  expect(signedIn(await login(USERS.pm, DEMO_PASSWORD, OWNER))).toBe(true);
  console.log(`login pair: attacker from A waits 3 s, 6 s, 12 s after 3, 4, 5 failures; the owner from B signed in 3 times meanwhile`);
});

test('after its wait, the right password from the waiting address signs in and clears that pair', async () => {
  const ip = '198.51.100.9';
  for (let i = 0; i < 3; i++) expect(failed(await login(USERS.aurora, 'nope', ip))).toBe(true);
  const retry = waitSeconds(await login(USERS.aurora, DEMO_PASSWORD, ip));
  expect([2, 3]).toContain(retry);
  await sleep(retry!);
  expect(signedIn(await login(USERS.aurora, DEMO_PASSWORD, ip))).toBe(true);
  // Cleared: two more failures are answered again, no wait.
  expect(failed(await login(USERS.aurora, 'nope', ip))).toBe(true);
  expect(failed(await login(USERS.aurora, 'nope', ip))).toBe(true);
  expect(signedIn(await login(USERS.aurora, DEMO_PASSWORD, ip))).toBe(true);
});

test('one address is still limited across accounts', async () => {
  const ip = '203.0.113.200';
  const accounts = [USERS.admin, USERS.beacon, USERS.cobalt, USERS.delta];
  // 12 attempts from one address, never more than 2 per account (under the per-pair threshold)...
  for (let i = 0; i < 12; i++) expect(failed(await login(i < 8 ? accounts[i % 4] : `nobody${i}@example.com`, 'x', ip))).toBe(true);
  // ...and the 13th is refused, whatever the account and password, with the window's wait.
  expect(waitSeconds(await login(USERS.beacon, DEMO_PASSWORD, ip))).toBeGreaterThan(500);
  // Other addresses are not affected.
  expect(signedIn(await login(USERS.beacon, DEMO_PASSWORD, '203.0.113.201'))).toBe(true);
});

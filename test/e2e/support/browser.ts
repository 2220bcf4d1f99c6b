/**
 * Browser tests: Debian's Chromium (never a downloaded browser) driven by
 * playwright-core against a real server on a fresh database that also serves
 * the built portal (web/dist).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Playwright from '../../../web/node_modules/playwright-core';
import type { TestApp } from '../../support/app';

export type Browser = Playwright.Browser;
export type Page = Playwright.Page;
export type BrowserContext = Playwright.BrowserContext;

/** Debian's package (`apt-get install chromium`); CHROMIUM_PATH points elsewhere on other systems. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const ROOT = path.resolve(__dirname, '../../..');
export const SCREENSHOTS = path.join(ROOT, 'test-output', 'screenshots');

export const hasChromium = existsSync(CHROMIUM);

/** `describe` when Chromium is installed; otherwise the block is skipped with a plain message. */
export function describeInBrowser(name: string, body: () => void): void {
  if (hasChromium) {
    describe(name, body);
    return;
  }
  describe.skip(`${name} (skipped: ${CHROMIUM} is missing)`, body);
  // eslint-disable-next-line no-console
  console.warn(`Browser tests skipped: ${CHROMIUM} is not installed (apt-get install chromium). "${name}" did not run.`);
}

/** Builds web/dist when it is missing or older than its sources (and fails the run when the build fails). */
export function ensurePortalBuilt(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'web', 'scripts', 'ensure-built.mjs'), '--strict'], { stdio: 'pipe', timeout: 5 * 60_000 });
}

export async function launchBrowser(): Promise<Browser> {
  const requireFromWeb = createRequire(path.join(ROOT, 'web', 'package.json'));
  const { chromium } = requireFromWeb('playwright-core') as typeof Playwright;
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
}

export function baseUrl(app: TestApp): string {
  return `http://127.0.0.1:${app.server.port}`;
}

/** A fresh context per user: separate localStorage, so separate sessions. */
export async function newPage(browser: Browser, options: { width?: number; height?: number } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 900 }, locale: 'en-GB', timezoneId: 'UTC' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

/**
 * Signs in as the portal does, without its form: the `login` mutation, the
 * session stored where the portal keeps it, then the home page. The form
 * itself is driven by `signInWithForm` (test/e2e/session.spec.ts); skipping
 * it elsewhere saves a full page load per user.
 */
export async function signIn(page: Page, app: TestApp, email: string, password = 'vantage-demo'): Promise<void> {
  const res = await app.gql<{ login: { token: string | null; expiresAt: string | null } }>(
    'mutation SignIn($input: LoginInput!) { login(input: $input) { token expiresAt } }',
    { input: { email, password } },
  );
  const login = res.data?.login;
  if (!login?.token) throw new Error(`sign-in failed for ${email}: ${JSON.stringify(res.errors ?? res.data)}`);
  // Any page of the portal's origin will do to reach its localStorage: the cheapest one.
  await page.goto(`${baseUrl(app)}/healthz`);
  await setStoredSession(page, { token: login.token, expiresAt: login.expiresAt });
  await page.goto(`${baseUrl(app)}/`);
  await page.waitForURL((url) => !url.pathname.startsWith('/signin') && url.pathname !== '/');
}

/** Signs in through the portal's sign-in form, as a person does. */
export async function signInWithForm(page: Page, app: TestApp, email: string, password = 'vantage-demo'): Promise<void> {
  await page.goto(`${baseUrl(app)}/signin`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

/** Full-page screenshots cost a second each on a busy machine: taken when E2E_SCREENSHOTS=1 (into test-output/screenshots). */
export const TAKE_SCREENSHOTS = process.env.E2E_SCREENSHOTS === '1';

export async function screenshot(page: Page, name: string): Promise<string | null> {
  if (!TAKE_SCREENSHOTS) return null;
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The digits of an amount as shown ("-€88,850.50" → "-8885050") or as the API sends it ("-88850.50"). */
export function amountKey(text: string): string {
  const negative = /^[-−]/.test(text.trim());
  return `${negative ? '-' : ''}${text.replace(/\D/g, '').replace(/^0+(?=\d)/, '')}`;
}

/**
 * Polls from the test side until `check` holds. (page.waitForFunction would
 * evaluate code inside the page, which the portal's Content-Security-Policy
 * rightly refuses: no eval.)
 */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Horizontal overflow of the page in CSS pixels (0 when it fits the viewport). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const g = globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number };
    return g.document.documentElement.scrollWidth - g.innerWidth;
  });
}

export async function storedSession(page: Page): Promise<string | null> {
  return page.evaluate(() => (globalThis as unknown as { localStorage: { getItem(k: string): string | null } }).localStorage.getItem('vantage.session'));
}

export async function setStoredSession(page: Page, session: { token: string; expiresAt: string | null }): Promise<void> {
  await page.evaluate((value) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('vantage.session', value), JSON.stringify(session));
}

/**
 * What the browser shows is what the API gives: a subcontractor opening
 * another project's page by URL sees "not found"; an ended session returns to
 * the sign-in page; signing out forgets the token.
 */
import { startTestApp, USERS, type TestApp } from '../support/app';
import { baseUrl, describeInBrowser, ensurePortalBuilt, launchBrowser, newPage, screenshot, setStoredSession, signInWithForm, storedSession, type Browser } from './support/browser';

describeInBrowser('sessions and scoping in the portal', () => {
  let app: TestApp;
  let browser: Browser;
  let atlasId: string;
  let borealisId: string;

  beforeAll(async () => {
    ensurePortalBuilt();
    app = await startTestApp();
    browser = await launchBrowser();
    const res = await app.gql(`{ projects(first: 10, orderBy: { field: CODE }) { nodes { id name } } }`, {}, await app.login(USERS.admin));
    const byName = Object.fromEntries(res.data.projects.nodes.map((p: any) => [p.name, p.id]));
    atlasId = byName.Atlas;
    borealisId = byName.Borealis;
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it("Delta's subcontractor opening an Atlas page by URL sees “not found”, exactly as for an id that does not exist", async () => {
    // The API's own answer first: Atlas is invisible to Delta (its Atlas contract is a DRAFT).
    const direct = await app.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: atlasId }, await app.login(USERS.delta));
    expect(direct.data.node).toBeNull();

    const page = await newPage(browser);
    await signInWithForm(page, app, USERS.delta);
    await page.goto(`${baseUrl(app)}/projects/${encodeURIComponent(atlasId)}`);
    await page.getByRole('heading', { name: 'Project not found' }).waitFor();
    expect(await page.getByText('Atlas').count()).toBe(0);
    await screenshot(page, 'project-not-found');

    await page.goto(`${baseUrl(app)}/projects/${encodeURIComponent(atlasId.slice(0, -4) + 'AAAA')}`);
    await page.getByRole('heading', { name: 'Project not found' }).waitFor();

    // Borealis is Delta's: milestones, risks and updates, and no financial section (partners get none from the API).
    await page.goto(`${baseUrl(app)}/projects/${encodeURIComponent(borealisId)}`);
    await page.getByRole('heading', { name: /Borealis/, level: 1 }).waitFor();
    await page.getByTestId('milestone-timeline').waitFor();
    expect(await page.locator('#figures').count()).toBe(0);
    expect(await page.locator('#reports').count()).toBe(0);
    await page.getByTestId('risk-register').waitFor();
    const apiRisks = await app.gql(`query($id: ID!) { node(id: $id) { ... on Project { risks(first: 50) { nodes { title } } } } }`, { id: borealisId }, await app.login(USERS.delta));
    const titles = apiRisks.data.node.risks.nodes.map((r: any) => r.title).sort();
    const shown = (await page.getByTestId('risk-register').locator('tbody summary strong').allInnerTexts()).sort();
    expect(shown).toEqual(titles);
    expect(shown).not.toContain('Team morale'); // INTERNAL
    await screenshot(page, 'project-borealis-partner');
    await page.context().close();
  }, 90_000);

  it('an expired or revoked token sends the browser back to the sign-in page, which says why', async () => {
    const page = await newPage(browser);
    await signInWithForm(page, app, USERS.aurora);
    await page.getByTestId('project-card').first().waitFor();
    // A token the server no longer accepts (expired, revoked, or signed with another secret).
    await setStoredSession(page, { token: 'expired.token.value', expiresAt: null });
    await page.reload();
    await page.waitForURL(/\/signin/);
    await page.getByText('Your session has expired. Please sign in again.').waitFor();

    // A session whose expiry has passed never reaches the API.
    await signInWithForm(page, app, USERS.aurora);
    await page.getByTestId('project-card').first().waitFor();
    const stored = JSON.parse((await storedSession(page))!);
    await setStoredSession(page, { token: stored.token, expiresAt: new Date(Date.now() - 1000).toISOString() });
    await page.goto(`${baseUrl(app)}/projects/${encodeURIComponent(atlasId)}`);
    await page.waitForURL(/\/signin\?next=/);
    await page.getByText('Your session has expired. Please sign in again.').waitFor();
    await screenshot(page, 'signin-expired');

    // Signing in again returns to the page that was asked for.
    await page.getByLabel('Email').fill(USERS.aurora);
    await page.getByLabel('Password').fill('vantage-demo');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(/\/projects\//);
    await page.getByRole('heading', { name: /Atlas/, level: 1 }).waitFor();
    await page.context().close();
  }, 90_000);

  it('a wrong password is refused with the API message; signing out forgets the token', async () => {
    const page = await newPage(browser);
    await page.goto(`${baseUrl(app)}/signin`);
    await page.getByLabel('Email').fill(USERS.cobalt);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').waitFor();
    expect(page.url()).toMatch(/\/signin$/);

    await signInWithForm(page, app, USERS.cobalt);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/signin$/);
    await page.getByText('You are signed out.').waitFor();
    expect(await storedSession(page)).toBeNull();
    await page.goto(`${baseUrl(app)}/workspace`);
    await page.waitForURL(/\/signin\?next=%2Fworkspace$/);
    await page.context().close();
  }, 90_000);

  it('is usable with the keyboard alone: the sign-in form is labelled and submits with Enter', async () => {
    const page = await newPage(browser);
    await page.goto(`${baseUrl(app)}/signin`);
    await page.getByLabel('Email').focus();
    await page.keyboard.type(USERS.aurora);
    await page.keyboard.press('Tab');
    await page.keyboard.type('vantage-demo');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/portfolio$/);
    await page.context().close();
  }, 60_000);
});

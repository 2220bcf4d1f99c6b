/**
 * The portal offers exactly the moves the API lists in availableActions: a
 * vendor MEMBER gets the buttons of each deliverable's state, a vendor VIEWER
 * none, nobody any while the contract is suspended; the reassessment form
 * appears on the risks the viewer may reassess and nowhere else.
 */
import { startTestApp, USERS, type TestApp } from '../support/app';
import { WriteKit } from '../write/support';
import { baseUrl, describeInBrowser, ensurePortalBuilt, launchBrowser, newPage, signIn, type Browser, type Page } from './support/browser';

describeInBrowser('buttons follow availableActions', () => {
  let app: TestApp;
  let kit: WriteKit;
  let browser: Browser;

  const buttonsOf = async (page: Page, title: string) =>
    page.locator(`[data-testid="deliverable"][data-title="${title}"] .deliverable-actions button`).allInnerTexts();

  async function workspace(email: string): Promise<Page> {
    const page = await newPage(browser);
    await signIn(page, app, email);
    await page.waitForURL(/\/workspace$/);
    await page.getByTestId('deliverable').first().waitFor();
    return page;
  }

  async function reassessForms(email: string): Promise<string[]> {
    const page = await newPage(browser);
    await signIn(page, app, email);
    await page.goto(`${baseUrl(app)}/projects/${encodeURIComponent(await kit.project('atlas'))}`);
    await page.getByTestId('risk-register').waitFor();
    const forms = await page.locator('[data-testid="risk-register"] form[aria-label^="Reassess "]').evaluateAll((fs) => fs.map((f) => f.getAttribute('aria-label')));
    await page.context().close();
    return forms.map((label) => label!.replace(/^Reassess /, '')).sort();
  }

  beforeAll(async () => {
    ensurePortalBuilt();
    app = await startTestApp();
    kit = new WriteKit(app);
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('a vendor MEMBER gets the moves of each deliverable\'s state, and none on work under review or accepted', async () => {
    const page = await workspace(USERS.cobalt);
    expect(await buttonsOf(page, 'Reconciliation report')).toEqual(['Back to in progress', 'Resubmit…']); // REJECTED
    expect(await buttonsOf(page, 'Payments API adapter')).toEqual(['Submit…']); // IN_PROGRESS
    expect(await buttonsOf(page, 'UAT test plan')).toEqual(['Start work']); // PLANNED
    expect(await buttonsOf(page, 'Migration scripts')).toEqual([]); // SUBMITTED
    expect(await buttonsOf(page, 'MVP release 1.0')).toEqual([]); // ACCEPTED
    await page.context().close();
  }, 60_000);

  it('a vendor VIEWER sees the same deliverables and no button', async () => {
    const viewer = await kit.newUser('Cobalt Cloud', 'VIEWER');
    const page = await workspace(viewer.email);
    expect(await page.getByTestId('deliverable').count()).toBe(6);
    expect(await page.locator('.deliverable-actions button').count()).toBe(0);
    await page.context().close();
  }, 60_000);

  it('no move is offered while the contract is suspended', async () => {
    const contract = await kit.contract('ATL-C-001');
    await kit.ok('admin', 'suspendContract', { id: contract, version: await kit.version('contract', contract) });
    try {
      const page = await workspace(USERS.cobalt);
      await expect(page.getByTestId('contract').innerText()).resolves.toContain('deliverables can be submitted only while the contract is active');
      expect(await page.getByTestId('deliverable').count()).toBe(6);
      expect(await page.locator('.deliverable-actions button').count()).toBe(0);
      await page.context().close();
    } finally {
      await kit.ok('admin', 'resumeContract', { id: contract, version: await kit.version('contract', contract) });
    }
  }, 60_000);

  it('the reassessment form is on the risks the viewer may reassess: not the closed one, not for investors', async () => {
    expect(await reassessForms(USERS.pm)).toEqual([
      'Budget pressure from FX rates', 'Key architect may leave', 'Load test vendor not yet contracted', 'Payments API sandbox unstable',
      'Regulatory approval of the go-live', // 'Legacy data quality' is CLOSED
    ]);
    expect(await reassessForms(USERS.aurora)).toEqual([]);
  }, 90_000);
});

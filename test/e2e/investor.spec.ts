/**
 * An investor in the browser: Aurora's portfolio shows the figures the API
 * returns for Aurora, the project page draws the spend series, and a restated
 * period shows its revision history.
 */
import path from 'node:path';
import { startTestApp, USERS, type TestApp } from '../support/app';
import { amountKey, baseUrl, describeInBrowser, eventually, horizontalOverflow, ensurePortalBuilt, launchBrowser, newPage, screenshot, SCREENSHOTS, signIn, TAKE_SCREENSHOTS, type Browser, type Page } from './support/browser';

const PORTFOLIO = `query { viewer { portfolio(orderBy: { metric: NAME, direction: ASC }) { projects(first: 10) { nodes {
  project { id name }
  financials { budget estimateAtCompletion varianceAtCompletion actualToDate spendByPeriod { periodStart } }
  earnedValue { costPerformanceIndex schedulePerformanceIndex }
  milestoneSummary { total done overdue percentComplete }
  riskSummary { open bySeverity { critical high medium low } }
} } } } }`;

describeInBrowser('investor portal (Aurora Capital)', () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let api: any[];

  beforeAll(async () => {
    ensurePortalBuilt();
    app = await startTestApp();
    browser = await launchBrowser();
    const res = await app.gql(PORTFOLIO, {}, await app.login(USERS.aurora));
    expect(res.errors).toBeUndefined();
    api = res.data.viewer.portfolio.projects.nodes;
    page = await newPage(browser);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('signs in with the form and lands on the portfolio with one card per visible project', async () => {
    await page.goto(`${baseUrl(app)}/`);
    await page.waitForURL(/\/signin$/);
    await screenshot(page, 'signin');
    await signIn(page, app, USERS.aurora);
    await page.waitForURL(/\/portfolio$/);
    await page.getByTestId('project-card').first().waitFor();
    const names = await page.getByTestId('project-card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-project')));
    expect(names).toEqual(['Atlas', 'Borealis']);
    expect(api.map((r) => r.project.name)).toEqual(['Atlas', 'Borealis']);
    await screenshot(page, 'portfolio');
  }, 60_000);

  it('shows on each card exactly the figures the API returns for this investor', async () => {
    for (const row of api) {
      const card = page.locator(`[data-testid="project-card"][data-project="${row.project.name}"]`);
      expect(amountKey(await card.getByTestId('card-budget').innerText())).toBe(amountKey(row.financials.budget));
      expect(amountKey(await card.getByTestId('card-eac').innerText())).toBe(amountKey(row.financials.estimateAtCompletion));
      expect(amountKey(await card.getByTestId('card-vac').innerText())).toBe(amountKey(row.financials.varianceAtCompletion));
      expect((await card.getByTestId('card-cpi').innerText()).trim()).toBe(row.earnedValue.costPerformanceIndex);
      expect((await card.getByTestId('card-spi').innerText()).trim()).toBe(row.earnedValue.schedulePerformanceIndex);
      const ms = row.milestoneSummary;
      expect(await card.getByTestId('card-milestones').innerText()).toContain(`${ms.done}/${ms.total} done · ${ms.percentComplete}% complete`);
      const sev = row.riskSummary.bySeverity;
      const risks = card.getByTestId('card-risks');
      expect(await risks.locator('[data-severity="CRITICAL"]').innerText()).toMatch(new RegExp(`\\b${sev.critical}$`));
      expect(await risks.locator('[data-severity="HIGH"]').innerText()).toMatch(new RegExp(`\\b${sev.high}$`));
      expect(await risks.locator('[data-severity="MEDIUM"]').innerText()).toMatch(new RegExp(`\\b${sev.medium}$`));
      expect(await risks.locator('[data-severity="LOW"]').innerText()).toMatch(new RegExp(`\\b${sev.low}$`));
    }
    // The demo's Atlas figures (docs/money.md on the demo reports): EAC = AC 483850.50 + latest ETC 805000.00.
    const atlas = page.locator('[data-testid="project-card"][data-project="Atlas"]');
    expect(await atlas.getByTestId('card-budget').innerText()).toBe('€1,200,000.00');
    expect(await atlas.getByTestId('card-eac').innerText()).toBe('€1,288,850.50');
    expect(await atlas.getByTestId('card-vac').innerText()).toBe('-€88,850.50');
  }, 60_000);

  it('sorts the cards by a metric chosen by the investor, in the order the API ranks them', async () => {
    await page.getByLabel('Sort by').selectOption('VARIANCE_AT_COMPLETION');
    await page.waitForURL(/sort=VARIANCE_AT_COMPLETION/);
    const ranked = await app.gql(`query { viewer { portfolio(orderBy: { metric: VARIANCE_AT_COMPLETION, direction: ASC }) { projects(first: 10) { nodes { project { name } } } } } }`, {}, await app.login(USERS.aurora));
    const expected = ranked.data.viewer.portfolio.projects.nodes.map((r: any) => r.project.name);
    expect(expected).toEqual(['Atlas', 'Borealis']); // VAC −88,850.50 EUR before −40,099.99 USD
    await eventually(async () => (await page.getByTestId('project-card').first().getAttribute('data-project')) === expected[0], `${expected[0]} first`);
    const names = await page.getByTestId('project-card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-project')));
    expect(names).toEqual(expected);
    await page.getByLabel('Sort by').selectOption('NAME');
  }, 60_000);

  it('opens a project: the spend charts have drawn every published period as a series', async () => {
    const atlas = api.find((r) => r.project.name === 'Atlas');
    const periods = atlas.financials.spendByPeriod.length;
    expect(periods).toBe(5);
    await page.getByRole('link', { name: 'Atlas', exact: true }).click();
    await page.waitForURL(/\/projects\//);
    await page.getByRole('heading', { name: /Atlas/, level: 1 }).waitFor();
    const byPeriod = page.getByTestId('spend-by-period');
    await byPeriod.locator('.recharts-bar-rectangle').first().waitFor();
    // Two series (planned, actual), one bar each per period.
    expect(await byPeriod.locator('.recharts-bar').count()).toBe(2);
    expect(await byPeriod.locator('.recharts-bar-rectangle').count()).toBe(2 * periods);
    const cumulative = page.getByTestId('spend-cumulative');
    expect(await cumulative.locator('.recharts-line path.recharts-curve').count()).toBe(2);
    const d = await cumulative.locator('.recharts-line path.recharts-curve').last().getAttribute('d');
    expect((d ?? '').split(/[LC]/).length).toBeGreaterThanOrEqual(periods);
    expect(await page.getByTestId('kpi-eac').innerText()).toBe('€1,288,850.50');
    expect(await page.getByTestId('kpi-cpi').innerText()).toBe(atlas.earnedValue.costPerformanceIndex);
    expect(await page.getByTestId('milestone-timeline').locator('[data-overdue="true"]').count()).toBe(atlas.milestoneSummary.overdue);
    await screenshot(page, 'project-atlas');
  }, 60_000);

  it('shows the restated period with its revision history: the superseded revision and the one that replaced it', async () => {
    const restated = page.getByTestId('report-period').filter({ hasText: 'Restated' });
    expect(await restated.count()).toBe(1);
    await restated.locator('summary').first().click();
    const history = restated.getByTestId('revision-history');
    await history.waitFor();
    const revisions = history.locator('li.revision');
    expect(await revisions.count()).toBe(2);
    expect(await revisions.nth(0).locator('summary').innerText()).toMatch(/Revision 1\s+Superseded.*actual €90,100\.00/);
    expect(await revisions.nth(1).locator('summary').innerText()).toMatch(/Revision 2\s+Published.*actual €97,600\.00/);
    // A revision's lines: the restatement moved the vendor invoice (VENDORS 24,000.00 → 31,500.00).
    await revisions.nth(0).locator('summary').click();
    await expect(revisions.nth(0).getByTestId('report-lines').innerText()).resolves.toMatch(/Vendors\s+€25,000\.00\s+€24,000\.00/);
    await revisions.nth(1).locator('summary').click();
    await expect(revisions.nth(1).getByTestId('report-lines').innerText()).resolves.toMatch(/Vendors\s+€25,000\.00\s+€31,500\.00/);
    // The restatement's own changes against the revision it replaced, line by line.
    expect(await restated.getByTestId('restatement-changes').locator('h4').innerText()).toBe('Changes from revision 1');
    expect(await restated.getByTestId('restatement-change').allInnerTexts()).toEqual([
      expect.stringMatching(/^Vendors\s+Changed\s+€25,000\.00 → €25,000\.00 \(\+€0\.00\)\s+€24,000\.00 → €31,500\.00 \(\+€7,500\.00\)\s+€160,000\.00 → €155,000\.00 \([-−]€5,000\.00\)$/),
    ]);
    if (TAKE_SCREENSHOTS) await restated.screenshot({ path: path.join(SCREENSHOTS, 'restated-period.png') });
  }, 60_000);

  it('works at phone width', async () => {
    const phone = await newPage(browser, { width: 390, height: 844 });
    await signIn(phone, app, USERS.aurora);
    await phone.getByTestId('project-card').first().waitFor();
    const overflow = await horizontalOverflow(phone);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(phone, 'portfolio-phone');
    await phone.getByRole('link', { name: 'Atlas', exact: true }).click();
    await phone.getByTestId('spend-by-period').locator('.recharts-bar-rectangle').first().waitFor();
    expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
    await screenshot(phone, 'project-atlas-phone');
    await phone.context().close();
  }, 60_000);
});

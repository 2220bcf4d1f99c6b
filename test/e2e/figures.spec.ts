/**
 * Figures a new investor can reconcile in the browser: the project page
 * writes out EAC = AC + ETC and VAC = BAC − EAC with the numbers the API
 * returns, explains CPI next to a forecast overrun, totals its tables, shows
 * commitments as the disclosure rule allows, recomputes for another asOf;
 * the portfolio sets forecasts against the budgets of the same projects;
 * instants appear in the reader's time zone.
 */
import { addDays, addMonths, monthEnd, monthStart, today } from '../../src/core/dates';
import { startTestApp, USERS, type TestApp } from '../support/app';
import { baseUrl, describeInBrowser, ensurePortalBuilt, launchBrowser, newPage, signIn, type Browser, type Page } from './support/browser';

const FIGURES = `query($asOf: Date) { projects(first: 10) { nodes { name
  financials(asOf: $asOf) { budget actualToDate estimateToComplete estimateAtCompletion varianceAtCompletion spendByCategory { planned actual estimateToComplete } }
  earnedValue(asOf: $asOf) { earnedValue actualCost costVariance costPerformanceIndex }
} } }`;

describeInBrowser('figures an investor can reconcile (Aurora Capital)', () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensurePortalBuilt();
    app = await startTestApp();
    browser = await launchBrowser();
    page = await newPage(browser);
    await signIn(page, app, USERS.aurora);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function openProject(name: string, query = ''): Promise<void> {
    await page.goto(`${baseUrl(app)}/portfolio`);
    await page.getByRole('link', { name, exact: true }).click();
    await page.waitForURL(/\/projects\//);
    if (query) await page.goto(`${page.url().split('?')[0]}?${query}`);
    await page.getByTestId('reconcile').waitFor();
  }

  it('Atlas: the equations with their numbers, and why CPI 1.2463 sits next to a forecast overrun', async () => {
    await openProject('Atlas');
    expect(await page.getByTestId('eq-eac').innerText()).toBe('EAC = AC + ETC: €1,288,850.50 = €483,850.50 + €805,000.00');
    expect(await page.getByTestId('eq-vac').innerText()).toBe('VAC = BAC − EAC: -€88,850.50 = €1,200,000.00 − €1,288,850.50');
    expect(await page.getByTestId('eq-cv').innerText()).toBe('CV = EV − AC: €119,149.50 = €603,000.00 − €483,850.50 · CPI = EV / AC = 1.2463 · SPI = EV / PV = 1.0050');
    const note = await page.getByTestId('reconcile-note').innerText();
    expect(note).toContain('BAC − AC = €716,149.50');
    expect(note).toContain('Both hold here: the work so far cost less than its planned value, but the remaining work is re-estimated at €805,000.00, more than the €716,149.50 left.');
  }, 60_000);

  it('Atlas: the tables have totals rows equal to the API\'s figures', async () => {
    const res = await app.gql(FIGURES, {}, await app.login(USERS.aurora));
    const atlas = res.data.projects.nodes.find((p: any) => p.name === 'Atlas');
    expect(atlas.financials.actualToDate).toBe('483850.50');
    const total = (await page.getByTestId('spend-by-category-total').innerText()).split('\t').map((s) => s.trim());
    expect(total).toEqual(['Total', '€470,000.00', '€483,850.50', '€805,000.00']);
    const periods = (await page.getByTestId('spend-by-period-total').innerText()).split('\t').map((s) => s.trim());
    expect(periods).toEqual(['Total', '', '€470,000.00', '€483,850.50', '€805,000.00 latest']);
  }, 60_000);

  it('the period selector narrows the periods table to the quarter or the year to date, totals included', async () => {
    await openProject('Atlas');
    // Atlas's published months (demo months 0..4, six to two months before the current one): [planned, actual, estimate to complete] in cents.
    const MONTHS: [bigint, bigint, bigint][] = [
      [8500000n, 8350000n, 116000000n], [9900000n, 10220000n, 107500000n], [9200000n, 9760000n, 98500000n],
      [9600000n, 9880000n, 89000000n], [9800000n, 10175050n, 80500000n],
    ];
    const starts = MONTHS.map((_, i) => addMonths(monthStart(today()), i - 6));
    const euros = (cents: bigint) => `€${(cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${(cents % 100n).toString().padStart(2, '0')}`;
    const month = today().slice(5, 7);
    const ranges: [string, string][] = [
      ['QUARTER', `${today().slice(0, 4)}-${String(Math.floor((Number(month) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`],
      ['YTD', `${today().slice(0, 4)}-01-01`],
      ['ALL', '0000-01-01'],
    ];
    for (const [range, from] of ranges) {
      await page.getByLabel('Periods', { exact: true }).selectOption(range);
      const shown = MONTHS.filter((_, i) => starts[i] >= from);
      const rows = page.getByTestId('spend-by-period-table').locator('tbody tr');
      if (!shown.length) {
        expect(await rows.allInnerTexts()).toEqual(['No published period in this range.']);
        expect((await page.getByTestId('spend-by-period-total').innerText()).split('\t').map((t) => t.trim())).toEqual(['Total', '', '€0.00', '€0.00', '—']);
        continue;
      }
      expect([range, await rows.count()]).toEqual([range, shown.length]);
      const sum = (k: 0 | 1) => shown.reduce((a, m) => a + m[k], 0n);
      expect((await page.getByTestId('spend-by-period-total').innerText()).split('\t').map((t) => t.trim()))
        .toEqual(['Total', '', euros(sum(0)), euros(sum(1)), `${euros(shown[shown.length - 1][2])} latest`]);
    }
  }, 60_000);

  it('commitments: Aurora\'s own, and on Borealis nothing that would be Beacon\'s', async () => {
    expect(await page.getByTestId('kpi-committed-own').innerText()).toContain('€700,000.00');
    await openProject('Borealis');
    expect(await page.getByTestId('kpi-committed-own').innerText()).toContain('US$300,000.00');
    const others = await page.getByTestId('kpi-committed-others').innerText();
    expect(others).toContain('not disclosed');
    expect(others).not.toContain('450,000');
    expect(await page.getByTestId('kpi-committed').count()).toBe(0);
  }, 60_000);

  it('the as-of selector recomputes every figure for the chosen date', async () => {
    const asOf = monthEnd(addMonths(monthStart(today()), -5));
    await openProject('Atlas', `asOf=${asOf}`);
    const res = await app.gql(FIGURES, { asOf }, await app.login(USERS.aurora));
    const atlas = res.data.projects.nodes.find((p: any) => p.name === 'Atlas');
    expect([atlas.financials.actualToDate, atlas.financials.estimateAtCompletion]).toEqual(['185700.00', '1260700.00']);
    expect(await page.getByTestId('kpi-eac').innerText()).toBe('€1,260,700.00');
    expect(await page.getByTestId('eq-eac').innerText()).toBe('EAC = AC + ETC: €1,260,700.00 = €185,700.00 + €1,075,000.00');
    expect(page.url()).toContain(`asOf=${asOf}`);
  }, 60_000);

  it('shows instants in the reader\'s time zone', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'Asia/Tokyo' });
    const tokyo = await context.newPage();
    await signIn(tokyo, app, USERS.aurora);
    await tokyo.getByRole('link', { name: 'Atlas', exact: true }).click();
    const start = addMonths(monthStart(today()), -6);
    const first = tokyo.locator(`[data-testid="report-period"][data-period="${start}"]`);
    await first.waitFor();
    await first.locator('summary').first().click();
    // Published at 09:00 UTC by the demo data: 18:00 in Tokyo.
    const publishedOn = addDays(monthEnd(start), 30);
    expect(await first.locator('.period-body .muted').first().innerText()).toMatch(new RegExp(`Published ${Number(publishedOn.slice(8))} \\w{3,4} ${publishedOn.slice(0, 4)},? 18:00 GMT\\+9`));
    await context.close();
  }, 60_000);
});

describeInBrowser('portfolio totals compare like with like (administrator)', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    ensurePortalBuilt();
    app = await startTestApp();
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('EUR: Atlas\'s forecast against Atlas\'s budget; Cirrus named apart with its budget', async () => {
    const page = await newPage(browser);
    await signIn(page, app, USERS.admin);
    await page.goto(`${baseUrl(app)}/portfolio`);
    const eur = page.locator('[data-testid="portfolio-total"][data-currency="EUR"]');
    await eur.waitFor();
    const text = await eur.innerText();
    expect(text).toContain('€1,288,850.50');
    expect(text).toContain('forecast (EAC) of €1,200,000.00 budget of the 1 reporting project · VAC -€88,850.50');
    expect((await eur.getByTestId('portfolio-without-forecast').innerText()).trim()).toBe('Not in the forecast: Cirrus (€400,000.00 budget, no published report yet)');
    expect(text).not.toContain('1,600,000');
  }, 60_000);
});

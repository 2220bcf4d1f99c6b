/**
 * Exports in the browser: an investor downloads the investor pack and the
 * risk register of a project page; the operator exports the audit trail, a
 * long list that runs on the job queue while the page shows its progress.
 * The downloaded files are the server's (same rows as the API).
 */
import { readFileSync } from 'node:fs';
import { startTestApp, USERS, type TestApp } from '../support/app';
import { baseUrl, describeInBrowser, ensurePortalBuilt, launchBrowser, newPage, screenshot, signIn, type Browser, type Page } from './support/browser';

describeInBrowser('exports in the portal', () => {
  let app: TestApp;
  let browser: Browser;
  let atlasId: string;

  beforeAll(async () => {
    ensurePortalBuilt();
    // Lists over 2 rows go to the job queue, so the audit trail's export shows progress.
    app = await startTestApp({ env: { EXPORT_INLINE_MAX_ROWS: '2' } });
    browser = await launchBrowser();
    const res = await app.gql('{ projects(first: 10) { nodes { id code } } }', {}, await app.login(USERS.aurora));
    atlasId = res.data.projects.nodes.find((p: { code: string }) => p.code === 'PRJ-2025-01').id;
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function download(page: Page, click: () => Promise<void>) {
    const [file] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), click()]);
    return { name: file.suggestedFilename(), body: readFileSync((await file.path())!) };
  }

  it('an investor downloads the investor pack (PDF) and the risk register (CSV) of a project', async () => {
    const page = await newPage(browser);
    await signIn(page, app, USERS.aurora);
    await page.goto(`${baseUrl(app)}/projects/${encodeURIComponent(atlasId)}`);
    await page.getByRole('heading', { name: /Atlas/ }).first().waitFor();

    const pack = await download(page, () => page.getByRole('button', { name: 'Investor pack (PDF)' }).click());
    expect(pack.name).toMatch(/^investor-pack-PRJ-2025-01-\d{4}-\d{2}-\d{2}\.pdf$/);
    expect(pack.body.subarray(0, 5).toString()).toBe('%PDF-');

    const risks = await download(page, () => page.getByTestId('export-risks').getByRole('button', { name: 'CSV' }).click());
    expect(risks.name).toMatch(/^risks-PRJ-2025-01-.*\.csv$/);
    const api = await app.gql('query($id: ID!) { node(id: $id) { ... on Project { risks(first: 100) { nodes { id } } } } }', { id: atlasId }, await app.login(USERS.aurora));
    const ids = api.data.node.risks.nodes.map((r: { id: string }) => r.id).sort();
    const lines = risks.body.toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0].startsWith('Id,Project,Title')).toBe(true);
    expect(lines.slice(1).map((l) => l.split(',')[0]).sort()).toEqual(ids);
    await screenshot(page, 'exports-project');
  }, 90_000);

  it('the operator exports the audit trail: queued, progress, then the download', async () => {
    const page = await newPage(browser);
    await signIn(page, app, USERS.admin);
    await page.goto(`${baseUrl(app)}/operator/audit`);
    const actions = page.getByTestId('export-audit_events');
    await actions.waitFor();
    // More rows than EXPORT_INLINE_MAX_ROWS: QUEUED, so the page shows its progress until the runner is done.
    const trail = await download(page, async () => {
      await actions.getByRole('button', { name: 'XLSX' }).click();
      await actions.getByRole('progressbar', { name: 'Export progress' }).waitFor();
    });
    expect(trail.name).toMatch(/^audit-events-\d{4}-\d{2}-\d{2}\.xlsx$/);
    expect(trail.body.subarray(0, 2).toString()).toBe('PK');
    await actions.getByText(/\d+ rows · audit-events-/).waitFor();
    await screenshot(page, 'exports-audit');
  }, 90_000);
});

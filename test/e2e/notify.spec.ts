/**
 * The portal's Webhooks and E-mail pages end to end: an investor user (their
 * organization's webhook administrator) adds an endpoint, reads its secret
 * once, sees the restatement delivered in the log; every user sets an e-mail
 * preference; all checked in the API and at the receiver.
 */
import { startTestApp, USERS, type TestApp } from '../support/app';
import { restateBorealis, startHookReceiver, waitFor, type HookReceiver } from '../notify/receivers';
import { baseUrl, describeInBrowser, ensurePortalBuilt, launchBrowser, newPage, signIn, type Browser, type Page } from './support/browser';

describeInBrowser('webhooks and e-mail pages', () => {
  let app: TestApp;
  let hooks: HookReceiver;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensurePortalBuilt();
    hooks = await startHookReceiver();
    app = await startTestApp();
    browser = await launchBrowser();
    page = await newPage(browser);
    await signIn(page, app, USERS.aurora);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await hooks?.close();
  });

  it('webhooks: add an endpoint, copy its secret once, see the restatement in the delivery log', async () => {
    await page.goto(`${baseUrl(app)}/settings/webhooks`);
    await page.getByRole('button', { name: 'New endpoint…' }).click();
    const form = page.getByRole('form', { name: 'New webhook endpoint' });
    await form.getByLabel('URL').fill(`${hooks.base}/aurora`);
    await form.getByLabel('Description').fill('Our data room');
    await form.getByLabel('report.restated').check();
    await form.getByRole('button', { name: 'Create endpoint' }).click();
    const secret = await page.getByTestId('new-webhook-secret').locator('code').innerText();
    expect(secret).toMatch(/^whsec_/);
    hooks.secrets.set('/aurora', secret);
    const card = page.getByTestId('webhook-endpoint');
    await card.first().waitFor();
    expect(await card.getAttribute('data-url')).toBe(`${hooks.base}/aurora`);

    await restateBorealis(app, await app.login(USERS.pm));
    await waitFor(() => hooks.received.find((h) => h.path === '/aurora' && h.body.type === 'report.restated'), 20_000, 'the webhook');
    expect(hooks.received.every((h) => h.verified)).toBe(true);
    await waitFor(async () => {
      await page.reload();
      await page.getByTestId('webhook-endpoint').first().waitFor();
      const rows = page.getByTestId('webhook-deliveries').locator('tbody tr');
      return (await rows.count()) === 1 && (await rows.first().innerText()).includes('Delivered');
    }, 20_000, 'the delivery in the log');
    // After the page is left and reopened, the secret is not shown again.
    expect(await page.getByTestId('new-webhook-secret').count()).toBe(0);
  }, 60_000);

  it('an update posted since the previous visit is marked New after signing in again; older ones are not', async () => {
    const pm = await app.login(USERS.pm);
    // Signed in (a visit) before the update is posted.
    const aurora = await app.login(USERS.aurora);
    const found = await app.gql('{ projects(first: 1, filter: { search: "Borealis" }) { nodes { id } } }', {}, pm);
    const projectId = found.data.projects.nodes[0].id;
    const posted = await app.gql(
      'mutation P($input: PostProjectUpdateInput!) { postProjectUpdate(input: $input) { projectUpdate { id } userErrors { code } } }',
      { input: { projectId, title: 'Posted while you were away', body: 'Body.', audience: 'INVESTORS' } },
      pm,
    );
    expect(posted.data.postProjectUpdate.userErrors).toEqual([]);
    const updateId = posted.data.postProjectUpdate.projectUpdate.id;
    await waitFor(async () => {
      const inbox = await app.gql('{ viewer { notifications(first: 5) { nodes { subjectId } } } }', {}, aurora);
      return inbox.data.viewer.notifications.nodes.some((n: any) => n.subjectId === updateId);
    }, 20_000, 'the notification of the update');

    const again = await newPage(browser);
    await signIn(again, app, USERS.aurora);
    await again.goto(`${baseUrl(app)}/projects/${projectId}`);
    const updates = again.locator('li.update');
    const fresh = updates.filter({ hasText: 'Posted while you were away' });
    await fresh.getByTestId('new-since-visit').waitFor();
    expect(await fresh.getByTestId('new-since-visit').innerText()).toBe('New');
    expect(await updates.count()).toBeGreaterThan(1);
    // Only the update posted since the previous sign-in is marked.
    expect(await again.locator('li.update [data-testid="new-since-visit"]').count()).toBe(1);
    await again.context().close();
  }, 60_000);

  it('e-mail: every user chooses a mode per event type', async () => {
    await page.goto(`${baseUrl(app)}/settings/email`);
    await page.getByLabel('report.restated').selectOption('WEEKLY_DIGEST');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    const res = await app.gql('{ viewer { emailPreferences { eventType mode isDefault } } }', {}, await app.login(USERS.aurora));
    expect(res.data.viewer.emailPreferences.find((p: any) => p.eventType === 'report.restated')).toEqual({ eventType: 'report.restated', mode: 'WEEKLY_DIGEST', isDefault: false });
  }, 60_000);
});

/**
 * The operator's console end to end: organizations, users, contracts with
 * their deliverables, API tokens and the audit trail, each checked in the
 * API with exact values; which pages each role may open (the rest read
 * "not found", like an unknown address); filters kept in the address; and a
 * wide table that scrolls inside its box on a phone.
 */
import { startTestApp, USERS, type TestApp } from '../support/app';
import { WriteKit } from '../write/support';
import {
  baseUrl, describeInBrowser, ensurePortalBuilt, eventually, horizontalOverflow, launchBrowser, newPage, signIn, type Browser, type Page,
} from './support/browser';

describeInBrowser('operator console', () => {
  let app: TestApp;
  let kit: WriteKit;
  let browser: Browser;
  let admin: Page;
  let adminToken: string;
  let atlas: string;
  let elm: string;

  const gql = async (query: string, variables: Record<string, unknown> = {}, token = adminToken) => {
    const res = await app.gql(query, variables, token);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data;
  };
  const open = async (page: Page, path: string) => {
    await page.goto(`${baseUrl(app)}${path}`);
  };
  const status = (page: Page, text: string) => page.getByRole('status').filter({ hasText: text }).waitFor();
  const rowTexts = (page: Page, selector: string, cell = 1) =>
    page.locator(`${selector} td:nth-child(${cell})`).allInnerTexts();
  const navLinks = async (page: Page) => {
    const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
    await links.first().waitFor();
    return links.allInnerTexts();
  };

  beforeAll(async () => {
    ensurePortalBuilt();
    app = await startTestApp();
    kit = new WriteKit(app);
    browser = await launchBrowser();
    adminToken = await kit.token('admin');
    atlas = await kit.project('atlas');
    admin = await newPage(browser);
    await signIn(admin, app, USERS.admin);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('organizations: created in the API as entered; the kind filter survives a reload', async () => {
    await open(admin, '/operator/organizations');
    await admin.getByRole('button', { name: 'New organization…' }).click();
    const form = admin.getByRole('form', { name: 'New organization' });
    await form.getByLabel('Name').fill('Elm Logistics');
    await form.getByLabel('Kind of organization').selectOption('VENDOR');
    await form.getByRole('button', { name: 'Create organization' }).click();
    await status(admin, 'Elm Logistics (vendor) was created.');
    const orgs = await gql('{ organizations(filter: { kind: [VENDOR] }) { nodes { id name kind } } }');
    expect(orgs.organizations.nodes.map((o: { name: string; kind: string }) => `${o.name} ${o.kind}`)).toEqual(['Cobalt Cloud VENDOR', 'Elm Logistics VENDOR']);
    elm = orgs.organizations.nodes[1].id;

    await admin.getByLabel('Kind', { exact: true }).selectOption('VENDOR');
    await admin.waitForURL(/\/operator\/organizations\?kind=VENDOR$/);
    await eventually(async () => (await rowTexts(admin, '[data-testid="organization"]')).join() === 'Cobalt Cloud,Elm Logistics', 'the vendors only');
    await admin.reload();
    await eventually(async () => (await rowTexts(admin, '[data-testid="organization"]')).join() === 'Cobalt Cloud,Elm Logistics', 'the vendors after a reload');
    expect(await admin.getByLabel('Kind', { exact: true }).inputValue()).toBe('VENDOR');
  }, 60_000);

  it('users: created, role changed and disabled, each exactly so in the API; the organization filter survives a reload', async () => {
    await open(admin, '/operator/users');
    await admin.getByRole('button', { name: 'New user…' }).click();
    const form = admin.getByRole('form', { name: 'New user' });
    await form.getByLabel('Full name').fill('Erin Elm');
    await form.getByLabel('Email').fill('erin@elm.example');
    await form.getByLabel('Organization of the user').selectOption(elm);
    await form.getByLabel('Role of the user').selectOption('MEMBER');
    await form.getByLabel('Initial password').fill('elm-logistics-2030');
    await form.getByRole('button', { name: 'Create user' }).click();
    await status(admin, 'erin@elm.example was created as member');
    const erinQuery = `{ users(filter: { organizationId: "${elm}" }) { nodes { name email role disabledAt organization { name } } } }`;
    expect((await gql(erinQuery)).users.nodes).toEqual([{ name: 'Erin Elm', email: 'erin@elm.example', role: 'MEMBER', disabledAt: null, organization: { name: 'Elm Logistics' } }]);

    const row = admin.locator('[data-testid="user"][data-email="erin@elm.example"]');
    await row.getByLabel('New role of erin@elm.example').selectOption('VIEWER');
    await row.getByRole('button', { name: 'Change role' }).click();
    await status(admin, 'erin@elm.example is now viewer.');
    expect((await gql(erinQuery)).users.nodes[0].role).toBe('VIEWER');

    const signedIn = await app.gql('mutation { login(input: { email: "erin@elm.example", password: "elm-logistics-2030" }) { token } }');
    const erinToken = signedIn.data.login.token as string;
    expect((await gql('{ viewer { user { email } } }', {}, erinToken)).viewer.user.email).toBe('erin@elm.example');
    await row.getByRole('button', { name: 'Disable…' }).click();
    await row.getByRole('button', { name: 'Disable erin@elm.example' }).click();
    await status(admin, 'erin@elm.example was disabled');
    expect((await gql(erinQuery)).users.nodes[0].disabledAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect((await app.gql('{ viewer { user { email } } }', {}, erinToken)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    await admin.getByLabel('Organization', { exact: true }).selectOption(elm);
    await admin.waitForURL((url) => url.searchParams.get('organization') === elm);
    await admin.reload();
    await eventually(async () => (await rowTexts(admin, '[data-testid="user"]', 2)).join() === 'erin@elm.example', 'only Elm Logistics\' user after a reload');
    expect(await admin.getByLabel('Organization', { exact: true }).inputValue()).toBe(elm);
  }, 60_000);

  it('contracts: create, edit, deliverables, and exactly the moves availableActions offers, each in the API; the status filter survives a reload', async () => {
    const { start, end } = kit.dates('atlas');
    await open(admin, `/operator/contracts?project=${encodeURIComponent(atlas)}`);
    await admin.getByRole('button', { name: 'New contract…' }).click();
    const form = admin.getByRole('form', { name: 'New contract' });
    await form.getByLabel('Reference').fill('ATL-C-900');
    await form.getByLabel('Title').fill('Warehouse feeds');
    await form.getByLabel('Partner').selectOption(elm);
    await form.getByLabel('Kind').selectOption('TIME_AND_MATERIALS');
    await form.getByLabel('Value').fill('12345.67');
    await form.getByLabel('Start date').fill(start);
    await form.getByLabel('End date').fill(end);
    await form.getByRole('button', { name: 'Create draft contract' }).click();
    await status(admin, 'Contract ATL-C-900');
    const contractQuery = `{ node(id: "${atlas}") { ... on Project { contracts(first: 100) { nodes { id reference title kind value startDate endDate status terminationReason counterparty { name } deliverables { nodes { title dueDate description } } } } } } }`;
    const contract = async () => (await gql(contractQuery)).node.contracts.nodes.find((c: { reference: string }) => c.reference === 'ATL-C-900');
    expect(await contract()).toMatchObject({
      title: 'Warehouse feeds', kind: 'TIME_AND_MATERIALS', value: '12345.67', startDate: start, endDate: end, status: 'DRAFT', counterparty: { name: 'Elm Logistics' }, deliverables: { nodes: [] },
    });

    const row = admin.locator('tbody[data-testid="contract"][data-reference="ATL-C-900"]');
    const buttons = () => row.locator('.row-actions button').allInnerTexts();
    expect(await buttons()).toEqual(['Edit…', 'Activate', 'Deliverables']);
    await row.getByRole('button', { name: 'Edit…' }).click();
    await row.getByRole('form', { name: 'Edit contract ATL-C-900' }).getByLabel('Title').fill('Warehouse data feeds');
    await row.getByRole('button', { name: 'Save changes' }).click();
    await status(admin, 'Contract ATL-C-900 was saved.');
    expect((await contract()).title).toBe('Warehouse data feeds');

    await row.getByRole('button', { name: 'Deliverables' }).click();
    await row.getByRole('button', { name: 'New deliverable…' }).click();
    const newDeliverable = row.getByRole('form', { name: 'New deliverable of ATL-C-900' });
    await newDeliverable.getByLabel('Deliverable title').fill('Feed spec');
    await newDeliverable.getByLabel('Due date').fill(end);
    await newDeliverable.getByLabel('Description').fill('Formats and schedules.');
    await newDeliverable.getByRole('button', { name: 'Add deliverable' }).click();
    await status(admin, '“Feed spec” was added');
    const item = row.locator('[data-testid="admin-deliverable"][data-title="Feed spec"]');
    await item.getByRole('button', { name: 'Edit…' }).click();
    await item.getByLabel('Deliverable title').fill('Feed specification');
    await item.getByRole('button', { name: 'Save changes' }).click();
    await status(admin, '“Feed specification” was saved.');
    expect((await contract()).deliverables.nodes).toEqual([{ title: 'Feed specification', dueDate: end, description: 'Formats and schedules.' }]);

    // A date the API refuses comes back as the API's own message, and nothing is written.
    await row.getByRole('button', { name: 'Edit…' }).first().click();
    const edit = row.getByRole('form', { name: 'Edit contract ATL-C-900' });
    await edit.getByLabel('End date').fill(start);
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await row.getByRole('alert').waitFor();
    expect((await contract()).endDate).toBe(end);
    await edit.getByRole('button', { name: 'Cancel' }).click();

    for (const [click, want, apiStatus] of [
      ['Activate', ['Suspend', 'Complete', 'Terminate…', 'Deliverables'], 'ACTIVE'],
      ['Suspend', ['Resume', 'Terminate…', 'Deliverables'], 'SUSPENDED'],
      ['Resume', ['Suspend', 'Complete', 'Terminate…', 'Deliverables'], 'ACTIVE'],
    ] as const) {
      await row.getByRole('button', { name: click, exact: true }).click();
      await eventually(async () => (await buttons()).join() === want.join(), `the moves after ${click}`);
      expect((await contract()).status).toBe(apiStatus);
    }
    await row.getByRole('button', { name: 'Terminate…' }).click();
    await row.getByLabel('Reason for termination (the partner reads it)').fill('Scope moved to another vendor.');
    await row.getByRole('button', { name: 'Terminate contract' }).click();
    await status(admin, 'Contract ATL-C-900 was terminated.');
    await eventually(async () => (await buttons()).join() === 'Deliverables', 'no move left on a terminated contract');
    expect(await contract()).toMatchObject({ status: 'TERMINATED', terminationReason: 'Scope moved to another vendor.' });

    await admin.getByLabel('Status').selectOption('TERMINATED');
    await admin.waitForURL((url) => url.searchParams.get('status') === 'TERMINATED' && url.searchParams.get('project') === atlas);
    await admin.reload();
    await eventually(async () => (await rowTexts(admin, 'tbody[data-testid="contract"] > tr:first-child')).join() === 'ATL-C-900', 'the terminated contract alone after a reload');
  }, 90_000);

  it('API tokens: the secret is shown once with a copy button, works, and stops working once revoked', async () => {
    await admin.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl(app) });
    await open(admin, '/tokens');
    await admin.getByRole('button', { name: 'New token…' }).click();
    const form = admin.getByRole('form', { name: 'New API token' });
    await form.getByLabel('Token name').fill('nightly export');
    await form.getByLabel('Scope').selectOption('READ');
    await form.getByLabel('May send any query (integrations)').check();
    await form.getByRole('button', { name: 'Create token' }).click();
    const secret = (await admin.getByTestId('token-secret').innerText()).trim();
    expect(secret).toMatch(/^vnt_/);
    await admin.getByRole('button', { name: 'Copy secret' }).click();
    await admin.getByText('Copied to the clipboard.').waitFor();
    expect(await admin.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).toBe(secret);

    const tokens = await gql('{ viewer { apiTokens { nodes { id name scope allowsAnyDocument prefix revokedAt expiresAt } } } }');
    expect(tokens.viewer.apiTokens.nodes).toEqual([{
      id: expect.any(String), name: 'nightly export', scope: 'READ', allowsAnyDocument: true, prefix: secret.slice(0, tokens.viewer.apiTokens.nodes[0].prefix.length), revokedAt: null, expiresAt: null,
    }]);
    expect((await gql('{ viewer { user { email } } }', {}, secret)).viewer.user.email).toBe(USERS.admin);

    await admin.reload();
    expect(await admin.getByTestId('token-secret').count()).toBe(0); // shown once
    const row = admin.locator('[data-testid="token"][data-name="nightly export"]');
    expect(await row.locator('td').nth(3).innerText()).toBe('Any query');
    await row.getByRole('button', { name: 'Revoke…' }).click();
    await row.getByRole('button', { name: 'Revoke nightly export' }).click();
    await status(admin, 'Token “nightly export” was revoked');
    expect((await app.gql('{ viewer { user { email } } }', {}, secret)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await gql('{ viewer { apiTokens { nodes { revokedAt } } } }')).viewer.apiTokens.nodes[0].revokedAt).toMatch(/^\d{4}-/);
  }, 60_000);

  it('audit trail: the filters show exactly the expected events, survive a reload, and a day range excludes the rest', async () => {
    const adminId = await kit.user('admin');
    // More than one page of events in all (20 a page).
    for (let i = 1; i <= 7; i++) await kit.ok('admin', 'createOrganization', { name: `Paging Org ${i}`, kind: 'INVESTOR' });
    await open(admin, '/operator/audit');
    await admin.getByTestId('audit-event').first().waitFor();
    await admin.getByLabel('Project').selectOption(atlas);
    await admin.getByLabel('Actor').selectOption(adminId);
    await admin.getByLabel('Object type').selectOption('CONTRACT');
    const actions = () => admin.locator('[data-testid="audit-event"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    const contractEvents = ['contract.terminate', 'contract.resume', 'contract.suspend', 'contract.activate', 'contract.update', 'contract.create'];
    await eventually(async () => (await actions()).join() === contractEvents.join(), 'the contract\'s events, newest first');
    await admin.reload();
    await eventually(async () => (await actions()).join() === contractEvents.join(), 'the same events after a reload');
    expect(await admin.getByLabel('Object type').inputValue()).toBe('CONTRACT');

    await admin.getByLabel('Action').fill('contract.suspend');
    await admin.getByRole('button', { name: 'Apply' }).click();
    await eventually(async () => (await actions()).join() === 'contract.suspend', 'the one suspension');
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await admin.getByLabel('From (UTC day)').fill(today);
    await admin.getByLabel('To (UTC day, included)').fill(today);
    await eventually(async () => new URL(admin.url()).searchParams.get('to') === today, 'the range in the address');
    await eventually(async () => (await actions()).join() === 'contract.suspend', 'today includes it');
    await admin.getByLabel('To (UTC day, included)').fill('');
    await admin.getByLabel('From (UTC day)').fill(tomorrow);
    await admin.getByText('No event matches these filters.').waitFor();

    // Everything, with what the API has: the organization, user and token events are there too, and paging walks all of them.
    await admin.getByRole('button', { name: 'Clear filters' }).click();
    await eventually(async () => new URL(admin.url()).search === '', 'no filter left in the address');
    const total = (await gql('{ auditEvents { totalCount } }')).auditEvents.totalCount as number;
    await admin.getByTestId('audit-count').filter({ hasText: `${total} events` }).waitFor();
    const seen: string[] = [];
    for (;;) {
      await admin.getByTestId('audit-event').first().waitFor();
      seen.push(...((await actions()) as string[]));
      const older = admin.getByRole('button', { name: 'Older →' });
      if (await older.isDisabled()) break;
      const first = await admin.getByTestId('audit-event').first().getAttribute('data-id');
      await older.click();
      await eventually(async () => (await admin.getByTestId('audit-event').first().getAttribute('data-id').catch(() => first)) !== first, 'the next page');
    }
    expect(seen.length).toBe(total);
    expect(total).toBe(21);
    expect(seen.filter((a) => !a.startsWith('contract.') && !a.startsWith('deliverable.'))).toEqual([
      ...Array(7).fill('organization.create'), 'apiToken.revoke', 'apiToken.create', 'user.disable', 'user.changeRole', 'user.create', 'organization.create',
    ]);
  }, 60_000);

  it('each role sees in the navigation exactly the pages it may open; every other page reads "not found", like an unknown address', async () => {
    const consoleAtlas = `/operator/projects/${encodeURIComponent(atlas)}`;
    const routes = ['/operator', consoleAtlas, '/operator/contracts', '/operator/audit', '/operator/organizations', '/operator/users', '/portfolio', '/workspace', '/tokens', '/settings/webhooks', '/settings/email', `/projects/${encodeURIComponent(atlas)}`, '/no-such-page'];
    const expected: Record<string, { nav: string[]; opens: string[] }> = {
      [USERS.admin]: { nav: ['Operations', 'Project console', 'Contracts', 'Audit trail', 'Organizations', 'Users', 'Portfolio', 'API tokens', 'Webhooks', 'E-mail'], opens: ['/operator', consoleAtlas, '/operator/contracts', '/operator/audit', '/operator/organizations', '/operator/users', '/portfolio', '/tokens', '/settings/webhooks', '/settings/email', 'project'] },
      [USERS.pm]: { nav: ['Operations', 'Project console', 'Contracts', 'Audit trail', 'Portfolio', 'API tokens', 'E-mail'], opens: ['/operator', consoleAtlas, '/operator/contracts', '/operator/audit', '/portfolio', '/tokens', '/settings/email', 'project'] },
      [USERS.aurora]: { nav: ['Portfolio', 'API tokens', 'Webhooks', 'E-mail'], opens: ['/portfolio', '/tokens', '/settings/webhooks', '/settings/email', 'project'] },
      [USERS.cobalt]: { nav: ['Workspace', 'API tokens', 'Webhooks', 'E-mail'], opens: ['/portfolio', '/workspace', '/tokens', '/settings/webhooks', '/settings/email', 'project'] },
    };
    for (const [email, want] of Object.entries(expected)) {
      const page = email === USERS.admin ? admin : await newPage(browser);
      if (page !== admin) await signIn(page, app, email);
      expect([email, await navLinks(page)]).toEqual([email, want.nav]);
      const opens: string[] = [];
      let notFoundText: string | null = null;
      for (const route of routes) {
        // In-app navigation, as a link would, without reloading the portal for each address.
        await page.evaluate((path) => {
          const w = globalThis as unknown as { history: { pushState(s: unknown, t: string, u: string): void }; dispatchEvent(e: unknown): void; PopStateEvent: new (t: string) => unknown };
          w.history.pushState({}, '', path);
          w.dispatchEvent(new w.PopStateEvent('popstate'));
        }, route);
        const path = route.split('?')[0];
        const main = `:is(main[data-path="${path}"], main[data-path="${decodeURIComponent(path)}"])`;
        await page.locator(`${main} h1, ${main} .state-notfound`).first().waitFor();
        const notFound = page.locator('main .state-notfound');
        if ((await notFound.count()) === 0) opens.push(route.startsWith('/projects/') ? 'project' : route);
        else {
          const text = await notFound.innerText();
          notFoundText ??= text;
          expect([email, route, text]).toEqual([email, route, notFoundText]);
        }
      }
      expect([email, opens]).toEqual([email, want.opens]);
      expect(notFoundText).toContain('Page not found');
      if (email === USERS.cobalt) {
        // The partner's deliverable filter is in the address too: opened from a link, it applies.
        await open(page, '/workspace?status=ACCEPTED');
        await page.getByTestId('deliverable').first().waitFor();
        expect(await page.getByLabel('Show deliverables').inputValue()).toBe('ACCEPTED');
        expect(new Set(await page.getByTestId('deliverable').evaluateAll((ds) => ds.map((d) => d.getAttribute('data-status'))))).toEqual(new Set(['ACCEPTED']));
      }
      if (page !== admin) await page.context().close();
    }
  }, 90_000);

  it('on a 375 px phone a wide table scrolls inside its box and the page does not scroll sideways', async () => {
    await admin.setViewportSize({ width: 375, height: 800 });
    for (const [path, box] of [['/operator/audit', 'audit-table'], [`/operator/contracts?project=${encodeURIComponent(atlas)}`, 'contracts-table']] as const) {
      await open(admin, path);
      const wrap = admin.getByTestId(box);
      await wrap.locator('tbody tr').first().waitFor();
      const { scrollWidth, clientWidth } = await wrap.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
      expect([path, clientWidth <= 375, scrollWidth > clientWidth]).toEqual([path, true, true]);
      expect([path, await horizontalOverflow(admin)]).toEqual([path, 0]);
    }
  }, 60_000);
});

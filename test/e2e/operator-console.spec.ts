/**
 * The operator's project console, end to end in the browser: a project's
 * manager drafts, edits, publishes, restates and deletes a financial report
 * (amounts typed as text, refused when not exact), posts and edits an update,
 * adds a milestone and moves it, adds a risk and manages it; a partner raises
 * a risk from the workspace and the manager gives it an owner. An
 * administrator creates a project, edits it, moves its status, assigns its
 * manager, records and corrects an investment, edits and cancels milestones
 * and edits a webhook endpoint; a manager is offered none of the ADMIN-only
 * forms. Each step is then read back through the API, which must hold
 * exactly the typed values.
 */
import { addDays } from '../../src/core/dates';
import { startTestApp, USERS, type TestApp } from '../support/app';
import { WriteKit } from '../write/support';
import { baseUrl, describeInBrowser, ensurePortalBuilt, eventually, horizontalOverflow, launchBrowser, newPage, signIn, type Browser, type Page } from './support/browser';

const PROJECT_READ = `query ConsoleCheck($id: ID!) {
  node(id: $id) {
    ... on Project {
      financialReports(first: 100) { nodes { id revision status summary periodStart periodEnd lines { nodes { category planned actual estimateToComplete } } } }
      updates(first: 100) { nodes { id title body audience author { id } } }
      milestones(first: 100) { nodes { id title description dueDate status progress completedAt plannedValue } }
      risks(first: 100) { nodes { id title description category status likelihood impact score visibility mitigationPlan owner { id } contract { id } } }
    }
  }
}`;

describeInBrowser('operator project console', () => {
  let app: TestApp;
  let kit: WriteKit;
  let browser: Browser;
  let pm: Page;
  let atlas: string;
  let signedInAdmin: Page | null = null;

  /** The project as the administrator reads it through the API. */
  async function read(): Promise<any> {
    const res = await app.gql(PROJECT_READ, { id: atlas }, await kit.token('admin'));
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data.node;
  }
  const byCategory = (a: { category: string }, b: { category: string }) => a.category.localeCompare(b.category);
  const linesOf = (r: any) => [...r.lines.nodes].sort(byCategory);

  /** The administrator's page, signed in on first use. */
  async function adminPage(): Promise<Page> {
    if (!signedInAdmin) {
      signedInAdmin = await newPage(browser);
      await signIn(signedInAdmin, app, USERS.admin);
    }
    return signedInAdmin;
  }

  /** Any object by id, as the administrator reads it through the API. */
  async function readNode(id: string, selection: string): Promise<any> {
    const res = await app.gql(`query N($id: ID!) { node(id: $id) { ${selection} } }`, { id }, await kit.token('admin'));
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data.node;
  }

  beforeAll(async () => {
    ensurePortalBuilt();
    app = await startTestApp();
    kit = new WriteKit(app);
    browser = await launchBrowser();
    atlas = await kit.project('atlas');
    pm = await newPage(browser);
    await signIn(pm, app, USERS.pm);
    await pm.goto(`${baseUrl(app)}/operator/projects/${encodeURIComponent(atlas)}`);
    await pm.getByTestId('project-console').waitFor();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('financial reports: draft with validated amounts, edit lines, publish, restate, delete the restatement', async () => {
    const section = pm.locator('#reports');
    await section.getByRole('button', { name: 'New draft report…' }).click();
    const form = section.getByRole('form', { name: 'New draft report' });
    const periodStart = await form.getByLabel('Period start').inputValue();
    const periodEnd = await form.getByLabel('Period end').inputValue();
    expect(periodStart).toMatch(/^\d{4}-\d{2}-01$/);
    expect((await read()).financialReports.nodes.filter((r: any) => r.periodStart === periodStart)).toEqual([]);

    await form.getByLabel('Summary for investors').fill('Console draft');
    await form.getByRole('button', { name: 'Add line' }).click();
    await form.getByLabel('Labor planned', { exact: true }).fill('12,500.5');
    await form.getByLabel('Labor actual', { exact: true }).fill('12.345');
    await form.getByLabel('Labor estimate to complete', { exact: true }).fill('-1');
    await form.getByRole('button', { name: 'Create draft' }).click();
    await form.getByText('At most 2 decimals (cents)').waitFor();
    await form.getByText('Amounts cannot be negative').waitFor();
    // Refused in the browser: nothing reached the API.
    expect((await read()).financialReports.nodes.filter((r: any) => r.periodStart === periodStart)).toEqual([]);

    await form.getByLabel('Labor actual', { exact: true }).fill('12000.25');
    await form.getByLabel('Labor estimate to complete', { exact: true }).fill('80000');
    await form.getByRole('button', { name: 'Create draft' }).click();
    await section.getByText(/^The draft for .* was created/).waitFor();
    let [draft] = (await read()).financialReports.nodes.filter((r: any) => r.periodStart === periodStart);
    expect({ ...draft, id: undefined, lines: linesOf(draft) }).toEqual({
      id: undefined, revision: 1, status: 'DRAFT', summary: 'Console draft', periodStart, periodEnd,
      lines: [{ category: 'LABOR', planned: '12500.50', actual: '12000.25', estimateToComplete: '80000.00' }],
    });

    // The API's refusal is shown as it says it: a second report for the same period.
    await section.getByRole('button', { name: 'New draft report…' }).click();
    await form.getByLabel('Period start').fill(periodStart);
    await form.getByLabel('Period end').fill(periodEnd);
    await form.getByRole('button', { name: 'Create draft' }).click();
    await form.getByText(`A report for the period starting ${periodStart} already exists`, { exact: false }).waitFor();
    await form.getByRole('button', { name: 'Cancel' }).click();

    const item = (revision: number) => section.locator(`[data-testid="console-report"][data-period="${periodStart}"][data-revision="${revision}"]`);
    await item(1).getByRole('button', { name: 'Edit…' }).click();
    let edit = item(1).getByRole('form');
    await edit.getByLabel('Summary for investors').fill('Console draft, corrected');
    await edit.getByLabel('Labor actual', { exact: true }).fill('12100');
    await edit.getByRole('button', { name: 'Add line' }).click();
    await edit.getByLabel('Vendors planned', { exact: true }).fill('2,000');
    await edit.getByLabel('Vendors actual', { exact: true }).fill('1500.5');
    await edit.getByLabel('Vendors estimate to complete', { exact: true }).fill('0');
    // The open editor fits a phone: its table scrolls inside its frame, the page does not scroll sideways.
    await pm.setViewportSize({ width: 390, height: 800 });
    expect(await horizontalOverflow(pm)).toBe(0);
    await pm.setViewportSize({ width: 1280, height: 900 });
    await edit.getByRole('button', { name: 'Save draft' }).click();
    await section.getByText(/draft \(rev\. 1\) was saved/).waitFor();
    [draft] = (await read()).financialReports.nodes.filter((r: any) => r.periodStart === periodStart);
    expect(draft.summary).toBe('Console draft, corrected');
    expect(linesOf(draft)).toEqual([
      { category: 'LABOR', planned: '12500.50', actual: '12100.00', estimateToComplete: '80000.00' },
      { category: 'VENDORS', planned: '2000.00', actual: '1500.50', estimateToComplete: '0.00' },
    ]);

    await item(1).getByRole('button', { name: 'Edit…' }).click();
    edit = item(1).getByRole('form');
    await edit.getByRole('button', { name: 'Remove the Labor line' }).click();
    await edit.getByRole('button', { name: 'Save draft' }).click();
    await eventually(async () => (await item(1).getByTestId('report-lines').locator('tbody tr').count()) === 1, 'the saved draft with one line');
    [draft] = (await read()).financialReports.nodes.filter((r: any) => r.periodStart === periodStart);
    expect(linesOf(draft)).toEqual([{ category: 'VENDORS', planned: '2000.00', actual: '1500.50', estimateToComplete: '0.00' }]);

    await item(1).getByRole('button', { name: 'Publish…' }).click();
    await item(1).getByRole('button', { name: 'Publish now' }).click();
    // Vendors alone: the categories still estimated in the latest published month would leave the forecast.
    await item(1).getByText(/still have an estimate to complete and no line in this one: LABOR \(650000\.00\), INFRASTRUCTURE \(40000\.00\), OTHER \(5000\.00\)/).waitFor();
    expect((await read()).financialReports.nodes.filter((r: any) => r.periodStart === periodStart).map((r: any) => r.status)).toEqual(['DRAFT']);
    await item(1).getByTestId('confirm-missing-categories').check();
    await item(1).getByRole('button', { name: 'Publish now' }).click();
    await section.getByText(/\(rev\. 1\) was published/).waitFor();
    let period = (await read()).financialReports.nodes.filter((r: any) => r.periodStart === periodStart);
    expect(period.map((r: any) => [r.revision, r.status])).toEqual([[1, 'PUBLISHED']]);

    // A published report offers only its restatement.
    await eventually(async () => (await item(1).getAttribute('data-status')) === 'PUBLISHED', 'the published revision');
    expect(await item(1).locator('.actions button').allInnerTexts()).toEqual(['Restate…']);
    await item(1).getByRole('button', { name: 'Restate…' }).click();
    await item(1).getByRole('button', { name: 'Start restatement' }).click();
    await section.getByText(/^Revision 2 of .* is a new draft/).waitFor();
    period = (await read()).financialReports.nodes.filter((r: any) => r.periodStart === periodStart).sort((a: any, b: any) => a.revision - b.revision);
    expect(period.map((r: any) => [r.revision, r.status, r.summary])).toEqual([[1, 'PUBLISHED', 'Console draft, corrected'], [2, 'DRAFT', 'Console draft, corrected']]);
    expect(linesOf(period[1])).toEqual(linesOf(period[0]));

    await item(2).getByRole('button', { name: 'Delete draft…' }).click();
    await item(2).getByRole('button', { name: 'Delete now' }).click();
    await section.getByText(/draft \(rev\. 2\) was deleted/).waitFor();
    period = (await read()).financialReports.nodes.filter((r: any) => r.periodStart === periodStart);
    expect(period.map((r: any) => [r.revision, r.status])).toEqual([[1, 'PUBLISHED']]);
    // The page also refetches on live messages; a refetch started before the delete may land after it, then the next one settles.
    await eventually(async () => (await item(2).count()) === 0, 'the deleted draft gone from the list');
    expect(await item(2).count()).toBe(0);
  }, 60_000);

  it('project updates: post one for an audience, then edit it', async () => {
    const section = pm.locator('#updates');
    await section.getByRole('button', { name: 'Post an update…' }).click();
    const form = section.getByRole('form', { name: 'New update' });
    await form.getByLabel('Title').fill('Console update');
    await form.getByLabel('Text').fill('Cut-over rehearsal went well.');
    await form.getByLabel('Audience').selectOption('PARTNERS');
    await form.getByRole('button', { name: 'Post update' }).click();
    await section.getByText('“Console update” was posted for partners.').waitFor();
    const pmId = await kit.user('pm');
    let [posted] = (await read()).updates.nodes.filter((u: any) => u.title === 'Console update');
    expect({ ...posted, id: undefined }).toEqual({ id: undefined, title: 'Console update', body: 'Cut-over rehearsal went well.', audience: 'PARTNERS', author: { id: pmId } });

    const item = section.locator('[data-testid="console-update"][data-title="Console update"]');
    await item.getByRole('button', { name: 'Edit…' }).click();
    const edit = item.getByRole('form');
    await edit.getByLabel('Title').fill('Console update (revised)');
    await edit.getByLabel('Audience').selectOption('STAKEHOLDERS');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await section.locator('[data-testid="console-update"][data-title="Console update (revised)"][data-audience="STAKEHOLDERS"]').getByText('The update was saved.').waitFor();
    [posted] = (await read()).updates.nodes.filter((u: any) => u.id === posted.id);
    expect({ ...posted, id: undefined }).toEqual({ id: undefined, title: 'Console update (revised)', body: 'Cut-over rehearsal went well.', audience: 'STAKEHOLDERS', author: { id: pmId } });
  }, 30_000);

  it('milestones: add one with a planned value, set its progress, start it and mark it done', async () => {
    const section = pm.locator('#milestones');
    const dueDate = addDays(kit.dates('atlas').start, 45);
    await section.getByRole('button', { name: 'Add a milestone…' }).click();
    const form = section.getByRole('form', { name: 'New milestone' });
    await form.getByLabel('Title').fill('Console milestone');
    await form.getByLabel('Description').fill('Created from the console.');
    await form.getByLabel('Due date').fill(dueDate);
    await form.getByLabel(/Planned value/).fill('1,000.5');
    await form.getByRole('button', { name: 'Add milestone' }).click();
    await section.getByText('“Console milestone” was added; it starts planned at 0%.').waitFor();
    const find = async () => (await read()).milestones.nodes.find((m: any) => m.title === 'Console milestone');
    expect({ ...(await find()), id: undefined }).toEqual({
      id: undefined, title: 'Console milestone', description: 'Created from the console.', dueDate, status: 'PLANNED', progress: 0, completedAt: null, plannedValue: '1000.50',
    });

    const item = section.locator('[data-testid="console-milestone"][data-title="Console milestone"]');
    await item.getByLabel('Progress (%)').fill('40');
    await item.getByRole('button', { name: 'Set progress' }).click();
    await item.getByText('Progress set to 40%.').waitFor();
    expect((await find()).progress).toBe(40);

    await item.getByRole('button', { name: 'Start', exact: true }).click();
    await section.locator('[data-testid="console-milestone"][data-title="Console milestone"][data-status="IN_PROGRESS"]').waitFor();
    expect(await find()).toMatchObject({ status: 'IN_PROGRESS', progress: 40 });

    await item.getByRole('button', { name: 'Mark done' }).click();
    await section.locator('[data-testid="console-milestone"][data-title="Console milestone"][data-status="DONE"]').waitFor();
    const done = await find();
    expect(done).toMatchObject({ status: 'DONE', progress: 100 });
    expect(done.completedAt).toEqual(expect.any(String));
    expect(await item.locator('.actions button').allInnerTexts()).toEqual(['Reopen', 'Edit…']);
  }, 30_000);

  it('risks: add one, mitigate, change visibility, reassess, close; a partner raises one and the manager assigns its owner', async () => {
    const section = pm.locator('#risks');
    const pmId = await kit.user('pm');
    await section.getByRole('button', { name: 'Add a risk…' }).click();
    const form = section.getByRole('form', { name: 'New risk' });
    await form.getByLabel('Title').fill('Console risk');
    await form.getByLabel('Description').fill('Certificates expire during the cut-over.');
    await form.getByLabel('Category').selectOption('SECURITY');
    await form.getByLabel('Likelihood').selectOption('4');
    await form.getByLabel('Impact').selectOption('2');
    await form.getByLabel('Mitigation plan').fill('Renew them a month early.');
    await form.getByRole('button', { name: 'Add risk' }).click();
    await section.getByText('“Console risk” was added to the register; you are its owner.').waitFor();
    const find = async (title: string) => (await read()).risks.nodes.find((r: any) => r.title === title);
    expect({ ...(await find('Console risk')), id: undefined }).toEqual({
      id: undefined, title: 'Console risk', description: 'Certificates expire during the cut-over.', category: 'SECURITY', status: 'OPEN',
      likelihood: 4, impact: 2, score: 8, visibility: 'INTERNAL', mitigationPlan: 'Renew them a month early.', owner: { id: pmId }, contract: null,
    });

    await section.locator('summary', { hasText: 'Console risk' }).click();
    const controls = section.getByRole('group', { name: 'Manage Console risk' });
    await controls.getByRole('button', { name: 'Start mitigating' }).click();
    await controls.getByText('The risk is now mitigating.').waitFor();
    expect((await find('Console risk')).status).toBe('MITIGATING');

    await controls.getByLabel('Visible to').selectOption('INVESTORS');
    await controls.getByRole('button', { name: 'Change visibility' }).click();
    await controls.getByText('Visible to: investors.').waitFor();
    expect((await find('Console risk')).visibility).toBe('INVESTORS');

    const reassess = controls.getByRole('form', { name: 'Reassess Console risk' });
    await reassess.getByLabel('Likelihood').selectOption('2');
    await reassess.getByLabel('Impact').selectOption('2');
    await reassess.getByLabel('Why the assessment changed').fill('Renewal ordered.');
    await reassess.getByRole('button', { name: 'Save assessment' }).click();
    await reassess.getByText('The new assessment was recorded.').waitFor();
    expect(await find('Console risk')).toMatchObject({ likelihood: 2, impact: 2, score: 4, status: 'MITIGATING' });

    await controls.getByRole('button', { name: 'Close…' }).click();
    await controls.getByRole('group', { name: 'Confirm: Close' }).getByRole('button', { name: 'Close', exact: true }).click();
    await controls.getByText('The risk is now closed.').waitFor();
    expect((await find('Console risk')).status).toBe('CLOSED');
    // Final: no move, no reassessment, no new owner.
    await eventually(async () => (await controls.getByRole('form', { name: 'Reassess Console risk' }).count()) === 0, 'the reassessment form to go');
    expect(await controls.locator('.actions button').count()).toBe(0);
    expect(await controls.getByLabel('Owner', { exact: true }).count()).toBe(0);

    // A vendor MEMBER raises a risk on their contract from the workspace.
    const cobalt = await newPage(browser);
    await signIn(cobalt, app, USERS.cobalt);
    await cobalt.waitForURL(/\/workspace$/);
    const contract = cobalt.getByTestId('contract').filter({ hasText: 'ATL-C-001' });
    await contract.getByRole('button', { name: 'Raise a risk…' }).click();
    const raise = contract.getByRole('form', { name: 'Raise a risk on ATL-C-001' });
    await raise.getByLabel('Title').fill('Partner raised risk');
    await raise.getByLabel('What could happen, and why').fill('Sandbox outages slow our tests.');
    await raise.getByLabel('Category').selectOption('VENDOR');
    await raise.getByLabel('Likelihood').selectOption('3');
    await raise.getByLabel('Impact').selectOption('4');
    await raise.getByRole('button', { name: 'Raise risk' }).click();
    await cobalt.getByText('“Partner raised risk” was raised on ATL-C-001; the operator sees it now and will assign an owner.').waitFor();
    await cobalt.context().close();
    expect({ ...(await find('Partner raised risk')), id: undefined }).toEqual({
      id: undefined, title: 'Partner raised risk', description: 'Sandbox outages slow our tests.', category: 'VENDOR', status: 'OPEN',
      likelihood: 3, impact: 4, score: 12, visibility: 'CONTRACT', mitigationPlan: '', owner: null, contract: { id: await kit.contract('ATL-C-001') },
    });

    // The manager sees it, unassigned, and takes it.
    await pm.reload();
    await pm.getByTestId('project-console').waitFor();
    const row = section.locator('tr', { hasText: 'Partner raised risk' });
    await row.waitFor();
    expect(await row.locator('td[data-label="Owner"]').innerText()).toBe('Unassigned');
    await row.locator('summary').click();
    const raised = section.getByRole('group', { name: 'Manage Partner raised risk' });
    const pmName = (await app.gql('query { viewer { user { name } } }', {}, await kit.token('pm'))).data.viewer.user.name as string;
    await raised.getByLabel('Owner', { exact: true }).selectOption({ label: pmName });
    await raised.getByRole('button', { name: 'Set owner' }).click();
    await raised.getByText(`${pmName} owns this risk now.`).waitFor();
    expect((await find('Partner raised risk')).owner).toEqual({ id: pmId });
    await eventually(async () => (await row.locator('td[data-label="Owner"]').innerText()) === pmName, 'the new owner in the register');
  }, 60_000);

  it('project settings and investments: an ADMIN creates a project, edits it, starts it, assigns its manager, records and corrects an investment; a MANAGER gets none of the ADMIN-only forms', async () => {
    const admin = await adminPage();
    await admin.goto(`${baseUrl(app)}/operator/projects/${encodeURIComponent(atlas)}`);
    await admin.getByTestId('project-console').waitFor();
    await admin.getByRole('button', { name: 'New project…' }).click();
    const form = admin.getByRole('form', { name: 'New project' });
    await form.getByLabel('Code', { exact: true }).fill('PRJ-2025-01');
    await form.getByLabel('Name', { exact: true }).fill('Orion');
    await form.getByLabel('Currency', { exact: true }).fill('eur');
    await form.getByLabel('Budget', { exact: true }).fill('2,500,000.5');
    await form.getByLabel('Start date', { exact: true }).fill('2031-01-01');
    await form.getByLabel('Target end date', { exact: true }).fill('2031-12-31');
    await form.getByLabel('Description', { exact: true }).fill('Payments hub.');
    // The API's refusal, next to the field it is about: Atlas has this code.
    await form.getByRole('button', { name: 'Create project' }).click();
    await form.locator('.field', { has: admin.getByLabel('Code', { exact: true }) }).getByText('A project with code PRJ-2025-01 already exists').waitFor();
    await form.getByLabel('Code', { exact: true }).fill('prj-2031-07');
    await form.getByRole('button', { name: 'Create project' }).click();
    await admin.getByText('PRJ-2031-07 · Orion was created; it starts planned. Assign its managers in its settings.').waitFor();
    await admin.waitForURL((url) => url.pathname !== `/operator/projects/${encodeURIComponent(atlas)}`);
    const orion = decodeURIComponent(new URL(admin.url()).pathname.split('/').pop()!);
    await eventually(async () => (await admin.locator('#console-project option').allInnerTexts()).includes('PRJ-2031-07 · Orion'), 'the new project in the list');
    const PROJECT = '... on Project { code name description status currency budget startDate targetEndDate managers { id } investments(first: 10) { nodes { committedAmount committedOn organization { name } } } }';
    expect(await readNode(orion, PROJECT)).toEqual({
      code: 'PRJ-2031-07', name: 'Orion', description: 'Payments hub.', status: 'PLANNED', currency: 'EUR', budget: '2500000.50',
      startDate: '2031-01-01', targetEndDate: '2031-12-31', managers: [], investments: { nodes: [] },
    });

    const settings = admin.locator('#settings');
    await settings.getByRole('button', { name: 'Edit details…' }).click();
    const edit = settings.getByRole('form', { name: 'Edit PRJ-2031-07' });
    await edit.getByLabel('Description', { exact: true }).fill('Payments hub for the three banks.');
    await edit.getByLabel('Budget (EUR)', { exact: true }).fill('2,750,000');
    await edit.getByRole('button', { name: 'Save details' }).click();
    await settings.getByText('The details of PRJ-2031-07 were saved.').waitFor();
    expect(await readNode(orion, PROJECT)).toMatchObject({ name: 'Orion', description: 'Payments hub for the three banks.', budget: '2750000.00', status: 'PLANNED' });
    // The next change needs the version this one wrote: wait until the page shows it.
    await eventually(async () => (await settings.getByTestId('project-budget').innerText()) === '€2,750,000.00', 'the new budget on the page');

    await settings.getByRole('button', { name: 'Start project' }).click();
    await settings.getByText('PRJ-2031-07 is now active.').waitFor();
    expect((await readNode(orion, PROJECT)).status).toBe('ACTIVE');
    await admin.locator('#settings[data-status="ACTIVE"]').waitFor();

    const managers = settings.getByRole('form', { name: 'Project managers' });
    await managers.getByLabel('Paul Manager (manager)').check();
    await managers.getByRole('button', { name: 'Save managers' }).click();
    await settings.getByText('PRJ-2031-07 is managed by Paul Manager.').waitFor();
    expect((await readNode(orion, PROJECT)).managers).toEqual([{ id: await kit.user('pm') }]);
    await eventually(async () => (await settings.getByTestId('project-managers').innerText()) === 'Paul Manager', 'the manager on the page');

    const investments = admin.locator('#investments');
    await investments.getByRole('button', { name: 'Record an investment…' }).click();
    const record = investments.getByRole('form', { name: 'New investment' });
    await record.getByLabel('Investor').selectOption({ label: 'Aurora Capital' });
    await record.getByLabel('Committed amount (EUR)').fill('150000.255');
    await record.getByLabel('Committed on').fill('2031-02-01');
    await record.getByRole('button', { name: 'Record investment' }).click();
    await record.getByText('At most 2 decimals (cents)').waitFor();
    await record.getByLabel('Committed amount (EUR)').fill('150,000.25');
    await record.getByRole('button', { name: 'Record investment' }).click();
    await investments.getByText('Aurora Capital committed €150,000.25 on 1 Feb 2031.').waitFor();
    expect((await readNode(orion, PROJECT)).investments.nodes).toEqual([{ committedAmount: '150000.25', committedOn: '2031-02-01', organization: { name: 'Aurora Capital' } }]);

    const row = investments.locator('[data-testid="investment"][data-investor="Aurora Capital"]');
    await row.getByRole('button', { name: 'Edit…' }).click();
    const correct = row.getByRole('form', { name: 'Edit the investment of Aurora Capital' });
    await correct.getByLabel('Committed amount (EUR)').fill('175000');
    await correct.getByRole('button', { name: 'Save investment' }).click();
    await investments.getByText("Aurora Capital's investment is now €175,000.00, committed on 1 Feb 2031.").waitFor();
    expect((await readNode(orion, PROJECT)).investments.nodes).toEqual([{ committedAmount: '175000.00', committedOn: '2031-02-01', organization: { name: 'Aurora Capital' } }]);
    await eventually(async () => (await row.getByTestId('investment-amount').innerText()) === '€175,000.00', 'the corrected amount in the list');

    // The manager now manages Orion, and is offered none of the ADMIN-only forms.
    await pm.goto(`${baseUrl(app)}/operator/projects/${encodeURIComponent(orion)}`);
    await pm.getByTestId('project-settings').waitFor();
    await pm.locator('#investments').getByTestId('investments-table').waitFor();
    expect(await pm.getByRole('button', { name: 'New project…' }).count()).toBe(0);
    expect(await pm.getByRole('form', { name: 'Project managers' }).count()).toBe(0);
    expect(await pm.getByRole('button', { name: 'Record an investment…' }).count()).toBe(0);
    expect(await pm.locator('#investments').getByRole('button', { name: 'Edit…' }).count()).toBe(0);
    expect(await pm.locator('#settings').getByRole('button', { name: 'Edit details…' }).count()).toBe(1);
  }, 60_000);

  it('milestones and webhooks: an ADMIN edits a milestone and cancels another, and edits a webhook endpoint', async () => {
    const admin = await adminPage();
    const start = kit.dates('atlas').start;
    const toEdit = await kit.ok('admin', 'createMilestone', { projectId: atlas, title: 'Milestone to edit', dueDate: addDays(start, 60), plannedValue: '1000.00' });
    const toCancel = await kit.ok('admin', 'createMilestone', { projectId: atlas, title: 'Milestone to cancel', dueDate: addDays(start, 61) });
    await admin.goto(`${baseUrl(app)}/operator/projects/${encodeURIComponent(atlas)}`);
    const section = admin.locator('#milestones');
    const item = (title: string) => section.locator(`[data-testid="console-milestone"][data-title="${title}"]`);
    await item('Milestone to edit').getByRole('button', { name: 'Edit…' }).click();
    const edit = item('Milestone to edit').getByRole('form', { name: 'Edit Milestone to edit' });
    await edit.getByLabel('Title').fill('Milestone edited');
    await edit.getByLabel('Due date').fill(addDays(start, 75));
    await edit.getByLabel(/Planned value/).fill('2,000.5');
    await edit.getByRole('button', { name: 'Save milestone' }).click();
    await section.getByText('“Milestone edited” was saved.').waitFor();
    const MILESTONE = '... on Milestone { title description dueDate status plannedValue }';
    expect(await readNode(toEdit.id, MILESTONE)).toEqual({ title: 'Milestone edited', description: '', dueDate: addDays(start, 75), status: 'PLANNED', plannedValue: '2000.50' });

    await item('Milestone to cancel').getByRole('button', { name: 'Cancel milestone…' }).click();
    await item('Milestone to cancel').getByRole('group', { name: 'Confirm cancelling Milestone to cancel' }).getByRole('button', { name: 'Cancel milestone' }).click();
    await section.locator('[data-testid="console-milestone"][data-title="Milestone to cancel"][data-status="CANCELLED"]').waitFor();
    expect(await readNode(toCancel.id, MILESTONE)).toEqual({ title: 'Milestone to cancel', description: '', dueDate: addDays(start, 61), status: 'CANCELLED', plannedValue: null });
    // Final: nothing left to do with it, not even an edit.
    expect(await item('Milestone to cancel').locator('.actions button').count()).toBe(0);

    const endpoint = await app.gql(
      'mutation C($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { webhookEndpoint { id } userErrors { message } } }',
      { input: { url: 'http://127.0.0.1:9/before', description: 'Ops feed', eventTypes: [] } },
      await kit.token('admin'),
    );
    expect(endpoint.data.createWebhookEndpoint.userErrors).toEqual([]);
    const endpointId = endpoint.data.createWebhookEndpoint.webhookEndpoint.id;
    await admin.goto(`${baseUrl(app)}/settings/webhooks`);
    const card = admin.locator('[data-testid="webhook-endpoint"][data-url="http://127.0.0.1:9/before"]');
    await card.getByRole('button', { name: 'Edit…' }).click();
    const hook = card.getByRole('form', { name: 'Edit http://127.0.0.1:9/before' });
    await hook.getByLabel('URL').fill('http://127.0.0.1:9/after');
    await hook.getByLabel('Description').fill('Ops feed, moved');
    await hook.getByLabel('report.restated').check();
    await hook.getByRole('button', { name: 'Save endpoint' }).click();
    await admin.getByText('http://127.0.0.1:9/after was saved; you are its approver now.').waitFor();
    expect(await readNode(endpointId, '... on WebhookEndpoint { url description eventTypes status approvedBy { id } }')).toEqual({
      url: 'http://127.0.0.1:9/after', description: 'Ops feed, moved', eventTypes: ['report.restated'], status: 'ACTIVE', approvedBy: { id: await kit.user('admin') },
    });
  }, 60_000);
});

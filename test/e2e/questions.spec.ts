/**
 * A Q&A thread end to end in three browsers: Aurora opens a Borealis report
 * (recorded), asks a private question and acknowledges the revision; Beacon,
 * another investor of Borealis, does not see the question; the manager
 * answers and publishes it; then Aurora reads the answer and Beacon sees the
 * thread, answered and public; the manager sees who opened and who
 * acknowledged the revision and reminds the others.
 */
import { startTestApp, USERS, type TestApp } from '../support/app';
import { baseUrl, describeInBrowser, eventually, ensurePortalBuilt, launchBrowser, newPage, screenshot, signIn, type Browser, type Page } from './support/browser';

const TITLE = 'Vendor costs in this period';
const QUESTION = 'Why are vendor costs above plan, and will it recur?';
const ANSWER = 'A vendor invoice of the previous month was booked late; it will not recur.';
const ACKS = `query($id: ID!) { node(id: $id) { ... on FinancialReport { acknowledgements { nodes { user { email } openedAt acknowledgedAt } } } } }`;

describeInBrowser('Q&A thread on a report: investor asks privately, operator answers and publishes', () => {
  let app: TestApp;
  let browser: Browser;
  let aurora: Page;
  let beacon: Page;
  let pm: Page;
  let projectId: string;
  let report: { id: string; periodStart: string };

  const period = (page: Page) => page.locator(`li[data-testid="report-period"][data-period="${report.periodStart}"]`);
  const openQuestions = async (page: Page) => {
    await page.goto(`${baseUrl(app)}/projects/${projectId}`);
    await period(page).locator(':scope > details > summary').click();
    await period(page).getByTestId('open-questions').click();
    await period(page).getByTestId('thread-panel').waitFor();
  };
  const thread = (page: Page) => period(page).locator(`[data-testid="thread"][data-title="${TITLE}"]`);

  beforeAll(async () => {
    ensurePortalBuilt();
    app = await startTestApp();
    browser = await launchBrowser();
    const res = await app.gql(
      `{ projects(first: 1, filter: { search: "Borealis" }) { nodes { id financialReports(first: 20) { nodes { id periodStart status } } } } }`, {}, await app.login(USERS.aurora),
    );
    const project = res.data.projects.nodes[0];
    projectId = project.id;
    report = project.financialReports.nodes.filter((r: any) => r.status === 'PUBLISHED').sort((a: any, b: any) => b.periodStart.localeCompare(a.periodStart))[0];
    [aurora, beacon, pm] = await Promise.all([newPage(browser), newPage(browser), newPage(browser)]);
    await signIn(aurora, app, USERS.aurora);
    await signIn(beacon, app, USERS.beacon);
    await signIn(pm, app, USERS.pm);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('Aurora opens the report (recorded), asks a private question and acknowledges the revision', async () => {
    await openQuestions(aurora);
    await eventually(async () => {
      const acks = (await app.gql(ACKS, { id: report.id }, await app.login(USERS.admin))).data.node.acknowledgements.nodes;
      return acks.length === 1 && acks[0].user.email === USERS.aurora && acks[0].openedAt !== null && acks[0].acknowledgedAt === null;
    }, 'the opening recorded');
    await period(aurora).getByTestId('ask-title').fill(TITLE);
    await period(aurora).getByTestId('ask-body').fill(QUESTION);
    await period(aurora).getByTestId('ask-private').check();
    await period(aurora).getByTestId('ask-submit').click();
    await thread(aurora).waitFor();
    expect(await thread(aurora).getByTestId('thread-private').innerText()).toBe('Private');
    expect(await thread(aurora).getByTestId('thread-status').innerText()).toBe('OPEN');
    expect(await thread(aurora).getByTestId('thread-message').allInnerTexts()).toEqual([expect.stringContaining(QUESTION)]);

    await period(aurora).getByTestId('acknowledge').getByRole('button').click();
    await period(aurora).getByText(/^Acknowledged /).waitFor();
    const acks = (await app.gql(ACKS, { id: report.id }, await app.login(USERS.admin))).data.node.acknowledgements.nodes;
    expect(acks.map((a: any) => [a.user.email, a.acknowledgedAt !== null])).toEqual([[USERS.aurora, true]]);
    await screenshot(aurora, 'questions-asked');
  }, 90_000);

  it('Beacon, another investor of Borealis, does not see the private question', async () => {
    await openQuestions(beacon);
    await period(beacon).getByText('No questions yet.').waitFor();
    expect(await thread(beacon).count()).toBe(0);
  }, 60_000);

  it('the manager answers and publishes it', async () => {
    await openQuestions(pm);
    await thread(pm).waitFor();
    expect(await period(pm).getByTestId('ask-form').count()).toBe(0);
    await thread(pm).getByTestId('reply-body').fill(ANSWER);
    await thread(pm).getByTestId('reply-submit').click();
    await eventually(async () => (await thread(pm).getByTestId('thread-status').innerText()) === 'ANSWERED', 'the thread answered');
    await thread(pm).getByTestId('publish-thread').click();
    await eventually(async () => (await thread(pm).getByTestId('thread-private').count()) === 0, 'the thread published');
    await screenshot(pm, 'questions-answered');
  }, 60_000);

  it('the manager sees who opened and who acknowledged the revision, and reminds the others', async () => {
    await period(pm).getByTestId('open-readers').click();
    await period(pm).getByTestId('reader').first().waitFor();
    const readers = await period(pm).getByTestId('reader').allInnerTexts();
    expect(readers).toEqual([
      expect.stringMatching(/^Iris Relations \(Aurora Capital\): opened .+, acknowledged .+$/),
      expect.stringMatching(/^Ben Analyst \(Beacon Ventures\): opened .+, not acknowledged$/),
    ]);
    await period(pm).getByRole('button', { name: 'Remind those who have not acknowledged' }).click();
    expect(await period(pm).getByTestId('reminded').innerText()).toBe('Reminder recorded for Ben Analyst.');
  }, 60_000);

  it('Aurora reads the answer; Beacon now sees the thread, answered and public', async () => {
    for (const page of [aurora, beacon]) {
      await openQuestions(page);
      await thread(page).waitFor();
      expect(await thread(page).getByTestId('thread-message').allInnerTexts()).toEqual([expect.stringContaining(QUESTION), expect.stringContaining(ANSWER)]);
      expect(await thread(page).getByTestId('thread-status').innerText()).toBe('ANSWERED');
      expect(await thread(page).getByTestId('thread-private').count()).toBe(0);
    }
    // Beacon may read the published thread but not write in Aurora's thread.
    expect(await thread(beacon).getByTestId('reply-body').count()).toBe(0);
    expect(await thread(aurora).getByTestId('reply-body').count()).toBe(1);
  }, 60_000);

  it('threads on a milestone and on a deliverable: Aurora asks on a milestone and the manager answers there; Delta asks on its deliverable', async () => {
    const THREADS = `query($id: ID!) { node(id: $id) { ... on Milestone { threads(first: 5) { nodes { title status } } } ... on Deliverable { threads(first: 5) { nodes { title status } } } } }`;
    const milestone = (page: Page) => page.getByTestId('milestone-timeline').locator('li.timeline-item').first();
    const openMilestone = async (page: Page) => {
      await page.goto(`${baseUrl(app)}/projects/${projectId}`);
      await milestone(page).getByTestId('open-questions').click();
      await milestone(page).getByTestId('thread-panel').waitFor();
    };
    await openMilestone(aurora);
    await milestone(aurora).getByTestId('ask-title').fill('Go-live date');
    await milestone(aurora).getByTestId('ask-body').fill('Is the go-live date still firm?');
    await milestone(aurora).getByTestId('ask-submit').click();
    await milestone(aurora).locator('[data-testid="thread"][data-title="Go-live date"]').waitFor();

    await openMilestone(pm);
    const onMilestone = milestone(pm).locator('[data-testid="thread"][data-title="Go-live date"]');
    await onMilestone.getByTestId('reply-body').fill('Yes, confirmed with the vendor last week.');
    await onMilestone.getByTestId('reply-submit').click();
    await eventually(async () => (await onMilestone.getByTestId('thread-status').innerText()) === 'ANSWERED', 'the milestone thread answered');
    expect(await onMilestone.getByTestId('publish-thread').count()).toBe(0); // public from the start: nothing to publish

    const delta = await newPage(browser);
    await signIn(delta, app, USERS.delta);
    await delta.goto(`${baseUrl(app)}/workspace`);
    const deliverable = delta.locator('[data-testid="deliverable"][data-title="Warehouse regression pack"]');
    await deliverable.getByTestId('open-questions').click();
    await deliverable.getByTestId('ask-title').fill('Test data');
    await deliverable.getByTestId('ask-body').fill('May we use last year\'s anonymised data set?');
    await deliverable.getByTestId('ask-private').check();
    await deliverable.getByTestId('ask-submit').click();
    await deliverable.locator('[data-testid="thread"][data-title="Test data"]').waitFor();

    const ids = (await app.gql(`{ projects(first: 1, filter: { search: "Borealis" }) { nodes { milestones(first: 1) { nodes { id } } contracts(first: 5) { nodes { deliverables(first: 20) { nodes { id title } } } } } } }`, {}, await app.login(USERS.admin))).data.projects.nodes[0];
    const milestoneId = ids.milestones.nodes[0].id;
    const packId = ids.contracts.nodes.flatMap((c: any) => c.deliverables.nodes).find((d: any) => d.title === 'Warehouse regression pack').id;
    const seen = async (who: keyof typeof USERS, id: string) => (await app.gql(THREADS, { id }, await app.login(USERS[who]))).data.node?.threads.nodes ?? null;
    expect(await seen('beacon', milestoneId)).toEqual([{ title: 'Go-live date', status: 'ANSWERED' }]);
    expect(await seen('pm', packId)).toEqual([{ title: 'Test data', status: 'OPEN' }]);
    expect(await seen('aurora', packId)).toBeNull(); // investors see no deliverable, nor its threads
    await delta.context().close();
  }, 90_000);
});

/**
 * E-mail notifications (README "E-mail") through a real SMTP server started
 * here: the Borealis restatement mails exactly the users who see it and chose
 * IMMEDIATELY; a digest groups a user's pending items in one e-mail; OFF
 * sends nothing; preferences are each user's own.
 */
import { startTestApp, USERS, type TestApp } from '../support/app';
import { borealisId, pendingJobs, postUpdate, restateBorealis, startSmtpReceiver, waitFor, type SmtpReceiver } from './receivers';

let app: TestApp;
let smtp: SmtpReceiver;

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  app = await startTestApp({ env: { SMTP_URL: smtp.url, PORTAL_URL: 'https://portal.example.com' } });
});
afterAll(async () => {
  await app?.close();
  await smtp?.close();
});

const PREFS = '{ viewer { emailPreferences { eventType mode isDefault } } }';
const SET = `mutation($input: SetEmailPreferencesInput!) {
  setEmailPreferences(input: $input) { emailPreferences { eventType mode isDefault } userErrors { code field message } } }`;

async function set(who: keyof typeof USERS, preferences: { eventType: string; mode: string }[]) {
  const res = await app.gql(SET, { input: { preferences } }, await app.login(USERS[who]));
  expect(res.errors).toBeUndefined();
  return res.data.setEmailPreferences;
}

const drained = () => waitFor(async () => (await pendingJobs(app, ['deliver_event', 'email_send', 'email_digest'])) === 0, 15_000, 'the queue to drain');
const mailsTo = (email: string) => smtp.mails.filter((m) => m.to.includes(email));

test('every user reads their own preferences, with the documented defaults', async () => {
  const res = await app.gql(PREFS, {}, await app.login(USERS.aurora));
  const modes = Object.fromEntries(res.data.viewer.emailPreferences.map((p: any) => [p.eventType, p.mode]));
  expect(modes).toEqual({
    'deliverable.submitted': 'IMMEDIATELY', 'deliverable.accepted': 'IMMEDIATELY', 'deliverable.rejected': 'IMMEDIATELY',
    'report.published': 'IMMEDIATELY', 'report.restated': 'IMMEDIATELY', 'report.superseded': 'OFF',
    'risk.raised': 'IMMEDIATELY', 'risk.reassessed': 'DAILY_DIGEST', 'risk.shared': 'IMMEDIATELY',
    'milestone.completed': 'DAILY_DIGEST', 'milestone.slipped': 'DAILY_DIGEST', 'contract.statusChanged': 'DAILY_DIGEST',
    'update.posted': 'DAILY_DIGEST', 'investment.recorded': 'DAILY_DIGEST',
  });
  expect(res.data.viewer.emailPreferences.every((p: any) => p.isDefault)).toBe(true);
});

test('setting preferences: unknown types and duplicates are refused, nothing changes; a change is the user\'s own', async () => {
  const bad = await set('aurora', [{ eventType: 'report.restated', mode: 'OFF' }, { eventType: 'report.eaten', mode: 'OFF' }]);
  expect(bad).toEqual({ emailPreferences: null, userErrors: [{ code: 'VALIDATION', field: ['input', 'preferences', '1', 'eventType'], message: expect.stringMatching(/^unknown event type "report.eaten"; known: /) }] });
  const twice = await set('aurora', [{ eventType: 'report.restated', mode: 'OFF' }, { eventType: 'report.restated', mode: 'IMMEDIATELY' }]);
  expect(twice.userErrors).toEqual([{ code: 'VALIDATION', field: ['input', 'preferences', '1', 'eventType'], message: 'event type "report.restated" is listed twice' }]);
  expect(await app.orm.em.getConnection().execute('select count(*)::int as n from email_preference')).toEqual([{ n: 0 }]);

  // Aurora wants nothing about restatements and updates; Beacon wants restatements in the daily digest.
  const aurora = await set('aurora', [{ eventType: 'report.restated', mode: 'OFF' }, { eventType: 'update.posted', mode: 'OFF' }]);
  expect(aurora.userErrors).toEqual([]);
  expect(aurora.emailPreferences.find((p: any) => p.eventType === 'report.restated')).toEqual({ eventType: 'report.restated', mode: 'OFF', isDefault: false });
  expect((await set('beacon', [{ eventType: 'report.restated', mode: 'DAILY_DIGEST' }])).userErrors).toEqual([]);
  // Another user's preferences are untouched.
  const pm = await app.gql(PREFS, {}, await app.login(USERS.pm));
  expect(pm.data.viewer.emailPreferences.find((p: any) => p.eventType === 'report.restated')).toEqual({ eventType: 'report.restated', mode: 'IMMEDIATELY', isDefault: true });
  // Each change is audited, on the user, with the modes before and after.
  const audit = await app.orm.em.fork().getConnection().execute(
    `select a.entity_type, a.changes from audit_event a join app_user u on u.id = a.actor_id where a.action = 'emailPreferences.set' and u.email = ?`, [USERS.aurora]);
  expect(audit).toEqual([{ entity_type: 'User', changes: { 'report.restated': { before: 'IMMEDIATELY', after: 'OFF' }, 'update.posted': { before: 'DAILY_DIGEST', after: 'OFF' } } }]);
});

test('the Borealis restatement e-mails exactly the users who see it and chose IMMEDIATELY', async () => {
  smtp.mails.length = 0;
  await restateBorealis(app, await app.login(USERS.pm));
  await waitFor(() => smtp.mails.length >= 2, 15_000, 'two e-mails');
  await drained();
  // admin and pm (operator, default IMMEDIATELY); not aurora (OFF), not beacon (daily digest); never the partners, who do not see reports.
  expect(smtp.mails.map((m) => m.to).flat().sort()).toEqual([USERS.admin, USERS.pm].sort());
  for (const m of smtp.mails) {
    expect(m.subject).toMatch(/^\[Vantage\] Financial report \d{4}-\d{2} \(revision \d+\) published: it restates the earlier revision$/);
    expect(m.text).toContain('(Borealis)');
    expect(m.text).toContain('https://portal.example.com/settings/email');
    expect(m.text).not.toMatch(/\d+\.\d{2}\b/);
  }
});

test('the daily digest groups each user\'s pending items in one e-mail, re-checking visibility; OFF sends nothing', async () => {
  smtp.mails.length = 0;
  const pm = await app.login(USERS.pm);
  const project = await borealisId(app, pm);
  await postUpdate(app, pm, project, 'Sprint 14 closed');
  await postUpdate(app, pm, project, 'Data platform go-live planned', 'INVESTORS');
  await drained();
  expect(smtp.mails).toEqual([]); // update.posted is a digest item by default; nothing is mailed at once

  await app.orm.em.getConnection().execute(`select graphile_worker.add_job('email_digest', json_build_object('mode', 'DAILY_DIGEST'))`);
  await waitFor(() => mailsTo(USERS.beacon).length >= 1, 15_000, 'Beacon\'s digest');
  await drained();
  const beacon = mailsTo(USERS.beacon);
  expect(beacon).toHaveLength(1);
  expect(beacon[0].subject).toBe('[Vantage] Your daily digest: 3 updates');
  const lines = beacon[0].text.split('\n').filter((l) => l.startsWith('  - ')).map((l) => l.replace(/, \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/, ''));
  expect(lines).toEqual([
    expect.stringMatching(/^ {2}- Financial report \d{4}-\d{2} \(revision \d+\) published: it restates the earlier revision$/),
    '  - Update posted: "Sprint 14 closed"',
    '  - Update posted: "Data platform go-live planned"',
  ]);
  expect(beacon[0].text.split('\n')).toContain('Borealis');
  // Aurora turned updates and restatements OFF: nothing. Delta (partner) sees the STAKEHOLDERS update only.
  expect(mailsTo(USERS.aurora)).toEqual([]);
  const delta = mailsTo(USERS.delta);
  expect(delta).toHaveLength(1);
  expect(delta[0].subject).toBe('[Vantage] Your daily digest: 1 update');
  expect(delta[0].text).toContain('  - Update posted: "Sprint 14 closed"');
  expect(delta[0].text).not.toContain('go-live');
  // Cobalt (a partner on Atlas only) gets nothing about Borealis.
  expect(mailsTo(USERS.cobalt)).toEqual([]);

  // A second run finds nothing pending: each item is mailed once.
  smtp.mails.length = 0;
  await app.orm.em.getConnection().execute(`select graphile_worker.add_job('email_digest', json_build_object('mode', 'DAILY_DIGEST'))`);
  await drained();
  expect(smtp.mails).toEqual([]);
});

test('a digest re-checks visibility when it is written: an item its reader can no longer see is skipped', async () => {
  smtp.mails.length = 0;
  const pm = await app.login(USERS.pm);
  const updateId = await postUpdate(app, pm, await borealisId(app, pm), 'Vendor shortlist');
  await drained();
  // Delta (partner) was a recipient of this STAKEHOLDERS update; then it is narrowed to investors.
  const [{ n: queued }] = await app.orm.em.fork().getConnection().execute(
    `select count(*)::int as n from email_item i join app_user u on u.id = i.user_id where u.email = ? and i.status = 'PENDING'`, [USERS.delta]);
  expect(queued).toBe(1);
  const version = (await app.gql('query($id: ID!) { node(id: $id) { ... on ProjectUpdate { version } } }', { id: updateId }, pm)).data.node.version;
  const edit = await app.gql('mutation($input: EditProjectUpdateInput!) { editProjectUpdate(input: $input) { userErrors { message } } }',
    { input: { id: updateId, version, audience: 'INVESTORS' } }, pm);
  expect(edit.data.editProjectUpdate.userErrors).toEqual([]);
  await app.orm.em.getConnection().execute(`select graphile_worker.add_job('email_digest', json_build_object('mode', 'DAILY_DIGEST'))`);
  await waitFor(() => mailsTo(USERS.beacon).length >= 1, 15_000, 'Beacon\'s digest');
  await drained();
  expect(mailsTo(USERS.delta)).toEqual([]);
  expect(mailsTo(USERS.beacon)[0].text).toContain('Update posted: "Vendor shortlist"');
  const [{ status }] = await app.orm.em.fork().getConnection().execute(
    `select i.status from email_item i join app_user u on u.id = i.user_id where u.email = ? order by i.created_at desc limit 1`, [USERS.delta]);
  expect(status).toBe('SKIPPED');
});

test('the weekly digest sends only weekly items; the daily one leaves them', async () => {
  expect((await set('pm', [{ eventType: 'update.posted', mode: 'WEEKLY_DIGEST' }])).userErrors).toEqual([]);
  const pm = await app.login(USERS.pm);
  await postUpdate(app, pm, await borealisId(app, pm), 'Weekly only');
  await drained();
  smtp.mails.length = 0;
  const digest = (mode: string) => app.orm.em.getConnection().execute(`select graphile_worker.add_job('email_digest', json_build_object('mode', ?::text))`, [mode]);
  await digest('DAILY_DIGEST');
  await waitFor(() => mailsTo(USERS.admin).length >= 1, 15_000, 'the admin\'s daily digest');
  await drained();
  expect(mailsTo(USERS.pm)).toEqual([]);
  await digest('WEEKLY_DIGEST');
  await waitFor(() => mailsTo(USERS.pm).length >= 1, 15_000, 'the weekly digest');
  await drained();
  expect(mailsTo(USERS.pm).map((m) => m.subject)).toEqual(['[Vantage] Your weekly digest: 1 update']);
  expect(mailsTo(USERS.pm)[0].text).toContain('  - Update posted: "Weekly only"');
});

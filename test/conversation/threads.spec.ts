/**
 * Q&A threads and report acknowledgements on the demo data, role by role,
 * with exact values: who may ask about what, who sees which thread (node,
 * the object's `threads`, totalCount, messages), private threads until
 * published, mentions, the state machine, acknowledgements and reminders,
 * and the audit events they write.
 */
import { toGlobalId } from '../../src/core/global-id';
import { startTestApp, USERS, type DemoUser, type TestApp } from '../support/app';

jest.setTimeout(120_000);

let app: TestApp;
const tokens = {} as Record<DemoUser, string>;
const ROLES: DemoUser[] = ['admin', 'pm', 'aurora', 'beacon', 'cobalt', 'delta'];

async function one(sql: string, params: unknown[] = []): Promise<string> {
  const rows = await app.orm.em.getConnection().execute<{ id: string }[]>(sql, params);
  if (rows.length !== 1) throw new Error(`expected one row for ${sql} ${JSON.stringify(params)}, got ${rows.length}`);
  return rows[0].id;
}

const ids = {} as Record<string, string>;

async function gql(who: DemoUser, query: string, variables: Record<string, unknown> = {}) {
  return app.gql(query, variables, tokens[who]);
}

const ASK = `mutation($input: AskQuestionInput!) { askQuestion(input: $input) { thread { id version status private title } userErrors { code message field } } }`;
const POST = `mutation($input: PostMessageInput!) { postMessage(input: $input) { message { id fromOperator body mentions { email } thread { status version } } userErrors { code message field } } }`;
const PUBLISH = `mutation($input: PublishThreadInput!) { publishThread(input: $input) { thread { id private version publishedAt } userErrors { code message field } } }`;
const CLOSE = `mutation($input: CloseThreadInput!) { closeThread(input: $input) { thread { id status version } userErrors { code message field } } }`;

async function ask(who: DemoUser, subjectId: string, priv: boolean, title = 'A question') {
  return gql(who, ASK, { input: { subjectId, title, body: `${title}?`, private: priv } });
}

/** Which threads of `gids` a user sees through node(id). */
async function seenByNode(who: DemoUser, gids: string[]): Promise<boolean[]> {
  const res = await gql(who, 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: gids });
  expect(res.errors).toBeUndefined();
  return res.data.nodes.map((n: { id: string } | null, i: number) => n?.id === gids[i]);
}

/** totalCount of the threads (and their messages) on an object, or null when the object is invisible. */
async function threadsOf(who: DemoUser, subject: string, type: string) {
  const res = await gql(who, `query($id: ID!) { node(id: $id) { ... on ${type} { threads(first: 50) { totalCount nodes { id messages { totalCount } } } } } }`, { id: subject });
  expect(res.errors).toBeUndefined();
  const conn = res.data.node?.threads;
  return conn ? { total: conn.totalCount, ids: conn.nodes.map((n: any) => n.id), messages: conn.nodes.map((n: any) => n.messages.totalCount) } : null;
}

beforeAll(async () => {
  app = await startTestApp();
  for (const r of ROLES) tokens[r] = await app.login(USERS[r]);
  const reportOf = (code: string, status: string, rev = 1) => one(
    `select r.id from financial_report r join project p on p.id = r.project_id where p.name = ? and r.status = ? and r.revision = ? order by r.period_start desc limit 1`, [code, status, rev],
  );
  ids.borealisReport = toGlobalId('FinancialReport', await reportOf('Borealis', 'PUBLISHED'));
  ids.atlasReport = toGlobalId('FinancialReport', await reportOf('Atlas', 'PUBLISHED'));
  ids.atlasSuperseded = toGlobalId('FinancialReport', await reportOf('Atlas', 'SUPERSEDED'));
  ids.atlasDraft = toGlobalId('FinancialReport', await reportOf('Atlas', 'DRAFT'));
  // Cirrus has no report in the demo: one published revision, for the project Beacon invests in and the manager does not manage.
  await app.orm.em.getConnection().execute(
    `insert into financial_report (id, created_at, updated_at, version, project_id, period_start, period_end, revision, status, summary, published_at)
     select gen_random_uuid(), now(), now(), 1, id, '2026-01-01', '2026-01-31', 1, 'PUBLISHED', 'Cirrus January.', now() from project where name = 'Cirrus'`,
  );
  ids.cirrusReport = toGlobalId('FinancialReport', await reportOf('Cirrus', 'PUBLISHED'));
  const risk = async (title: string) => toGlobalId('Risk', await one('select id from risk where title = ?', [title]));
  ids.atlasInvestorsRisk = await risk('Budget pressure from FX rates');
  ids.atlasInternalRisk = await risk('Key architect may leave');
  ids.borealisStakeholdersRisk = await risk('Consent law changes');
  ids.borealisDeliverable = toGlobalId('Deliverable', await one('select id from deliverable where title = ?', ['Consent flow test report']));
  ids.borealisMilestone = toGlobalId('Milestone', await one(`select m.id from milestone m join project p on p.id = m.project_id where p.name = 'Borealis' order by m.due_date limit 1`));
  for (const r of ROLES) ids[`user:${r}`] = toGlobalId('User', await one('select id from app_user where email = ?', [USERS[r]]));
});

afterAll(async () => {
  await app?.close();
});

const threads = {} as Record<string, { id: string; version: number }>;

describe('asking', () => {
  test('investors and partners ask about what they see; the operator cannot ask', async () => {
    const t1 = await ask('aurora', ids.borealisReport, true, 'Vendor overrun');
    expect(t1.errors).toBeUndefined();
    expect(t1.data.askQuestion.userErrors).toEqual([]);
    expect(t1.data.askQuestion.thread).toMatchObject({ status: 'OPEN', private: true, title: 'Vendor overrun', version: 1 });
    threads.t1 = t1.data.askQuestion.thread;

    const t2 = await ask('aurora', ids.atlasInvestorsRisk, false, 'FX hedging');
    threads.t2 = t2.data.askQuestion.thread;
    const t3 = await ask('beacon', ids.borealisStakeholdersRisk, false, 'Which law');
    threads.t3 = t3.data.askQuestion.thread;
    const t4 = await ask('delta', ids.borealisDeliverable, true, 'Test data');
    threads.t4 = t4.data.askQuestion.thread;
    const t5 = await ask('beacon', ids.borealisMilestone, false, 'Milestone date');
    threads.t5 = t5.data.askQuestion.thread;
    for (const t of [threads.t2, threads.t3, threads.t4, threads.t5]) expect(t).toMatchObject({ status: 'OPEN', version: 1 });

    const forbidden = await ask('admin', ids.borealisReport, false);
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await ask('pm', ids.borealisReport, false)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  test('an object the asker cannot see is NOT_FOUND, like a random id', async () => {
    const cases: [DemoUser, string][] = [
      ['cobalt', ids.atlasReport], // partners never see reports
      ['aurora', ids.atlasInternalRisk], // INTERNAL risk
      ['aurora', ids.borealisDeliverable], // investors never see deliverables
      ['aurora', ids.atlasDraft], // a draft report
      ['beacon', ids.atlasReport], // not a project of Beacon
      ['aurora', toGlobalId('Risk', '01890000-0000-7000-8000-000000000000')],
    ];
    for (const [who, subject] of cases) {
      const res = await ask(who, subject, false);
      expect([who, res.errors?.[0].extensions?.code]).toEqual([who, 'NOT_FOUND']);
    }
    const wrongType = await ask('aurora', toGlobalId('Project', '01890000-0000-7000-8000-000000000000'), false);
    expect(wrongType.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const empty = await ask('aurora', ids.borealisReport, false, '');
    expect(empty.data.askQuestion.userErrors).toEqual([{ code: 'VALIDATION', message: 'title must be 1–200 characters (got 0)', field: ['input', 'title'] }]);
  });
});

describe('who sees which thread', () => {
  test('node(id) and nodes, per role', async () => {
    const all = ['t1', 't2', 't3', 't4', 't5'].map((k) => threads[k].id);
    const expected: Record<DemoUser, boolean[]> = {
      //         t1 private Borealis report (Aurora), t2 Atlas INVESTORS risk, t3 Borealis STAKEHOLDERS risk, t4 private deliverable (Delta), t5 Borealis milestone
      admin: [true, true, true, true, true],
      pm: [true, true, true, true, true],
      aurora: [true, true, true, false, true],
      beacon: [false, false, true, false, true],
      cobalt: [false, false, false, false, false],
      delta: [false, false, true, true, true],
    };
    for (const who of ROLES) expect([who, await seenByNode(who, all)]).toEqual([who, expected[who]]);
  });

  test('the object\'s threads connection and its totalCount, per role', async () => {
    const expected: Record<DemoUser, (number | null)[]> = {
      //       Borealis report, Atlas INVESTORS risk, Borealis STAKEHOLDERS risk, deliverable, milestone
      admin: [1, 1, 1, 1, 1],
      pm: [1, 1, 1, 1, 1],
      aurora: [1, 1, 1, null, 1],
      beacon: [0, null, 1, null, 1],
      cobalt: [null, null, null, null, null],
      delta: [null, null, 1, 1, 1],
    };
    for (const who of ROLES) {
      const got = [
        (await threadsOf(who, ids.borealisReport, 'FinancialReport'))?.total ?? null,
        (await threadsOf(who, ids.atlasInvestorsRisk, 'Risk'))?.total ?? null,
        (await threadsOf(who, ids.borealisStakeholdersRisk, 'Risk'))?.total ?? null,
        (await threadsOf(who, ids.borealisDeliverable, 'Deliverable'))?.total ?? null,
        (await threadsOf(who, ids.borealisMilestone, 'Milestone'))?.total ?? null,
      ];
      expect([who, got]).toEqual([who, expected[who]]);
    }
  });

  test('a thread on a risk follows the risk\'s visibility as it is now', async () => {
    const risk = await gql('pm', 'query($id: ID!) { node(id: $id) { ... on Risk { version } } }', { id: ids.borealisStakeholdersRisk });
    const change = `mutation($input: ChangeRiskVisibilityInput!) { changeRiskVisibility(input: $input) { risk { version visibility } userErrors { code } } }`;
    const internal = await gql('pm', change, { input: { id: ids.borealisStakeholdersRisk, version: risk.data.node.version, visibility: 'INTERNAL' } });
    expect(internal.data.changeRiskVisibility.userErrors).toEqual([]);
    expect(await seenByNode('beacon', [threads.t3.id])).toEqual([false]);
    expect(await seenByNode('delta', [threads.t3.id])).toEqual([false]);
    expect(await seenByNode('pm', [threads.t3.id])).toEqual([true]);
    // The asker lost sight of the object, so of the thread too: posting is NOT_FOUND.
    const post = await gql('beacon', POST, { input: { threadId: threads.t3.id, body: 'still there?' } });
    expect(post.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const back = await gql('pm', change, { input: { id: ids.borealisStakeholdersRisk, version: internal.data.changeRiskVisibility.risk.version, visibility: 'STAKEHOLDERS' } });
    expect(back.data.changeRiskVisibility.userErrors).toEqual([]);
    expect(await seenByNode('beacon', [threads.t3.id])).toEqual([true]);
  });
});

describe('messages, mentions and the state machine', () => {
  test('the operator answers, the asker follows up; mentions are the project\'s operator staff only', async () => {
    const answer = await gql('pm', POST, { input: { threadId: threads.t1.id, body: 'A vendor invoice was booked late.', mentionIds: [ids['user:admin']] } });
    expect(answer.errors).toBeUndefined();
    expect(answer.data.postMessage.userErrors).toEqual([]);
    expect(answer.data.postMessage.message).toMatchObject({ fromOperator: true, mentions: [{ email: USERS.admin }], thread: { status: 'ANSWERED', version: 2 } });

    const followUp = await gql('aurora', POST, { input: { threadId: threads.t1.id, body: 'Thanks, will it recur?', mentionIds: [ids['user:pm']] } });
    expect(followUp.data.postMessage.userErrors).toEqual([]);
    expect(followUp.data.postMessage.message).toMatchObject({ fromOperator: false, mentions: [{ email: USERS.pm }], thread: { status: 'OPEN', version: 3 } });

    // An investor is not operator staff: VALIDATION on that entry, nothing written.
    const badMention = await gql('pm', POST, { input: { threadId: threads.t1.id, body: 'See above.', mentionIds: [ids['user:pm'], ids['user:aurora']] } });
    expect(badMention.data.postMessage).toEqual({
      message: null,
      userErrors: [{ code: 'VALIDATION', message: 'Iris Relations is not an administrator or a manager of this project: only the project\'s operator staff can be mentioned', field: ['input', 'mentionIds', '1'] }],
    });
    // The admin is invisible to an investor: mentioning them is NOT_FOUND, like a random user.
    const hidden = await gql('aurora', POST, { input: { threadId: threads.t1.id, body: 'Admin?', mentionIds: [ids['user:admin']] } });
    expect(hidden.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    const answer2 = await gql('pm', POST, { input: { threadId: threads.t1.id, body: 'It will not recur.' } });
    expect(answer2.data.postMessage.message.thread).toEqual({ status: 'ANSWERED', version: 4 });
    threads.t1.version = 4;
  });

  test('only the asking organization and the project\'s operator staff write in a thread', async () => {
    // Aurora sees Beacon's public thread but is not its asker.
    const other = await gql('aurora', POST, { input: { threadId: threads.t3.id, body: 'Me too' } });
    expect(other.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // Beacon does not see Aurora's private thread: NOT_FOUND, as for a random id.
    const hidden = await gql('beacon', POST, { input: { threadId: threads.t1.id, body: 'Hello' } });
    expect(hidden.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const random = await gql('beacon', POST, { input: { threadId: toGlobalId('QaThread', '01890000-0000-7000-8000-000000000000'), body: 'Hello' } });
    expect(random.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const own = await gql('beacon', POST, { input: { threadId: threads.t3.id, body: 'Any update?' } });
    expect(own.data.postMessage.userErrors).toEqual([]);
  });

  test('messages are listed for exactly those who see the thread', async () => {
    expect((await threadsOf('admin', ids.borealisReport, 'FinancialReport'))!.messages).toEqual([4]);
    expect((await threadsOf('aurora', ids.borealisReport, 'FinancialReport'))!.messages).toEqual([4]);
    expect((await threadsOf('beacon', ids.borealisReport, 'FinancialReport'))!.messages).toEqual([]);
    const res = await gql('aurora', 'query($id: ID!) { node(id: $id) { ... on QaThread { messages { nodes { body fromOperator author { email } } } } } }', { id: threads.t1.id });
    expect(res.data.node.messages.nodes).toEqual([
      { body: 'Vendor overrun?', fromOperator: false, author: { email: USERS.aurora } },
      { body: 'A vendor invoice was booked late.', fromOperator: true, author: { email: USERS.pm } },
      { body: 'Thanks, will it recur?', fromOperator: false, author: { email: USERS.aurora } },
      { body: 'It will not recur.', fromOperator: true, author: { email: USERS.pm } },
    ]);
  });

  test('publishing a private thread shows it to Beacon, still not to partners', async () => {
    expect((await gql('aurora', PUBLISH, { input: { id: threads.t1.id, version: threads.t1.version } })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const stale = await gql('pm', PUBLISH, { input: { id: threads.t1.id, version: 1 } });
    expect(stale.data.publishThread.userErrors[0].code).toBe('VERSION_CONFLICT');
    // Delta's private thread has no answer yet: nothing to publish.
    const unanswered = await gql('pm', PUBLISH, { input: { id: threads.t4.id, version: 1 } });
    expect(unanswered.data.publishThread.userErrors).toEqual([{ code: 'INVALID_TRANSITION', message: 'QaThread is OPEN: publish is allowed only when it is ANSWERED or CLOSED', field: null }]);

    const published = await gql('pm', PUBLISH, { input: { id: threads.t1.id, version: threads.t1.version } });
    expect(published.data.publishThread.userErrors).toEqual([]);
    expect(published.data.publishThread.thread).toMatchObject({ private: false, version: 5 });
    threads.t1.version = 5;
    expect(await seenByNode('beacon', [threads.t1.id])).toEqual([true]);
    expect((await threadsOf('beacon', ids.borealisReport, 'FinancialReport'))!).toEqual({ total: 1, ids: [threads.t1.id], messages: [4] });
    for (const who of ['cobalt', 'delta'] as DemoUser[]) expect(await seenByNode(who, [threads.t1.id])).toEqual([false]);
    const again = await gql('pm', PUBLISH, { input: { id: threads.t1.id, version: 5 } });
    expect(again.data.publishThread.userErrors[0].code).toBe('VALIDATION');
  });

  test('a closed thread takes no more messages', async () => {
    const closed = await gql('pm', CLOSE, { input: { id: threads.t1.id, version: threads.t1.version } });
    expect(closed.data.closeThread).toEqual({ thread: { id: threads.t1.id, status: 'CLOSED', version: 6 }, userErrors: [] });
    const post = await gql('aurora', POST, { input: { threadId: threads.t1.id, body: 'One more thing' } });
    expect(post.data.postMessage.userErrors).toEqual([{ code: 'INVALID_TRANSITION', message: 'QaThread is CLOSED: followUp is allowed only when it is OPEN or ANSWERED', field: null }]);
    // A manager of other projects does not see Cirrus threads; on Atlas the manager may close.
    expect((await gql('beacon', CLOSE, { input: { id: threads.t3.id, version: 2 } })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  test('every write is audited', async () => {
    const rows = await app.orm.em.getConnection().execute<{ action: string; n: string }[]>(
      `select action, count(*) as n from audit_event where action like 'qa%' group by action order by action`,
    );
    expect(rows.map((r) => [r.action, Number(r.n)])).toEqual([
      ['qaMessage.post', 5 + 3 + 1],
      ['qaThread.ask', 5],
      ['qaThread.close', 1],
      ['qaThread.publish', 1],
    ]);
  });
});

describe('acknowledgements', () => {
  const OPEN = 'mutation($input: MarkReportOpenedInput!) { markReportOpened(input: $input) { acknowledgement { openedAt acknowledgedAt user { email } } userErrors { code message } } }';
  const ACK = 'mutation($input: AcknowledgeReportInput!) { acknowledgeReport(input: $input) { acknowledgement { openedAt acknowledgedAt user { email } } userErrors { code message } } }';
  const REMIND = 'mutation($input: RemindReportInput!) { remindReport(input: $input) { report { id } reminded { email } userErrors { code message } } }';
  const ACKS = 'query($id: ID!) { node(id: $id) { ... on FinancialReport { acknowledgements { totalCount nodes { user { email } organization { name } opened: openedAt acknowledgedAt } } } } }';

  test('investors open and acknowledge a published revision; others cannot', async () => {
    const opened = await gql('aurora', OPEN, { input: { id: ids.borealisReport } });
    expect(opened.data.markReportOpened.userErrors).toEqual([]);
    expect(opened.data.markReportOpened.acknowledgement).toMatchObject({ acknowledgedAt: null, user: { email: USERS.aurora } });
    const firstOpen = opened.data.markReportOpened.acknowledgement.openedAt;
    expect(typeof firstOpen).toBe('string');
    const reopened = await gql('aurora', OPEN, { input: { id: ids.borealisReport } });
    expect(reopened.data.markReportOpened.acknowledgement.openedAt).toBe(firstOpen);
    const acked = await gql('aurora', ACK, { input: { id: ids.borealisReport } });
    expect(acked.data.acknowledgeReport.acknowledgement).toMatchObject({ openedAt: firstOpen, user: { email: USERS.aurora } });
    expect(typeof acked.data.acknowledgeReport.acknowledgement.acknowledgedAt).toBe('string');

    // A superseded revision: its restatement is the one to acknowledge.
    const superseded = await gql('aurora', ACK, { input: { id: ids.atlasSuperseded } });
    expect(superseded.data.acknowledgeReport.userErrors).toEqual([{ code: 'INVALID_TRANSITION', message: 'FinancialReport is SUPERSEDED: only the current PUBLISHED revision can be acknowledged' }]);
    expect((await gql('aurora', ACK, { input: { id: ids.atlasDraft } })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await gql('aurora', ACK, { input: { id: ids.cirrusReport } })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    for (const who of ['admin', 'pm', 'cobalt', 'delta'] as DemoUser[]) {
      expect([who, (await gql(who, ACK, { input: { id: ids.borealisReport } })).errors?.[0].extensions?.code]).toEqual([who, 'FORBIDDEN']);
    }
    const beacon = await gql('beacon', OPEN, { input: { id: ids.borealisReport } });
    expect(beacon.data.markReportOpened.userErrors).toEqual([]);
  });

  test('the operator sees every reader; an investor their own organization\'s; partners nothing', async () => {
    const emails = async (who: DemoUser) => {
      const res = await gql(who, ACKS, { id: ids.borealisReport });
      expect(res.errors).toBeUndefined();
      const conn = res.data.node?.acknowledgements;
      return conn ? [conn.totalCount, conn.nodes.map((n: any) => [n.user.email, n.acknowledgedAt !== null])] : null;
    };
    expect(await emails('admin')).toEqual([2, [[USERS.aurora, true], [USERS.beacon, false]]]);
    expect(await emails('pm')).toEqual([2, [[USERS.aurora, true], [USERS.beacon, false]]]);
    expect(await emails('aurora')).toEqual([1, [[USERS.aurora, true]]]);
    expect(await emails('beacon')).toEqual([1, [[USERS.beacon, false]]]);
    expect(await emails('cobalt')).toBeNull();
    expect(await emails('delta')).toBeNull();
  });

  test('remindReport lists the investors who have not acknowledged, and records it', async () => {
    const res = await gql('pm', REMIND, { input: { id: ids.borealisReport } });
    expect(res.data.remindReport).toEqual({ report: { id: ids.borealisReport }, reminded: [{ email: USERS.beacon }], userErrors: [] });
    for (const who of ['aurora', 'beacon', 'cobalt', 'delta'] as DemoUser[]) {
      expect([who, (await gql(who, REMIND, { input: { id: ids.borealisReport } })).errors?.[0].extensions?.code]).toEqual([who, 'FORBIDDEN']);
    }
    expect((await gql('pm', REMIND, { input: { id: ids.cirrusReport } })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const superseded = await gql('pm', REMIND, { input: { id: ids.atlasSuperseded } });
    expect(superseded.data.remindReport.userErrors[0].code).toBe('INVALID_TRANSITION');
    const atlas = await gql('admin', REMIND, { input: { id: ids.atlasReport } });
    expect(atlas.data.remindReport.reminded).toEqual([{ email: USERS.aurora }]);

    const rows = await app.orm.em.getConnection().execute<{ action: string; changes: any }[]>(
      `select action, changes from audit_event where action in ('financialReport.open', 'financialReport.acknowledge', 'financialReport.remind') order by occurred_at, id`,
    );
    expect(rows.map((r) => r.action)).toEqual([
      'financialReport.open', 'financialReport.acknowledge', 'financialReport.open', 'financialReport.remind', 'financialReport.remind',
    ]);
    expect(rows[3].changes).toEqual({ reminded: { before: null, after: [ids['user:beacon']] } });
  });
});

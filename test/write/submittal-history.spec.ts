/**
 * A deliverable keeps every round: each submission (note, who, when) and each
 * review (decision, reason or comment, who, when), written with the state
 * change; the rounds are visible exactly when their deliverable is; the
 * statistics count first-time acceptances and rounds; the operator's review
 * queue is ordered by waiting time. One app for the file; the demo-data
 * checks run before the tests that write.
 */
import { randomUUID } from 'node:crypto';
import { BACKFILL_DELIVERABLE_ROUNDS } from '../../migrations/Migration20261205123805';
import { startTestApp, USERS, type DemoUser, type TestApp } from '../support/app';

let app: TestApp;
const tokens = {} as Record<DemoUser, string>;
beforeAll(async () => {
  // The statement-count query below is deliberately large; the cost limit has its own tests.
  app = await startTestApp({ env: { MAX_QUERY_COST: '10000000' } });
  for (const u of ['admin', 'pm', 'aurora', 'cobalt', 'delta'] as DemoUser[]) tokens[u] = await app.login(USERS[u]);
});
afterAll(async () => {
  await app?.close();
});

const gid = (type: string, uuid: string) => Buffer.from(`${type}:${uuid}`).toString('base64url');

async function gql(user: DemoUser, query: string, variables: Record<string, unknown> = {}) {
  const res = await app.gql(query, variables, tokens[user]);
  expect(res.errors).toBeUndefined();
  return res.data;
}

/** Id and version of a demo deliverable, read as the administrator. */
async function deliverable(title: string): Promise<{ id: string; version: number }> {
  const data = await gql('admin', `{ projects(first: 10) { nodes { contracts(first: 10) { nodes { deliverables(first: 20) { nodes { id version title } } } } } } }`);
  const all = data.projects.nodes.flatMap((p: any) => p.contracts.nodes.flatMap((c: any) => c.deliverables.nodes));
  const found = all.find((d: any) => d.title === title);
  if (!found) throw new Error(`no deliverable ${title}`);
  return { id: found.id, version: found.version };
}

const ROUNDS = `query($id: ID!) { node(id: $id) { ... on Deliverable {
  status round submittedAt decidedAt waitingSince rejectionReason
  submissions(first: 10) { totalCount nodes { id round note submittedAt submittedBy { email } deliverable { title } } }
  reviews(first: 10) { totalCount nodes { id round decision comment reviewedAt reviewedBy { email } deliverable { title } } }
} } }`;

const STATS = '{ decided acceptanceRate reviewed firstTimeAccepted firstTimeAcceptanceRate averageRounds }';

async function mutate(user: DemoUser, name: string, input: Record<string, unknown>) {
  const data = await gql(user, `mutation($input: ${name[0].toUpperCase()}${name.slice(1)}Input!) {
    ${name}(input: $input) { userErrors { code field message } deliverable { id version status round } } }`, { input });
  expect(data[name].userErrors).toEqual([]);
  return data[name].deliverable;
}

describe('on the demo data', () => {
  test('a deliverable rejected, resubmitted and accepted shows both rounds; a resubmission waits with its earlier rejection', async () => {
    const mvp = await gql('pm', ROUNDS, { id: (await deliverable('MVP release 1.0')).id });
    expect(mvp.node.status).toBe('ACCEPTED');
    expect(mvp.node.round).toBe(2);
    expect(mvp.node.waitingSince).toBeNull();
    expect(mvp.node.submissions.nodes.map((s: any) => [s.round, s.note, s.submittedBy.email])).toEqual([
      [1, 'Release candidate 1.0-rc1.', USERS.cobalt],
      [2, 'Tagged v1.0.0.', USERS.cobalt],
    ]);
    expect(mvp.node.reviews.nodes.map((r: any) => [r.round, r.decision, r.comment, r.reviewedBy.email])).toEqual([
      [1, 'REJECTED', 'Release notes are missing and two blocker defects are still open.', USERS.pm],
      [2, 'ACCEPTED', 'Blockers closed and release notes complete.', USERS.pm],
    ]);
    expect(mvp.node.submissions.nodes[1].submittedAt).toBe(mvp.node.submittedAt);
    expect(mvp.node.reviews.nodes[1].reviewedAt).toBe(mvp.node.decidedAt);
  });

  test('the review queue lists SUBMITTED deliverables longest waiting first, each with its earlier rounds', async () => {
    const queue = `{ reviewQueue(first: 10) { totalCount nodes { title round waitingSince submittedAt
      reviews(first: 5) { nodes { round decision comment } } } } }`;
    const pm = await gql('pm', queue);
    expect(pm.reviewQueue.nodes.map((d: any) => [d.title, d.round, d.reviews.nodes])).toEqual([
      ['Consent flow test report', 1, []],
      ['Migration scripts', 2, [{ round: 1, decision: 'REJECTED', comment: 'No dry-run evidence: attach the dry-run report.' }]],
    ]);
    expect(pm.reviewQueue.totalCount).toBe(2);
    for (const d of pm.reviewQueue.nodes) expect(d.waitingSince).toBe(d.submittedAt);
    expect(pm.reviewQueue.nodes[0].waitingSince < pm.reviewQueue.nodes[1].waitingSince).toBe(true);
    // The same order is available on a contract's list, which the portal's queue reads.
    const perContract = await gql('admin', `{ projects(first: 10) { nodes { contracts(first: 10) { nodes {
      deliverables(first: 10, orderBy: { field: SUBMITTED_AT, direction: DESC }) { nodes { title status } } } } } } }`);
    const atlasCobalt = perContract.projects.nodes.flatMap((p: any) => p.contracts.nodes).find((c: any) => c.deliverables.nodes.some((d: any) => d.title === 'Migration scripts'));
    expect(atlasCobalt.deliverables.nodes.map((d: any) => d.title)).toEqual([
      // Never submitted first when descending (nulls first; ties by id, descending too), then the latest submission first.
      'UAT test plan', 'Payments API adapter', 'Reconciliation report', 'Migration scripts', 'MVP release 1.0', 'Architecture decision records',
    ]);
    // Only the operator reviews.
    for (const u of ['cobalt', 'aurora'] as DemoUser[]) {
      const res = await app.gql(queue, {}, tokens[u]);
      expect([res.data, res.errors?.map((e) => e.extensions?.code)]).toEqual([null, ['FORBIDDEN']]);
    }
  });

  test('statistics count first-time acceptances and rounds, not only the final state', async () => {
    const data = await gql('pm', `{ projects(first: 10, orderBy: { field: CODE, direction: ASC }) { nodes { name contracts(first: 10) { nodes { reference deliverableStats ${STATS} } } } } }`);
    const stats = Object.fromEntries(data.projects.nodes.flatMap((p: any) => p.contracts.nodes.map((c: any) => [c.reference, c.deliverableStats])));
    // Atlas/Cobalt: ADRs accepted at round 1, MVP accepted at round 2, Migration scripts rejected then resubmitted, Reconciliation rejected at round 1.
    expect(stats['ATL-C-001']).toEqual({ decided: 3, acceptanceRate: '0.6667', reviewed: 4, firstTimeAccepted: 1, firstTimeAcceptanceRate: '0.2500', averageRounds: '1.50' });
    // Borealis/Delta: Ingestion accepted at round 1, Warehouse rejected at round 1, Consent waiting (not reviewed).
    expect(stats['BOR-C-001']).toEqual({ decided: 2, acceptanceRate: '0.5000', reviewed: 2, firstTimeAccepted: 1, firstTimeAcceptanceRate: '0.5000', averageRounds: '1.00' });
    expect(stats['ATL-C-002']).toEqual({ decided: 0, acceptanceRate: null, reviewed: 0, firstTimeAccepted: 0, firstTimeAcceptanceRate: null, averageRounds: null });
    // The partner's summary covers its own contracts only (Cobalt: Atlas's active one).
    const cobalt = await gql('cobalt', `{ viewer { partnerSummary { deliverableStats ${STATS} } } }`);
    expect(cobalt.viewer.partnerSummary.deliverableStats).toEqual(stats['ATL-C-001']);
  });
});

describe('invisible rounds are nonexistent', () => {
  test('an Atlas-only viewer and an investor reach no round of a Borealis deliverable by any path', async () => {
    const { id } = await deliverable('Warehouse regression pack');
    const admin = await gql('admin', ROUNDS, { id });
    const [submission] = admin.node.submissions.nodes;
    const [review] = admin.node.reviews.nodes;
    expect([submission.round, review.decision, review.comment]).toEqual([1, 'REJECTED', 'Coverage of the billing marts is missing.']);
    // Delta holds the contract: it sees the rounds, and its own submitter, and the project's manager as reviewer.
    const delta = await gql('delta', ROUNDS, { id });
    expect(delta.node.submissions.nodes.map((s: any) => s.submittedBy.email)).toEqual([USERS.delta]);
    expect(delta.node.reviews.nodes.map((r: any) => r.reviewedBy.email)).toEqual([USERS.pm]);

    const NODE = `query($id: ID!) { node(id: $id) { id ... on DeliverableSubmission { round note } ... on DeliverableReview { round comment } } }`;
    const NODES = `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`;
    for (const u of ['cobalt', 'aurora'] as DemoUser[]) {
      for (const [type, target] of [['Deliverable', id], ['DeliverableSubmission', submission.id], ['DeliverableReview', review.id]]) {
        const seen = await app.gql(type === 'Deliverable' ? ROUNDS : NODE, { id: target }, tokens[u]);
        const random = await app.gql(type === 'Deliverable' ? ROUNDS : NODE, { id: gid(type, randomUUID()) }, tokens[u]);
        expect(seen.data).toEqual({ node: null });
        expect(JSON.stringify(seen.data)).toBe(JSON.stringify(random.data));
        expect(seen.errors).toEqual(random.errors);
      }
      const many = await app.gql(NODES, { ids: [submission.id, review.id] }, tokens[u]);
      expect(many.data).toEqual({ nodes: [null, null] });
    }
    // Through the lists: Cobalt's deliverables (its own contracts) carry only their own rounds.
    const cobalt = await gql('cobalt', `{ projects(first: 10) { nodes { name contracts(first: 10) { nodes { deliverables(first: 20) { nodes {
      submissions(first: 10) { nodes { id } } reviews(first: 10) { nodes { id } } } } } } } } }`);
    const ids = JSON.stringify(cobalt);
    expect(cobalt.projects.nodes.map((p: any) => p.name)).toEqual(['Atlas']);
    expect(ids).not.toContain(submission.id);
    expect(ids).not.toContain(review.id);
    // It does see Atlas's rounds: ADRs 1, MVP 2, Migration scripts 2 (one reviewed), Reconciliation 1.
    const own = cobalt.projects.nodes[0].contracts.nodes.flatMap((c: any) => c.deliverables.nodes);
    expect([own.flatMap((x: any) => x.submissions.nodes).length, own.flatMap((x: any) => x.reviews.nodes).length]).toEqual([6, 5]);
  });

  test('a vendor does not see the operator user who is not its contact: reviewedBy is null, the review is not', async () => {
    // Atlas/Cobalt "Payments API adapter": submitted by Cobalt, rejected by the administrator (not a manager of Atlas), accepted by Atlas's manager.
    let d: { id: string; version: number; status?: string; round?: number } = await deliverable('Payments API adapter');
    d = await mutate('cobalt', 'submitDeliverable', { id: d.id, version: d.version, note: 'First cut of the adapter.' });
    d = await mutate('admin', 'rejectDeliverable', { id: d.id, version: d.version, reason: 'No contract tests for the refund endpoint.' });
    expect([d.status, d.round]).toEqual(['REJECTED', 1]);
    d = await mutate('cobalt', 'submitDeliverable', { id: d.id, version: d.version, note: 'Refund contract tests added.' });
    expect([d.status, d.round]).toEqual(['SUBMITTED', 2]);

    const waiting = await gql('pm', ROUNDS, { id: d.id });
    expect(waiting.node.waitingSince).toBe(waiting.node.submittedAt);
    expect(waiting.node.waitingSince).toBe(waiting.node.submissions.nodes[1].submittedAt);
    // The reviewer of the resubmission reads why it was rejected before.
    expect(waiting.node.reviews.nodes.map((r: any) => [r.round, r.decision, r.comment])).toEqual([[1, 'REJECTED', 'No contract tests for the refund endpoint.']]);
    expect((await gql('pm', '{ reviewQueue(first: 10) { nodes { title } } }')).reviewQueue.nodes.map((n: any) => n.title))
      .toEqual(['Consent flow test report', 'Migration scripts', 'Payments API adapter']);

    d = await mutate('pm', 'acceptDeliverable', { id: d.id, version: d.version, comment: '  Accepted; thanks for the quick turnaround.  ' });
    expect([d.status, d.round]).toEqual(['ACCEPTED', 2]);

    const after = await gql('pm', ROUNDS, { id: d.id });
    expect(after.node.waitingSince).toBeNull();
    expect(after.node.rejectionReason).toBeNull();
    expect(after.node.submissions).toEqual({ totalCount: 2, nodes: [
      { id: expect.any(String), round: 1, note: 'First cut of the adapter.', submittedAt: expect.any(String), submittedBy: { email: USERS.cobalt }, deliverable: { title: 'Payments API adapter' } },
      { id: expect.any(String), round: 2, note: 'Refund contract tests added.', submittedAt: after.node.submittedAt, submittedBy: { email: USERS.cobalt }, deliverable: { title: 'Payments API adapter' } },
    ] });
    expect(after.node.reviews).toEqual({ totalCount: 2, nodes: [
      { id: expect.any(String), round: 1, decision: 'REJECTED', comment: 'No contract tests for the refund endpoint.', reviewedAt: expect.any(String), reviewedBy: { email: USERS.admin }, deliverable: { title: 'Payments API adapter' } },
      { id: expect.any(String), round: 2, decision: 'ACCEPTED', comment: 'Accepted; thanks for the quick turnaround.', reviewedAt: after.node.decidedAt, reviewedBy: { email: USERS.pm }, deliverable: { title: 'Payments API adapter' } },
    ] });
    const s = after.node.submissions.nodes;
    const r = after.node.reviews.nodes;
    expect([s[0].submittedAt < r[0].reviewedAt, r[0].reviewedAt < s[1].submittedAt, s[1].submittedAt < r[1].reviewedAt]).toEqual([true, true, true]);

    // The vendor sees both reviews; the administrator is not its contact, Atlas's manager is.
    const cobalt = await gql('cobalt', ROUNDS, { id: d.id });
    expect(cobalt.node.reviews.nodes.map((x: any) => [x.round, x.decision, x.comment, x.reviewedBy])).toEqual([
      [1, 'REJECTED', 'No contract tests for the refund endpoint.', null],
      [2, 'ACCEPTED', 'Accepted; thanks for the quick turnaround.', { email: USERS.pm }],
    ]);

    // The comment is audited with the decision; each submit records the round.
    const audit = await gql('admin', `query($id: ID!) { auditEvents(first: 10, filter: { entityId: $id }) { nodes { action changes } } }`, { id: d.id });
    const byAction = (a: string) => audit.auditEvents.nodes.filter((e: any) => e.action === a).map((e: any) => e.changes);
    expect(byAction('deliverable.accept').map((c: any) => [c.status, c.comment])).toEqual([[{ before: 'SUBMITTED', after: 'ACCEPTED' }, { before: null, after: 'Accepted; thanks for the quick turnaround.' }]]);
    expect(byAction('deliverable.submit').map((c: any) => c.round)).toEqual([{ before: 1, after: 2 }, { before: 0, after: 1 }]);

    // An over-long comment is refused and nothing is written.
    const bad = await gql('pm', `mutation($input: AcceptDeliverableInput!) { acceptDeliverable(input: $input) { userErrors { code field } } }`,
      { input: { id: d.id, version: d.version, comment: 'x'.repeat(2001) } });
    expect(bad.acceptDeliverable.userErrors).toEqual([{ code: 'VALIDATION', field: ['input', 'comment'] }]);

    // The migration's backfill rebuilds the same rounds from the audit trail.
    const uuid = Buffer.from(d.id, 'base64url').toString().split(':')[1];
    const conn = app.orm.em.getConnection();
    const snapshot = async () => [
      await conn.execute(`select round, note, submitted_by_id, submitted_at from deliverable_submission where deliverable_id = ? order by round`, [uuid]),
      await conn.execute(`select round, decision, comment, reviewed_by_id, reviewed_at from deliverable_review where deliverable_id = ? order by round`, [uuid]),
      await conn.execute(`select round from deliverable where id = ?`, [uuid]),
    ];
    const before = await snapshot();
    await conn.execute(`delete from deliverable_submission where deliverable_id = ?`, [uuid]);
    await conn.execute(`delete from deliverable_review where deliverable_id = ?`, [uuid]);
    await conn.execute(`update deliverable set round = 0 where id = ?`, [uuid]);
    const counts = async () => (await conn.execute(`select (select count(*) from deliverable_submission)::int as s, (select count(*) from deliverable_review)::int as r`))[0];
    const others = await counts();
    for (const statement of BACKFILL_DELIVERABLE_ROUNDS) await conn.execute(statement);
    expect(await snapshot()).toEqual(before);
    expect(await counts()).toEqual({ s: others.s + 2, r: others.r + 2 });
  });
});

test('the rounds cost the same SQL statements however many deliverables and rounds there are', async () => {
  // Two requests: in one, the queue's rounds and the projects' rounds may or may not share a batch
  // depending on which resolves first, so the count would vary by scheduling rather than by data.
  const QUERIES = [`{ projects(first: 10) { nodes { contracts(first: 10) { nodes { deliverables(first: 50) { nodes { round waitingSince
    submissions(first: 10) { totalCount nodes { round submittedBy { email } } }
    reviews(first: 10) { totalCount nodes { decision reviewedBy { email } } } } } } } } } }`,
    `{ reviewQueue(first: 50) { nodes { submissions(first: 10) { nodes { round } } reviews(first: 10) { nodes { comment } } } } }`];
  const measure = async () => {
    const counts: number[] = [];
    let size = 0;
    for (const query of QUERIES) {
      app.sql.reset();
      const res = await app.gql(query, {}, tokens.pm);
      expect(res.errors).toBeUndefined();
      counts.push(app.sql.count);
      size += JSON.stringify(res.data).length;
    }
    return { counts, size };
  };
  const small = await measure();
  // Ten more submitted deliverables on Borealis's contract, each rejected twice and resubmitted.
  const conn = app.orm.em.getConnection();
  await conn.execute(`
    with src as (select d.* from deliverable d where d.title = 'Consent flow test report'),
      n as (select generate_series(1, 10) as i),
      nd as (insert into deliverable (id, created_at, updated_at, version, project_id, contract_id, title, description, due_date, status, submitted_at, round)
        select gen_random_uuid(), now(), now(), 1, src.project_id, src.contract_id, 'Extra ' || n.i, '', src.due_date, 'SUBMITTED', now() - n.i * interval '1 hour', 3
        from src, n returning id),
      rounds as (select nd.id, r from nd, generate_series(1, 3) as r),
      subs as (insert into deliverable_submission (id, created_at, updated_at, deliverable_id, round, note, submitted_by_id, submitted_at)
        select gen_random_uuid(), now(), now(), id, r, 'Round ' || r, (select id from app_user where email = '${USERS.delta}'), now() from rounds returning id)
    insert into deliverable_review (id, created_at, updated_at, deliverable_id, round, decision, comment, reviewed_by_id, reviewed_at)
      select gen_random_uuid(), now(), now(), id, r, 'REJECTED', 'Again', (select id from app_user where email = '${USERS.pm}'), now() from rounds where r < 3`);
  const large = await measure();
  expect(large.size).toBeGreaterThan(small.size * 2);
  // The viewer (2), then one statement per level: projects, contracts, deliverables, submissions, reviews, and the two people lists; the queue, its rounds.
  expect(small.counts).toEqual([9, 5]);
  expect(large.counts).toEqual(small.counts);
});

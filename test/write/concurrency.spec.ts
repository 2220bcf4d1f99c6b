/**
 * Optimistic locking under real concurrency: N parallel HTTP requests with
 * the same version → exactly one wins, the others get VERSION_CONFLICT and
 * write nothing (no change, no audit event), and the final state is the winner's.
 */
import { startTestApp, type TestApp } from '../support/app';
import { uuidOf, WriteKit, type MutationOutcome } from './support';

let app: TestApp;
let kit: WriteKit;
beforeAll(async () => {
  app = await startTestApp();
  kit = new WriteKit(app);
});
afterAll(async () => {
  await app?.close();
});

const N = 20;

function split(outcomes: MutationOutcome[]) {
  const winners = outcomes.filter((o) => o.userErrors.length === 0 && o.object);
  const conflicts = outcomes.filter((o) => o.userErrors.length === 1 && o.userErrors[0].code === 'VERSION_CONFLICT' && o.object === null);
  const other = outcomes.filter((o) => !winners.includes(o) && !conflicts.includes(o));
  return { winners, conflicts, other };
}

async function eventsOf(id: string) {
  return kit.sql<{ action: string; changes: Record<string, { before: unknown; after: unknown }> }>(
    'select action, changes from audit_event where entity_id = ? order by occurred_at, id',
    [uuidOf(id)],
  );
}

test(`${N} parallel updateMilestone with the same version: 1 success, ${N - 1} VERSION_CONFLICT, the winner's title stays`, async () => {
  const id = await kit.newMilestone('atlas');
  await kit.token('pm');
  const outcomes = await Promise.all(
    Array.from({ length: N }, (_, i) => kit.run('pm', 'updateMilestone', { id, version: 1, title: `Title from writer ${i}` })),
  );
  const { winners, conflicts, other } = split(outcomes);
  expect(other.map((o) => o.res.errors ?? o.userErrors)).toEqual([]);
  expect(winners).toHaveLength(1);
  expect(conflicts).toHaveLength(N - 1);
  const winner = winners[0].object;
  expect(winner.version).toBe(2);

  const [row] = await kit.sql<{ title: string; version: number }>('select title, version from milestone where id = ?', [uuidOf(id)]);
  expect(row).toEqual({ title: winner.title, version: 2 });
  // One create, one update: the losers left no trace.
  const events = await eventsOf(id);
  expect(events.map((e) => e.action)).toEqual(['milestone.create', 'milestone.update']);
  expect(events[1].changes).toEqual({ title: { before: expect.stringMatching(/^Milestone \d+$/), after: winner.title } });
  for (const c of conflicts) expect(c.userErrors[0].field).toEqual(['input', 'version']);
});

test(`${N} parallel reassessRisk with the same version: exactly one assessment is appended`, async () => {
  const id = await kit.newRisk('atlas');
  const outcomes = await Promise.all(
    Array.from({ length: N }, (_, i) => kit.run('pm', 'reassessRisk', { id, version: 1, likelihood: 1 + (i % 5), impact: 5 - (i % 5), note: `Writer ${i}` })),
  );
  const { winners, conflicts, other } = split(outcomes);
  expect(other).toEqual([]);
  expect(winners).toHaveLength(1);
  expect(conflicts).toHaveLength(N - 1);
  const w = winners[0].object;
  const assessments = await kit.sql<{ likelihood: number; impact: number; note: string }>(
    'select likelihood, impact, note from risk_assessment where risk_id = ? order by assessed_at, id', [uuidOf(id)],
  );
  expect(assessments).toHaveLength(2);
  expect(assessments[1]).toEqual({ likelihood: w.likelihood, impact: w.impact, note: expect.stringMatching(/^Writer \d+$/) });
  const [risk] = await kit.sql('select likelihood, impact, score, version from risk where id = ?', [uuidOf(id)]);
  expect(risk).toEqual({ likelihood: w.likelihood, impact: w.impact, score: w.likelihood * w.impact, version: 2 });
});

test(`${N} parallel transitions of one deliverable (accept and reject mixed): one decision, the others conflict`, async () => {
  const id = await kit.newDeliverable('ATL-C-001', 'SUBMITTED');
  const outcomes = await Promise.all(
    Array.from({ length: N }, (_, i) =>
      i % 2 ? kit.run('pm', 'acceptDeliverable', { id, version: 1 }) : kit.run('admin', 'rejectDeliverable', { id, version: 1, reason: `Reason ${i}` })),
  );
  const { winners, conflicts, other } = split(outcomes);
  expect(other).toEqual([]);
  expect(winners).toHaveLength(1);
  expect(conflicts).toHaveLength(N - 1);
  const [row] = await kit.sql<{ status: string; version: number }>('select status::text, version from deliverable where id = ?', [uuidOf(id)]);
  expect(row).toEqual({ status: winners[0].object.status, version: 2 });
  expect((await eventsOf(id)).map((e) => e.action)).toEqual(['deliverable.create', `deliverable.${winners[0].object.status === 'ACCEPTED' ? 'accept' : 'reject'}`]);
});

test(`${N} parallel line replacements of one draft report: the report version guards its lines too`, async () => {
  const id = await kit.newReport('atlas');
  const outcomes = await Promise.all(
    Array.from({ length: N }, (_, i) => kit.run('pm', 'updateFinancialReport', {
      id, version: 1, lines: [{ category: 'OTHER', planned: `${i}.00`, actual: `${i}.50`, estimateToComplete: '0.00' }],
    })),
  );
  const { winners, conflicts, other } = split(outcomes);
  expect(other).toEqual([]);
  expect(winners).toHaveLength(1);
  expect(conflicts).toHaveLength(N - 1);
  const lines = await kit.sql('select category::text, planned::text, actual::text from financial_report_line where report_id = ?', [uuidOf(id)]);
  expect(lines).toEqual([{ category: 'OTHER', planned: winners[0].object.lines.nodes[0].planned, actual: winners[0].object.lines.nodes[0].actual }]);
});

test('a stale version writes nothing, even when the change would be valid', async () => {
  const id = await kit.newMilestone('atlas');
  await kit.ok('pm', 'setMilestoneProgress', { id, version: 1, progress: 10 });
  const before = await kit.checksums();
  const out = await kit.run('pm', 'setMilestoneProgress', { id, version: 1, progress: 20 });
  expect(out.userErrors).toEqual([{
    field: ['input', 'version'], code: 'VERSION_CONFLICT',
    message: 'Milestone was changed by someone else since you read it (current version 2, you sent 1): reload it and retry',
  }]);
  expect(out.object).toBeNull();
  expect(await kit.checksums()).toEqual(before);
});

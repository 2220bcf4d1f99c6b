/**
 * Risk reassessment (docs/state-machines.md#risk): a reassessment needs a
 * change of likelihood or impact or a rationale; a review that keeps the
 * figures does not reset the trend; the 1–5 scales have words.
 */
import { startTestApp, type TestApp } from '../support/app';
import { WriteKit } from '../write/support';

let app: TestApp;
let kit: WriteKit;
beforeAll(async () => {
  app = await startTestApp();
  kit = new WriteKit(app);
});
afterAll(async () => {
  await app?.close();
});

const REASSESS = `mutation R($input: ReassessRiskInput!) { reassessRisk(input: $input) {
  risk { version likelihood impact likelihoodLabel impactLabel score } userErrors { field code message } } }`;
const reassess = async (input: Record<string, unknown>) => (await app.gql(REASSESS, { input }, await kit.token('pm'))).data.reassessRisk;

async function trendOf(id: string) {
  const res = await app.gql(`query T($id: ID!) { node(id: $id) { ... on Risk {
    assessments(first: 20) { nodes { likelihood impact likelihoodLabel impactLabel score note } }
    project { riskSummary(top: 50) { topRisks { risk { id } score previousScore change } } } } } }`, { id }, await kit.token('pm'));
  expect(res.errors).toBeUndefined();
  const node = res.data.node;
  const item = node.project.riskSummary.topRisks.find((t: any) => t.risk.id === id);
  return { assessments: node.assessments.nodes, trend: { score: item.score, previousScore: item.previousScore, change: item.change } };
}

test('the same figures without a rationale are refused; with one they are recorded and the trend keeps the last real change', async () => {
  const id = await kit.newRisk('atlas'); // likelihood 2, impact 3: score 6, version 1
  const unchanged = 'Likelihood (2) and impact (3) are unchanged: change one of them, or give a note saying why they stay';
  for (const note of [undefined, '', '   ']) {
    expect(await reassess({ id, version: 1, likelihood: 2, impact: 3, note })).toEqual({
      risk: null, userErrors: [{ field: ['input', 'note'], code: 'VALIDATION', message: unchanged }],
    });
  }
  // Nothing was recorded by the refusals.
  expect((await trendOf(id)).assessments).toHaveLength(1);

  expect((await reassess({ id, version: 1, likelihood: 4, impact: 3 })).risk).toEqual({
    version: 2, likelihood: 4, impact: 3, likelihoodLabel: 'Likely', impactLabel: 'Moderate', score: 12,
  });
  expect((await trendOf(id)).trend).toEqual({ score: 12, previousScore: 6, change: 6 });

  // A review with a rationale keeps 4 × 3: recorded, version bumped, the trend still +6 (not reset to 0).
  expect((await reassess({ id, version: 2, likelihood: 4, impact: 3, note: 'Reviewed with the vendor: unchanged.' })).risk.version).toBe(3);
  // Repeating the identical save without a rationale is refused and changes nothing.
  expect((await reassess({ id, version: 3, likelihood: 4, impact: 3 })).userErrors.map((e: any) => e.code)).toEqual(['VALIDATION']);
  let t = await trendOf(id);
  expect(t.trend).toEqual({ score: 12, previousScore: 6, change: 6 });
  expect(t.assessments).toEqual([
    { likelihood: 2, impact: 3, likelihoodLabel: 'Unlikely', impactLabel: 'Moderate', score: 6, note: 'Initial assessment.' },
    { likelihood: 4, impact: 3, likelihoodLabel: 'Likely', impactLabel: 'Moderate', score: 12, note: '' },
    { likelihood: 4, impact: 3, likelihoodLabel: 'Likely', impactLabel: 'Moderate', score: 12, note: 'Reviewed with the vendor: unchanged.' },
  ]);

  // A real change after the review compares with the score before it: 12 → 1.
  await reassess({ id, version: 3, likelihood: 1, impact: 1 });
  t = await trendOf(id);
  expect(t.trend).toEqual({ score: 1, previousScore: 12, change: -11 });
  expect(t.assessments[3]).toMatchObject({ likelihoodLabel: 'Rare', impactLabel: 'Negligible' });
  // An empty note is no rationale, but 5 × 5 is a change.
  await reassess({ id, version: 4, likelihood: 5, impact: 5, note: '' });
  expect((await trendOf(id)).trend).toEqual({ score: 25, previousScore: 1, change: 24 });
});

test('every label of both scales', async () => {
  const id = await kit.newRisk('atlas');
  const words: [string, string][] = [];
  for (let n = 1; n <= 5; n += 1) {
    const out = await reassess({ id, version: n, likelihood: n, impact: 6 - n });
    words.push([out.risk.likelihoodLabel, out.risk.impactLabel]);
  }
  expect(words).toEqual([['Rare', 'Severe'], ['Unlikely', 'Major'], ['Possible', 'Moderate'], ['Likely', 'Minor'], ['Almost certain', 'Negligible']]);
});

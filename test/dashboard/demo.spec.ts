/**
 * Dashboard figures of the demo data, for every demo user, against values
 * computed here from the demo tables (integer cents, not the server's SQL):
 * today, in the middle of the report history, at the end of the restated
 * month, and in the middle of a period.
 */
import { addDays } from '../../src/core/dates';
import { startTestApp, USERS, type DemoUser, type TestApp } from '../support/app';
import {
  contracts, deliverables, investments, listableContracts, milestones, periodOf, PROJECTS, PROJECT_KEYS, reports, risks, TODAY, VIEWS,
  type ProjectKey,
} from './demo';
import { PARTNER_SUMMARY, PORTFOLIO, PORTFOLIO_NON_FINANCIAL, PROJECT_FIGURES } from './documents';
import * as ref from './reference';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const USER_LIST = Object.keys(USERS) as DemoUser[];
const AS_OF: Record<string, string | undefined> = {
  'today (default)': undefined,
  'end of month 1 (mid-history)': periodOf(1).end,
  'end of month 2 (the restated period)': periodOf(2).end,
  'ten days into month 3': addDays(periodOf(3).start, 10),
};

function expectedProject(user: DemoUser, key: ProjectKey, asOf: string, top: number) {
  const view = VIEWS[user];
  // An investor reads committed and the contract values by the disclosure rule of docs/visibility.md.
  const investor = view.side === 'investor';
  const f = ref.financials({ budget: PROJECTS[key].budget, investments: investments(key), reports: reports(key), asOf, viewerOrg: investor ? view.org : undefined });
  const ev = ref.earnedValue(milestones(key), f.ac, asOf);
  const m = ref.milestoneSummary(milestones(key), asOf, view.side !== 'partner');
  const visibleRisks = risks(user, key);
  const r = ref.riskSummary(visibleRisks, top);
  const title = (id: string) => visibleRisks.find((x) => x.id === id)!.title;
  const financial = view.side !== 'partner';
  return {
    code: PROJECTS[key].code,
    financials: financial ? { asOf, currency: PROJECTS[key].currency, ...ref.apiShape(f, ['ac']) } : null,
    earnedValue: financial ? { asOf, currency: PROJECTS[key].currency, ...ref.apiShape(ev, ['ev', 'pv']) } : null,
    milestoneSummary: { asOf, ...ref.apiShape(m, ['nextMilestoneId']), nextMilestone: m.nextMilestoneId },
    riskSummary: { ...r, topRisks: r.topRisks.map((t) => ({ title: title(t.id), score: t.score, previousScore: t.previousScore, change: t.change })) },
    commitments: financial ? ref.contractTotals(contracts(key), ref.COMMITTED_STATUSES, investor) : null,
  };
}

/** The API's answer in the expected shape: nested objects by title instead of ids. */
function projectShape(node: any) {
  return {
    code: node.code,
    financials: node.financials,
    earnedValue: node.earnedValue,
    milestoneSummary: node.milestoneSummary && { ...node.milestoneSummary, nextMilestone: node.milestoneSummary.nextMilestone?.title ?? null },
    riskSummary: node.riskSummary && {
      ...node.riskSummary,
      topRisks: node.riskSummary.topRisks.map((t: any) => ({ title: t.risk.title, score: t.score, previousScore: t.previousScore, change: t.change })),
    },
    commitments: node.commitments,
  };
}

describe('the reference computation itself reproduces figures computed by hand', () => {
  test('Atlas', () => {
    const atlas = (asOf: string) => ref.financials({ budget: '1200000.00', investments: investments('atlas'), reports: reports('atlas'), asOf });
    const now = atlas(TODAY);
    // Months 0..4 published (month 2 from its restatement), month 5 DRAFT only.
    expect([now.actualToDate, now.estimateToComplete, now.estimateAtCompletion, now.varianceAtCompletion, now.burnRate, now.publishedPeriods])
      .toEqual(['483850.50', '805000.00', '1288850.50', '-88850.50', '99383.50', 5]);
    const mid = atlas(periodOf(1).end);
    expect([mid.actualToDate, mid.estimateToComplete, mid.estimateAtCompletion, mid.varianceAtCompletion, mid.burnRate])
      .toEqual(['185700.00', '1075000.00', '1260700.00', '-60700.00', '92850.00']);
    // Restated month 2: vendors 31500.00 (revision 2), not 24000.00 (superseded revision 1).
    const restated = atlas(periodOf(2).end);
    expect([restated.actualToDate, restated.estimateToComplete, restated.burnRate, restated.spendByPeriod[2].revision])
      .toEqual(['283300.00', '985000.00', '94433.33', 2]);
    const ev = ref.earnedValue(milestones('atlas'), now.ac, TODAY);
    expect([ev.plannedValue, ev.earnedValue, ev.costPerformanceIndex, ev.schedulePerformanceIndex, ev.costVariance, ev.scheduleVariance])
      .toEqual(['600000.00', '603000.00', '1.2463', '1.0050', '119149.50', '3000.00']);
    expect(ref.milestoneSummary(milestones('atlas'), TODAY, true).percentComplete).toBe('54.82');
    expect(ref.milestoneSummary(milestones('atlas'), TODAY, false).percentComplete).toBe('48.33');
  });

  test('risks: an investor\'s and a partner\'s counts leave out what they may not see', () => {
    const admin = ref.riskSummary(risks('admin', 'atlas'), 5);
    const aurora = ref.riskSummary(risks('aurora', 'atlas'), 5);
    const cobalt = ref.riskSummary(risks('cobalt', 'atlas'), 5);
    expect([admin.open, admin.exposure, admin.exposureChange, admin.bySeverity]).toEqual([5, 55, 7, { low: 0, medium: 1, high: 3, critical: 1 }]);
    expect([aurora.open, aurora.exposure, aurora.exposureChange, aurora.bySeverity]).toEqual([2, 25, 0, { low: 0, medium: 0, high: 1, critical: 1 }]);
    expect([cobalt.open, cobalt.exposure, cobalt.exposureChange, cobalt.bySeverity]).toEqual([2, 22, -2, { low: 0, medium: 0, high: 2, critical: 0 }]);
  });
});

describe.each(USER_LIST)('%s', (user) => {
  const view = VIEWS[user];

  test.each(Object.entries(AS_OF))('project figures, asOf %s', async (_label, asOf) => {
    const token = await app.login(USERS[user]);
    const res = await app.gql(PROJECT_FIGURES, { asOf, top: 10 }, token);
    const date = asOf ?? TODAY;
    const nodes = res.data.projects.nodes;
    expect(nodes.map(projectShape)).toEqual(view.projects.map((key) => expectedProject(user, key, date, 10)));
    if (view.side === 'partner') {
      // Every financial field of every project: null, with FORBIDDEN at its path; nothing else fails.
      const paths = nodes.flatMap((_: unknown, i: number) => ['financials', 'earnedValue', 'commitments'].map((f) => ['projects', 'nodes', i, f]));
      expect(res.errors!.map((e) => e.path)).toEqual(expect.arrayContaining(paths));
      expect(res.errors!.map((e) => e.extensions?.code)).toEqual(paths.map(() => 'FORBIDDEN'));
    } else {
      expect(res.errors).toBeUndefined();
    }
  });

  test.each(Object.entries(AS_OF))('partner summary, asOf %s', async (_label, asOf) => {
    const token = await app.login(USERS[user]);
    const res = await app.gql(PARTNER_SUMMARY, { asOf }, token);
    expect(res.errors).toBeUndefined();
    const date = asOf ?? TODAY;
    const keys = listableContracts(user);
    const all = PROJECT_KEYS.flatMap((p) => contracts(p)).filter((c) => keys.includes(c.key));
    const stats = (rows: ReturnType<typeof deliverables>) => {
      const s = ref.deliverableStats(rows, date);
      const next = s.nextDueId;
      return { asOf: date, ...ref.apiShape(s, ['nextDueId']), nextDue: next };
    };
    const summary = res.data.viewer.partnerSummary;
    const titled = (s: any) => ({ ...s, nextDue: s.nextDue?.title ?? null });
    expect({
      asOf: summary.asOf,
      contractTotals: summary.contractTotals,
      deliverableStats: titled(summary.deliverableStats),
      contracts: summary.contracts.nodes.map((c: any) => ({ reference: c.reference, deliverableStats: titled(c.deliverableStats) })),
    }).toEqual({
      asOf: date,
      contractTotals: ref.contractTotals(all, ref.CONTRACT_STATUSES),
      deliverableStats: stats(keys.flatMap((k) => deliverables(k))),
      contracts: [...all].sort((a, b) => (a.reference < b.reference ? -1 : 1)).map((c) => ({ reference: c.reference, deliverableStats: stats(deliverables(c.key)) })),
    });
  });

  test.each(Object.entries(AS_OF))('portfolio, worst VAC first, asOf %s', async (_label, asOf) => {
    const token = await app.login(USERS[user]);
    const date = asOf ?? TODAY;
    const variables = { asOf, orderBy: { metric: 'VARIANCE_AT_COMPLETION', direction: 'ASC' }, first: 100, top: 3 };
    const perProject = view.projects.map((key) => {
      const f = ref.financials({
        budget: PROJECTS[key].budget, investments: investments(key), reports: reports(key), asOf: date, viewerOrg: view.side === 'investor' ? view.org : undefined,
      });
      return { key, currency: PROJECTS[key].currency, f, ev: ref.earnedValue(milestones(key), f.ac, date) };
    });
    const allMilestones = view.projects.flatMap((key) => milestones(key));
    const allRisks = view.projects.flatMap((key) => risks(user, key));
    const portfolioMilestones = ref.milestoneSummary(allMilestones, date, false);
    const portfolioRisks = ref.riskSummary(allRisks, 3);
    const title = (id: string) => allRisks.find((x) => x.id === id)!.title;

    if (view.side === 'partner') {
      const refused = await app.gql(PORTFOLIO, variables, token);
      expect(refused.errors!.map((e) => [e.path, e.extensions?.code])).toEqual([
        [['viewer', 'portfolio', 'totals'], 'FORBIDDEN'],
        [['viewer', 'portfolio', 'projects'], 'FORBIDDEN'],
      ]);
      expect(refused.data.viewer.portfolio.totals).toBeNull();
      expect(refused.data.viewer.portfolio.projects).toBeNull();
    }

    const res = await app.gql(view.side === 'partner' ? PORTFOLIO_NON_FINANCIAL : PORTFOLIO,
      view.side === 'partner' ? { ...variables, orderBy: { metric: 'RISK_EXPOSURE', direction: 'DESC' } } : variables, token);
    expect(res.errors).toBeUndefined();
    const p = res.data.viewer.portfolio;
    expect(p.asOf).toBe(date);
    expect(p.projectCount).toBe(view.projects.length);
    if (view.side !== 'partner') expect(p.totals).toEqual(ref.currencyTotals(perProject));
    expect({ ...p.milestoneSummary, nextMilestone: p.milestoneSummary.nextMilestone?.title ?? null })
      .toEqual({ asOf: date, ...ref.apiShape(portfolioMilestones, ['nextMilestoneId']), nextMilestone: portfolioMilestones.nextMilestoneId });
    expect(projectShape({ riskSummary: p.riskSummary }).riskSummary).toEqual({
      ...portfolioRisks,
      topRisks: portfolioRisks.topRisks.map((t) => ({ title: title(t.id), score: t.score, previousScore: t.previousScore, change: t.change })),
    });

    // Row order: by the metric (nulls last), then by code.
    const metric = (key: ProjectKey): bigint | null => {
      if (view.side === 'partner') return BigInt(ref.riskSummary(risks(user, key), 0).exposure);
      const vac = perProject.find((x) => x.key === key)!.f.varianceAtCompletion;
      return vac === null ? null : ref.cents(vac);
    };
    const descending = view.side === 'partner';
    const order = [...view.projects].sort((a, b) => {
      const ma = metric(a);
      const mb = metric(b);
      if (ma === null || mb === null) return ma === mb ? (PROJECTS[a].code < PROJECTS[b].code ? -1 : 1) : ma === null ? 1 : -1;
      if (ma !== mb) return (ma < mb ? -1 : 1) * (descending ? -1 : 1);
      return PROJECTS[a].code < PROJECTS[b].code ? -1 : 1;
    });
    expect(p.projects.totalCount).toBe(view.projects.length);
    expect(p.projects.nodes.map((row: any) => [row.rank, row.project.code])).toEqual(order.map((key, i) => [i + 1, PROJECTS[key].code]));
    for (const row of p.projects.nodes) {
      const key = PROJECT_KEYS.find((k) => PROJECTS[k].code === row.project.code)!;
      const expected = expectedProject(user, key, date, 3);
      const actual = projectShape({ code: row.project.code, ...row });
      if (view.side === 'partner') {
        expect({ milestoneSummary: actual.milestoneSummary, riskSummary: actual.riskSummary })
          .toEqual({ milestoneSummary: expected.milestoneSummary, riskSummary: expected.riskSummary });
      } else {
        expect(actual).toEqual(expected);
      }
    }
  });
});

test('asOf before the first period: nothing published yet, no forecast', async () => {
  const token = await app.login(USERS.aurora);
  const asOf = addDays(periodOf(0).end, -1);
  const res = await app.gql(PROJECT_FIGURES, { asOf, top: 5 }, token);
  expect(res.errors).toBeUndefined();
  const atlas = res.data.projects.nodes[0];
  expect(atlas.financials).toMatchObject({
    actualToDate: '0.00', estimateToComplete: null, estimateAtCompletion: null, varianceAtCompletion: null, burnRate: null,
    reportedThrough: null, publishedPeriods: 0, spendByPeriod: [],
  });
  expect(atlas.earnedValue.actualCost).toBe('0.00');
  expect(atlas.earnedValue.costPerformanceIndex).toBeNull();
});

test('arguments are validated', async () => {
  const token = await app.login(USERS.admin);
  const tooMany = await app.gql('{ projects { nodes { riskSummary(top: 51) { open } } } }', {}, token);
  expect(tooMany.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
  const badDate = await app.gql('{ projects { nodes { financials(asOf: "2024-02-30") { budget } } } }', {}, token);
  expect(badDate.errors![0].message).toMatch(/not a calendar date/);
  const rows = await app.gql('{ viewer { portfolio { projects(first: 101) { nodes { rank } } } } }', {}, token);
  expect(rows.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
});

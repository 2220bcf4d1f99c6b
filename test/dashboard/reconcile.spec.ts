/**
 * The figures reconcile: one basis for BAC, AC, ETC, EAC, VAC, PV, EV, CV,
 * CPI, SPI (docs/money.md), one percent complete for every viewer, and
 * portfolio totals that set each forecast against the budgets of the same
 * projects. Exact values on the demo data and on a dataset built here.
 */
import { addDays } from '../../src/core/dates';
import { ReportStatus, SpendCategory } from '../../src/model/financial-report.entity';
import { startTestApp, USERS, type DemoUser, type TestApp } from '../support/app';
import { periodOf } from './demo';
import { EARNED_VALUE, FINANCIALS } from './documents';
import { Factory } from './factory';
import { cents, money, ratio4 } from './reference';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const FIGURES = `query F($asOf: Date) { projects(first: 100) { nodes { code financials(asOf: $asOf) { ${FINANCIALS} } earnedValue(asOf: $asOf) { ${EARNED_VALUE} } } } }`;

describe('one basis for the project figures', () => {
  test('the demo\'s Atlas today: EAC = AC + ETC, VAC = BAC − EAC, CV = EV − AC, CPI = EV / AC, SPI = EV / PV, exact', async () => {
    const res = await app.gql(FIGURES, {}, await app.login(USERS.aurora));
    expect(res.errors).toBeUndefined();
    const atlas = res.data.projects.nodes.find((p: any) => p.code === 'PRJ-2025-01');
    const f = atlas.financials;
    const ev = atlas.earnedValue;
    expect([f.budget, f.actualToDate, f.estimateToComplete, f.estimateAtCompletion, f.varianceAtCompletion])
      .toEqual(['1200000.00', '483850.50', '805000.00', '1288850.50', '-88850.50']);
    expect([ev.plannedValue, ev.earnedValue, ev.actualCost, ev.costVariance, ev.costPerformanceIndex, ev.schedulePerformanceIndex, ev.scheduleVariance])
      .toEqual(['600000.00', '603000.00', '483850.50', '119149.50', '1.2463', '1.0050', '3000.00']);
    // Both hold: the work done so far cost less than its planned value (CPI > 1, CV > 0), while the
    // re-estimated remaining work (ETC 805,000.00) exceeds what is left of the budget (BAC − AC).
    expect(money(cents(f.budget) - cents(f.actualToDate))).toBe('716149.50');
    expect(cents(f.estimateToComplete) > cents(f.budget) - cents(f.actualToDate)).toBe(true);
  });

  test.each(['admin', 'pm', 'aurora', 'beacon'] as DemoUser[])('%s: the relations hold for every project and date', async (user) => {
    const token = await app.login(USERS[user]);
    let checked = 0;
    for (const asOf of [undefined, periodOf(0).end, periodOf(2).end, addDays(periodOf(3).start, 10), addDays(periodOf(0).end, -1)]) {
      const res = await app.gql(FIGURES, { asOf }, token);
      expect(res.errors).toBeUndefined();
      for (const p of res.data.projects.nodes) {
        const f = p.financials;
        const ev = p.earnedValue;
        expect([p.code, ev.actualCost]).toEqual([p.code, f.actualToDate]);
        if (f.estimateToComplete === null) {
          expect([p.code, f.estimateAtCompletion, f.varianceAtCompletion]).toEqual([p.code, null, null]);
        } else {
          const eac = cents(f.actualToDate) + cents(f.estimateToComplete);
          expect([p.code, f.estimateAtCompletion, f.varianceAtCompletion]).toEqual([p.code, money(eac), money(cents(f.budget) - eac)]);
        }
        const [e, a, v] = [cents(ev.earnedValue), cents(ev.actualCost), cents(ev.plannedValue)];
        expect([p.code, ev.costVariance, ev.scheduleVariance, ev.costPerformanceIndex, ev.schedulePerformanceIndex])
          .toEqual([p.code, money(e - a), money(e - v), ratio4(e, a), ratio4(e, v)]);
        checked += 1;
      }
    }
    expect(checked).toBe(5 * (user === 'admin' ? 3 : 2));
  });
});

const MILESTONES = 'milestoneSummary { percentComplete percentCompleteBasis completionPercent completionBasis }';

describe('one percent complete for every viewer', () => {
  const EXPECTED: Record<string, [string, string]> = {
    // Σ(plannedValue × progress) / Σ plannedValue: 603000 / 1100000, 418000 / 780000, 0 / 400000.
    'PRJ-2025-01': ['54.82', 'PLANNED_VALUE'],
    'PRJ-2025-02': ['53.59', 'PLANNED_VALUE'],
    'PRJ-2026-01': ['0.00', 'PLANNED_VALUE'],
  };
  // The mean of the visible projects' unrounded figures.
  const PORTFOLIO: Record<DemoUser, string> = { admin: '36.14', pm: '54.20', aurora: '54.20', beacon: '26.79', cobalt: '54.82', delta: '53.59' };

  test.each(Object.keys(USERS) as DemoUser[])('%s reads the same completionPercent as everyone, and no planned value', async (user) => {
    const res = await app.gql(`{
      projects(first: 10) { nodes { code ${MILESTONES} } }
      viewer {
        portfolio { ${MILESTONES} }
        ranked: portfolio(orderBy: { metric: PERCENT_COMPLETE, direction: DESC }) { projects(first: 10) { nodes { project { code } } } }
      }
    }`, {}, await app.login(USERS[user]));
    expect(res.errors).toBeUndefined();
    for (const p of res.data.projects.nodes) {
      const { completionPercent, completionBasis } = p.milestoneSummary;
      expect([p.code, completionPercent, completionBasis]).toEqual([p.code, ...EXPECTED[p.code]]);
    }
    const portfolio = res.data.viewer.portfolio;
    expect([portfolio.milestoneSummary.completionPercent, portfolio.milestoneSummary.completionBasis]).toEqual([PORTFOLIO[user], 'PROJECT_MEAN']);
    // Ranking by PERCENT_COMPLETE follows the same number for every viewer.
    const order = res.data.viewer.ranked.projects.nodes.map((n: any) => n.project.code);
    expect(order).toEqual([...order].sort((a: string, b: string) => Number(EXPECTED[b][0]) - Number(EXPECTED[a][0])));
  });

  test('the older, viewer-dependent percentComplete is unchanged: 54.82 for an investor, 48.33 for the vendor', async () => {
    const q = `{ projects(first: 1) { nodes { ${MILESTONES} } } }`;
    const aurora = await app.gql(q, {}, await app.login(USERS.aurora));
    const cobalt = await app.gql(q, {}, await app.login(USERS.cobalt));
    expect(aurora.data.projects.nodes[0].milestoneSummary).toEqual({ percentComplete: '54.82', percentCompleteBasis: 'PLANNED_VALUE', completionPercent: '54.82', completionBasis: 'PLANNED_VALUE' });
    expect(cobalt.data.projects.nodes[0].milestoneSummary).toEqual({ percentComplete: '48.33', percentCompleteBasis: 'MILESTONE_COUNT', completionPercent: '54.82', completionBasis: 'PLANNED_VALUE' });
    expect(cobalt.errors).toBeUndefined();
  });
});

const TOTALS = `{ viewer { portfolio { totals {
  currency projectCount reportingProjectCount budget forecastBudget budgetWithoutForecast estimateAtCompletion varianceAtCompletion
  projectsWithoutForecast { name }
} } } }`;

describe('portfolio totals compare like with like', () => {
  test('demo, admin: Atlas\'s forecast against Atlas\'s budget; Cirrus (no report) listed apart', async () => {
    const res = await app.gql(TOTALS, {}, await app.login(USERS.admin));
    expect(res.errors).toBeUndefined();
    expect(res.data.viewer.portfolio.totals).toEqual([
      {
        currency: 'EUR', projectCount: 2, reportingProjectCount: 1, budget: '1600000.00', forecastBudget: '1200000.00', budgetWithoutForecast: '400000.00',
        estimateAtCompletion: '1288850.50', varianceAtCompletion: '-88850.50', projectsWithoutForecast: [{ name: 'Cirrus' }],
      },
      {
        currency: 'USD', projectCount: 1, reportingProjectCount: 1, budget: '850000.00', forecastBudget: '850000.00', budgetWithoutForecast: '0.00',
        estimateAtCompletion: '890099.99', varianceAtCompletion: '-40099.99', projectsWithoutForecast: [],
      },
    ]);
  });

  test('demo, beacon: only Borealis reports; Cirrus is its own EUR line without a forecast', async () => {
    const res = await app.gql(TOTALS, {}, await app.login(USERS.beacon));
    expect(res.data.viewer.portfolio.totals).toEqual([
      {
        currency: 'EUR', projectCount: 1, reportingProjectCount: 0, budget: '400000.00', forecastBudget: null, budgetWithoutForecast: '400000.00',
        estimateAtCompletion: null, varianceAtCompletion: null, projectsWithoutForecast: [{ name: 'Cirrus' }],
      },
      {
        currency: 'USD', projectCount: 1, reportingProjectCount: 1, budget: '850000.00', forecastBudget: '850000.00', budgetWithoutForecast: '0.00',
        estimateAtCompletion: '890099.99', varianceAtCompletion: '-40099.99', projectsWithoutForecast: [],
      },
    ]);
  });

  test('built dataset: a draft-only project and a project without reports do not lend their budgets to the forecast', async () => {
    const f = new Factory(app.orm);
    const reporting = await f.project({ name: 'Reconcile A', currency: 'CHF', budget: '100000.00' });
    const draftOnly = await f.project({ name: 'Reconcile B', currency: 'CHF', budget: '20000.00' });
    await f.project({ name: 'Reconcile C', currency: 'CHF', budget: '50000.00' });
    const line = (actual: string, etc: string): [SpendCategory, string, string, string] => [SpendCategory.LABOR, '10000.00', actual, etc];
    f.report(reporting, { periodStart: '2024-01-01', revision: 1, status: ReportStatus.PUBLISHED, lines: [line('12000.00', '95000.00')] });
    f.report(reporting, { periodStart: '2024-02-01', revision: 1, status: ReportStatus.PUBLISHED, lines: [line('18000.00', '80000.50')] });
    f.report(draftOnly, { periodStart: '2024-01-01', revision: 1, status: ReportStatus.DRAFT, lines: [line('5000.00', '1000.00')] });
    await f.flush();
    const res = await app.gql(TOTALS, {}, await app.login(USERS.admin));
    expect(res.errors).toBeUndefined();
    const chf = res.data.viewer.portfolio.totals.find((t: any) => t.currency === 'CHF');
    // EAC = 30000.00 + 80000.50; VAC = 100000.00 − 110000.50, against Reconcile A's budget only.
    expect(chf).toEqual({
      currency: 'CHF', projectCount: 3, reportingProjectCount: 1, budget: '170000.00', forecastBudget: '100000.00', budgetWithoutForecast: '70000.00',
      estimateAtCompletion: '110000.50', varianceAtCompletion: '-10000.50',
      projectsWithoutForecast: [{ name: 'Reconcile B' }, { name: 'Reconcile C' }],
    });
  });
});

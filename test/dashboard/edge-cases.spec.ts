/**
 * Dashboard edge cases, with values worked out by hand: a project without any
 * published report (only a DRAFT revision) and without milestones, zero
 * actual spend (CPI null), a draft revision next to a published one, a
 * cancelled milestone, a late acceptance, and a restatement made after the
 * figures were first read.
 */
import { ContractStatus } from '../../src/model/contract.entity';
import { DeliverableStatus } from '../../src/model/deliverable.entity';
import { FinancialReport, ReportStatus, SpendCategory } from '../../src/model/financial-report.entity';
import { MilestoneStatus } from '../../src/model/milestone.entity';
import { RiskStatus, RiskVisibility } from '../../src/model/risk.entity';
import { startTestApp, USERS, type TestApp } from '../support/app';
import { periodOf, TODAY } from './demo';
import { CONTRACT_TOTALS, DELIVERABLES, EARNED_VALUE, FINANCIALS, MILESTONES, RISKS } from './documents';
import { Factory } from './factory';

let app: TestApp;
let nimbusCode: string;
let zephyrCode: string;
let zephyrContractId: string;

beforeAll(async () => {
  app = await startTestApp();
  const f = new Factory(app.orm);

  // Nimbus: nothing published (its only report is a DRAFT), no milestones, no risks, no contracts, managed by nobody.
  const nimbus = await f.project({ name: 'Nimbus', budget: '500000.00' });
  f.report(nimbus, { periodStart: '2025-01-01', revision: 1, status: ReportStatus.DRAFT, lines: [[SpendCategory.LABOR, '1000.00', '999.99', '5000.00']] });

  // Zephyr: managed by pm, funded by Beacon; a published report with zero actual and a DRAFT revision 2 of the same period.
  const zephyr = await f.project({ name: 'Zephyr', currency: 'USD', budget: '100000.00', managers: [USERS.pm], investors: [['beacon', '60000.00', '2020-02-01'], ['aurora', '5000.00', '2031-01-01']] });
  f.report(zephyr, { periodStart: '2021-01-01', revision: 1, status: ReportStatus.PUBLISHED, lines: [[SpendCategory.LABOR, '1000.00', '0.00', '90000.00'], [SpendCategory.OTHER, '500.00', '0.00', '9999.99']] });
  f.report(zephyr, { periodStart: '2021-01-01', revision: 2, status: ReportStatus.DRAFT, lines: [[SpendCategory.LABOR, '1000.00', '777.00', '1.00']] });
  f.milestone(zephyr, { dueDate: '2020-06-01', status: MilestoneStatus.IN_PROGRESS, progress: 50, plannedValue: '40000.00' });
  f.milestone(zephyr, { dueDate: '2020-05-01', status: MilestoneStatus.CANCELLED, progress: 80, plannedValue: '10000.00' });
  f.milestone(zephyr, { dueDate: '2020-04-01', status: MilestoneStatus.DONE, progress: 100, plannedValue: null });
  f.risk(zephyr, { status: RiskStatus.OPEN, visibility: RiskVisibility.INVESTORS, history: [[2, 3]] });
  f.risk(zephyr, { status: RiskStatus.CLOSED, visibility: RiskVisibility.STAKEHOLDERS, history: [[5, 5], [1, 1]] });
  await f.contract(zephyr, 'delta', { status: ContractStatus.DRAFT, value: '99999.00' });
  const active = await f.contract(zephyr, 'cobalt', { status: ContractStatus.ACTIVE, value: '1000.50' });
  await f.contract(zephyr, 'cobalt', { status: ContractStatus.COMPLETED, value: '2000.25' });
  f.deliverable(active, { status: DeliverableStatus.ACCEPTED, dueDate: '2021-03-10' });
  f.deliverable(active, { status: DeliverableStatus.ACCEPTED, dueDate: '2021-03-11', decidedAt: '2021-03-11T23:30:00Z' });
  f.deliverable(active, { status: DeliverableStatus.ACCEPTED, dueDate: '2021-03-12', decidedAt: '2021-03-15T10:00:00Z' });
  f.deliverable(active, { status: DeliverableStatus.REJECTED, dueDate: '2021-03-13' });
  f.deliverable(active, { status: DeliverableStatus.SUBMITTED, dueDate: '2021-03-14' });
  await f.flush();
  nimbusCode = nimbus.code;
  zephyrCode = zephyr.code;
  zephyrContractId = active.id;
});
afterAll(async () => {
  await app?.close();
});

const ONE_PROJECT = `
  query One($code: String!, $asOf: Date) {
    projects(filter: { search: $code }, first: 5) {
      nodes {
        code
        financials(asOf: $asOf) { ${FINANCIALS} }
        earnedValue(asOf: $asOf) { ${EARNED_VALUE} }
        milestoneSummary(asOf: $asOf) { ${MILESTONES} }
        riskSummary { ${RISKS} }
        commitments { ${CONTRACT_TOTALS} }
      }
    }
  }`;

async function project(user: keyof typeof USERS, code: string, asOf?: string) {
  const res = await app.gql(ONE_PROJECT, { code, asOf }, await app.login(USERS[user]));
  expect(res.errors).toBeUndefined();
  return res.data.projects.nodes.find((n: any) => n.code === code) ?? null;
}

const ZERO_CATEGORIES = ['LABOR', 'VENDORS', 'INFRASTRUCTURE', 'LICENSES', 'OTHER'].map((category) => ({ category, planned: '0.00', actual: '0.00', estimateToComplete: '0.00' }));

test('a project with only a DRAFT report and no milestones: no forecast, no ratios, zeros', async () => {
  const nimbus = await project('admin', nimbusCode);
  expect(nimbus).toEqual({
    code: nimbusCode,
    financials: {
      asOf: TODAY, currency: 'EUR', budget: '500000.00', committed: '0.00', actualToDate: '0.00', estimateToComplete: null, estimateAtCompletion: null,
      varianceAtCompletion: null, burnRate: null, reportedThrough: null, publishedPeriods: 0, spendByPeriod: [], spendByCategory: ZERO_CATEGORIES,
    },
    earnedValue: {
      asOf: TODAY, currency: 'EUR', plannedValue: '0.00', earnedValue: '0.00', actualCost: '0.00', costPerformanceIndex: null, schedulePerformanceIndex: null,
      costVariance: '0.00', scheduleVariance: '0.00',
    },
    milestoneSummary: { asOf: TODAY, total: 0, done: 0, overdue: 0, dueNext30Days: 0, percentComplete: null, percentCompleteBasis: 'MILESTONE_COUNT', nextMilestone: null },
    riskSummary: { open: 0, bySeverity: { low: 0, medium: 0, high: 0, critical: 0 }, exposure: 0, exposureChange: 0, rising: 0, falling: 0, topRisks: [] },
    commitments: {
      count: 0, value: '0.00',
      byStatus: ['ACTIVE', 'SUSPENDED', 'COMPLETED', 'TERMINATED'].map((status) => ({ status, count: 0, value: '0.00' })),
    },
  });
});

test('zero actual: CPI null, the DRAFT revision 2 ignored, the cancelled milestone out of PV, EV and percent complete', async () => {
  const asOf = '2030-01-01';
  const zephyr = await project('pm', zephyrCode, asOf);
  expect(zephyr.financials).toEqual({
    asOf, currency: 'USD', budget: '100000.00',
    // Aurora's investment is dated after asOf.
    committed: '60000.00',
    actualToDate: '0.00', estimateToComplete: '99999.99', estimateAtCompletion: '99999.99', varianceAtCompletion: '0.01', burnRate: '0.00',
    reportedThrough: '2021-01-31', publishedPeriods: 1,
    spendByPeriod: [{ periodStart: '2021-01-01', periodEnd: '2021-01-31', revision: 1, planned: '1500.00', actual: '0.00', cumulativePlanned: '1500.00', cumulativeActual: '0.00', estimateToComplete: '99999.99' }],
    spendByCategory: [
      { category: 'LABOR', planned: '1000.00', actual: '0.00', estimateToComplete: '90000.00' },
      { category: 'VENDORS', planned: '0.00', actual: '0.00', estimateToComplete: '0.00' },
      { category: 'INFRASTRUCTURE', planned: '0.00', actual: '0.00', estimateToComplete: '0.00' },
      { category: 'LICENSES', planned: '0.00', actual: '0.00', estimateToComplete: '0.00' },
      { category: 'OTHER', planned: '500.00', actual: '0.00', estimateToComplete: '9999.99' },
    ],
  });
  expect(zephyr.earnedValue).toEqual({
    asOf, currency: 'USD', plannedValue: '40000.00', earnedValue: '20000.00', actualCost: '0.00',
    costPerformanceIndex: null, schedulePerformanceIndex: '0.5000', costVariance: '20000.00', scheduleVariance: '-20000.00',
  });
  expect(zephyr.milestoneSummary).toEqual({
    asOf, total: 3, done: 1, overdue: 1, dueNext30Days: 0, percentComplete: '50.00', percentCompleteBasis: 'PLANNED_VALUE', nextMilestone: null,
  });
  expect(zephyr.riskSummary).toEqual({
    open: 1, bySeverity: { low: 0, medium: 1, high: 0, critical: 0 }, exposure: 6, exposureChange: 0, rising: 0, falling: 0,
    topRisks: [{ score: 6, previousScore: null, change: null, risk: { id: expect.any(String), title: expect.stringMatching(/^Risk /) } }],
  });
  // The DRAFT contract commits nobody.
  expect(zephyr.commitments).toEqual({
    count: 2, value: '3000.75',
    byStatus: [
      { status: 'ACTIVE', count: 1, value: '1000.50' }, { status: 'SUSPENDED', count: 0, value: '0.00' },
      { status: 'COMPLETED', count: 1, value: '2000.25' }, { status: 'TERMINATED', count: 0, value: '0.00' },
    ],
  });
  // Before the period ended: nothing reported yet.
  const early = await project('pm', zephyrCode, '2021-01-30');
  expect([early.financials.actualToDate, early.financials.estimateAtCompletion, early.earnedValue.costPerformanceIndex]).toEqual(['0.00', null, null]);
});

test('acceptance and on-time rates: a late acceptance counts against on time, 23:30 UTC on the due date does not', async () => {
  const res = await app.gql(`query { viewer { partnerSummary(asOf: "2021-03-12") { contracts(first: 100) { nodes { id reference deliverableStats(asOf: "2021-03-12") { ${DELIVERABLES} } } } } } }`, {}, await app.login(USERS.cobalt));
  expect(res.errors).toBeUndefined();
  const contract = res.data.viewer.partnerSummary.contracts.nodes.find((c: any) => Buffer.from(c.id, 'base64url').toString().endsWith(zephyrContractId));
  expect({ ...contract.deliverableStats, nextDue: contract.deliverableStats.nextDue?.title ?? null }).toEqual({
    asOf: '2021-03-12', total: 5,
    byStatus: [{ status: 'PLANNED', count: 0 }, { status: 'IN_PROGRESS', count: 0 }, { status: 'SUBMITTED', count: 1 }, { status: 'ACCEPTED', count: 3 }, { status: 'REJECTED', count: 1 }],
    // The rejected one (due 2021-03-13) is still owed but not yet due; the submitted one waits for review.
    overdue: 0, awaitingReview: 1, decided: 4, acceptanceRate: '0.7500', onTimeRate: '0.6667', nextDue: expect.stringMatching(/^Deliverable /),
  });
  // Zephyr made Cobalt a partner of a second project: its portfolio grows, its financial figures stay FORBIDDEN.
  const portfolio = await app.gql('{ viewer { portfolio { projectCount totals { currency } } } }', {}, await app.login(USERS.cobalt));
  expect(portfolio.data.viewer.portfolio).toEqual({ projectCount: 2, totals: null });
  expect(portfolio.errors!.map((e) => [e.path, e.extensions?.code])).toEqual([[['viewer', 'portfolio', 'totals'], 'FORBIDDEN']]);
});

test('a MANAGER\'s portfolio covers only managed projects; the ADMIN\'s covers all', async () => {
  const count = async (user: keyof typeof USERS) =>
    (await app.gql('{ viewer { portfolio { projectCount projects(first: 100) { totalCount nodes { project { name } } } } } }', {}, await app.login(USERS[user]))).data.viewer.portfolio;
  expect(await count('pm')).toEqual({ projectCount: 3, projects: { totalCount: 3, nodes: [{ project: { name: 'Atlas' } }, { project: { name: 'Borealis' } }, { project: { name: 'Zephyr' } }] } });
  expect((await count('admin')).projectCount).toBe(5);
  // Zephyr is Beacon's too; Aurora's only Zephyr investment is there as well (dated 2031), so both see it.
  expect((await count('beacon')).projectCount).toBe(3);
  expect((await count('aurora')).projectCount).toBe(3);
});

test('a restatement published after the figures were read replaces the period everywhere it is covered', async () => {
  const atlas = (await app.gql('{ projects(first: 1) { nodes { code } } }', {}, await app.login(USERS.admin))).data.projects.nodes[0].code;
  const before = await project('aurora', atlas);
  const beforeMonth3 = await project('aurora', atlas, periodOf(3).end);
  expect([before.financials.actualToDate, beforeMonth3.financials.actualToDate, beforeMonth3.financials.estimateToComplete])
    .toEqual(['483850.50', '382100.00', '890000.00']);

  // Month 3 restated: labor actual 67000.00 → 70000.00, ETC 890000.00 → 875000.00; a DRAFT revision 3 of month 4 is ignored.
  const f = new Factory(app.orm);
  const project3 = await f.projectByCode(atlas);
  const original = await f.em.findOneOrFail(FinancialReport, { project: project3, periodStart: periodOf(3).start, revision: 1 });
  original.status = ReportStatus.SUPERSEDED;
  f.report(project3, {
    periodStart: periodOf(3).start, revision: 2, status: ReportStatus.PUBLISHED,
    lines: [[SpendCategory.LABOR, '65000.00', '70000.00', '700000.00'], [SpendCategory.VENDORS, '25000.00', '26000.00', '130000.00'], [SpendCategory.INFRASTRUCTURE, '6000.00', '5800.00', '45000.00']],
  });
  f.report(project3, { periodStart: periodOf(4).start, revision: 3, status: ReportStatus.DRAFT, lines: [[SpendCategory.LABOR, '1.00', '999999.00', '1.00']] });
  await f.flush();

  for (const user of ['admin', 'aurora'] as const) {
    const after = await project(user, atlas);
    const afterMonth3 = await project(user, atlas, periodOf(3).end);
    expect([after.financials.actualToDate, after.financials.estimateToComplete, after.financials.varianceAtCompletion, after.financials.burnRate])
      .toEqual(['486850.50', '805000.00', '-91850.50', '100383.50']);
    expect([afterMonth3.financials.actualToDate, afterMonth3.financials.estimateToComplete, afterMonth3.financials.spendByPeriod[3].revision])
      .toEqual(['385100.00', '875000.00', 2]);
    expect(after.earnedValue.costPerformanceIndex).toBe('1.2386');
  }
  // Periods before the restated one are untouched.
  expect((await project('aurora', atlas, periodOf(2).end)).financials.actualToDate).toBe('283300.00');
});

/**
 * Dashboards cost a constant number of SQL statements: the portfolio with
 * every nested summary (and the project list with every figure) issues as
 * many statements for 30 projects as for 3.
 */
import { ContractStatus } from '../../src/model/contract.entity';
import { DeliverableStatus } from '../../src/model/deliverable.entity';
import { ReportStatus, SpendCategory } from '../../src/model/financial-report.entity';
import { MilestoneStatus } from '../../src/model/milestone.entity';
import { RiskStatus, RiskVisibility } from '../../src/model/risk.entity';
import { startTestApp, USERS, type TestApp } from '../support/app';
import { PARTNER_SUMMARY, PORTFOLIO, PORTFOLIO_NON_FINANCIAL, PROJECT_FIGURES } from './documents';
import { Factory } from './factory';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

interface Probe { user: keyof typeof USERS; document: string; variables: Record<string, unknown>; rows: (data: any) => number }

const PROBES: Record<string, Probe> = {
  'admin: portfolio with every nested summary': {
    user: 'admin', document: PORTFOLIO, variables: { first: 100, top: 5, orderBy: { metric: 'VARIANCE_AT_COMPLETION', direction: 'ASC' } },
    rows: (d) => d.viewer.portfolio.projects.nodes.length,
  },
  'pm (MANAGER): portfolio with every nested summary': {
    user: 'pm', document: PORTFOLIO, variables: { first: 100, top: 5, orderBy: { metric: 'RISK_EXPOSURE', direction: 'DESC' } },
    rows: (d) => d.viewer.portfolio.projects.nodes.length,
  },
  'aurora (investor): portfolio with every nested summary': {
    user: 'aurora', document: PORTFOLIO, variables: { first: 100, top: 5, orderBy: { metric: 'COST_PERFORMANCE_INDEX', direction: 'ASC' } },
    rows: (d) => d.viewer.portfolio.projects.nodes.length,
  },
  'cobalt (partner): portfolio without the financial parts': {
    user: 'cobalt', document: PORTFOLIO_NON_FINANCIAL, variables: { first: 100, top: 5, orderBy: { metric: 'PERCENT_COMPLETE', direction: 'DESC' } },
    rows: (d) => d.viewer.portfolio.projects.nodes.length,
  },
  'cobalt (partner): partner summary with per-contract stats': {
    user: 'cobalt', document: PARTNER_SUMMARY, variables: {},
    rows: (d) => d.viewer.partnerSummary.contracts.nodes.length,
  },
  'admin: project list with every figure': {
    user: 'admin', document: PROJECT_FIGURES, variables: { top: 5 },
    rows: (d) => d.projects.nodes.length,
  },
};

async function measure(probe: Probe): Promise<{ statements: number; rows: number }> {
  const token = await app.login(USERS[probe.user]);
  // Once to warm per-process caches (schema, login), then counted.
  await app.gql(probe.document, probe.variables, token);
  app.sql.reset();
  const res = await app.gql(probe.document, probe.variables, token);
  const statements = app.sql.count;
  expect(res.errors).toBeUndefined();
  return { statements, rows: probe.rows(res.data) };
}

/** 27 more projects, each visible to every demo user, with rows of every kind the figures read. */
async function addProjects(count: number): Promise<void> {
  const f = new Factory(app.orm);
  for (let i = 0; i < count; i += 1) {
    const project = await f.project({
      name: `Scale ${i}`, currency: i % 2 ? 'USD' : 'EUR', budget: `${100000 + i * 1000}.00`, managers: [USERS.pm],
      investors: [['aurora', '50000.00', '2024-01-01'], ['beacon', '25000.00', '2024-02-01']],
    });
    const contract = await f.contract(project, 'cobalt', { status: ContractStatus.ACTIVE, value: '10000.00' });
    await f.contract(project, 'delta', { status: i % 3 ? ContractStatus.ACTIVE : ContractStatus.DRAFT, value: '5000.00' });
    for (let m = 0; m < 3; m += 1) {
      f.milestone(project, { dueDate: `2025-0${m + 1}-15`, status: m === 0 ? MilestoneStatus.DONE : MilestoneStatus.IN_PROGRESS, progress: 30 * m + 10, plannedValue: `${(m + 1) * 1000}.00` });
    }
    for (let month = 1; month <= 2; month += 1) {
      f.report(project, { periodStart: `2024-0${month}-01`, revision: 1, status: ReportStatus.PUBLISHED, lines: [[SpendCategory.LABOR, '1000.00', `${900 + i}.00`, '50000.00']] });
    }
    f.report(project, { periodStart: '2024-03-01', revision: 1, status: ReportStatus.DRAFT, lines: [[SpendCategory.LABOR, '1.00', '1.00', '1.00']] });
    f.risk(project, { status: RiskStatus.OPEN, visibility: RiskVisibility.STAKEHOLDERS, history: [[2, 2], [3, 4]] });
    f.risk(project, { status: RiskStatus.MITIGATING, visibility: RiskVisibility.CONTRACT, contract, history: [[5, 5]] });
    f.risk(project, { status: RiskStatus.OPEN, visibility: RiskVisibility.INTERNAL, history: [[1, 2]] });
    f.deliverable(contract, { status: DeliverableStatus.ACCEPTED, dueDate: '2024-05-01' });
    f.deliverable(contract, { status: DeliverableStatus.PLANNED, dueDate: '2030-05-01' });
  }
  await f.flush();
}

test('3 projects and 30 projects cost the same number of statements', async () => {
  const before: Record<string, { statements: number; rows: number }> = {};
  for (const [name, probe] of Object.entries(PROBES)) before[name] = await measure(probe);
  await addProjects(27);
  const after: Record<string, { statements: number; rows: number }> = {};
  for (const [name, probe] of Object.entries(PROBES)) after[name] = await measure(probe);

  if (process.env.DASHBOARD_STATEMENTS) console.info(JSON.stringify({ before, after }, null, 2));
  // The data grew as intended: every user sees 27 more projects (Cobalt: 27 more contracts).
  expect(Object.values(before).map((m) => m.rows)).toEqual([3, 2, 2, 1, 1, 3]);
  expect(Object.values(after).map((m) => m.rows)).toEqual([30, 29, 29, 28, 28, 30]);
  for (const name of Object.keys(PROBES)) {
    expect([name, after[name].statements]).toEqual([name, before[name].statements]);
  }
});

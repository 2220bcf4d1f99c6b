/**
 * The scoping oracle: random extra data (seeded, replayable) with every
 * visibility, status and revision pattern, then for each demo user and
 * several dates, every dashboard figure must equal the same figure computed
 * here from the rows that user can list through the API. An aggregate that
 * ignored a row permission — an INTERNAL risk in an investor's count, a DRAFT
 * report in a total, another vendor's deliverable in a rate — would differ.
 *
 * Two figures are project-level by definition and read rows the viewer
 * cannot list (docs/visibility.md): `committed` sums every investor's
 * investment and `commitments` sums the project's contracts for investors.
 * Their expected values come from the operator's listing of the same project,
 * passed for an investor through the disclosure rule (reference.ts).
 */
import { addDays } from '../../src/core/dates';
import { parseGlobalId } from '../../src/core/global-id';
import { ContractStatus } from '../../src/model/contract.entity';
import { DeliverableStatus } from '../../src/model/deliverable.entity';
import { ReportStatus, SpendCategory } from '../../src/model/financial-report.entity';
import { MilestoneStatus } from '../../src/model/milestone.entity';
import type { Project } from '../../src/model/project.entity';
import { RiskStatus, RiskVisibility } from '../../src/model/risk.entity';
import { startTestApp, USERS, type DemoUser, type TestApp } from '../support/app';
import { TODAY } from './demo';
import { CONTRACT_TOTALS, DELIVERABLES, EARNED_VALUE, FINANCIALS, MILESTONES, PORTFOLIO_TOTALS, RISKS } from './documents';
import { Factory, prng, type OrgKey } from './factory';
import * as ref from './reference';

const SEED = Number(process.env.DASHBOARD_ORACLE_SEED ?? 20240611);
const AS_OFS = ['2019-06-15', '2020-12-31', '2021-07-31', TODAY, '2031-01-01'];
const USER_LIST = Object.keys(USERS) as DemoUser[];

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await generate(SEED);
});
afterAll(async () => {
  await app?.close();
});

/** Random rows on the three demo projects and on three new ones, every status and visibility represented. */
async function generate(seed: number): Promise<void> {
  const rnd = prng(seed);
  const f = new Factory(app.orm);
  const projects: Project[] = [];
  for (const code of ['PRJ-2025-01', 'PRJ-2025-02', 'PRJ-2026-01']) projects.push(await f.projectByCode(code));
  for (let i = 0; i < 3; i += 1) {
    const investors: [OrgKey, string, string][] = [];
    for (const org of ['aurora', 'beacon'] as const) if (rnd.chance(0.6)) investors.push([org, rnd.amount(90000), addDays('2019-01-01', rnd.int(0, 3000))]);
    projects.push(await f.project({
      name: `Oracle ${i}`, currency: rnd.pick(['EUR', 'USD']), budget: rnd.amount(900000), managers: rnd.chance(0.5) ? [USERS.pm] : [], investors,
    }));
  }
  for (const project of projects) {
    const contracts = [];
    for (let c = 0, n = rnd.int(0, 3); c < n; c += 1) {
      contracts.push(await f.contract(project, rnd.pick(['cobalt', 'delta'] as const), { status: rnd.pick(Object.values(ContractStatus)), value: rnd.amount(200000) }));
    }
    for (let m = 0, n = rnd.int(0, 4); m < n; m += 1) {
      f.milestone(project, {
        dueDate: addDays('2019-01-01', rnd.int(0, 4700)), status: rnd.pick(Object.values(MilestoneStatus)), progress: rnd.int(0, 100),
        plannedValue: rnd.chance(0.2) ? null : rnd.amount(150000),
      });
    }
    const months = [...Array(36).keys()];
    for (let i = months.length - 1; i > 0; i -= 1) {
      const j = rnd.int(0, i);
      [months[i], months[j]] = [months[j], months[i]];
    }
    months.length = rnd.int(0, 3);
    for (const month of months) {
      const periodStart = `${2019 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}-01`;
      const pattern = rnd.pick([
        [ReportStatus.DRAFT], [ReportStatus.PUBLISHED], [ReportStatus.SUPERSEDED, ReportStatus.PUBLISHED],
        [ReportStatus.PUBLISHED, ReportStatus.DRAFT], [ReportStatus.SUPERSEDED, ReportStatus.SUPERSEDED, ReportStatus.PUBLISHED],
      ]);
      pattern.forEach((status, r) => {
        const categories = Object.values(SpendCategory).filter(() => rnd.chance(0.6));
        f.report(project, {
          periodStart, revision: r + 1, status,
          lines: categories.map((category) => [category, rnd.amount(80000), rnd.amount(80000), rnd.amount(500000)] as [SpendCategory, string, string, string]),
        });
      });
    }
    for (let r = 0, n = rnd.int(0, 4); r < n; r += 1) {
      const visibility = rnd.pick(Object.values(RiskVisibility));
      const history: [number, number][] = [...Array(rnd.int(1, 3))].map(() => [rnd.int(1, 5), rnd.int(1, 5)]);
      f.risk(project, {
        status: rnd.pick(Object.values(RiskStatus)), visibility, history,
        contract: contracts.length && (visibility === RiskVisibility.CONTRACT || rnd.chance(0.3)) ? rnd.pick(contracts) : null,
      });
    }
    for (const contract of contracts) {
      for (let d = 0, n = rnd.int(0, 3); d < n; d += 1) {
        const dueDate = addDays('2019-01-01', rnd.int(0, 4700));
        const decidedAt = `${addDays(dueDate, rnd.int(-3, 3))}T${String(rnd.int(0, 23)).padStart(2, '0')}:30:00.000Z`;
        f.deliverable(contract, { status: rnd.pick(Object.values(DeliverableStatus)), dueDate, decidedAt });
      }
    }
  }
  await f.flush();
}

const rawId = (globalId: string): string => parseGlobalId(globalId)!.id;

/** Everything the viewer can list, page sizes bounded so the whole listing fits the cost limit (asserted complete below). */
function listing(withPlannedValue: boolean, withBudget: boolean): string {
  return `{
    projects(first: 10) {
      pageInfo { hasNextPage }
      nodes {
        id code currency ${withBudget ? 'budget' : ''}
        milestones(first: 20) { pageInfo { hasNextPage } nodes { id dueDate status progress ${withPlannedValue ? 'plannedValue' : ''} } }
        financialReports(first: 30) { pageInfo { hasNextPage } nodes { periodStart periodEnd revision status lines(first: 5) { pageInfo { hasNextPage } nodes { category planned actual estimateToComplete } } } }
        risks(first: 20) { pageInfo { hasNextPage } nodes { id score status assessments(first: 5) { pageInfo { hasNextPage } nodes { id likelihood impact assessedAt } } } }
        contracts(first: 10) { pageInfo { hasNextPage } nodes { id status value counterparty { id } deliverables(first: 10) { pageInfo { hasNextPage } nodes { id status dueDate decidedAt } } } }
        investments(first: 10) { pageInfo { hasNextPage } nodes { committedAmount committedOn organization { id } } }
      }
    }
    viewer { organization { id } }
  }`;
}

function figuresDocument(financial: boolean): string {
  return `query Figures($asOf: Date) {
    projects(first: 10) {
      nodes {
        id
        ${financial ? `financials(asOf: $asOf) { ${FINANCIALS} } earnedValue(asOf: $asOf) { ${EARNED_VALUE} } commitments { ${CONTRACT_TOTALS} }` : ''}
        milestoneSummary(asOf: $asOf) { ${MILESTONES} }
        riskSummary(top: 50) { ${RISKS} }
        contracts(first: 10) { nodes { id deliverableStats(asOf: $asOf) { ${DELIVERABLES} } } }
      }
    }
    viewer {
      partnerSummary(asOf: $asOf) { contractTotals { ${CONTRACT_TOTALS} } deliverableStats { ${DELIVERABLES} } }
      portfolio(asOf: $asOf) {
        projectCount
        ${financial ? `totals { ${PORTFOLIO_TOTALS} }` : ''}
        milestoneSummary { ${MILESTONES} }
        riskSummary(top: 50) { ${RISKS} }
      }
    }
  }`;
}

/** Fails unless every connection of the listing was complete. */
function assertComplete(value: unknown, path = 'data'): void {
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (v.pageInfo) expect([path, (v.pageInfo as { hasNextPage: boolean }).hasNextPage]).toEqual([path, false]);
    for (const [key, child] of Object.entries(v)) assertComplete(child, `${path}.${key}`);
  }
}

async function list(user: DemoUser): Promise<any[]> {
  const side = user === 'cobalt' || user === 'delta' ? 'partner' : 'other';
  const res = await app.gql(listing(side !== 'partner', side !== 'partner'), {}, await app.login(USERS[user]));
  expect(res.errors).toBeUndefined();
  assertComplete(res.data);
  viewerOrgs.set(user, res.data.viewer.organization.id);
  return res.data.projects.nodes;
}

/** Each user's organization id, recorded by list(). */
const viewerOrgs = new Map<DemoUser, string>();

const nodeIds = <T extends { id: string }>(rows: T[]): T[] => rows.map((r) => ({ ...r, id: rawId(r.id) }));

function milestoneRows(p: any, withPlannedValue: boolean): ref.MilestoneRow[] {
  return nodeIds(p.milestones.nodes).map((m: any) => ({ ...m, plannedValue: withPlannedValue ? m.plannedValue : null }));
}
function reportRows(p: any): ref.ReportRow[] {
  return p.financialReports.nodes.map((r: any) => ({ ...r, lines: r.lines.nodes }));
}
function riskRows(p: any): ref.RiskRow[] {
  return nodeIds(p.risks.nodes).map((r: any) => ({ ...r, assessments: nodeIds(r.assessments.nodes) }));
}
const deliverableRows = (c: any): ref.DeliverableRow[] => nodeIds(c.deliverables.nodes);

/** The API's summaries with objects replaced by their raw ids, as the reference names them. */
const milestoneShape = (s: any) => ({ ...s, nextMilestone: s.nextMilestone ? rawId(s.nextMilestone.id) : null });
const riskShape = (s: any) => ({ ...s, topRisks: s.topRisks.map((t: any) => ({ id: rawId(t.risk.id), score: t.score, previousScore: t.previousScore, change: t.change })) });
const deliverableShape = (s: any) => ({ ...s, nextDue: s.nextDue ? rawId(s.nextDue.id) : null });

const refMilestones = (rows: ref.MilestoneRow[], asOf: string, weighted: boolean) => {
  const m = ref.milestoneSummary(rows, asOf, weighted);
  return { asOf, ...ref.apiShape(m, ['nextMilestoneId']), nextMilestone: m.nextMilestoneId };
};
const refDeliverables = (rows: ref.DeliverableRow[], asOf: string) => {
  const d = ref.deliverableStats(rows, asOf);
  return { asOf, ...ref.apiShape(d, ['nextDueId']), nextDue: d.nextDueId };
};

let operatorListing: any[];

test('the random data hides something from every non-admin user (the oracle has something to catch)', async () => {
  operatorListing = await list('admin');
  const count = (nodes: any[], of: (p: any) => number) => nodes.reduce((a, p) => a + of(p), 0);
  for (const user of ['pm', 'aurora', 'beacon', 'cobalt', 'delta'] as const) {
    const mine = await list(user);
    const codes = new Set(mine.map((p) => p.code));
    const same = operatorListing.filter((p) => codes.has(p.code));
    const hidden = count(same, (p) => p.risks.nodes.length + p.financialReports.nodes.length + p.contracts.nodes.length) -
      count(mine, (p) => p.risks.nodes.length + p.financialReports.nodes.length + p.contracts.nodes.length);
    if (user !== 'pm') expect([user, hidden > 0]).toEqual([user, true]);
    // pm sees fewer projects than the admin instead.
    if (user === 'pm') expect(mine.length).toBeLessThan(operatorListing.length);
  }
});

describe.each(USER_LIST)('%s', (user) => {
  const partner = user === 'cobalt' || user === 'delta';
  const investor = user === 'aurora' || user === 'beacon';

  test.each(AS_OFS)('every figure equals the one computed from the rows the user can list, asOf %s', async (asOf) => {
    const mine = await list(user);
    operatorListing ??= await list('admin');
    const operatorOf = (code: string) => operatorListing.find((p) => p.code === code);
    const res = await app.gql(figuresDocument(!partner), { asOf }, await app.login(USERS[user]));
    expect(res.errors).toBeUndefined();
    const byId = new Map(res.data.projects.nodes.map((n: any) => [n.id, n]));
    expect(res.data.projects.nodes.map((n: any) => n.id)).toEqual(mine.map((p) => p.id));

    const perProject: { currency: string; f: ReturnType<typeof ref.financials>; ev: ReturnType<typeof ref.earnedValue> }[] = [];
    for (const p of mine) {
      const got: any = byId.get(p.id);
      const milestones = milestoneRows(p, !partner);
      expect([p.code, milestoneShape(got.milestoneSummary)]).toEqual([p.code, refMilestones(milestones, asOf, !partner)]);
      const risk = ref.riskSummary(riskRows(p), 50);
      expect([p.code, riskShape(got.riskSummary)]).toEqual([p.code, { ...risk, topRisks: risk.topRisks }]);
      for (const c of p.contracts.nodes) {
        const stats = got.contracts.nodes.find((x: any) => x.id === c.id).deliverableStats;
        expect([c.id, deliverableShape(stats)]).toEqual([c.id, refDeliverables(deliverableRows(c), asOf)]);
      }
      if (partner) continue;
      // committed: every investor's investments (project-level); an investor lists only its own, the operator all.
      // An investor reads it by the disclosure rule, computed from the operator's rows with their organizations.
      const investmentRows = (investor ? operatorOf(p.code) : p).investments.nodes.map((i: any) => ({ amount: i.committedAmount, committedOn: i.committedOn, org: i.organization.id }));
      const f = ref.financials({ budget: p.budget, investments: investmentRows, reports: reportRows(p), asOf, viewerOrg: investor ? viewerOrgs.get(user) : undefined });
      const ev = ref.earnedValue(milestones, f.ac, asOf);
      expect([p.code, got.financials]).toEqual([p.code, { asOf, currency: p.currency, ...ref.apiShape(f, ['ac']) }]);
      expect([p.code, got.earnedValue]).toEqual([p.code, { asOf, currency: p.currency, ...ref.apiShape(ev, ['ev', 'pv']) }]);
      const contracts = (investor ? operatorOf(p.code) : p).contracts.nodes.map((c: any) => ({ status: c.status, value: c.value, org: c.counterparty.id }));
      expect([p.code, got.commitments]).toEqual([p.code, ref.contractTotals(contracts, ref.COMMITTED_STATUSES, investor)]);
      perProject.push({ currency: p.currency, f, ev });
    }

    const summary = res.data.viewer.partnerSummary;
    const contracts = mine.flatMap((p) => p.contracts.nodes);
    expect(summary.contractTotals).toEqual(ref.contractTotals(contracts, ref.CONTRACT_STATUSES));
    expect(deliverableShape(summary.deliverableStats)).toEqual(refDeliverables(contracts.flatMap(deliverableRows), asOf));

    const portfolio = res.data.viewer.portfolio;
    expect(portfolio.projectCount).toBe(mine.length);
    expect(milestoneShape(portfolio.milestoneSummary)).toEqual(refMilestones(mine.flatMap((p) => milestoneRows(p, false)), asOf, false));
    expect(riskShape(portfolio.riskSummary)).toEqual(ref.riskSummary(mine.flatMap(riskRows), 50));
    if (!partner) expect(portfolio.totals).toEqual(ref.currencyTotals(perProject));
  });
});

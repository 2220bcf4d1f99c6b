/**
 * Aggregate disclosure (docs/visibility.md#aggregates-over-other-organizations):
 * an investor must not derive another organization's single value — a
 * co-investor's commitment or tranche, a contract's value — from any
 * combination of the fields the rule governs (`investorCommitments` at any
 * asOf, `commitments.disclosedValue` and `byStatus[].disclosedValue`), nor from
 * the older fields that now follow the same rule for investors
 * (`Project.totalCommitted`, `ProjectFinancials.committed`,
 * `PortfolioCurrencyTotals.committed`, `ContractTotals.value`,
 * `ContractStatusTotal.value`): each equals its disclosed counterpart.
 *
 * The oracle: every disclosed figure is a sum over a set of rows the answer
 * itself names (others through `othersThrough`; the contracts of a status),
 * checked exactly against the rows written here; then the span of those sets'
 * indicator vectors must contain no non-zero vector supported on a single
 * organization's rows (dim(S ∩ T_org) = rank S + rank T_org − rank(S ∪ T_org)
 * = 0), which is exactly "no linear combination isolates one organization".
 *
 * DISCLOSURE_RUNS (default 25) sets the number of random datasets,
 * DISCLOSURE_SEED replays one.
 */
import fc from 'fast-check';
import type { EntityManager } from '@mikro-orm/postgresql';
import { signAccessToken } from '../../src/access/auth';
import { addDays, addMonths, monthEnd } from '../../src/core/dates';
import { toGlobalId } from '../../src/core/global-id';
import { Contract, ContractKind, ContractStatus } from '../../src/model/contract.entity';
import { Organization, OrganizationKind, User, UserRole } from '../../src/model/identity.entity';
import { Investment } from '../../src/model/investment.entity';
import { Project, ProjectStatus } from '../../src/model/project.entity';
import { CONTRACT_GROUP_WITHHELD, CO_INVESTOR_WITHHELD } from '../../src/modules/dashboard/dashboard.queries';
import { startTestApp, USERS, type TestApp } from '../support/app';
import { TODAY } from './demo';
import { cents, money, sum } from './reference';

const RUNS = Number(process.env.DISCLOSURE_RUNS ?? 25);
const SEED = Number(process.env.DISCLOSURE_SEED ?? Date.now() % 1_000_000);
jest.setTimeout(600_000);

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const COMMITTED = ['ACTIVE', 'SUSPENDED', 'COMPLETED', 'TERMINATED'];
const DISCLOSURE = 'investorCommitments { own others othersThrough total withheldReason }';
const CONTRACTS = 'commitments { count value disclosedValue withheldReason byStatus { status count value disclosedValue withheldReason } }';

// ---------------------------------------------------------------- linear algebra over the rationals (0/1 rows, small)

/** Rank of a set of rows, by Gaussian elimination on exact fractions (BigInt numerators over a common row scale). */
function rank(rows: number[][]): number {
  const m = rows.map((r) => r.map((x) => BigInt(x)));
  const width = m[0]?.length ?? 0;
  let r = 0;
  for (let c = 0; c < width && r < m.length; c += 1) {
    const pivot = m.findIndex((row, i) => i >= r && row[c] !== 0n);
    if (pivot < 0) continue;
    [m[r], m[pivot]] = [m[pivot], m[r]];
    for (let i = 0; i < m.length; i += 1) {
      if (i === r || m[i][c] === 0n) continue;
      const a = m[r][c];
      const b = m[i][c];
      m[i] = m[i].map((x, j) => x * a - m[r][j] * b);
    }
    r += 1;
  }
  return r;
}

/** The organizations whose rows some combination of the exposed sets isolates. */
function isolated(exposed: number[][], owners: string[]): string[] {
  if (!exposed.length) return [];
  const found: string[] = [];
  for (const org of new Set(owners)) {
    const units: number[][] = [];
    owners.forEach((o, i) => {
      if (o === org) units.push(owners.map((_, j) => (j === i ? 1 : 0)));
    });
    if (rank(exposed) + rank(units) - rank([...exposed, ...units]) > 0) found.push(org);
  }
  return found;
}

test('the oracle itself: it finds a subtraction, a single member, and lets a two-organization group pass', () => {
  // total of X and Y, and X alone → Y is isolated too.
  expect(isolated([[1, 1], [1, 0]], ['X', 'Y']).sort()).toEqual(['X', 'Y']);
  // a group of two tranches of the same organization is that organization's value.
  expect(isolated([[1, 1]], ['X', 'X'])).toEqual(['X']);
  // cumulative sums whose steps mix two organizations.
  expect(isolated([[1, 1, 0, 0], [1, 1, 1, 1]], ['X', 'Y', 'X', 'Y'])).toEqual([]);
  // a step of one tranche.
  expect(isolated([[1, 1, 0], [1, 1, 1]], ['X', 'Y', 'X'])).toEqual(['X']);
});

// ---------------------------------------------------------------- demo data

describe('demo data', () => {
  const q = `{
    projects(first: 10) { nodes { name totalCommitted financials { committed ${DISCLOSURE} } ${CONTRACTS} } }
    viewer { portfolio { totals { currency committed committedWithheldReason } } }
  }`;
  const zero = (status: string) => ({ status, count: 0, value: '0.00', disclosedValue: '0.00', withheldReason: null });

  test('Aurora: its own Atlas commitment, nothing of Beacon\'s on Borealis, no single contract value', async () => {
    const res = await app.gql(q, {}, await app.login(USERS.aurora));
    expect(res.errors).toBeUndefined();
    const [atlas, borealis] = res.data.projects.nodes;
    expect(atlas.financials.investorCommitments).toEqual({ own: '700000.00', others: '0.00', othersThrough: TODAY, total: '700000.00', withheldReason: null });
    // Borealis: Beacon is the only other investor, so anything about the others is Beacon's.
    expect(borealis.financials.investorCommitments).toEqual({ own: '300000.00', others: null, othersThrough: null, total: null, withheldReason: CO_INVESTOR_WITHHELD });
    // Atlas has one committed contract (Cobalt's): its count is given, its value is not.
    // The older `value` fields follow the same rule: an exact 240000.00 would be Cobalt's contract.
    expect(atlas.commitments).toEqual({
      count: 1, value: null, disclosedValue: null, withheldReason: CONTRACT_GROUP_WITHHELD,
      byStatus: [{ status: 'ACTIVE', count: 1, value: null, disclosedValue: null, withheldReason: CONTRACT_GROUP_WITHHELD }, zero('SUSPENDED'), zero('COMPLETED'), zero('TERMINATED')],
    });
    expect([borealis.commitments.value, borealis.commitments.disclosedValue]).toEqual([null, null]);
    // The older exact totals: 750000.00 − Aurora's own 300000.00 would be Beacon's 450000.00.
    expect([atlas.totalCommitted, atlas.financials.committed]).toEqual(['700000.00', '700000.00']);
    expect([borealis.totalCommitted, borealis.financials.committed]).toEqual([null, null]);
    // Atlas is in EUR, Borealis in USD: a currency's sum that includes a withheld figure is withheld too.
    expect(res.data.viewer.portfolio.totals).toEqual([
      { currency: 'EUR', committed: '700000.00', committedWithheldReason: null },
      { currency: 'USD', committed: null, committedWithheldReason: CO_INVESTOR_WITHHELD },
    ]);
  });

  test('Beacon: its own commitments exactly, Aurora\'s withheld', async () => {
    const res = await app.gql(q, {}, await app.login(USERS.beacon));
    const [borealis, cirrus] = res.data.projects.nodes;
    expect(borealis.financials.investorCommitments).toEqual({ own: '450000.00', others: null, othersThrough: null, total: null, withheldReason: CO_INVESTOR_WITHHELD });
    expect(cirrus.financials.investorCommitments).toEqual({ own: '400000.00', others: '0.00', othersThrough: TODAY, total: '400000.00', withheldReason: null });
    // Cirrus's only contract is a DRAFT: nothing committed, nothing to hide.
    expect(cirrus.commitments).toEqual({ count: 0, value: '0.00', disclosedValue: '0.00', withheldReason: null, byStatus: COMMITTED.map(zero) });
    expect([borealis.totalCommitted, borealis.financials.committed, cirrus.totalCommitted, cirrus.financials.committed]).toEqual([null, null, '400000.00', '400000.00']);
    // Cirrus (EUR) is Beacon's alone; Borealis (USD) has Aurora's withheld commitment.
    expect(res.data.viewer.portfolio.totals).toEqual([
      { currency: 'EUR', committed: '400000.00', committedWithheldReason: null },
      { currency: 'USD', committed: null, committedWithheldReason: CO_INVESTOR_WITHHELD },
    ]);
  });

  test('operators see everything', async () => {
    const res = await app.gql(q, {}, await app.login(USERS.admin));
    const [atlas, borealis] = res.data.projects.nodes;
    expect(borealis.financials.investorCommitments).toEqual({ own: null, others: '750000.00', othersThrough: TODAY, total: '750000.00', withheldReason: null });
    expect([atlas.totalCommitted, borealis.totalCommitted, borealis.financials.committed]).toEqual(['700000.00', '750000.00', '750000.00']);
    expect([atlas.commitments.value, atlas.commitments.disclosedValue]).toEqual(['240000.00', '240000.00']);
    expect(atlas.commitments.byStatus[0]).toEqual({ status: 'ACTIVE', count: 1, value: '240000.00', disclosedValue: '240000.00', withheldReason: null });
  });
});

// ---------------------------------------------------------------- random datasets

interface Tranche { org: number; amount: string; on: string }
interface Deal { org: number; status: ContractStatus; value: string }

const INVESTORS = 4;
const VENDORS = 3;
const MONTH_ENDS = [...Array(14).keys()].map((i) => monthEnd(addMonths('2023-12-01', i)));

let world: { em: EntityManager; investors: Organization[]; tokens: string[]; vendors: Organization[]; adminToken: string } | undefined;

async function setUp() {
  if (world) return world;
  const em = app.orm.em.fork();
  const investors: Organization[] = [];
  const users: User[] = [];
  for (let i = 0; i < INVESTORS; i += 1) {
    const org = em.create(Organization, { name: `Disclosure Investor ${i}`, kind: OrganizationKind.INVESTOR } as any);
    investors.push(org);
    users.push(em.create(User, { email: `investor${i}@disclosure.example`, name: `Investor ${i}`, role: UserRole.VIEWER, organization: org, passwordHash: 'x' } as any));
  }
  const vendors = [...Array(VENDORS).keys()].map((i) => em.create(Organization, { name: `Disclosure Vendor ${i}`, kind: OrganizationKind.VENDOR } as any));
  await em.flush();
  const tokens = await Promise.all(users.map(async (u) => (await signAccessToken(app.config, u.id)).token));
  world = { em, investors, tokens, vendors, adminToken: await app.login(USERS.admin) };
  return world;
}

const amount = fc.integer({ min: 0, max: 9_999_999 }).map((c) => money(BigInt(c)));
const day = fc.integer({ min: 0, max: 365 }).map((n) => addDays('2024-01-01', n));
const dataset = fc.record({
  tranches: fc.array(fc.record({ org: fc.integer({ min: 0, max: INVESTORS - 1 }), amount, on: day }), { minLength: 1, maxLength: 9 }),
  deals: fc.array(fc.record({ org: fc.integer({ min: 0, max: VENDORS - 1 }), status: fc.constantFrom(...Object.values(ContractStatus)), value: amount }), { maxLength: 7 }),
  days: fc.array(day, { minLength: 4, maxLength: 4 }),
});

let sequence = 0;

async function write(tranches: Tranche[], deals: Deal[]): Promise<Project> {
  const w = await setUp();
  sequence += 1;
  const project = w.em.create(Project, {
    code: `PRJ-D-${String(sequence).padStart(4, '0')}`, name: `Disclosure ${sequence}`, status: ProjectStatus.ACTIVE, currency: 'EUR', budget: '1000000.00',
    startDate: '2023-01-01', targetEndDate: '2030-12-31',
  } as any);
  for (const t of tranches) w.em.create(Investment, { project, organization: w.investors[t.org], committedAmount: t.amount, committedOn: t.on } as any);
  deals.forEach((d, i) => w.em.create(Contract, {
    project, counterparty: w.vendors[d.org], reference: `D-${sequence}-${i}`, title: 'Disclosure test', kind: ContractKind.FIXED_PRICE, value: d.value,
    status: d.status, startDate: '2024-01-01', endDate: '2030-12-31',
  } as any));
  await w.em.flush();
  return project;
}

function document(projectId: string, asOfs: string[]): string {
  const id = toGlobalId('Project', projectId);
  return `{ node(id: "${id}") { ... on Project {
    totalCommitted
    ${asOfs.map((a, i) => `a${i}: financials(asOf: "${a}") { committed ${DISCLOSURE} }`).join('\n')}
    ${CONTRACTS}
  } } }`;
}

test(`random datasets: every disclosed figure is exact and none isolates another organization (seed ${SEED})`, async () => {
  let withheldSeen = 0;
  let disclosedSeen = 0;
  let legacyLeaks = 0;
  await fc.assert(
    fc.asyncProperty(dataset, async ({ tranches, deals, days }) => {
      const w = await setUp();
      const project = await write(tranches, deals);
      const asOfs = [...new Set([...MONTH_ENDS, ...days])].sort();
      const committedDeals = deals.filter((d) => COMMITTED.includes(d.status));

      // The operator reads every value.
      const admin = await app.gql(document(project.id, asOfs), {}, w.adminToken);
      expect(admin.errors).toBeUndefined();
      asOfs.forEach((a, i) => {
        const all = money(sum(tranches.filter((t) => t.on <= a).map((t) => cents(t.amount))));
        expect(admin.data.node[`a${i}`].investorCommitments).toEqual({ own: null, others: all, othersThrough: a, total: all, withheldReason: null });
      });
      expect(admin.data.node.commitments.disclosedValue).toBe(money(sum(committedDeals.map((d) => cents(d.value)))));
      expect(admin.data.node.commitments.value).toBe(money(sum(committedDeals.map((d) => cents(d.value)))));
      expect(admin.data.node.totalCommitted).toBe(money(sum(tranches.map((t) => cents(t.amount)))));
      asOfs.forEach((a, i) => expect(admin.data.node[`a${i}`].committed).toBe(admin.data.node[`a${i}`].investorCommitments.total));

      for (const viewer of new Set(tranches.map((t) => t.org))) {
        const res = await app.gql(document(project.id, asOfs), {}, w.tokens[viewer]);
        expect(res.errors).toBeUndefined();
        const p = res.data.node;
        const others = tranches.filter((t) => t.org !== viewer);
        const exposed: number[][] = [];
        const legacy: number[][] = [];
        asOfs.forEach((a, i) => {
          const d = p[`a${i}`].investorCommitments;
          // The older `committed` is the disclosed total (own, which the viewer knows, + the disclosed others).
          expect(p[`a${i}`].committed).toBe(d.total);
          expect(d.own).toBe(money(sum(tranches.filter((t) => t.org === viewer && t.on <= a).map((t) => cents(t.amount)))));
          legacy.push(others.map((t) => (t.on <= a ? 1 : 0)));
          if (d.others === null) {
            expect([d.othersThrough, d.total, d.withheldReason]).toEqual([null, null, CO_INVESTOR_WITHHELD]);
            withheldSeen += 1;
            return;
          }
          // Named set, exact sum, never beyond asOf; nothing left out unless said so.
          expect(d.othersThrough <= a).toBe(true);
          const set = others.map((t) => (t.on <= d.othersThrough ? 1 : 0));
          expect(d.others).toBe(money(sum(others.filter((_, j) => set[j]).map((t) => cents(t.amount)))));
          expect(d.total).toBe(money(cents(d.own) + cents(d.others)));
          const left = others.some((t) => t.on <= a && t.on > d.othersThrough);
          expect(d.withheldReason).toBe(left ? CO_INVESTOR_WITHHELD : null);
          if (!left) expect(d.othersThrough).toBe(a);
          if (set.some((x) => x)) disclosedSeen += 1;
          exposed.push(set);
        });
        // Every tranche is dated in 2024 and the last asOf is after all of them: totalCommitted is that asOf's total.
        expect(p.totalCommitted).toBe(p[`a${asOfs.length - 1}`].investorCommitments.total);
        // Contracts: counts always, values per the rule; the older `value` is the disclosed value.
        const c = p.commitments;
        expect(c.count).toBe(committedDeals.length);
        expect(c.value).toBe(c.disclosedValue);
        for (const s of c.byStatus) expect([s.status, s.value]).toEqual([s.status, s.disclosedValue]);
        const contractSets: number[][] = [];
        if (c.disclosedValue !== null) {
          expect(c.disclosedValue).toBe(money(sum(committedDeals.map((d) => cents(d.value)))));
          contractSets.push(committedDeals.map(() => 1));
        }
        for (const s of c.byStatus) {
          const these = committedDeals.map((d) => (d.status === s.status ? 1 : 0));
          expect(s.count).toBe(these.filter((x) => x).length);
          if (s.disclosedValue !== null) {
            expect(s.disclosedValue).toBe(money(sum(committedDeals.filter((d) => d.status === s.status).map((d) => cents(d.value)))));
            contractSets.push(these);
          } else {
            expect(s.withheldReason).toBe(CONTRACT_GROUP_WITHHELD);
          }
        }
        const owners = others.map((t) => String(t.org));
        expect([viewer, isolated(exposed, owners)]).toEqual([viewer, []]);
        if (committedDeals.length) expect([viewer, isolated(contractSets, committedDeals.map((d) => String(d.org)))]).toEqual([viewer, []]);
        if (others.length && isolated(legacy, owners).length) legacyLeaks += 1;
      }
    }),
    { numRuns: RUNS, seed: SEED },
  );
  // The datasets exercised both outcomes, and the older exact `committed` would have leaked.
  expect([withheldSeen > 0, disclosedSeen > 0, legacyLeaks > 0]).toEqual([true, true, true]);
});

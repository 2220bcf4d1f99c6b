/**
 * DataLoaders batch every nested list and to-one link per request: the
 * number of SQL statements of a nested query depends on its shape, not on
 * the number of rows. Measured on the demo data, then again after adding
 * twenty projects full of rows that the same viewers see.
 */
import { Contract, ContractKind, ContractStatus } from '../../src/model/contract.entity';
import { Deliverable, DeliverableStatus } from '../../src/model/deliverable.entity';
import { Organization, User } from '../../src/model/identity.entity';
import { Investment } from '../../src/model/investment.entity';
import { Milestone, MilestoneStatus } from '../../src/model/milestone.entity';
import { Project, ProjectStatus } from '../../src/model/project.entity';
import { Risk, RiskAssessment, RiskCategory, RiskStatus, RiskVisibility } from '../../src/model/risk.entity';
import { startTestApp, USERS, type DemoUser, type TestApp } from '../support/app';

let app: TestApp;
beforeAll(async () => {
  // The query below is deliberately large; the cost limit has its own tests.
  app = await startTestApp({ env: { MAX_QUERY_COST: '10000000' } });
});
afterAll(async () => {
  await app?.close();
});

const NESTED = `{
  projects(first: 30) {
    totalCount
    nodes {
      name budget totalCommitted managers { email }
      milestones(first: 10) { totalCount nodes { title project { name } deliverables(first: 10) { totalCount nodes { title contract { reference } milestone { title } } } } }
      contracts(first: 10) { totalCount nodes { reference counterparty { name } project { name } deliverables(first: 10) { totalCount nodes { title project { name } } } } }
      risks(first: 10) { totalCount nodes { title contract { reference } owner { email } assessments(first: 10) { totalCount nodes { likelihood assessedBy { email } risk { title } } } } }
    }
  }
}`;

/** The statement without its values, so two sizes can be compared shape for shape. */
function shape(sql: string): string {
  return sql
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/\b\d+(\.\d+)?\b/g, '?')
    .replace(/\((\s*\?\s*,?)+\)/g, '(…)')
    .replace(/\s+/g, ' ')
    .trim();
}

interface Measure { count: number; shapes: string[]; rows: number }

async function measure(user: DemoUser): Promise<Measure> {
  const token = await app.login(USERS[user]);
  app.sql.reset();
  const res = await app.gql(NESTED, {}, token);
  const count = app.sql.count;
  const shapes = app.sql.statements.map(shape).sort();
  // Partners may not read budget and totalCommitted: those errors are expected, nothing else.
  for (const e of res.errors ?? []) expect([e.path?.slice(-1)[0], e.extensions?.code]).toEqual([expect.stringMatching(/^(budget|totalCommitted)$/), 'FORBIDDEN']);
  const rows = JSON.stringify(res.data).length;
  return { count, shapes, rows };
}

/**
 * Twenty projects shaped like the demo ones, for the same viewers (pm manages
 * them, Aurora invested, Cobalt holds an active contract, Delta a draft one).
 * Shaped like the demo because a link's loader caches per request: when risks
 * already loaded every contract, the deliverables' contract links cost no
 * statement. Extra rows whose links point elsewhere would add one statement
 * per link site (never per row); the same shape isolates growth with rows.
 */
async function addTwentyProjects(): Promise<void> {
  const em = app.orm.em.fork();
  const [pm] = await em.find(User, { email: USERS.pm });
  const [aurora] = await em.find(Organization, { name: 'Aurora Capital' });
  const [cobalt] = await em.find(Organization, { name: 'Cobalt Cloud' });
  const [delta] = await em.find(Organization, { name: 'Delta QA' });
  for (let i = 0; i < 20; i += 1) {
    const n = String(i).padStart(2, '0');
    const project = em.create(Project, {
      code: `PRJ-9000-${n}`, name: `Extra ${n}`, status: ProjectStatus.ACTIVE, currency: 'EUR', budget: '100000.00',
      startDate: '2025-01-01', targetEndDate: '2027-12-31', description: '',
    } as any);
    project.managers.add(pm);
    em.create(Investment, { project, organization: aurora, committedAmount: '50000.00', committedOn: '2025-01-01' } as any);
    const milestones = Array.from({ length: 6 }, (_, m) => em.create(Milestone, {
      project, title: `Extra ${n} milestone ${m}`, dueDate: `2026-0${m + 1}-15`, status: MilestoneStatus.PLANNED, progress: 0, plannedValue: '1000.00',
    } as any));
    const contracts = [
      em.create(Contract, { project, counterparty: cobalt, reference: `X-${n}-C`, title: 'Extra work', kind: ContractKind.FIXED_PRICE, value: '1000.00', status: ContractStatus.ACTIVE, startDate: '2025-01-01', endDate: '2027-01-01' } as any),
      em.create(Contract, { project, counterparty: delta, reference: `X-${n}-D`, title: 'Extra draft', kind: ContractKind.FIXED_PRICE, value: '1000.00', status: ContractStatus.DRAFT, startDate: '2025-01-01', endDate: '2027-01-01' } as any),
    ];
    contracts.forEach((contract, c) => {
      for (let d = 0; d < 3; d += 1) {
        em.create(Deliverable, { project, contract, milestone: milestones[d * 2 + c], title: `Extra ${n} deliverable ${c}.${d}`, dueDate: '2026-03-01', status: DeliverableStatus.PLANNED } as any);
      }
    });
    const visibilities: [RiskVisibility, Contract | null][] = [
      [RiskVisibility.CONTRACT, contracts[0]], [RiskVisibility.CONTRACT, contracts[1]], [RiskVisibility.STAKEHOLDERS, null], [RiskVisibility.INTERNAL, null], [RiskVisibility.INVESTORS, null],
    ];
    for (const [visibility, contract] of visibilities) {
      const risk = em.create(Risk, {
        project, contract, title: `Extra ${n} ${visibility} ${contract?.reference ?? ''}`, category: RiskCategory.OTHER, likelihood: 2, impact: 3, status: RiskStatus.OPEN, visibility, owner: pm, mitigationPlan: '',
      } as any);
      for (let a = 0; a < 2; a += 1) em.create(RiskAssessment, { risk, likelihood: 2, impact: 3, note: '', assessedBy: pm, assessedAt: new Date(Date.UTC(2026, a, 1)) } as any);
    }
  }
  await em.flush();
}

test('a nested query issues the same SQL statements on the demo data and with twenty more projects', async () => {
  const users: DemoUser[] = ['admin', 'pm', 'aurora', 'cobalt'];
  const small: Record<string, Measure> = {};
  for (const u of users) small[u] = await measure(u);
  await addTwentyProjects();
  const projectCount = async (u: DemoUser) => (await app.gql('{ projects { totalCount } }', {}, await app.login(USERS[u]))).data.projects.totalCount;
  // The new rows are visible ones: to the operator, the manager, the investor and the partner with the active contracts.
  expect([await projectCount('admin'), await projectCount('pm'), await projectCount('aurora'), await projectCount('cobalt'), await projectCount('delta'), await projectCount('beacon')])
    .toEqual([23, 22, 22, 21, 1, 2]);
  const large: Record<string, Measure> = {};
  for (const u of users) large[u] = await measure(u);

  for (const u of users) {
    // The larger dataset really is larger for this viewer...
    expect(large[u].rows).toBeGreaterThan(small[u].rows * 3);
    // ...and costs exactly the same statements.
    expect({ user: u, count: large[u].count, shapes: large[u].shapes }).toEqual({ user: u, count: small[u].count, shapes: small[u].shapes });
  }
  // One statement per level and link, not per row: the whole tree is far below the number of parents.
  expect(small.admin.count).toBeLessThan(25);
  if (process.env.VANTAGE_PRINT_SQL_COUNTS) {
    console.log(users.map((u) => `${u}: demo ${small[u].count} statements, +20 projects ${large[u].count}`).join('\n'));
    console.log(small.admin.shapes.join('\n'));
  }
});


test('a link to the parent a row was listed under costs no statement; any other link costs its one statement', async () => {
  const token = await app.login(USERS.pm);
  const run = async (query: string) => {
    app.sql.reset();
    const res = await app.gql(query, {}, token);
    expect(res.errors).toBeUndefined();
    return { count: app.sql.count, data: res.data };
  };
  const plain = await run('{ projects(first: 5) { nodes { code milestones(first: 3) { nodes { title deliverables(first: 3) { nodes { title } } } } } } }');
  const toParent = await run('{ projects(first: 5) { nodes { code milestones(first: 3) { nodes { title project { code } deliverables(first: 3) { nodes { title milestone { title } } } } } } } }');
  const toOther = await run('{ projects(first: 5) { nodes { code milestones(first: 3) { nodes { title deliverables(first: 3) { nodes { title contract { reference } } } } } } } }');
  expect(toParent.count).toBe(plain.count);
  expect(toOther.count).toBe(plain.count + 1);
  // The parent is the object it was listed under: the same project, the same milestone.
  let deliverables = 0;
  for (const p of toParent.data.projects.nodes) {
    for (const m of p.milestones.nodes) {
      expect(m.project.code).toBe(p.code);
      for (const d of m.deliverables.nodes) {
        expect(d.milestone.title).toBe(m.title);
        deliverables += 1;
      }
    }
  }
  expect(toParent.data.projects.nodes.map((p: any) => p.milestones.nodes.length)).toEqual([3, 3, 3, 3, 3]);
  expect(deliverables).toBeGreaterThan(0);
});

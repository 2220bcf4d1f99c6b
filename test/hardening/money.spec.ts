/**
 * Money end to end: random decimal amounts (all magnitudes up to
 * numeric(18,2)'s largest) written through GraphQL mutations, stored in
 * PostgreSQL, read back through GraphQL — unchanged, digit for digit — and
 * their sums equal PostgreSQL's SUM and the API's own SQL aggregate.
 * Arithmetic in the test is on BigInt cents, never on floats.
 *
 * MONEY_AMOUNTS sets how many amounts: 5000 by default,
 * MONEY_AMOUNTS=100000 for the full run.
 */
import fc from 'fast-check';
import { startHardenedApp, USERS, type HardenedApp } from './support';

const AMOUNTS = Number(process.env.MONEY_AMOUNTS ?? 5_000);
const PER_REPORT = 15; // 5 categories × planned, actual, estimateToComplete
const PER_REQUEST = 30; // aliased mutations per request (the alias limit)
const CATEGORIES = ['LABOR', 'VENDORS', 'INFRASTRUCTURE', 'LICENSES', 'OTHER'] as const;

jest.setTimeout(900_000);

/** Cents → canonical decimal string ("1250000.00"). */
function decimal(cents: bigint): string {
  const s = cents.toString().padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}
const cents = (value: string): bigint => BigInt(value.replace('.', ''));

/** Every magnitude: zero, cents, typical amounts, and numeric(18,2)'s largest values. */
const amountArb = fc.oneof(
  fc.constantFrom(0n, 1n, 10n, 99n, 100n, 999999999999999999n, 999999999999999998n, 100000000000000000n),
  fc.bigInt({ min: 0n, max: 9999n }),
  fc.bigInt({ min: 0n, max: 99_999_999n }),
  fc.bigInt({ min: 0n, max: 99_999_999_999_99n }),
  fc.bigInt({ min: 0n, max: 999999999999999999n }),
).map(decimal);

let app: HardenedApp;
beforeAll(async () => {
  app = await startHardenedApp({ logLevel: 'warn' });
});
afterAll(async () => {
  await app?.close();
});

test(`money: ${AMOUNTS} random amounts round-trip GraphQL → PostgreSQL → GraphQL unchanged; sums equal PostgreSQL's SUM`, async () => {
  const started = Date.now();
  const token = await app.login(USERS.admin);
  const seed = Number(process.env.MONEY_SEED ?? Date.now() % 1_000_000);
  const amounts = fc.sample(amountArb, { seed, numRuns: AMOUNTS });
  const reports = Math.ceil(AMOUNTS / PER_REPORT);

  // Projects to hold the reports, created through the API.
  const projectIds: string[] = [];
  for (let p = 0; p < Math.ceil(reports / 2000); p++) {
    const res = await app.gql(
      'mutation P($input: CreateProjectInput!) { createProject(input: $input) { project { id } userErrors { message } } }',
      { input: { code: `MONEY-${seed}-${p}`, name: `Money ${p}`, currency: 'EUR', budget: '1000000.00', startDate: '2000-01-01', targetEndDate: '2099-12-31' } },
      token,
    );
    expect(res.body?.data?.createProject.userErrors).toEqual([]);
    projectIds.push(res.body?.data.createProject.project.id);
  }

  // Write: each report carries 15 amounts, 30 reports per request.
  const written = new Map<string, string[]>(); // period start → its 15 amounts, category by category
  const periodOf = (i: number) => new Date(Date.UTC(2000, 0, 1) + i * 2 * 86_400_000).toISOString().slice(0, 10);
  const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const requests: { defs: string[]; fields: string[]; variables: Record<string, unknown> }[] = [];
  for (let r = 0; r < reports; r++) {
    const slice = amounts.slice(r * PER_REPORT, r * PER_REPORT + PER_REPORT);
    while (slice.length < PER_REPORT) slice.push('0.00');
    const periodStart = periodOf(Math.floor(r / projectIds.length));
    const projectId = projectIds[r % projectIds.length];
    written.set(`${projectId}/${periodStart}`, slice);
    if (r % PER_REQUEST === 0) requests.push({ defs: [], fields: [], variables: {} });
    const batch = requests[requests.length - 1];
    const n = batch.fields.length;
    batch.defs.push(`$i${n}: CreateFinancialReportInput!`);
    batch.fields.push(`r${n}: createFinancialReport(input: $i${n}) { userErrors { message } }`);
    batch.variables[`i${n}`] = {
      projectId, periodStart, periodEnd: nextDay(periodStart),
      lines: CATEGORIES.map((category, c) => ({ category, planned: slice[c * 3], actual: slice[c * 3 + 1], estimateToComplete: slice[c * 3 + 2] })),
    };
  }
  const errors: string[] = [];
  for (let i = 0; i < requests.length; i += 3) {
    await Promise.all(requests.slice(i, i + 3).map(async (batch) => {
      const res = await app.gql(`mutation W(${batch.defs.join(', ')}) { ${batch.fields.join(' ')} }`, batch.variables, token);
      if (res.body?.errors) errors.push(JSON.stringify(res.body.errors).slice(0, 300));
      for (const payload of Object.values(res.body?.data ?? {}) as { userErrors: unknown[] }[]) {
        if (payload.userErrors.length) errors.push(JSON.stringify(payload.userErrors));
      }
    }));
  }
  expect(errors).toEqual([]);
  const writtenAt = Date.now();

  // Read back through GraphQL, page by page.
  let compared = 0;
  const mismatches: string[] = [];
  const totals = { planned: 0n, actual: 0n, estimateToComplete: 0n };
  for (const projectId of projectIds) {
    let after: string | null = null;
    for (;;) {
      const res: any = await app.gql(
        `query R($id: ID!, $after: String) { node(id: $id) { ... on Project { financialReports(first: 100, after: $after) {
          pageInfo { hasNextPage endCursor } nodes { periodStart lines(first: 5) { nodes { category planned actual estimateToComplete } } } } } } }`,
        { id: projectId, after },
        token,
      );
      expect(res.body?.errors).toBeUndefined();
      const conn = res.body.data.node.financialReports;
      for (const report of conn.nodes) {
        const expected = written.get(`${projectId}/${report.periodStart}`)!;
        for (const line of report.lines.nodes) {
          const c = CATEGORIES.indexOf(line.category);
          const want = [expected[c * 3], expected[c * 3 + 1], expected[c * 3 + 2]];
          const got = [line.planned, line.actual, line.estimateToComplete];
          for (let k = 0; k < 3; k++) {
            compared += 1;
            if (got[k] !== want[k]) mismatches.push(`${want[k]} came back as ${got[k]}`);
          }
          totals.planned += cents(line.planned);
          totals.actual += cents(line.actual);
          totals.estimateToComplete += cents(line.estimateToComplete);
        }
      }
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
  }
  expect(mismatches.slice(0, 10)).toEqual([]);
  expect(compared).toBe(reports * PER_REPORT);

  // PostgreSQL's own SUM over the same rows, as exact numeric text.
  const [sums] = await app.orm.em.getConnection().execute<{ planned: string; actual: string; etc: string }[]>(
    `select sum(l.planned)::text as planned, sum(l.actual)::text as actual, sum(l.estimate_to_complete)::text as etc
       from financial_report_line l join financial_report r on r.id = l.report_id
      where r.project_id in (${projectIds.map(() => '?').join(',')})`,
    projectIds.map((id) => Buffer.from(id, 'base64url').toString().split(':')[1]),
  );
  expect([sums.planned, sums.actual, sums.etc]).toEqual([decimal(totals.planned), decimal(totals.actual), decimal(totals.estimateToComplete)]);
  const inputSum = amounts.reduce((s, a) => s + cents(a), 0n);
  expect(totals.planned + totals.actual + totals.estimateToComplete).toBe(inputSum);
  console.log(
    `money: ${compared}/${reports * PER_REPORT} amounts (${AMOUNTS} random, seed ${seed}) round-tripped unchanged through ${requests.length} mutation requests; ` +
    `sums equal PostgreSQL's SUM (planned ${sums.planned}); written in ${Math.round((writtenAt - started) / 1000)} s, read in ${Math.round((Date.now() - writtenAt) / 1000)} s`,
  );
});

test('money: 300 random investments; the API\'s SQL total equals the exact sum and PostgreSQL\'s SUM', async () => {
  const token = await app.login(USERS.admin);
  const seed = Number(process.env.MONEY_SEED ?? Date.now() % 1_000_000) + 1;
  // Sums of 300 amounts must stay within numeric(18,2) for the total field: at most 14 integer digits each.
  const amounts = fc.sample(fc.bigInt({ min: 0n, max: 99_999_999_999_99n }).map(decimal), { seed, numRuns: 300 });
  const project = await app.gql(
    'mutation P($input: CreateProjectInput!) { createProject(input: $input) { project { id } } }',
    { input: { code: `INV-${seed}`, name: 'Investments', currency: 'EUR', budget: '1.00', startDate: '2000-01-01', targetEndDate: '2099-12-31' } },
    token,
  );
  const projectId = project.body?.data.createProject.project.id;
  const org = await app.gql('{ projects(first: 100) { nodes { investments(first: 1) { nodes { organization { id } } } } } }', {}, token);
  const organizationId = org.body?.data.projects.nodes.flatMap((p: any) => p.investments.nodes)[0].organization.id;
  for (let i = 0; i < amounts.length; i += PER_REQUEST) {
    const chunk = amounts.slice(i, i + PER_REQUEST);
    const res = await app.gql(
      `mutation I(${chunk.map((_, n) => `$i${n}: RecordInvestmentInput!`).join(', ')}) { ${chunk.map((_, n) => `r${n}: recordInvestment(input: $i${n}) { userErrors { message } }`).join(' ')} }`,
      Object.fromEntries(chunk.map((amount, n) => [`i${n}`, { projectId, organizationId, committedAmount: amount, committedOn: '2024-01-15' }])),
      token,
    );
    expect(res.body?.errors).toBeUndefined();
    for (const payload of Object.values(res.body?.data ?? {}) as { userErrors: unknown[] }[]) expect(payload.userErrors).toEqual([]);
  }
  const read = await app.gql(
    'query T($id: ID!) { node(id: $id) { ... on Project { totalCommitted investments(first: 100) { totalCount } } } }',
    { id: projectId },
    token,
  );
  const exact = decimal(amounts.reduce((s, a) => s + cents(a), 0n));
  const [{ sum }] = await app.orm.em.getConnection().execute<{ sum: string }[]>(
    'select sum(committed_amount)::text as sum from investment where project_id = ?',
    [Buffer.from(projectId, 'base64url').toString().split(':')[1]],
  );
  expect(read.body?.data.node.investments.totalCount).toBe(300);
  expect(read.body?.data.node.totalCommitted).toBe(exact);
  expect(sum).toBe(exact);
  console.log(`money: 300 investments, Project.totalCommitted ${read.body?.data.node.totalCommitted} = exact BigInt sum = PostgreSQL SUM`);
});

/**
 * Guards of the benchmark suite (counts, not timings): for every scenario of
 * bench/, the Vantage response equals the raw-SQL references (both the single
 * json_agg statement and the flat per-level queries; for the mutation, also
 * the row and audit event it leaves), and the number of SQL statements per
 * request is the same at two data sizes.
 *
 * app.sql counts the statements that pass through knex; the bench itself
 * counts at the pg driver, which also sees statements sent on pooled
 * connections directly (the rate limiter's).
 */
import { buildSchema, parse, validate } from 'graphql';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SCENARIOS } from '../../bench/scenarios';
import type { Db } from '../../bench/scenarios/db';
import { generate, loadUsers, SCALES, truncateAll, type Scale } from '../../bench/scenarios/generate';
import type { Case, ScenarioContext } from '../../bench/scenarios/types';
import { hashPassword, signAccessToken } from '../../src/access/auth';
import { monthStart, today } from '../../src/core/dates';
import { startTestApp, type TestApp } from '../support/app';

/**
 * SQL statements one request issues, by scenario: the user (1) and the
 * viewer's scope (2 for investors and partners) included, then one statement
 * per level of the document. A change in the request pipeline that adds or
 * saves statements changes these on purpose; a growth with the data never.
 */
const EXPECTED_STATEMENTS: Record<string, number> = {
  // 1 user + 2 scope + projects, financials, reports, lines, riskSummary, its risks, milestoneSummary, its next milestone
  'investor-dashboard': 11,
  // 1 user + 2 scope + projects, contracts, deliverables, milestones, milestone projects (a deliverable's contract is
  // the contract it was listed under: no statement)
  'vendor-deliverables': 8,
  // 1 user + projects, milestones, deliverables
  'deep-nested': 4,
  'point-lookup': 4,
  // 1 user + 2 scope + BEGIN, target deliverable, its contract, audit insert, the round's submission insert, update,
  // the domain event (outbox row, its delivery job and the notify, one statement), COMMIT
  'submit-deliverable': 11,
  // 1 user: no data read
  floor: 1,
};

let app: TestApp;
let db: Db;
let release: () => void;

beforeAll(async () => {
  // The scenarios are the sizes (up to ~12k objects a request), far above the default cost limit of one operation.
  app = await startTestApp({ seed: false, env: { MAX_QUERY_COST: '10000000' } });
  // A plain pg connection of the test app's pool: PostgreSQL placeholders and arrays as the bench uses them,
  // and not counted in app.sql (which counts the server's statements only).
  const knex = app.orm.em.getConnection().getKnex();
  const conn = await knex.client.acquireConnection();
  release = () => knex.client.releaseConnection(conn);
  db = { query: async (text, params) => (await conn.query(text, params)).rows };
}, 120_000);

afterAll(async () => {
  release?.();
  await app?.close();
});

test('every scenario document is valid against schema/schema.graphql', () => {
  const schema = buildSchema(readFileSync(path.resolve(__dirname, '../../schema/schema.graphql'), 'utf8'));
  for (const s of SCENARIOS) {
    expect({ scenario: s.key, errors: validate(schema, parse(s.document)).map((e) => e.message) }).toEqual({ scenario: s.key, errors: [] });
  }
});

async function measure(scale: Scale, only?: string[]): Promise<Record<string, number[]>> {
  await truncateAll(db);
  await generate(db, scale, monthStart(today()), await hashPassword('vantage-bench'));
  const users = await loadUsers(db);
  const ctx: ScenarioContext = { db, users, scale, today: today() };
  const counts: Record<string, number[]> = {};
  for (const s of SCENARIOS.filter((x) => !only || only.includes(x.key))) {
    const cases: Case[] = await s.cases(ctx);
    expect(cases.length).toBeGreaterThan(0);
    counts[s.key] = [];
    for (const c of cases.slice(0, s.kind === 'write' ? 8 : cases.length)) {
      const { token } = await signAccessToken(app.config, c.user.id);
      await s.reset?.(db, [c]);
      app.sql.reset();
      const res = await app.gql(s.document, c.variables, token);
      counts[s.key].push(app.sql.count);
      if (process.env.BENCH_DEBUG) console.log(app.sql.statements.join("\n"));
      expect(res.errors).toBeUndefined();
      const actual = { data: res.data };
      const label = `${s.key} ${c.user.email} ${JSON.stringify(c.variables)}`;
      const state = await s.state?.(db, c);
      await s.reset?.(db, [c]);
      expect({ label, body: actual, state }).toEqual({ label, body: JSON.parse(await s.rawJson!(db, c, { today: ctx.today })), state: await s.state?.(db, c) });
      if (s.rawFlat) expect({ label, body: actual }).toEqual({ label, body: await s.rawFlat(db, c, { today: ctx.today }) });
    }
  }
  return counts;
}

test('responses equal the raw-SQL references, and SQL statements per request do not grow with the data', async () => {
  const small = await measure(SCALES.XS);
  const large = await measure(SCALES.XS2);
  const summary = Object.fromEntries(SCENARIOS.map((s) => [s.key, { small: Math.max(...small[s.key]), large: Math.max(...large[s.key]) }]));
  console.log(`SQL statements per request (${SCALES.XS.projects} vs ${SCALES.XS2.projects} projects):`, JSON.stringify(summary));
  for (const s of SCENARIOS) {
    expect({ scenario: s.key, statements: Math.max(...small[s.key]) }).toEqual({ scenario: s.key, statements: EXPECTED_STATEMENTS[s.key] });
    expect({ scenario: s.key, statements: Math.max(...large[s.key]) }).toEqual({ scenario: s.key, statements: EXPECTED_STATEMENTS[s.key] });
  }
}, 300_000);

/**
 * Statements per request do not grow past 500 parents in one request: a page
 * of 30 projects (600 milestones, 3,000 deliverables) costs what a page of 3
 * does. (Loader batches split only past MAX_BATCH ids, more parents than any
 * request within the default cost limit can have; src/access/reader.ts.)
 */
test('deep-nested: statements per request stay the same past 500 parents in one request', async () => {
  const small = await measure(SCALES.XS, ['deep-nested']);
  const large = await measure(SCALES.XL, ['deep-nested']);
  expect(Math.max(...large['deep-nested'])).toBe(Math.max(...small['deep-nested']));
}, 300_000);

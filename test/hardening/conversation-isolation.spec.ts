/**
 * Isolation of Q&A threads, their messages and report acknowledgements as a
 * property: random datasets (threads on random objects of every subject type,
 * private or not, asked by random organizations; messages; acknowledgements;
 * random risk visibilities, update audiences, investments, partner contracts
 * and manager assignments) and random viewers of every role, each answer
 * compared with an oracle written here from docs/visibility.md (it does not
 * use src/access/policy.ts). Read paths: node, nodes, an object's `threads`
 * and a thread's `messages` (with totalCount), a report's
 * `acknowledgements`, project-wide nested lists, and a thread's `subject`.
 *
 * CONVERSATION_ISOLATION_RUNS (default 500) sets the number of executions;
 * CONVERSATION_ISOLATION_SEED replays a run.
 */
import fc from 'fast-check';
import { signAccessToken } from '../../src/access/auth';
import { toGlobalId } from '../../src/core/global-id';
import { startTestApp, type TestApp } from '../support/app';

const RUNS = Number(process.env.CONVERSATION_ISOLATION_RUNS ?? 500);
const DATASETS = Math.max(2, Math.ceil(RUNS / 250));
const PER_DATASET = Math.ceil(RUNS / DATASETS);
const SEED = Number(process.env.CONVERSATION_ISOLATION_SEED ?? Date.now() % 1_000_000);

jest.setTimeout(Math.max(300_000, RUNS * 400));

type Subject = 'FinancialReport' | 'Risk' | 'Deliverable' | 'Milestone' | 'ProjectUpdate';
const SUBJECTS: Subject[] = ['FinancialReport', 'Risk', 'Deliverable', 'Milestone', 'ProjectUpdate'];
type TypeName = Subject | 'QaThread' | 'QaMessage' | 'ReportAcknowledgement';
const KEY: Record<Subject, string> = { FinancialReport: 'report_id', Risk: 'risk_id', Deliverable: 'deliverable_id', Milestone: 'milestone_id', ProjectUpdate: 'update_id' };
const TABLE: Record<TypeName, string> = {
  FinancialReport: 'select id, project_id, status from financial_report',
  Risk: 'select id, project_id, contract_id, visibility from risk',
  Deliverable: 'select id, project_id, contract_id from deliverable',
  Milestone: 'select id, project_id from milestone',
  ProjectUpdate: 'select id, project_id, audience from project_update',
  QaThread: 'select id, project_id, subject_type, subject_id, asker_organization_id, is_private from qa_thread',
  QaMessage: 'select id, thread_id from qa_message',
  ReportAcknowledgement: 'select id, report_id, project_id, organization_id from report_acknowledgement',
};
const TYPES = Object.keys(TABLE) as TypeName[];

interface Row { id: string; [k: string]: any }
interface World {
  rows: Record<TypeName, Row[]>;
  byId: Map<string, { type: TypeName; row: Row }>;
  projects: string[];
  users: Row[];
  orgs: Map<string, string>;
  investments: Row[];
  contracts: Row[];
  managers: Row[];
}

let app: TestApp;
const sql = <T = Row>(text: string, params: unknown[] = []) => app.orm.em.getConnection().execute<T[]>(text, params);

async function loadWorld(): Promise<World> {
  const rows = {} as Record<TypeName, Row[]>;
  const byId = new Map<string, { type: TypeName; row: Row }>();
  for (const type of TYPES) {
    rows[type] = await sql(TABLE[type]);
    for (const row of rows[type]) byId.set(row.id, { type, row });
  }
  return {
    rows,
    byId,
    projects: (await sql('select id from project')).map((p) => p.id),
    users: await sql('select id, organization_id, role, disabled_at from app_user'),
    orgs: new Map((await sql('select id, kind from organization')).map((o) => [o.id, o.kind])),
    investments: await sql('select project_id, organization_id from investment'),
    contracts: await sql('select id, project_id, counterparty_id, status from contract'),
    managers: await sql('select project_id, user_id from project_manager'),
  };
}

// ---------------------------------------------------------------- the oracle, written again from docs/visibility.md

interface Visible { userId: string; side: string; role: string; sets: Record<TypeName, Set<string>> }

function oracle(w: World, userId: string): Visible {
  const user = w.users.find((u) => u.id === userId)!;
  const org = user.organization_id;
  const kind = w.orgs.get(org)!;
  const side = kind === 'OPERATOR' ? 'operator' : kind === 'INVESTOR' ? 'investor' : 'partner';
  const projects = new Set(
    side === 'operator'
      ? (user.role === 'ADMIN' ? w.projects : w.managers.filter((m) => m.user_id === userId).map((m) => m.project_id))
      : side === 'investor'
        ? w.investments.filter((i) => i.organization_id === org).map((i) => i.project_id)
        : w.contracts.filter((c) => c.counterparty_id === org && c.status !== 'DRAFT').map((c) => c.project_id),
  );
  const own = new Set(w.contracts.filter((c) => side === 'partner' && c.counterparty_id === org && c.status !== 'DRAFT').map((c) => c.id));
  const inP = (r: Row) => projects.has(r.project_id);
  const subjectVisible: Record<Subject, (r: Row) => boolean> = {
    FinancialReport: (r) => inP(r) && (side === 'operator' || (side === 'investor' && ['PUBLISHED', 'SUPERSEDED'].includes(r.status))),
    Risk: (r) => inP(r) && (side === 'operator'
      || (side === 'investor' && ['INVESTORS', 'STAKEHOLDERS'].includes(r.visibility))
      || (side === 'partner' && (r.visibility === 'STAKEHOLDERS' || (r.visibility === 'CONTRACT' && own.has(r.contract_id))))),
    Deliverable: (r) => inP(r) && (side === 'operator' || (side === 'partner' && own.has(r.contract_id))),
    Milestone: (r) => inP(r),
    ProjectUpdate: (r) => inP(r) && (side === 'operator' || r.audience === 'STAKEHOLDERS' || r.audience === (side === 'investor' ? 'INVESTORS' : 'PARTNERS')),
  };
  const sets = {} as Record<TypeName, Set<string>>;
  for (const s of SUBJECTS) sets[s] = new Set(w.rows[s].filter(subjectVisible[s]).map((r) => r.id));
  sets.QaThread = new Set(w.rows.QaThread.filter((t) => {
    if (!sets[t.subject_type as Subject].has(t.subject_id)) return false;
    if (side === 'operator') return inP(t);
    return !t.is_private || t.asker_organization_id === org;
  }).map((t) => t.id));
  sets.QaMessage = new Set(w.rows.QaMessage.filter((m) => sets.QaThread.has(m.thread_id)).map((m) => m.id));
  sets.ReportAcknowledgement = new Set(w.rows.ReportAcknowledgement.filter((a) => {
    if (!sets.FinancialReport.has(a.report_id)) return false;
    if (side === 'operator') return inP(a);
    return side === 'investor' && a.organization_id === org;
  }).map((a) => a.id));
  return { userId, side, role: user.role, sets };
}

// ---------------------------------------------------------------- random datasets

function chooser(g: fc.GeneratorValue) {
  const int = (min: number, max: number) => g(fc.integer, { min, max });
  // By index: fc.gen() remembers its arguments, so rows must not be passed to it.
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)];
  return { int, pick, bool: () => int(0, 1) === 1 };
}

/** Extra organizations and users, so every role appears more than once: an investor, a vendor, a second manager. */
async function addPeople(): Promise<void> {
  const orgs: [string, string][] = [['Ember Fund', 'INVESTOR'], ['Flint Works', 'VENDOR']];
  for (const [name, kind] of orgs) {
    await sql(`insert into organization (id, created_at, updated_at, version, name, kind) values (gen_random_uuid(), now(), now(), 1, ?, ?)`, [name, kind]);
  }
  const users: [string, string, string][] = [
    ['a@ember.example', 'Ember Fund', 'VIEWER'], ['b@ember.example', 'Ember Fund', 'VIEWER'],
    ['a@flint.example', 'Flint Works', 'MEMBER'], ['b@flint.example', 'Flint Works', 'VIEWER'],
    ['pm2@northwind.example', 'Northwind', 'MANAGER'],
  ];
  for (const [email, org, role] of users) {
    const [o] = await sql(`select id from organization where name like ? || '%' order by name limit 1`, [org]);
    await sql(
      `insert into app_user (id, created_at, updated_at, version, email, name, password_hash, role, organization_id) values (gen_random_uuid(), now(), now(), 1, ?, ?, 'not-a-hash', ?, ?)`,
      [email, email, role, o.id],
    );
  }
}

/** Reshuffles who sees what, then writes fresh threads, messages and acknowledgements. */
async function grow(g: fc.GeneratorValue): Promise<Record<string, number>> {
  const { int, pick, bool } = chooser(g);
  let w = await loadWorld();
  const orgByName = async (name: string) => (await sql('select id from organization where name = ?', [name]))[0].id;
  const ember = await orgByName('Ember Fund');
  const flint = await orgByName('Flint Works');
  const [pm2] = await sql(`select id from app_user where email = 'pm2@northwind.example'`);

  await sql('delete from investment where organization_id = ?', [ember]);
  for (const p of w.projects) {
    if (bool()) await sql(`insert into investment (id, created_at, updated_at, version, project_id, organization_id, committed_amount, committed_on) values (gen_random_uuid(), now(), now(), 1, ?, ?, '1000.00', '2026-01-01')`, [p, ember]);
  }
  await sql('delete from project_manager where user_id = ?', [pm2.id]);
  for (const p of w.projects) if (bool()) await sql('insert into project_manager (project_id, user_id) values (?, ?)', [p, pm2.id]);
  const partners = [...w.orgs].filter(([, k]) => k === 'VENDOR' || k === 'SUBCONTRACTOR').map(([id]) => id);
  for (const c of w.contracts) {
    if (int(0, 3) === 0) await sql('update contract set counterparty_id = ? where id = ?', [int(0, 1) ? flint : pick(partners), c.id]);
    if (int(0, 3) === 0) await sql('update contract set status = ? where id = ?', [pick(['DRAFT', 'ACTIVE', 'SUSPENDED', 'COMPLETED', 'TERMINATED']), c.id]);
  }
  for (const r of w.rows.Risk) {
    const choices = r.contract_id ? ['INTERNAL', 'INVESTORS', 'STAKEHOLDERS', 'CONTRACT'] : ['INTERNAL', 'INVESTORS', 'STAKEHOLDERS'];
    if (bool()) await sql('update risk set visibility = ? where id = ?', [pick(choices), r.id]);
  }
  for (const u of w.rows.ProjectUpdate) if (bool()) await sql('update project_update set audience = ? where id = ?', [pick(['INVESTORS', 'PARTNERS', 'STAKEHOLDERS']), u.id]);

  await sql('delete from qa_thread');
  await sql('delete from report_acknowledgement');
  w = await loadWorld();
  const askers = w.users.filter((u) => w.orgs.get(u.organization_id) !== 'OPERATOR');
  const operators = w.users.filter((u) => w.orgs.get(u.organization_id) === 'OPERATOR');
  const counts = { threads: 0, messages: 0, acknowledgements: 0 };
  for (let i = 0, n = int(25, 60); i < n; i++) {
    const type = pick(SUBJECTS);
    const subject = pick(w.rows[type]);
    const asker = pick(askers);
    const [t] = await sql(
      `insert into qa_thread (id, created_at, updated_at, version, project_id, subject_type, subject_id, ${KEY[type]}, asker_organization_id, asked_by_id, title, is_private, status, last_message_at)
       values (gen_random_uuid(), now(), now(), 1, ?, ?, ?, ?, ?, ?, 'q', ?, ?, now() - (? || ' minutes')::interval) returning id`,
      [subject.project_id, type, subject.id, subject.id, asker.organization_id, asker.id, bool(), pick(['OPEN', 'ANSWERED', 'CLOSED']), String(int(0, 5000))],
    );
    counts.threads += 1;
    for (let m = 0, k = int(0, 3); m < k; m++) {
      const fromOperator = bool();
      await sql(
        `insert into qa_message (id, created_at, updated_at, version, thread_id, project_id, author_id, from_operator, body, mention_ids) values (gen_random_uuid(), now(), now(), 1, ?, ?, ?, ?, 'm', '[]')`,
        [t.id, subject.project_id, fromOperator ? pick(operators).id : asker.id, fromOperator],
      );
      counts.messages += 1;
    }
  }
  const investors = w.users.filter((u) => w.orgs.get(u.organization_id) === 'INVESTOR');
  const pairs = new Set<string>();
  for (let i = 0, n = int(10, 40); i < n; i++) {
    const report = pick(w.rows.FinancialReport);
    const user = pick(investors);
    if (pairs.has(`${report.id}${user.id}`)) continue;
    pairs.add(`${report.id}${user.id}`);
    await sql(
      `insert into report_acknowledgement (id, created_at, updated_at, version, report_id, project_id, user_id, organization_id, opened_at, acknowledged_at) values (gen_random_uuid(), now(), now(), 1, ?, ?, ?, ?, now(), ${bool() ? 'now()' : 'null'})`,
      [report.id, report.project_id, user.id, user.organization_id],
    );
    counts.acknowledgements += 1;
  }
  return counts;
}

// ---------------------------------------------------------------- read paths

interface Path { name: string; query: string; variables: Record<string, unknown>; check(data: any, v: Visible, w: World): string[] }

const gid = (type: TypeName, id: string) => toGlobalId(type, id);
const rawId = (globalId: string) => Buffer.from(globalId, 'base64url').toString().split(':')[1];

function exact(label: string, conn: any, expected: Set<string>, type: TypeName, size: number): string[] {
  if (!conn) return [`${label}: missing connection`];
  const want = new Set([...expected].map((id) => gid(type, id)));
  const got: string[] = conn.nodes.map((n: { id: string }) => n.id);
  const problems: string[] = [];
  const outside = got.filter((id) => !want.has(id));
  if (outside.length) problems.push(`${label}: ${outside.length} ${type} outside scope`);
  if (conn.totalCount !== expected.size) problems.push(`${label}: totalCount ${conn.totalCount}, expected ${expected.size}`);
  if (got.length !== Math.min(size, expected.size)) problems.push(`${label}: ${got.length} nodes, expected ${Math.min(size, expected.size)}`);
  return problems;
}

function randomTarget(w: World, g: fc.GeneratorValue): { type: TypeName; id: string } {
  const { int, pick } = chooser(g);
  if (int(0, 19) === 0) return { type: pick(['QaThread', 'QaMessage', 'ReportAcknowledgement'] as TypeName[]), id: g(fc.uuid, { version: 7 }) };
  const type = pick((['QaThread', 'QaMessage', 'ReportAcknowledgement', 'QaThread'] as TypeName[]).filter((t) => w.rows[t].length));
  return { type, id: pick(w.rows[type]).id };
}

const DEEP: [string, Subject][] = [['financialReports', 'FinancialReport'], ['risks', 'Risk'], ['milestones', 'Milestone'], ['updates', 'ProjectUpdate']];
const KINDS = ['node', 'nodes', 'threads', 'acknowledgements', 'deep', 'subject'] as const;

function pathOf(kind: (typeof KINDS)[number], g: fc.GeneratorValue, w: World): Path {
  const { int, pick } = chooser(g);
  switch (kind) {
    case 'node': {
      const t = randomTarget(w, g);
      return {
        name: `node:${t.type}`, query: 'query($id: ID!) { one: node(id: $id) { id } }', variables: { id: gid(t.type, t.id) },
        check: (d, v) => (v.sets[t.type].has(t.id) ? d.one?.id === gid(t.type, t.id) : d.one === null) ? [] : [`node ${t.type}: expected ${v.sets[t.type].has(t.id) ? 'visible' : 'null'}`],
      };
    }
    case 'nodes': {
      const targets = Array.from({ length: int(1, 40) }, () => randomTarget(w, g));
      return {
        name: 'nodes', query: 'query($ids: [ID!]!) { many: nodes(ids: $ids) { id } }', variables: { ids: targets.map((t) => gid(t.type, t.id)) },
        check: (d, v) => targets.flatMap((t, i) => ((v.sets[t.type].has(t.id) ? d.many[i]?.id === gid(t.type, t.id) : d.many[i] === null) ? [] : [`nodes[${i}] ${t.type} wrong`])),
      };
    }
    case 'threads': {
      const type = pick(SUBJECTS);
      const subject = pick(w.rows[type]).id;
      return {
        name: `threads:${type}`,
        query: `query($id: ID!) { s: node(id: $id) { id ... on ${type} { threads(first: 100) { totalCount nodes { id messages(first: 50) { totalCount nodes { id } } } } } } }`,
        variables: { id: gid(type, subject) },
        check: (d, v) => {
          if (!v.sets[type].has(subject)) return d.s === null ? [] : [`invisible ${type} returned`];
          if (!d.s) return [`visible ${type} missing`];
          const expected = new Set([...v.sets.QaThread].filter((id) => w.byId.get(id)!.row.subject_id === subject));
          const problems = exact(`${type}.threads`, d.s.threads, expected, 'QaThread', 100);
          for (const t of d.s.threads.nodes) {
            const messages = new Set([...v.sets.QaMessage].filter((id) => w.byId.get(id)!.row.thread_id === rawId(t.id)));
            problems.push(...exact('QaThread.messages', t.messages, messages, 'QaMessage', 50));
          }
          return problems;
        },
      };
    }
    case 'acknowledgements': {
      const report = pick(w.rows.FinancialReport).id;
      return {
        name: 'acknowledgements',
        query: 'query($id: ID!) { r: node(id: $id) { id ... on FinancialReport { acknowledgements(first: 100) { totalCount nodes { id } } } } }',
        variables: { id: gid('FinancialReport', report) },
        check: (d, v) => {
          if (!v.sets.FinancialReport.has(report)) return d.r === null ? [] : ['invisible report returned'];
          const expected = new Set([...v.sets.ReportAcknowledgement].filter((id) => w.byId.get(id)!.row.report_id === report));
          return exact('FinancialReport.acknowledgements', d.r?.acknowledgements, expected, 'ReportAcknowledgement', 100);
        },
      };
    }
    case 'deep': {
      const [field, type] = pick(DEEP);
      const acks = type === 'FinancialReport' ? 'acknowledgements(first: 10) { totalCount nodes { id } }' : '';
      return {
        name: `deep:${field}`,
        query: `{ projects(first: 10) { nodes { id ${field}(first: 20) { nodes { id threads(first: 10) { totalCount nodes { id } } ${acks} } } } } }`,
        variables: {},
        check: (d, v) => {
          const problems: string[] = [];
          for (const p of d.projects.nodes) {
            for (const s of p[field].nodes) {
              const id = rawId(s.id);
              if (!v.sets[type].has(id)) problems.push(`invisible ${type} listed`);
              problems.push(...exact(`${type}.threads (nested)`, s.threads, new Set([...v.sets.QaThread].filter((t) => w.byId.get(t)!.row.subject_id === id)), 'QaThread', 10));
              if (acks) problems.push(...exact('acknowledgements (nested)', s.acknowledgements, new Set([...v.sets.ReportAcknowledgement].filter((a) => w.byId.get(a)!.row.report_id === id)), 'ReportAcknowledgement', 10));
            }
          }
          return problems;
        },
      };
    }
    case 'subject': {
      const thread = w.rows.QaThread.length ? pick(w.rows.QaThread) : null;
      if (!thread) return pathOf('node', g, w);
      return {
        name: 'subject',
        query: 'query($id: ID!) { t: node(id: $id) { ... on QaThread { subject { id } messages(first: 5) { nodes { thread { id } } } } } }',
        variables: { id: gid('QaThread', thread.id) },
        check: (d, v) => {
          if (!v.sets.QaThread.has(thread.id)) return d.t === null ? [] : ['invisible thread returned'];
          const problems = d.t?.subject?.id === gid(thread.subject_type, thread.subject_id) ? [] : ['subject of a visible thread missing'];
          if (d.t?.messages.nodes.some((m: any) => m.thread?.id !== gid('QaThread', thread.id))) problems.push('message.thread wrong');
          return problems;
        },
      };
    }
  }
}

// ---------------------------------------------------------------- the run

beforeAll(async () => {
  app = await startTestApp();
  await addPeople();
});
afterAll(async () => {
  await app?.close();
});

test(`conversation isolation: ${RUNS} random executions over ${DATASETS} random datasets, 0 threads, messages or acknowledgements outside scope`, async () => {
  const tokens = new Map<string, string>();
  const roles = new Map<string, number>();
  const kinds = new Map<string, number>();
  const grown: Record<string, number> = {};
  let executions = 0;
  for (let round = 0; round < DATASETS; round++) {
    const [g] = fc.sample(fc.gen(), { seed: SEED + round, numRuns: 1 });
    for (const [k, n] of Object.entries(await grow(g))) grown[k] = (grown[k] ?? 0) + n;
    const world = await loadWorld();
    const viewers = world.users.filter((u) => !u.disabled_at).map((u) => u.id);
    const oracles = new Map(viewers.map((id) => [id, oracle(world, id)]));
    for (const id of viewers) if (!tokens.has(id)) tokens.set(id, (await signAccessToken(app.config, id)).token);
    const runs = round === DATASETS - 1 ? RUNS - PER_DATASET * (DATASETS - 1) : PER_DATASET;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...KINDS), fc.constantFrom(...viewers), fc.gen(), async (kind, viewerId, gen) => {
        const path = pathOf(kind, gen, world);
        const v = oracles.get(viewerId)!;
        const res = await app.gql(path.query, path.variables, tokens.get(viewerId));
        executions += 1;
        roles.set(`${v.side}/${v.role}`, (roles.get(`${v.side}/${v.role}`) ?? 0) + 1);
        kinds.set(path.name.split(':')[0], (kinds.get(path.name.split(':')[0]) ?? 0) + 1);
        const problems = res.errors ? res.errors.map((e) => `error ${e.extensions?.code}: ${e.message}`) : path.check(res.data, v, world);
        if (problems.length) throw new Error(`${path.name} as ${v.side}/${v.role} ${viewerId}: ${problems.slice(0, 5).join('; ')}`);
      }),
      { numRuns: runs, seed: SEED + 1000 + round, endOnFailure: true },
    );
  }
  expect(executions).toBe(RUNS);
  expect([...roles.keys()].sort()).toEqual(expect.arrayContaining(['investor/VIEWER', 'operator/ADMIN', 'operator/MANAGER', 'partner/MEMBER', 'partner/VIEWER']));
  expect([...kinds.keys()].sort()).toEqual([...KINDS].sort());
  console.log(
    `conversation isolation: ${executions} executions over ${DATASETS} datasets (+${Object.entries(grown).map(([k, n]) => `${n} ${k}`).join(', ')}); ` +
    `roles ${[...roles].map(([k, n]) => `${k} ${n}`).join(', ')}; kinds ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}; seed ${SEED}; 0 outside scope`,
  );
});

test('the oracle is not vacuous: it would catch a thread shown to an organization that did not ask', async () => {
  const w = await loadWorld();
  const privateThread = w.rows.QaThread.find((t) => t.is_private && w.orgs.get(t.asker_organization_id) === 'INVESTOR');
  expect(privateThread).toBeDefined();
  const others = w.users.filter((u) => w.orgs.get(u.organization_id) === 'INVESTOR' && u.organization_id !== privateThread!.asker_organization_id);
  for (const u of others) expect(oracle(w, u.id).sets.QaThread.has(privateThread!.id)).toBe(false);
});

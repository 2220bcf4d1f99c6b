/**
 * The users an event about a project is delivered from
 * (`usersWhoMaySeeProject`, src/access/viewer.ts) are exactly the enabled
 * users whose P(v) — as `buildViewers` builds it over every enabled user, and
 * as `buildViewer` builds it for one — contains the project, for every
 * project of the data; delivering an event about a project reads only
 * those users; and the policy is asked once per distinct condition.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { candidatesOf, conditionText, recipientsOf } from '../../src/access/recipients';
import { buildViewer, buildViewers, usersWhoMaySeeProject, type Viewer } from '../../src/access/viewer';
import { createLogger } from '../../src/core/logger';
// The task registry first: src/jobs/deliver-event.ts is one of its tasks and imports the queue, which imports the registry.
import '../../src/jobs/tasks';
import { deliverEventIn } from '../../src/jobs/deliver-event';
import { User } from '../../src/model/identity.entity';
import { startTestApp, USERS, type TestApp } from '../support/app';
import { uuidOf, WriteKit } from '../write/support';
import { eventsAfter, lastEventId } from './support';

let app: TestApp;
let kit: WriteKit;
/** The test data's users by name (email), and the projects by name (id). */
const who: Record<string, string> = {};
const projects: Record<string, string> = {};

/** Rows read by each statement, beside app.sql's statements. */
let reads: { sql: string; rows: number }[] = [];

beforeAll(async () => {
  app = await startTestApp({ env: { JOBS: 'off' } });
  kit = new WriteKit(app);
  app.orm.em.getKnex().on('query-response', (response: unknown, q: { sql?: string }) => {
    reads.push({ sql: q.sql ?? '', rows: Array.isArray(response) ? response.length : Number((response as any)?.rows?.length ?? 0) });
  });

  for (const name of ['Atlas', 'Borealis', 'Cirrus']) projects[name] = uuidOf(await kit.project(name.toLowerCase() as 'atlas'));
  for (const [short, email] of Object.entries(USERS)) who[short] = email;
  // A project nobody manages, invests in or contracts on: its candidates are the operator's ADMINs.
  projects.Dormant = randomUUID();
  await kit.sql(`insert into project (id, created_at, updated_at, version, code, name, description, status, currency, budget, start_date, target_end_date)
    values (?, now(), now(), 1, 'PRJ-2030-01', 'Dormant', '', 'PLANNED', 'EUR', 1000, '2030-01-01', '2030-12-31')`, [projects.Dormant]);

  const org = async (name: string, kind: string) => {
    await kit.sql(`insert into organization (id, created_at, updated_at, version, name, kind) values (?, now(), now(), 1, ?, ?)`, [randomUUID(), name, kind]);
  };
  await org('Echo Labs', 'VENDOR');
  await org('Foxtrot Fund', 'INVESTOR');
  await org('Golf Testing', 'SUBCONTRACTOR');
  const user = async (name: string, orgName: string, role: string, disabled = false) => {
    who[name] = (await kit.newUser(orgName, role)).email;
    if (disabled) await kit.sql('update app_user set disabled_at = now() where email = ?', [who[name]]);
  };
  await user('cirrusManager', 'Northwind Digital', 'MANAGER');
  await user('idleManager', 'Northwind Digital', 'MANAGER');
  await user('disabledManager', 'Northwind Digital', 'MANAGER', true);
  await user('disabledAdmin', 'Northwind Digital', 'ADMIN', true);
  await user('auroraAdminRole', 'Aurora Capital', 'ADMIN');
  await user('disabledAurora', 'Aurora Capital', 'VIEWER', true);
  await user('deltaAdminRole', 'Delta QA', 'ADMIN');
  await user('echo', 'Echo Labs', 'MEMBER');
  await user('foxtrot', 'Foxtrot Fund', 'VIEWER');
  await user('golf', 'Golf Testing', 'VIEWER');
  await user('disabledGolf', 'Golf Testing', 'MEMBER', true);

  const manages = (name: string, project: string) =>
    kit.sql(`insert into project_manager (project_id, user_id) select ?, id from app_user where email = ?`, [projects[project], who[name]]);
  await manages('cirrusManager', 'Cirrus');
  await manages('disabledManager', 'Atlas');
  const contract = (project: string, orgName: string, status: string) => kit.sql(
    `insert into contract (id, created_at, updated_at, version, project_id, counterparty_id, reference, title, kind, value, start_date, end_date, status)
     select ?, now(), now(), 1, ?, id, ?, 'Test contract', 'FIXED_PRICE', 1000, '2030-01-01', '2030-12-31', ? from organization where name = ?`,
    [randomUUID(), projects[project], `T-${kit.next()}`, status, orgName]);
  // Every non-DRAFT status grants visibility; DRAFT does not (Cobalt's Cirrus contract and Delta's Atlas one are DRAFT already).
  await contract('Cirrus', 'Echo Labs', 'SUSPENDED');
  await contract('Borealis', 'Echo Labs', 'DRAFT');
  await contract('Atlas', 'Golf Testing', 'COMPLETED');
  await contract('Dormant', 'Golf Testing', 'TERMINATED');
  // Rows no write path makes, which P(v) ignores because of the organization's side: an investor as a project's
  // manager, a partner's investment, an investor as a contract's counterparty. Their users are no candidates there.
  await manages('aurora', 'Cirrus');
  await kit.sql(`insert into investment (id, created_at, updated_at, version, project_id, organization_id, committed_amount, committed_on)
    select ?, now(), now(), 1, ?, id, 1000, '2030-01-01' from organization where name = 'Cobalt Cloud'`, [randomUUID(), projects.Dormant]);
  await contract('Dormant', 'Beacon Ventures', 'ACTIVE');
});
afterAll(async () => {
  await app?.close();
});

/** The users (by email) whose viewer's P(v) has the project, from viewers built over every enabled user. */
function oracle(users: User[], viewers: Map<string, Viewer>, projectId: string): string[] {
  return users.filter((u) => {
    const p = viewers.get(u.id)!.projectIds;
    return p === 'all' || p.has(projectId);
  }).map((u) => u.email);
}

test('the candidates of every project are exactly the enabled users whose P(v) has it', async () => {
  const em = app.orm.em.fork() as EntityManager;
  const all = await em.find(User, {}, { populate: ['organization'], orderBy: { email: 'asc' } });
  const enabled = all.filter((u) => !u.disabledAt);
  expect(all.length - enabled.length).toBe(4);
  const viewers = await buildViewers(em, enabled);
  // buildViewer, one user at a time, gives each user the same P(v).
  for (const u of enabled) {
    const one = (await buildViewer(em, u, null)).projectIds;
    const many = viewers.get(u.id)!.projectIds;
    expect([u.email, one === 'all' ? 'all' : [...one].sort()]).toEqual([u.email, many === 'all' ? 'all' : [...many].sort()]);
  }

  const rows = await kit.sql<{ id: string; name: string }>('select id, name from project order by name');
  expect(rows.map((r) => r.name)).toEqual(['Atlas', 'Borealis', 'Cirrus', 'Dormant']);
  const disabled = new Set(all.filter((u) => u.disabledAt).map((u) => u.email));
  const got: Record<string, string[]> = {};
  for (const project of rows) {
    const own = app.orm.em.fork() as EntityManager;
    const candidates = await usersWhoMaySeeProject(own, project.id);
    got[project.name] = candidates.map((u) => u.email);
    // Exact, in e-mail order, with each organization loaded.
    expect([project.name, got[project.name]]).toEqual([project.name, oracle(enabled, viewers, project.id)]);
    expect(candidates.every((u) => u.organization.kind !== undefined && !u.disabledAt)).toBe(true);
    expect(got[project.name].filter((e) => disabled.has(e))).toEqual([]);
    // The event path uses them for an event with a project.
    expect((await candidatesOf(own, { subjectType: 'Project', subjectId: project.id, project: { id: project.id } })).map((u) => u.email)).toEqual(got[project.name]);
  }

  // The same sets, by name: what the data above means.
  const names = (emails: string[]) => emails.map((e) => Object.keys(who).find((k) => who[k] === e)).sort();
  expect(names(got.Atlas)).toEqual(['admin', 'aurora', 'auroraAdminRole', 'cobalt', 'golf', 'pm']);
  expect(names(got.Borealis)).toEqual(['admin', 'aurora', 'auroraAdminRole', 'beacon', 'delta', 'deltaAdminRole', 'pm']);
  // Cirrus: Cobalt's only contract there is DRAFT; pm manages other projects; Aurora's ir is a manager row of an investor.
  expect(names(got.Cirrus)).toEqual(['admin', 'beacon', 'cirrusManager', 'echo']);
  // Dormant: the partner's investment and the investor's contract grant nothing; the TERMINATED contract does.
  expect(names(got.Dormant)).toEqual(['admin', 'golf']);
  // A project id no row has: the operator's ADMINs (P = all), nobody else.
  expect(names((await usersWhoMaySeeProject(app.orm.em.fork() as EntityManager, randomUUID())).map((u) => u.email))).toEqual(['admin']);
});

test('delivering an event about a project reads only its candidate users and asks each distinct condition once; without a project, every enabled user', async () => {
  // An INTERNAL HIGH risk on Cirrus: told to the operator staff of Cirrus only.
  const since = await lastEventId(app);
  await kit.ok('admin', 'createRisk', { projectId: await kit.project('cirrus'), title: 'Archive vendor exit', category: 'TECHNICAL', likelihood: 4, impact: 3 });
  const [event] = await eventsAfter(app, since);
  expect([event.type, event.project_id]).toEqual(['risk.raised', projects.Cirrus]);

  const deliver = async () => {
    reads = [];
    app.sql.reset();
    const recipients = await app.orm.em.fork().transactional((em) => deliverEventIn(em as EntityManager, event.id, createLogger('silent')));
    const users = reads.filter((r) => /\bfrom "app_user"/.test(r.sql));
    return { recipients, userStatements: users.length, userRows: users.reduce((n, r) => n + r.rows, 0) };
  };
  // One statement reads users: Cirrus's 4 candidates (admin, beacon, cirrusManager, echo), of 13 enabled users.
  expect(await deliver()).toEqual({ recipients: 2, userStatements: 1, userRows: 4 });
  const [{ n }] = await kit.sql<{ n: number }>('select count(*)::int as n from app_user where disabled_at is null');
  expect(n).toBe(13);
  expect((await kit.sql('select u.email from notification n join app_user u on u.id = n.user_id where n.event_id = ? order by u.email', [event.id])).map((r) => r.email))
    .toEqual([who.admin, who.cirrusManager].sort());
  // Delivered again (a retry): the same reads, nothing added.
  expect(await deliver()).toEqual({ recipients: 2, userStatements: 1, userRows: 4 });

  // recipientsOf alone, statement by statement: 4 candidate reads (managers, investments, contracts, users), buildViewers
  // for them (managers' projects, investments, contracts, the managers of the investors' and partners' projects), then one
  // visibility count per group of equal viewers (the ADMIN, the Cirrus manager, Beacon, Echo Labs).
  const em = app.orm.em.fork() as EntityManager;
  reads = [];
  const subject = { subjectType: 'Risk', subjectId: event.subject_id, project: { id: projects.Cirrus } };
  expect((await recipientsOf(em, subject)).map((r) => r.email)).toEqual([who.admin, who.cirrusManager].sort());
  expect(reads.map((r) => r.sql.match(/^select .*? from "(\w+)"/)?.[1] ?? r.sql.slice(0, 20))).toEqual([
    'project_manager', 'investment', 'contract', 'app_user',
    'project_manager', 'investment', 'contract', 'project_manager',
    'risk', 'risk', 'risk', 'risk',
  ]);
  expect(reads[3].rows).toBe(4);

  // A deliverable of Borealis (Delta's contract): 7 groups of viewers (the ADMIN; pm; Aurora's VIEWER and its ADMIN-role
  // user; Beacon; Delta's MEMBER and its ADMIN-role user), 4 distinct policy conditions — the three investor groups get
  // the same one (no deliverable), Delta's two the same one — so 4 counts.
  const [deliverable] = await kit.sql<{ id: string }>(`select d.id from deliverable d join contract c on c.id = d.contract_id where c.reference = 'BOR-C-001' order by d.id limit 1`);
  em.clear();
  reads = [];
  const told = await recipientsOf(em, { subjectType: 'Deliverable', subjectId: deliverable.id, project: { id: projects.Borealis } });
  expect(told.map((r) => r.email)).toEqual([who.admin, who.delta, who.deltaAdminRole, who.pm].sort());
  expect(reads.filter((r) => /^select count\(/.test(r.sql)).length).toBe(4);
  expect(reads.filter((r) => /\bfrom "app_user"/.test(r.sql)).map((r) => r.rows)).toEqual([7]);

  // Without a project (no event has none today; the path stays): every enabled user is read.
  em.clear();
  reads = [];
  await recipientsOf(em, { ...subject, project: null });
  expect(reads.filter((r) => /\bfrom "app_user"/.test(r.sql)).map((r) => r.rows)).toEqual([13]);
});

test('a policy condition has an exact text only when every value in it has one', () => {
  const when = new Date('2030-01-01T00:00:00Z');
  expect(conditionText({ $and: [{ project: { $in: ['a', 'b'] } }, { id: 'x', n: 1, ok: true, none: null, at: when }] }))
    .toBe('{"$and":[{"project":{"$in":["a","b"]}},{"id":"x","n":1,"ok":true,"none":null,"at":Date(2030-01-01T00:00:00.000Z)}]}');
  // Equal conditions, equal texts; a different value or order, a different text (asked separately: never merged wrongly).
  expect(conditionText({ id: { $in: [] } })).toBe(conditionText({ id: { $in: [] } }));
  expect(conditionText({ a: 1, b: 2 })).not.toBe(conditionText({ b: 2, a: 1 }));
  expect(conditionText({ a: '1' })).not.toBe(conditionText({ a: 1 }));
  // No exact text: undefined (IS NULL to MikroORM, dropped by JSON), sets, class instances, symbol keys, holes, NaN, bad dates.
  for (const odd of [{ a: undefined }, [undefined], { a: new Set(['x']) }, { a: new Map() }, { a: new (class X {})() },
    { [Symbol('s')]: 1 }, [, 1], { a: Number.NaN }, { a: new Date('nope') }, { a: () => 1 }, { a: 1n }]) {
    expect(conditionText(odd)).toBeNull();
  }
});

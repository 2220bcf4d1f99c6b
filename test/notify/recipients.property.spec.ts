/**
 * recipientsOf against the read policy: for random events (any subject type
 * an event can have, any object of the demo data plus random additions) the
 * recipients are exactly the enabled users whose viewer — built the way a
 * request builds it — reads the subject. Visibility is computed in bulk
 * once per user (one scoped query per entity), so the many cases stay fast.
 * NOTIFY_RUNS sets the number of cases (default 2,000; more for a longer run).
 */
import fc from 'fast-check';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recipientsOf, subjectEntity } from '../../src/access/recipients';
import { scoped } from '../../src/access/policy';
import { buildViewer } from '../../src/access/viewer';
import { User } from '../../src/model/identity.entity';
import { startTestApp, type TestApp } from '../support/app';
import { WriteKit } from '../write/support';

const RUNS = Number(process.env.NOTIFY_RUNS ?? 2000);
const SUBJECT_TYPES = ['Deliverable', 'FinancialReport', 'Risk', 'Milestone', 'Contract', 'ProjectUpdate', 'Investment'];

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { JOBS: 'off' } });
  const kit = new WriteKit(app);
  // More viewers: every organization × role, some disabled; more subjects: risks of every visibility, a draft report.
  const orgs = ['Northwind Digital', 'Aurora Capital', 'Beacon Ventures', 'Cobalt Cloud', 'Delta QA'];
  const roles: Record<string, string[]> = { 'Northwind Digital': ['MANAGER', 'VIEWER'], 'Aurora Capital': ['ADMIN', 'VIEWER'], 'Beacon Ventures': ['VIEWER'], 'Cobalt Cloud': ['MEMBER', 'VIEWER'], 'Delta QA': ['MEMBER', 'ADMIN'] };
  const added: string[] = [];
  for (const org of orgs) for (const role of roles[org]) added.push((await kit.newUser(org, role)).id);
  await kit.sql(`update app_user set disabled_at = now() where id in (select id from app_user where email like 'user%@test.example' order by email limit 3)`);
  // Managers of Cirrus: the (disabled) manager above and an enabled one, beside pm (Atlas, Borealis).
  added.push((await kit.newUser('Northwind Digital', 'MANAGER')).id);
  await kit.sql(`insert into project_manager (project_id, user_id)
    select (select id from project where name = 'Cirrus'), id from app_user where role = 'MANAGER' and email like 'user%'`);
  expect((await kit.sql(`select count(*)::int as n from project_manager pm join app_user u on u.id = pm.user_id where u.email like 'user%'`))[0].n).toBe(2);
  for (const visibility of ['INTERNAL', 'CONTRACT', 'INVESTORS', 'STAKEHOLDERS']) {
    const risk = await kit.newRisk('borealis', 'OPEN', 'BOR-C-001');
    await kit.sql('update risk set visibility = ? where id = (select id from risk order by created_at desc, id desc limit 1)', [visibility]);
    void risk;
  }
  await kit.newReport('atlas');
});
afterAll(async () => {
  await app?.close();
});

test(`recipientsOf equals the read policy over ${RUNS} random events`, async () => {
  const em = app.orm.em.fork() as EntityManager;
  const users = await em.find(User, {}, { populate: ['organization'] });
  const subjects: { type: string; id: string; project: string | null }[] = [];
  for (const type of SUBJECT_TYPES) {
    const rows = await em.find(subjectEntity(type), {}, { fields: ['id', 'project'] as never });
    for (const r of rows as any[]) subjects.push({ type, id: r.id, project: r.project?.id ?? null });
  }
  // Bulk visibility: for each enabled user, every visible id of each type, through the request path's viewer.
  const visible = new Map<string, Set<string>>();
  for (const user of users) {
    if (user.disabledAt) continue;
    const viewer = await buildViewer(em, user, null);
    const ids = new Set<string>();
    for (const type of SUBJECT_TYPES) {
      const entity = subjectEntity(type);
      for (const r of await em.find(entity, scoped(entity, viewer), { fields: ['id'] as never })) ids.add((r as any).id);
    }
    visible.set(user.id, ids);
  }
  expect(users.filter((u) => u.disabledAt).length).toBe(3);

  // The cases come from fast-check (seeded, reproducible) and run a few at a time, each on its own EntityManager.
  const seed = Number(process.env.NOTIFY_SEED ?? Date.now() % 100000);
  const cases = fc.sample(fc.integer({ min: 0, max: subjects.length - 1 }), { numRuns: RUNS, seed });
  const failures: unknown[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: 6 }, async () => {
    const own = app.orm.em.fork() as EntityManager;
    while (next < cases.length) {
      const s = subjects[cases[next++]];
      own.clear();
      const got = (await recipientsOf(own, { subjectType: s.type, subjectId: s.id, project: s.project ? { id: s.project } : null })).map((r) => r.userId).sort();
      const expected = [...visible.entries()].filter(([, ids]) => ids.has(s.id)).map(([id]) => id).sort();
      if (JSON.stringify(got) !== JSON.stringify(expected)) failures.push({ seed, s, got, expected });
    }
  }));
  expect(failures.slice(0, 3)).toEqual([]);
  expect(new Set(cases.map((i) => subjects[i].type)).size).toBe(SUBJECT_TYPES.length);
});

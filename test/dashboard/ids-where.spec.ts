/**
 * The dashboards' id subqueries (`visibleIds` / `idsWhere`,
 * src/modules/dashboard/dashboard.sql.ts) are written by the QueryBuilder
 * once per shape of their filter and then only take each request's values:
 * two viewers of one shape share the text and each still gets exactly the
 * rows the policy gives it (compared with `em.find` under `scoped`), no
 * value of one request is left in the shared text, lists are one array
 * parameter whatever their length, and an empty list matches nothing.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { scoped } from '../../src/access/policy';
import { buildViewer, type Viewer } from '../../src/access/viewer';
import { User } from '../../src/model/identity.entity';
import { Milestone } from '../../src/model/milestone.entity';
import { Risk } from '../../src/model/risk.entity';
import { run, visibleIds } from '../../src/modules/dashboard/dashboard.sql';
import { startTestApp, USERS, type DemoUser, type TestApp } from '../support/app';

jest.setTimeout(60_000);

let app: TestApp;
let em: EntityManager;
const viewers = {} as Record<DemoUser, Viewer>;
beforeAll(async () => {
  app = await startTestApp();
  em = app.orm.em.fork();
  for (const key of Object.keys(USERS) as DemoUser[]) {
    const user = await em.findOneOrFail(User, { email: USERS[key] }, { populate: ['organization'] });
    viewers[key] = await buildViewer(em, user, null);
  }
});
afterAll(async () => {
  await app?.close();
});

async function ids(statement: ReturnType<typeof visibleIds>): Promise<string[]> {
  return (await run<{ id: string }>(em, statement)).map((r) => r.id).sort();
}

test('viewers of one shape share the text and each gets the rows the policy gives it', async () => {
  const investors: DemoUser[] = ['aurora', 'beacon'];
  const where = { status: { $in: ['OPEN', 'MITIGATING'] } } as const;
  const statements = investors.map((key) => visibleIds(em, Risk, viewers[key], where as any));
  expect(statements[0].text).toBe(statements[1].text);
  for (const [i, key] of investors.entries()) {
    const expected = (await em.find(Risk, scoped(Risk, viewers[key], where as any))).map((r) => r.id).sort();
    expect(await ids(statements[i])).toEqual(expected);
    // No id of this viewer's scope is written into the shared text.
    for (const projectId of viewers[key].projectIds as ReadonlySet<string>) expect(statements[i].text).not.toContain(projectId);
  }
  // The two investors do not see the same risks (else the comparison would prove little).
  expect(await ids(statements[0])).not.toEqual(await ids(statements[1]));
});

test('every demo viewer: the cached id subquery reads what the policy gives, project by project', async () => {
  const counts: Record<string, number> = {};
  for (const key of Object.keys(USERS) as DemoUser[]) {
    const viewer = viewers[key];
    const first = visibleIds(em, Milestone, viewer, {});
    const expected = (await em.find(Milestone, scoped(Milestone, viewer, {}))).map((m) => m.id).sort();
    expect(await ids(first)).toEqual(expected);
    // Built again (from the cache) with a project list, for one visible project.
    const visible = [...new Set((await em.find(Milestone, scoped(Milestone, viewer, {}))).map((m) => m.project.id))].sort();
    if (visible.length) {
      const one = (await em.find(Milestone, scoped(Milestone, viewer, { project: { $in: [visible[0]] } }))).map((m) => m.id).sort();
      expect(await ids(visibleIds(em, Milestone, viewer, { project: { $in: [visible[0]] } }))).toEqual(one);
    }
    counts[key] = expected.length;
  }
  expect(counts).toEqual({ admin: 18, pm: 12, aurora: 12, beacon: 12, cobalt: 6, delta: 6 });
});

test('a list is one array parameter whatever its length; an empty one matches nothing', async () => {
  const one = visibleIds(em, Milestone, viewers.pm, { project: { $in: ['00000000-0000-0000-0000-000000000001'] } });
  const none = visibleIds(em, Milestone, viewers.pm, { project: { $in: [] } });
  expect(none.text).toBe(one.text);
  expect(none.text).toContain('"v"."project_id" = any(?)');
  expect(await ids(none)).toEqual([]);
  expect(await ids(one)).toEqual([]);
  // A viewer with no visible project: its scope is an empty list too.
  const nobody: Viewer = { ...viewers.aurora, projectIds: new Set() };
  expect(await ids(visibleIds(em, Milestone, nobody, {}))).toEqual([]);
});

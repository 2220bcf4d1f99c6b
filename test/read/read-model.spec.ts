/**
 * The reader returns plain read-only objects instead of ORM entities. For
 * every entity with a visibility rule, what a viewer reads must equal what the
 * ORM itself loads for the same rows, property by property and type by type
 * (dates, decimals, JSON, relations as `{ id }`), lazy columns must stay
 * unread, and the identity map must stay empty.
 */
import { ReferenceKind, type EntityClass, type EntityProperty } from '@mikro-orm/core';
import { buildContext, type Context } from '../../src/access/context';
import { scoped } from '../../src/access/policy';
import { AuditEvent } from '../../src/model/audit.entity';
import { Contract } from '../../src/model/contract.entity';
import { Deliverable, DeliverableReview, DeliverableSubmission } from '../../src/model/deliverable.entity';
import { FinancialReport, FinancialReportLine } from '../../src/model/financial-report.entity';
import { ApiToken, Organization, User } from '../../src/model/identity.entity';
import { Investment } from '../../src/model/investment.entity';
import { Milestone } from '../../src/model/milestone.entity';
import { Project } from '../../src/model/project.entity';
import { Risk, RiskAssessment } from '../../src/model/risk.entity';
import { ProjectUpdate } from '../../src/model/update.entity';
import { startTestApp, USERS, type DemoUser, type TestApp } from '../support/app';

const ENTITIES: EntityClass<any>[] = [
  Organization, User, ApiToken, Project, Investment, Milestone, Contract, Deliverable,
  FinancialReport, FinancialReportLine, Risk, RiskAssessment, ProjectUpdate, AuditEvent, DeliverableSubmission, DeliverableReview,
];

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  // An API token and audit events exist, so those tables are compared on real rows too.
  const admin = await app.login(USERS.admin);
  const created = await app.gql('mutation { createApiToken(input: { name: "read-model" }) { secret userErrors { code } } }', {}, admin);
  expect(created.data?.createApiToken?.userErrors).toEqual([]);
});
afterAll(async () => {
  await app?.close();
});

async function requestOf(user: DemoUser): Promise<Context> {
  return buildContext(app.orm, app.config, `Bearer ${await app.login(USERS[user])}`);
}

/** The stored properties the reader fills, as the ORM's entity holds them (a relation by its id). */
function stored(entity: EntityClass<any>): EntityProperty[] {
  return app.orm.getMetadata().get(entity.name).props.filter((p) => p.persist !== false && !p.lazy
    && (p.kind === ReferenceKind.SCALAR || p.kind === ReferenceKind.MANY_TO_ONE || (p.kind === ReferenceKind.ONE_TO_ONE && p.owner)));
}

function plain(entity: EntityClass<any>, row: any): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of stored(entity)) {
    const v = row[p.name];
    out[p.name] = p.kind === ReferenceKind.SCALAR ? v ?? null : v == null ? null : { id: v.id };
  }
  return out;
}

describe.each(['admin', 'pm', 'aurora', 'cobalt'] as DemoUser[])('as %s', (user) => {
  test.each(ENTITIES.map((e) => [e.name, e] as const))('%s: the reader\'s objects equal the ORM\'s entities for the same visible rows', async (_name, entity) => {
    const ctx = await requestOf(user);
    const managed = () => ctx.em.getUnitOfWork().getIdentityMap().values().length;
    const before = managed();
    const read = await ctx.reader!.list(entity, { sort: 'id' });
    // Nothing the reader read became managed by the request's EntityManager.
    expect(managed()).toBe(before);
    const orm = await app.orm.em.fork().find(entity, scoped(entity, ctx.viewer!), { orderBy: { id: 'asc' } });
    expect(read.map((r: any) => r.id)).toEqual(orm.map((r: any) => r.id));
    expect(read.map((r) => plain(entity, r))).toEqual(orm.map((r) => plain(entity, r)));
    for (const r of read) {
      expect(r).toBeInstanceOf(entity);
      // Plain data only: no ORM change-tracking state (`__helper`, per-instance accessors) was attached.
      expect(Object.getOwnPropertyNames(r)).toEqual(stored(entity).map((p) => p.name));
      expect(Object.getOwnPropertyNames(r).map((k) => typeof Object.getOwnPropertyDescriptor(r, k)!.get)).not.toContain('function');
      for (const p of stored(entity)) {
        const value = (r as any)[p.name];
        if (value === null) continue;
        if (p.runtimeType === 'Date') expect(value).toBeInstanceOf(Date);
        else if (p.kind !== ReferenceKind.SCALAR) expect(Object.keys(value)).toEqual(['id']);
        else if (p.type === 'decimal' || p.type === 'DecimalType') expect(typeof value).toBe('string');
      }
    }
  });
});

test('sanity: the comparison covers rows of every entity for the admin, and values of every kind', async () => {
  const ctx = await requestOf('admin');
  const counts: Record<string, number> = {};
  for (const entity of ENTITIES) counts[entity.name] = (await ctx.reader!.list(entity, { sort: 'id' })).length;
  for (const [name, n] of Object.entries(counts)) expect([name, n > 0]).toEqual([name, true]);
  const [project] = await ctx.reader!.list(Project, { sort: 'code' });
  expect(typeof project.budget).toBe('string');
  expect(project.budget).toMatch(/^\d+\.\d{2}$/);
  expect(project.startDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(project.createdAt).toBeInstanceOf(Date);
});

test('a lazy column (the password hash) is never read', async () => {
  const ctx = await requestOf('admin');
  const users = await ctx.reader!.list(User, { sort: 'email' });
  expect(users.length).toBeGreaterThan(3);
  for (const u of users) expect(Object.keys(u)).not.toContain('passwordHash');
});

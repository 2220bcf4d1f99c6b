/**
 * Regression tests for the read-path items of docs/pitfalls.md: the identity map
 * answering by primary key without any condition, QueryBuilder/raw SQL that
 * no ORM filter reaches, and scope parameters that silently become IS NULL.
 * Each test first shows the trap is real on this stack, then that the read
 * path does not fall into it.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { buildContext, type Context } from '../../src/access/context';
import { toGlobalId } from '../../src/core/global-id';
import { NodeResolver } from '../../src/modules/node/node.resolver';
import { policy, scopeOf, scoped } from '../../src/access/policy';
import { MAX_BATCH } from '../../src/access/reader';
import type { Viewer } from '../../src/access/viewer';
import { Contract } from '../../src/model/contract.entity';
import { Deliverable } from '../../src/model/deliverable.entity';
import { FinancialReport, FinancialReportLine } from '../../src/model/financial-report.entity';
import { ApiToken, Organization, OrganizationKind, User, UserRole } from '../../src/model/identity.entity';
import { identityService } from '../../src/modules/identity/identity.service';
import { Investment } from '../../src/model/investment.entity';
import { Milestone } from '../../src/model/milestone.entity';
import { Project, ProjectManager } from '../../src/model/project.entity';
import { dashboardLoaders } from '../../src/modules/dashboard/dashboard.loaders';
import { Risk, RiskAssessment } from '../../src/model/risk.entity';
import { ProjectUpdate } from '../../src/model/update.entity';
import { AuditEvent } from '../../src/model/audit.entity';
import { startTestApp, USERS, type DemoUser, type TestApp } from '../support/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

/** A request context exactly as the server builds it for this user's bearer token. */
async function requestOf(user: DemoUser): Promise<Context> {
  return buildContext(app.orm, app.config, `Bearer ${await app.login(USERS[user])}`);
}

/** Demo rows looked up outside any request (a system fork). */
async function demo() {
  const em = app.orm.em.fork();
  const [cirrus] = await em.find(Project, { code: 'PRJ-2026-01' });
  const [atlas] = await em.find(Project, { code: 'PRJ-2025-01' });
  const [draftContract] = await em.find(Contract, { reference: 'CIR-C-001' });
  const [deltaDraft] = await em.find(Contract, { reference: 'ATL-C-002' });
  const [internalRisk] = await em.find(Risk, { title: 'Key architect may leave' });
  const [deltaRisk] = await em.find(Risk, { title: 'Load test vendor not yet contracted' });
  const [draftReport] = await em.find(FinancialReport, { project: atlas, status: 'DRAFT' } as any);
  const [admin] = await em.find(User, { email: USERS.admin });
  const [aurora] = await em.find(Organization, { name: 'Aurora Capital' });
  return { cirrus, atlas, draftContract, deltaDraft, internalRisk, deltaRisk, draftReport, admin, aurora };
}

describe('identity map bypass (MikroORM: findOne by primary key skips every condition)', () => {
  test('rows already in the request\'s identity map stay invisible through reader.byId, node(id) and nested connections', async () => {
    const d = await demo();
    const ctx = await requestOf('cobalt');
    const em = ctx.em;
    // Something in this very request loads rows Cobalt may not see into its fork, fully initialized.
    const [cirrus] = await em.find(Project, { id: d.cirrus.id });
    const [draftContract] = await em.find(Contract, { id: d.draftContract.id });
    const [deltaDraft] = await em.find(Contract, { id: d.deltaDraft.id });
    const [internalRisk] = await em.find(Risk, { id: d.internalRisk.id });
    const [draftReport] = await em.find(FinancialReport, { id: d.draftReport.id });

    // The trap is real: a lookup by primary key answers from the identity map, whatever the viewer.
    expect(await em.findOne(Project, d.cirrus.id)).toBe(cirrus);
    expect(await em.findOne(Contract, d.draftContract.id)).toBe(draftContract);
    expect(await em.findOne(Risk, { id: d.internalRisk.id })).toBe(internalRisk);

    // The scoped read path does not fall into it.
    const reader = ctx.reader!;
    expect(await reader.byId(Project).load(d.cirrus.id)).toBeNull();
    expect(await reader.byId(Contract).loadMany([d.draftContract.id, d.deltaDraft.id])).toEqual([null, null]);
    expect(await reader.byId(Risk).load(d.internalRisk.id)).toBeNull();
    expect(await reader.byId(FinancialReport).load(d.draftReport.id)).toBeNull();
    void deltaDraft;
    void draftReport;

    const nodes = new NodeResolver();
    expect(await nodes.node(toGlobalId('Project', d.cirrus.id), ctx)).toBeNull();
    expect(await nodes.node(toGlobalId('Contract', d.deltaDraft.id), ctx)).toBeNull();
    expect(await nodes.nodes([toGlobalId('Risk', d.internalRisk.id), toGlobalId('Risk', d.deltaRisk.id), toGlobalId('FinancialReport', d.draftReport.id)], ctx)).toEqual([null, null, null]);

    const contracts = await reader.childConnection(Contract, 'project', { id: d.cirrus.id }, {}, { sort: 'reference' }, 'pitfall');
    expect(contracts.totalCount).toBe(0);
    const atlasContracts = await reader.childConnection(Contract, 'project', { id: d.atlas.id }, {}, { sort: 'reference' }, 'pitfall');
    expect(atlasContracts.nodes.map((c) => c.reference)).toEqual(['ATL-C-001']);
  });

  test('a login inside the request (which looks users up by email, unscoped) does not make that user or organization visible', async () => {
    const d = await demo();
    const ctx = await requestOf('cobalt');
    const result = await identityService.login(ctx, { email: USERS.admin, password: 'not the password' });
    expect(result.userErrors.map((e) => e.code)).toEqual(['INVALID_CREDENTIALS']);
    // The admin user and its organization are now initialized in this fork.
    const admin = await ctx.em.findOne(User, d.admin.id);
    expect(admin?.email).toBe(USERS.admin);

    // Cobalt's contacts are the managers of Atlas (pm), not the admin.
    expect(await ctx.reader!.byId(User).load(d.admin.id)).toBeNull();
    expect(await new NodeResolver().node(toGlobalId('User', d.admin.id), ctx)).toBeNull();

    const ctx2 = await requestOf('cobalt');
    await identityService.login(ctx2, { email: USERS.aurora, password: 'wrong' });
    expect((await ctx2.em.findOne(Organization, d.aurora.id))?.name).toBe('Aurora Capital');
    expect(await ctx2.reader!.byId(Organization).load(d.aurora.id)).toBeNull();
  });

  test('over HTTP: one query that loads visible rows through to-one links and the viewer, then asks node(id) of invisible ones', async () => {
    const d = await demo();
    const token = await app.login(USERS.cobalt);
    const q = `query($ids: [ID!]!) {
      viewer { user { id organization { id } } organization { id } }
      projects(first: 3) { nodes { id managers { id organization { id } } contracts(first: 3) { nodes { id counterparty { id } project { id }
        deliverables(first: 10) { nodes { id milestone { id project { id } } contract { id } } } } }
        risks(first: 10) { nodes { id contract { id } owner { id } assessments(first: 3) { nodes { id assessedBy { id } risk { id } } } } } } }
      nodes(ids: $ids) { id }
    }`;
    const ids = [
      toGlobalId('Project', d.cirrus.id), toGlobalId('Contract', d.draftContract.id), toGlobalId('Contract', d.deltaDraft.id),
      toGlobalId('Risk', d.internalRisk.id), toGlobalId('Risk', d.deltaRisk.id), toGlobalId('FinancialReport', d.draftReport.id),
      toGlobalId('User', d.admin.id), toGlobalId('Organization', d.aurora.id),
    ];
    const res = await app.gql(q, { ids }, token);
    expect(res.errors).toBeUndefined();
    expect(res.data.projects.nodes).toHaveLength(1);
    expect(res.data.nodes).toEqual(ids.map(() => null));
  });

  test('loaders and identity maps are per request: an admin request running alongside leaks nothing into a partner\'s', async () => {
    const d = await demo();
    const [admin, cobalt] = [await app.login(USERS.admin), await app.login(USERS.cobalt)];
    const ids = [toGlobalId('Project', d.cirrus.id), toGlobalId('Contract', d.draftContract.id), toGlobalId('Risk', d.internalRisk.id), toGlobalId('User', d.admin.id)];
    const q = 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }';
    for (let round = 0; round < 5; round += 1) {
      const [a, c] = await Promise.all([app.gql(q, { ids }, admin), app.gql(q, { ids }, cobalt)]);
      expect(a.data.nodes).toEqual(ids.map((id) => ({ id })));
      expect(c.data.nodes).toEqual(ids.map(() => null));
    }
  });
});

describe('DataLoader', () => {
  test('batches are capped: more keys than MAX_BATCH split into several bounded IN lists', async () => {
    const ctx = await requestOf('admin');
    const ids = Array.from({ length: MAX_BATCH + 1 }, () => randomUUID());
    app.sql.reset();
    const found = await ctx.reader!.byId(Project).loadMany(ids);
    expect(found.filter((x) => x !== null)).toEqual([]);
    expect(app.sql.count).toBe(2);
  });
});

describe('QueryBuilder and raw SQL apply no filter', () => {
  test('Project.totalCommitted sums in SQL with the policy ANDed: an invisible project adds nothing', async () => {
    const d = await demo();
    const ids = [d.atlas.id, (await app.orm.em.fork().find(Project, { code: 'PRJ-2025-02' }))[0].id, d.cirrus.id];
    // The trap: the same aggregate without the scope counts Cirrus (400000.00, Beacon's).
    const unscoped: { total: string }[] = await app.orm.em.fork().getConnection()
      .execute('select sum(committed_amount)::text as total from investment where project_id = ?', [d.cirrus.id]);
    expect(unscoped[0].total).toBe('400000.00');

    // An invisible project has no figure at all (null), never Beacon's 400000.00. Aurora reads
    // Borealis as null too: the disclosure rule withholds the total of Aurora + one other investor.
    const aurora = await requestOf('aurora');
    expect(await dashboardLoaders(aurora).totalCommitted.loadMany(ids)).toEqual(['700000.00', null, null]);
    const pm = await requestOf('pm');
    expect(await dashboardLoaders(pm).totalCommitted.loadMany(ids)).toEqual(['700000.00', '750000.00', null]);
    const admin = await requestOf('admin');
    expect(await dashboardLoaders(admin).totalCommitted.loadMany(ids)).toEqual(['700000.00', '750000.00', '400000.00']);
  });

  test('over HTTP: investors get the total the disclosure rule allows, partners get null and FORBIDDEN', async () => {
    const beacon = await app.gql('{ projects { nodes { name totalCommitted } } }', {}, await app.login(USERS.beacon));
    expect(beacon.errors).toBeUndefined();
    expect(beacon.data.projects.nodes).toEqual([{ name: 'Borealis', totalCommitted: null }, { name: 'Cirrus', totalCommitted: '400000.00' }]);
    const delta = await app.gql('{ projects { nodes { name totalCommitted } } }', {}, await app.login(USERS.delta));
    expect(delta.data.projects.nodes).toEqual([{ name: 'Borealis', totalCommitted: null }]);
    expect(delta.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['projects', 'nodes', 0, 'totalCommitted'], 'FORBIDDEN']]);
  });

  test('source guard: no filters:false, getReference or findOne in src; every QueryBuilder file ANDs the policy', () => {
    const root = path.resolve(__dirname, '../../src');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (full.endsWith('.ts')) files.push(full);
      }
    };
    for (const layer of ['core', 'model', 'access', 'write', 'modules']) walk(path.join(root, layer));
    const problems: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      const rel = path.relative(root, file);
      if (/filters\s*:\s*false/.test(text)) problems.push(`${rel}: filters: false`);
      if (/\.getReference\s*\(/.test(text)) problems.push(`${rel}: em.getReference`);
      if (/\.findOne(OrFail)?\s*\(/.test(text)) problems.push(`${rel}: em.findOne (answers from the identity map)`);
      if (/createQueryBuilder\s*\(|\.getKnex\s*\(|getConnection\(\)\s*\.execute\s*\(/.test(text) && !/\b(scopeOf|scoped|visibleIds)\s*\(/.test(text)) {
        problems.push(`${rel}: SQL without a policy condition (scopeOf/scoped)`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('undefined scope parameters (MikroORM turns them into IS NULL)', () => {
  test('the trap is real: an undefined condition value matches the rows whose column is NULL', async () => {
    const em = app.orm.em.fork();
    app.sql.reset();
    const risks = await em.find(Risk, { contract: undefined } as any);
    expect(risks.length).toBe(11);
    expect(app.sql.statements.some((s) => /"contract_id" is null/.test(s))).toBe(true);
  });

  const base = { userId: 'u-1', orgId: 'o-1', apiTokenId: null, contactUserIds: new Set(['u-2']), contactOrgIds: new Set(['o-2']) };
  const viewers: Record<string, Viewer> = {
    admin: { ...base, orgKind: OrganizationKind.OPERATOR, role: UserRole.ADMIN, side: 'operator', projectIds: 'all', contractIds: new Set() },
    manager: { ...base, orgKind: OrganizationKind.OPERATOR, role: UserRole.MANAGER, side: 'operator', projectIds: new Set(['p-1']), contractIds: new Set() },
    investor: { ...base, orgKind: OrganizationKind.INVESTOR, role: UserRole.VIEWER, side: 'investor', projectIds: new Set(['p-1']), contractIds: new Set() },
    partner: { ...base, orgKind: OrganizationKind.VENDOR, role: UserRole.MEMBER, side: 'partner', projectIds: new Set(['p-1']), contractIds: new Set(['c-1']) },
  };
  const scopeFields = ['userId', 'orgId', 'projectIds', 'contractIds', 'contactUserIds', 'contactOrgIds'] as const;
  const rules = Object.entries(policy) as [string, (v: Viewer) => unknown][];

  function holes(value: unknown, at = ''): string[] {
    if (value === undefined || value === null) return [at || '(root)'];
    if (value instanceof Set) return [];
    if (Array.isArray(value)) return value.flatMap((x, i) => holes(x, `${at}[${i}]`));
    if (typeof value === 'object') return Object.entries(value as object).flatMap(([k, x]) => holes(x, `${at}.${k}`));
    return [];
  }

  test('with complete viewers, no rule produces an undefined or null value anywhere', () => {
    const found: string[] = [];
    for (const [who, v] of Object.entries(viewers)) for (const [name, rule] of rules) found.push(...holes(rule(v)).map((h) => `${who} ${name}${h}`));
    expect(found).toEqual([]);
  });

  test.each(Object.keys(viewers))('%s: a rule whose viewer lacks a scope value throws, or does not use that value at all', (who) => {
    const silent: string[] = [];
    let thrown = 0;
    for (const field of scopeFields) {
      const broken = { ...viewers[who], [field]: undefined } as unknown as Viewer;
      for (const [name, rule] of rules) {
        let result: unknown;
        try {
          result = rule(broken);
        } catch (err) {
          expect(String(err)).toMatch(/missing/);
          thrown += 1;
          continue;
        }
        // Not thrown: then the missing value must not have been used.
        if (JSON.stringify(result, setsAsArrays) !== JSON.stringify(rule(viewers[who]), setsAsArrays)) silent.push(`${name} without ${field}`);
      }
    }
    expect(silent).toEqual([]);
    expect(thrown).toBeGreaterThan(0);
  });

  test('the rules that need a value say so', () => {
    const without = (who: string, field: string) => ({ ...viewers[who], [field]: undefined }) as unknown as Viewer;
    expect(() => policy.investment(without('investor', 'orgId'))).toThrow(/orgId is missing/);
    expect(() => policy.contract(without('partner', 'orgId'))).toThrow(/orgId is missing/);
    expect(() => policy.risk(without('partner', 'contractIds'))).toThrow(/missing/);
    expect(() => policy.deliverable(without('partner', 'contractIds'))).toThrow(/missing/);
    expect(() => policy.project(without('manager', 'projectIds'))).toThrow(/projectIds is missing/);
    expect(() => policy.milestone(without('investor', 'projectIds'))).toThrow(/projectIds is missing/);
    expect(() => policy.apiToken(without('admin', 'userId'))).toThrow(/userId is missing/);
    expect(() => policy.user(without('investor', 'contactUserIds'))).toThrow(/missing/);
    expect(() => policy.organization(without('partner', 'contactOrgIds'))).toThrow(/missing/);
  });

  test('scopeOf fails closed: no viewer, or an entity without a rule', () => {
    expect(() => scopeOf(Project, undefined as unknown as Viewer)).toThrow(/viewer is missing/);
    expect(() => scoped(Milestone, null as unknown as Viewer, {})).toThrow(/viewer is missing/);
    expect(() => scopeOf(ProjectManager, viewers.admin)).toThrow(/no visibility rule/);
    for (const entity of [Project, Milestone, Contract, Deliverable, FinancialReport, FinancialReportLine, Risk, RiskAssessment, Investment, ProjectUpdate, AuditEvent, Organization, User, ApiToken]) {
      expect(() => scopeOf(entity as any, viewers.partner)).not.toThrow();
    }
  });

  test('end to end: a viewer missing its organization reads nothing instead of the NULL-organization rows', async () => {
    const ctx = await requestOf('aurora');
    (ctx.viewer as { orgId?: string }).orgId = undefined;
    await expect(ctx.reader!.list(Investment, { sort: 'committedOn' })).rejects.toThrow(/orgId is missing/);
  });
});

function setsAsArrays(_key: string, value: unknown): unknown {
  return value instanceof Set ? [...value] : value;
}

/**
 * Tenant isolation as a property: random datasets (rows of every kind added
 * to the demo data), random viewers of every role, random read paths — root
 * lists, nested connections, node/nodes, to-one links, totalCount, audit
 * trails, dashboards, hidden fields — each answer compared with an oracle
 * written here from docs/visibility.md (it does not use src/access/policy.ts).
 * Every path is asked by several viewers side by side in fresh requests,
 * then again by each of them after the others' requests for the same path,
 * in a request whose earlier field warmed the loaders.
 *
 * ISOLATION_RUNS (default 2000) sets the number of executions; ISOLATION_SEED
 * replays a run.
 */
import fc from 'fast-check';
import type { EntityManager } from '@mikro-orm/postgresql';
import { signAccessToken } from '../../src/access/auth';
import { toGlobalId } from '../../src/core/global-id';
import { Contract, ContractKind, ContractStatus } from '../../src/model/contract.entity';
import { Deliverable, DeliverableDecision, DeliverableReview, DeliverableStatus, DeliverableSubmission } from '../../src/model/deliverable.entity';
import { FinancialReport, FinancialReportLine, ReportStatus, SpendCategory } from '../../src/model/financial-report.entity';
import { ApiToken, Organization, OrganizationKind, User, UserRole } from '../../src/model/identity.entity';
import { Investment } from '../../src/model/investment.entity';
import { Milestone, MilestoneStatus } from '../../src/model/milestone.entity';
import { Project, ProjectManager, ProjectStatus } from '../../src/model/project.entity';
import { Risk, RiskAssessment, RiskCategory, RiskStatus, RiskVisibility } from '../../src/model/risk.entity';
import { ProjectUpdate, UpdateAudience } from '../../src/model/update.entity';
import { AuditEvent } from '../../src/model/audit.entity';
import { startHardenedApp, type HardenedApp } from './support';

const RUNS = Number(process.env.ISOLATION_RUNS ?? 2000);
const DATASETS = Math.max(2, Math.ceil(RUNS / 500));
const PER_DATASET = Math.ceil(RUNS / DATASETS);
/** Cases checked side by side in one property run. */
const BATCH = Number(process.env.ISOLATION_BATCH ?? 5);
const SEED = Number(process.env.ISOLATION_SEED ?? Date.now() % 1_000_000);

jest.setTimeout(Math.max(900_000, RUNS * 500));

// ---------------------------------------------------------------- the world, read straight from the tables

type TypeName =
  | 'Project' | 'Milestone' | 'Contract' | 'Deliverable' | 'FinancialReport' | 'FinancialReportLine' | 'Risk' | 'RiskAssessment'
  | 'Investment' | 'ProjectUpdate' | 'AuditEvent' | 'Organization' | 'User' | 'ApiToken' | 'DeliverableSubmission' | 'DeliverableReview';
const TYPES: TypeName[] = [
  'Project', 'Milestone', 'Contract', 'Deliverable', 'FinancialReport', 'FinancialReportLine', 'Risk', 'RiskAssessment',
  'Investment', 'ProjectUpdate', 'AuditEvent', 'Organization', 'User', 'ApiToken', 'DeliverableSubmission', 'DeliverableReview',
];

interface Row { id: string; [k: string]: any }
interface World {
  rows: Record<TypeName, Row[]>;
  byId: Map<string, { type: TypeName; row: Row }>;
  managers: { project_id: string; user_id: string }[];
}

const TABLES: Record<TypeName, string> = {
  Project: 'select id from project',
  Milestone: 'select id, project_id from milestone',
  Contract: 'select id, project_id, counterparty_id, status from contract',
  Deliverable: 'select id, project_id, contract_id, milestone_id from deliverable',
  FinancialReport: 'select id, project_id, status, published_by_id from financial_report',
  FinancialReportLine: 'select id, report_id from financial_report_line',
  Risk: 'select id, project_id, contract_id, visibility, status, owner_id from risk',
  RiskAssessment: 'select id, risk_id, assessed_by_id from risk_assessment',
  Investment: 'select id, project_id, organization_id from investment',
  ProjectUpdate: 'select id, project_id, audience, author_id from project_update',
  AuditEvent: 'select id, project_id, actor_id, entity_id from audit_event',
  Organization: 'select id, kind from organization',
  User: 'select id, organization_id, role, disabled_at from app_user',
  ApiToken: 'select id, user_id from api_token',
  DeliverableSubmission: 'select id, deliverable_id, submitted_by_id from deliverable_submission',
  DeliverableReview: 'select id, deliverable_id, reviewed_by_id from deliverable_review',
};

async function loadWorld(em: EntityManager): Promise<World> {
  const rows = {} as Record<TypeName, Row[]>;
  const byId = new Map<string, { type: TypeName; row: Row }>();
  for (const type of TYPES) {
    rows[type] = await em.getConnection().execute<Row[]>(TABLES[type]);
    for (const row of rows[type]) byId.set(row.id, { type, row });
  }
  const managers = await em.getConnection().execute<{ project_id: string; user_id: string }[]>('select project_id, user_id from project_manager');
  return { rows, byId, managers };
}

// ---------------------------------------------------------------- the oracle: docs/visibility.md, written again

type Side = 'operator' | 'investor' | 'partner';
interface Visible {
  userId: string;
  orgId: string;
  side: Side;
  role: string;
  projects: Set<string>;
  sets: Record<TypeName, Set<string>>;
}

function oracle(world: World, userId: string): Visible {
  const user = world.byId.get(userId)!.row;
  const org = world.byId.get(user.organization_id)!.row;
  const side: Side = org.kind === 'OPERATOR' ? 'operator' : org.kind === 'INVESTOR' ? 'investor' : 'partner';
  const r = world.rows;
  let projects: Set<string>;
  if (side === 'operator') {
    projects = user.role === 'ADMIN'
      ? new Set(r.Project.map((p) => p.id))
      : new Set(world.managers.filter((m) => m.user_id === userId).map((m) => m.project_id));
  } else if (side === 'investor') {
    projects = new Set(r.Investment.filter((i) => i.organization_id === org.id).map((i) => i.project_id));
  } else {
    projects = new Set(r.Contract.filter((c) => c.counterparty_id === org.id && c.status !== 'DRAFT').map((c) => c.project_id));
  }
  const inP = (row: Row) => projects.has(row.project_id);
  const ownContracts = new Set(r.Contract.filter((c) => side === 'partner' && c.counterparty_id === org.id && c.status !== 'DRAFT').map((c) => c.id));
  const ids = (list: Row[]) => new Set(list.map((x) => x.id));

  const contract = side === 'operator' ? r.Contract.filter(inP) : side === 'partner' ? r.Contract.filter((c) => inP(c) && ownContracts.has(c.id)) : [];
  const report = side === 'operator'
    ? r.FinancialReport.filter(inP)
    : side === 'investor' ? r.FinancialReport.filter((x) => inP(x) && (x.status === 'PUBLISHED' || x.status === 'SUPERSEDED')) : [];
  const reportIds = ids(report);
  const risk = r.Risk.filter((x) => {
    if (!inP(x)) return false;
    if (side === 'operator') return true;
    if (side === 'investor') return x.visibility === 'INVESTORS' || x.visibility === 'STAKEHOLDERS';
    return x.visibility === 'STAKEHOLDERS' || (x.visibility === 'CONTRACT' && ownContracts.has(x.contract_id));
  });
  const riskIds = ids(risk);
  const audiences = side === 'investor' ? ['INVESTORS', 'STAKEHOLDERS'] : ['PARTNERS', 'STAKEHOLDERS'];
  const managersOfP = world.managers.filter((m) => projects.has(m.project_id)).map((m) => m.user_id);
  const contactUsers = new Set(managersOfP);
  const contactOrgs = new Set(managersOfP.map((u) => world.byId.get(u)!.row.organization_id));

  const deliverableIds = ids(side === 'operator' ? r.Deliverable.filter(inP) : side === 'partner' ? r.Deliverable.filter((d) => inP(d) && ownContracts.has(d.contract_id)) : []);
  const sets: Record<TypeName, Set<string>> = {
    Project: projects,
    Milestone: ids(r.Milestone.filter(inP)),
    Contract: ids(contract),
    Deliverable: deliverableIds,
    FinancialReport: reportIds,
    FinancialReportLine: ids(r.FinancialReportLine.filter((l) => reportIds.has(l.report_id))),
    Risk: riskIds,
    RiskAssessment: ids(r.RiskAssessment.filter((a) => riskIds.has(a.risk_id))),
    Investment: ids(side === 'operator' ? r.Investment.filter(inP) : side === 'investor' ? r.Investment.filter((i) => inP(i) && i.organization_id === org.id) : []),
    ProjectUpdate: ids(side === 'operator' ? r.ProjectUpdate.filter(inP) : r.ProjectUpdate.filter((u) => inP(u) && audiences.includes(u.audience))),
    AuditEvent: ids(side !== 'operator' ? [] : user.role === 'ADMIN' ? r.AuditEvent : r.AuditEvent.filter((e) => e.project_id && projects.has(e.project_id))),
    Organization: ids(side === 'operator' ? r.Organization : r.Organization.filter((o) => o.id === org.id || contactOrgs.has(o.id))),
    User: ids(side === 'operator' ? r.User : r.User.filter((u) => u.organization_id === org.id || contactUsers.has(u.id))),
    ApiToken: ids(r.ApiToken.filter((t) => t.user_id === userId)),
    DeliverableSubmission: ids(r.DeliverableSubmission.filter((x) => deliverableIds.has(x.deliverable_id))),
    DeliverableReview: ids(r.DeliverableReview.filter((x) => deliverableIds.has(x.deliverable_id))),
  };
  return { userId, orgId: org.id, side, role: user.role, projects, sets };
}

// ---------------------------------------------------------------- read paths and their checks

const gid = (type: TypeName, id: string) => toGlobalId(type, id);
interface GqlError { message: string; path?: (string | number)[]; extensions?: { code?: string } }
interface Path {
  name: string;
  varDefs: string;
  variables: Record<string, unknown>;
  selection: string;
  check(data: any, errors: GqlError[], v: Visible, w: World): string[];
}

function sameSet(label: string, got: string[], expected: Set<string>, type: TypeName): string[] {
  const want = new Set([...expected].map((id) => gid(type, id)));
  const extra = got.filter((id) => !want.has(id));
  const missing = [...want].filter((id) => !got.includes(id));
  const dupes = got.length !== new Set(got).size;
  return [
    ...(extra.length ? [`${label}: ${extra.length} ${type} outside scope`] : []),
    ...(missing.length ? [`${label}: ${missing.length} visible ${type} missing`] : []),
    ...(dupes ? [`${label}: duplicates`] : []),
  ];
}

/** A page of at most `size`: every node in scope, totalCount exact, the page complete when it can be. */
function page(label: string, conn: any, expected: Set<string>, type: TypeName, size: number): string[] {
  if (!conn) return [`${label}: missing connection`];
  const got: string[] = conn.nodes.map((n: { id: string }) => n.id);
  const want = new Set([...expected].map((id) => gid(type, id)));
  const problems: string[] = [];
  const outside = got.filter((id) => !want.has(id));
  if (outside.length) problems.push(`${label}: ${outside.length} ${type} outside scope`);
  if (conn.totalCount !== expected.size) problems.push(`${label}: totalCount ${conn.totalCount}, expected ${expected.size}`);
  if (got.length !== Math.min(size, expected.size)) problems.push(`${label}: ${got.length} nodes, expected ${Math.min(size, expected.size)}`);
  return problems;
}

const CHILDREN: [string, TypeName][] = [
  ['milestones', 'Milestone'], ['contracts', 'Contract'], ['financialReports', 'FinancialReport'],
  ['risks', 'Risk'], ['updates', 'ProjectUpdate'], ['investments', 'Investment'],
];
const GRANDCHILDREN: [TypeName, string, TypeName, string][] = [
  ['Contract', 'deliverables', 'Deliverable', 'contract_id'],
  ['Milestone', 'deliverables', 'Deliverable', 'milestone_id'],
  ['FinancialReport', 'lines', 'FinancialReportLine', 'report_id'],
  ['Risk', 'assessments', 'RiskAssessment', 'risk_id'],
  ['Deliverable', 'submissions', 'DeliverableSubmission', 'deliverable_id'],
  ['Deliverable', 'reviews', 'DeliverableReview', 'deliverable_id'],
];
/** To-one links: field, target type, column. */
const LINKS: Partial<Record<TypeName, [string, TypeName, string][]>> = {
  Milestone: [['project', 'Project', 'project_id']],
  Contract: [['project', 'Project', 'project_id'], ['counterparty', 'Organization', 'counterparty_id']],
  Deliverable: [['contract', 'Contract', 'contract_id'], ['milestone', 'Milestone', 'milestone_id'], ['project', 'Project', 'project_id']],
  FinancialReport: [['project', 'Project', 'project_id'], ['publishedBy', 'User', 'published_by_id']],
  FinancialReportLine: [['report', 'FinancialReport', 'report_id']],
  Risk: [['project', 'Project', 'project_id'], ['contract', 'Contract', 'contract_id'], ['owner', 'User', 'owner_id']],
  RiskAssessment: [['risk', 'Risk', 'risk_id'], ['assessedBy', 'User', 'assessed_by_id']],
  Investment: [['project', 'Project', 'project_id'], ['organization', 'Organization', 'organization_id']],
  ProjectUpdate: [['project', 'Project', 'project_id'], ['author', 'User', 'author_id']],
  AuditEvent: [['project', 'Project', 'project_id'], ['actor', 'User', 'actor_id']],
  User: [['organization', 'Organization', 'organization_id']],
  DeliverableSubmission: [['deliverable', 'Deliverable', 'deliverable_id'], ['submittedBy', 'User', 'submitted_by_id']],
  DeliverableReview: [['deliverable', 'Deliverable', 'deliverable_id'], ['reviewedBy', 'User', 'reviewed_by_id']],
};
const TRAILED: TypeName[] = ['Project', 'Milestone', 'Contract', 'Deliverable', 'FinancialReport', 'Risk', 'Investment', 'ProjectUpdate', 'Organization', 'User'];

function unexpected(errors: GqlError[], allowForbidden: (e: GqlError) => boolean = () => false): string[] {
  return errors.filter((e) => !(e.extensions?.code === 'FORBIDDEN' && allowForbidden(e))).map((e) => `error ${e.extensions?.code}: ${e.message}`);
}

/** By index: fc.gen() remembers and compares its arguments, so large or circular values must not be passed. */
function choose<T>(g: fc.GeneratorValue, items: readonly T[]): T {
  if (!items.length) throw new Error('choose: nothing to choose from');
  return items[g(fc.integer, { min: 0, max: items.length - 1 })];
}

function randomId(world: World, g: fc.GeneratorValue): { type: TypeName; id: string } {
  if (g(fc.integer, { min: 0, max: 19 }) === 0) {
    // An id of no row at all, of a real type.
    return { type: choose(g, TYPES), id: g(fc.uuid, { version: 7 }) };
  }
  const type = choose(g, TYPES.filter((t) => world.rows[t].length > 0));
  const row = choose(g, world.rows[type]);
  return { type, id: row.id };
}

function pathOf(kind: string, g: fc.GeneratorValue, world: World): Path {
  switch (kind) {
    case 'projects':
      return {
        name: kind, varDefs: '', variables: {},
        selection: 'projects(first: 100) { totalCount nodes { id } }',
        check: (d, e, v) => [...unexpected(e), ...page('projects', d?.projects, v.projects, 'Project', 100), ...sameSet('projects', d?.projects.nodes.map((n: any) => n.id) ?? [], v.projects, 'Project')],
      };
    case 'children': {
      const [field, type] = choose(g, CHILDREN);
      return {
        name: `${kind}:${field}`, varDefs: '', variables: {},
        // 60 × 60 stays under the cost limit (100 × 100 would not).
        selection: `projects(first: 60) { nodes { id ${field}(first: 60) { totalCount nodes { id } } } }`,
        check: (d, e, v, w) => {
          const problems = unexpected(e);
          for (const p of d?.projects.nodes ?? []) {
            const projectId = w.byId.get(Buffer.from(p.id, 'base64url').toString().split(':')[1])?.row.id;
            const expected = new Set([...v.sets[type]].filter((id) => w.byId.get(id)!.row.project_id === projectId));
            problems.push(...page(`${field} of a project`, p[field], expected, type, 60));
          }
          return problems;
        },
      };
    }
    case 'grandchildren': {
      const [parentType, field, type, column] = choose(g, GRANDCHILDREN);
      const parent = world.rows[parentType].length ? choose(g, world.rows[parentType]).id : g(fc.uuid, { version: 7 });
      return {
        name: `${kind}:${parentType}.${field}`, varDefs: '$parent: ID!', variables: { parent: gid(parentType, parent) },
        selection: `parent: node(id: $parent) { id ... on ${parentType} { ${field}(first: 100) { totalCount nodes { id } } } }`,
        check: (d, e, v, w) => {
          const problems = unexpected(e);
          if (!v.sets[parentType].has(parent)) return d?.parent === null ? problems : [...problems, `invisible ${parentType} returned by node()`];
          if (!d?.parent) return [...problems, `visible ${parentType} missing from node()`];
          const expected = new Set([...v.sets[type]].filter((id) => w.byId.get(id)!.row[column] === parent));
          return [...problems, ...page(`${parentType}.${field}`, d.parent[field], expected, type, 100)];
        },
      };
    }
    case 'deep': {
      const [parentField, parentType] = choose(g, CHILDREN.filter(([, t]) => GRANDCHILDREN.some(([pt]) => pt === t)));
      const [, field, type, column] = GRANDCHILDREN.find(([pt]) => pt === parentType)!;
      return {
        name: `${kind}:${parentField}.${field}`, varDefs: '', variables: {},
        selection: `projects { totalCount nodes { id ${parentField} { totalCount nodes { id ${field} { totalCount nodes { id } } } } } }`,
        check: (d, e, v, w) => {
          const problems = [...unexpected(e), ...page('projects (default page)', d?.projects, v.projects, 'Project', 20)];
          for (const p of d?.projects.nodes ?? []) {
            const projectId = w.byId.get(Buffer.from(p.id, 'base64url').toString().split(':')[1])!.row.id;
            const parents = new Set([...v.sets[parentType]].filter((id) => w.byId.get(id)!.row.project_id === projectId));
            problems.push(...page(`${parentField} (default page)`, p[parentField], parents, parentType, 20));
            for (const c of p[parentField]?.nodes ?? []) {
              const parentId = Buffer.from(c.id, 'base64url').toString().split(':')[1];
              const expected = new Set([...v.sets[type]].filter((id) => w.byId.get(id)!.row[column] === parentId));
              problems.push(...page(`${parentType}.${field} (default page)`, c[field], expected, type, 20));
            }
          }
          return problems;
        },
      };
    }
    case 'node': {
      const target = randomId(world, g);
      return {
        name: `${kind}:${target.type}`, varDefs: '$id: ID!', variables: { id: gid(target.type, target.id) },
        selection: 'one: node(id: $id) { id __typename }',
        check: (d, e, v) => {
          const visible = v.sets[target.type].has(target.id);
          const got = d?.one;
          if (visible && got?.id !== gid(target.type, target.id)) return [...unexpected(e), `visible ${target.type} not returned by node()`];
          if (!visible && got !== null) return [...unexpected(e), `invisible ${target.type} returned by node()`];
          return unexpected(e);
        },
      };
    }
    case 'nodes': {
      const n = g(fc.integer, { min: 1, max: 60 });
      const targets = Array.from({ length: n }, () => randomId(world, g));
      return {
        name: kind, varDefs: '$ids: [ID!]!', variables: { ids: targets.map((t) => gid(t.type, t.id)) },
        selection: 'many: nodes(ids: $ids) { id }',
        check: (d, e, v) => {
          const problems = unexpected(e);
          targets.forEach((t, i) => {
            const visible = v.sets[t.type].has(t.id);
            const got = d?.many?.[i];
            if (visible && got?.id !== gid(t.type, t.id)) problems.push(`nodes[${i}]: visible ${t.type} missing`);
            if (!visible && got !== null) problems.push(`nodes[${i}]: invisible ${t.type} returned`);
          });
          return problems;
        },
      };
    }
    case 'links': {
      const type = choose(g, (Object.keys(LINKS) as TypeName[]).filter((t) => world.rows[t].length));
      const row = choose(g, world.rows[type]);
      const links = LINKS[type]!;
      return {
        name: `${kind}:${type}`, varDefs: '$id: ID!', variables: { id: gid(type, row.id) },
        selection: `linked: node(id: $id) { id ... on ${type} { ${links.map(([f]) => `${f} { id }`).join(' ')} } }`,
        check: (d, e, v) => {
          const problems = unexpected(e);
          if (!v.sets[type].has(row.id)) return d?.linked === null ? problems : [...problems, `invisible ${type} returned`];
          if (!d?.linked) return [...problems, `visible ${type} missing`];
          for (const [field, target, column] of links) {
            const targetId = row[column];
            const expected = targetId && v.sets[target].has(targetId) ? gid(target, targetId) : null;
            const got = d.linked[field]?.id ?? null;
            if (got !== expected) problems.push(`${type}.${field}: ${got ? 'a' : 'no'} ${target}, expected ${expected ? 'one' : 'none'}`);
          }
          return problems;
        },
      };
    }
    case 'viewer':
      return {
        name: kind, varDefs: '', variables: {},
        selection: 'viewer { user { id organization { id } } organization { id } apiTokens(first: 100) { totalCount nodes { id } } }',
        check: (d, e, v) => [
          ...unexpected(e),
          ...(d?.viewer.user.id === gid('User', v.userId) ? [] : ['viewer.user is not the viewer']),
          ...(d?.viewer.organization.id === gid('Organization', v.orgId) && d?.viewer.user.organization.id === gid('Organization', v.orgId) ? [] : ['viewer.organization is not the viewer\'s']),
          ...page('viewer.apiTokens', d?.viewer.apiTokens, v.sets.ApiToken, 'ApiToken', 100),
        ],
      };
    case 'audit': {
      const type = choose(g, TRAILED.filter((t) => world.rows[t].length));
      const row = choose(g, world.rows[type]);
      return {
        name: `${kind}:${type}`, varDefs: '$id: ID!', variables: { id: gid(type, row.id) },
        selection: `auditEvents(first: 100) { totalCount nodes { id } } audited: node(id: $id) { id ... on ${type} { auditTrail(first: 100) { totalCount nodes { id } } } }`,
        check: (d, e, v, w) => {
          const operator = v.side === 'operator';
          const problems = unexpected(e, (err) => !operator && err.path?.[0] === 'auditEvents');
          if (operator) problems.push(...page('auditEvents', d?.auditEvents, v.sets.AuditEvent, 'AuditEvent', 100));
          else if (d !== null || !e.some((err) => err.extensions?.code === 'FORBIDDEN')) problems.push('auditEvents not FORBIDDEN for a non-operator');
          if (operator && v.sets[type].has(row.id)) {
            const expected = new Set([...v.sets.AuditEvent].filter((id) => w.byId.get(id)!.row.entity_id === row.id));
            problems.push(...page(`${type}.auditTrail`, d?.audited?.auditTrail, expected, 'AuditEvent', 100));
          } else if (operator && d?.audited !== null) {
            problems.push(`invisible ${type} returned`);
          }
          return problems;
        },
      };
    }
    case 'dashboards':
      return {
        name: kind, varDefs: '', variables: {},
        selection: 'viewer { portfolio { projectCount projects(first: 100) { totalCount nodes { project { id } } } milestoneSummary { total } riskSummary { open } } partnerSummary { contractTotals { count } deliverableStats { total } contracts(first: 100) { totalCount nodes { id deliverableStats { total } } } } }',
        check: (d, e, v, w) => {
          const problems = unexpected(e);
          const portfolio = d?.viewer.portfolio;
          const partner = d?.viewer.partnerSummary;
          if (portfolio?.projectCount !== v.projects.size) problems.push(`portfolio.projectCount ${portfolio?.projectCount}, expected ${v.projects.size}`);
          problems.push(...sameSet('portfolio.projects', portfolio?.projects.nodes.map((n: any) => n.project.id) ?? [], v.projects, 'Project'));
          const milestones = [...v.sets.Milestone].length;
          if (portfolio?.milestoneSummary.total !== milestones) problems.push(`portfolio.milestoneSummary.total ${portfolio?.milestoneSummary.total}, expected ${milestones}`);
          const open = [...v.sets.Risk].filter((id) => ['OPEN', 'MITIGATING'].includes(w.byId.get(id)!.row.status)).length;
          if (portfolio?.riskSummary.open !== open) problems.push(`portfolio.riskSummary.open ${portfolio?.riskSummary.open}, expected ${open}`);
          if (partner?.contractTotals.count !== v.sets.Contract.size) problems.push(`partnerSummary.contractTotals.count ${partner?.contractTotals.count}, expected ${v.sets.Contract.size}`);
          if (partner?.deliverableStats.total !== v.sets.Deliverable.size) problems.push(`partnerSummary.deliverableStats.total ${partner?.deliverableStats.total}, expected ${v.sets.Deliverable.size}`);
          problems.push(...page('partnerSummary.contracts', partner?.contracts, v.sets.Contract, 'Contract', 100));
          for (const c of partner?.contracts.nodes ?? []) {
            const contractId = Buffer.from(c.id, 'base64url').toString().split(':')[1];
            const expected = [...v.sets.Deliverable].filter((id) => w.byId.get(id)!.row.contract_id === contractId).length;
            if (c.deliverableStats.total !== expected) problems.push(`contract deliverableStats.total ${c.deliverableStats.total}, expected ${expected}`);
          }
          return problems;
        },
      };
    case 'figures':
      return {
        name: kind, varDefs: '', variables: {},
        selection: 'projects(first: 50) { nodes { id budget totalCommitted commitments { count } milestoneSummary { total } riskSummary { open } milestones(first: 20) { nodes { plannedValue } } } }',
        check: (d, e, v, w) => {
          const partner = v.side === 'partner';
          const hidden = ['budget', 'totalCommitted', 'commitments', 'plannedValue'];
          const problems = unexpected(e, (err) => partner && hidden.includes(String(err.path?.[err.path.length - 1])));
          for (const p of d?.projects.nodes ?? []) {
            const projectId = Buffer.from(p.id, 'base64url').toString().split(':')[1];
            if (partner) {
              if (p.budget !== null || p.totalCommitted !== null || p.commitments !== null) problems.push('partner reads project financials');
              if (p.milestones.nodes.some((m: any) => m.plannedValue !== null)) problems.push('partner reads planned values');
            } else {
              // An investor's totalCommitted follows the disclosure rule (docs/visibility.md): null while
              // another investor's commitments are withheld; the operator's is always given.
              const totalGiven = typeof p.totalCommitted === 'string' || (v.side === 'investor' && p.totalCommitted === null);
              if (typeof p.budget !== 'string' || !totalGiven) problems.push('financials missing for a non-partner');
              const committed = w.rows.Contract.filter((c) => c.project_id === projectId && c.status !== 'DRAFT').length;
              if (p.commitments?.count !== committed) problems.push(`commitments.count ${p.commitments?.count}, expected ${committed}`);
            }
            const total = w.rows.Milestone.filter((m) => m.project_id === projectId).length;
            if (p.milestoneSummary.total !== total) problems.push(`milestoneSummary.total ${p.milestoneSummary.total}, expected ${total}`);
            const open = [...v.sets.Risk].filter((id) => { const r = w.byId.get(id)!.row; return r.project_id === projectId && ['OPEN', 'MITIGATING'].includes(r.status); }).length;
            if (p.riskSummary.open !== open) problems.push(`riskSummary.open ${p.riskSummary.open}, expected ${open}`);
          }
          if (partner && !e.some((err) => err.extensions?.code === 'FORBIDDEN') && (d?.projects.nodes.length ?? 0) > 0) problems.push('no FORBIDDEN for a partner reading financials');
          return problems;
        },
      };
    default:
      throw new Error(kind);
  }
}
const PATH_KINDS = ['projects', 'children', 'grandchildren', 'deep', 'node', 'nodes', 'links', 'viewer', 'audit', 'dashboards', 'figures'];

// ---------------------------------------------------------------- random datasets

async function grow(app: HardenedApp, g: fc.GeneratorValue, round: number): Promise<Record<string, number>> {
  const em = app.orm.em.fork();
  const world = await loadWorld(em);
  const int = (min: number, max: number) => g(fc.integer, { min, max });
  const pick = <T>(items: readonly T[]): T => choose(g, items);
  const ref = <T extends object>(entity: new (...a: any[]) => T, id: string) => em.getReference(entity as any, id) as T;
  const [{ password_hash: hash }] = await em.getConnection().execute<{ password_hash: string }[]>('select password_hash from app_user limit 1');
  const created: Record<string, number> = {};
  const make = <T extends object>(entity: new (...a: any[]) => T, data: Record<string, unknown>): T => {
    created[entity.name] = (created[entity.name] ?? 0) + 1;
    return em.create(entity as any, data as any) as T;
  };
  const operatorOrg = world.rows.Organization.find((o) => o.kind === 'OPERATOR')!.id;

  // Parties. The first dataset always brings a partner with a VIEWER and a MEMBER (the demo has no partner VIEWER).
  const orgs: { id: string; kind: string }[] = world.rows.Organization.map((o) => ({ id: o.id, kind: o.kind }));
  let guaranteed: string | null = null;
  if (round === 0) {
    const org = make(Organization, { name: `Iso ${round} partner with viewers`, kind: OrganizationKind.SUBCONTRACTOR });
    orgs.push({ id: org.id, kind: org.kind });
    guaranteed = org.id;
    for (const role of [UserRole.VIEWER, UserRole.MEMBER]) {
      make(User, { email: `iso-${round}-partner-${role.toLowerCase()}@example.com`, name: `Iso partner ${role}`, passwordHash: hash, organization: org, role });
    }
  }
  for (let i = 0, n = int(0, 3); i < n; i++) {
    const kind = pick([OrganizationKind.INVESTOR, OrganizationKind.VENDOR, OrganizationKind.SUBCONTRACTOR]);
    const org = make(Organization, { name: `Iso ${round}-${i} ${kind}`, kind });
    orgs.push({ id: org.id, kind });
    for (let u = 0, m = int(1, 2); u < m; u++) {
      make(User, {
        email: `iso-${round}-${i}-${u}@example.com`, name: `Iso user ${round}-${i}-${u}`, passwordHash: hash, organization: org,
        role: kind === OrganizationKind.INVESTOR ? UserRole.VIEWER : pick([UserRole.MEMBER, UserRole.VIEWER]),
        disabledAt: int(0, 9) === 0 ? new Date() : null,
      });
    }
  }
  const operators: string[] = world.rows.User.filter((u) => u.organization_id === operatorOrg).map((u) => u.id);
  for (let i = 0, n = int(0, 2); i < n; i++) {
    const user = make(User, { email: `iso-pm-${round}-${i}@example.com`, name: `Iso manager ${round}-${i}`, passwordHash: hash, organization: ref(Organization, operatorOrg), role: UserRole.MANAGER });
    operators.push(user.id);
  }
  const investors = orgs.filter((o) => o.kind === 'INVESTOR').map((o) => o.id);
  const partners = orgs.filter((o) => o.kind === 'VENDOR' || o.kind === 'SUBCONTRACTOR').map((o) => o.id);
  const managers = operators.filter((id) => world.byId.get(id)?.row.role !== 'ADMIN');

  // New projects, and more rows in some existing ones.
  const projectIds: string[] = [];
  for (let i = 0, n = int(1, 3); i < n; i++) {
    const project = make(Project, {
      code: `ISO-${SEED}-${round}-${i}`, name: `Isolation ${round}-${i}`, status: pick(Object.values(ProjectStatus)), currency: pick(['EUR', 'USD']),
      budget: `${int(0, 5_000_000)}.${String(int(0, 99)).padStart(2, '0')}`, startDate: '2024-01-01', targetEndDate: '2030-12-31',
    });
    projectIds.push(project.id);
  }
  for (const p of world.rows.Project) if (int(0, 2) === 0) projectIds.push(p.id);

  for (const projectId of projectIds) {
    const project = ref(Project, projectId);
    const known = new Set(world.managers.filter((m) => m.project_id === projectId).map((m) => m.user_id));
    for (const userId of managers) if (!known.has(userId) && int(0, 3) === 0) make(ProjectManager, { project, user: ref(User, userId) });
    for (const orgId of investors) if (int(0, 2) === 0) make(Investment, { project, organization: ref(Organization, orgId), committedAmount: `${int(0, 900_000)}.00`, committedOn: '2024-02-01' });
    const milestones = Array.from({ length: int(0, 3) }, (_, i) => make(Milestone, {
      project, title: `Iso milestone ${i}`, dueDate: `2025-0${int(1, 9)}-1${int(0, 9)}`, status: pick(Object.values(MilestoneStatus)), progress: int(0, 100),
      plannedValue: int(0, 3) === 0 ? null : `${int(0, 100_000)}.00`,
    }));
    if (guaranteed) {
      make(Contract, {
        project, counterparty: ref(Organization, guaranteed), reference: `ISO-G-${round}`, title: 'Iso contract', kind: ContractKind.FIXED_PRICE,
        value: '1000.00', startDate: '2024-01-01', endDate: '2026-12-31', status: ContractStatus.ACTIVE,
      });
      guaranteed = null;
    }
    const contracts = partners.length ? Array.from({ length: int(0, 4) }, (_, i) => make(Contract, {
      project, counterparty: ref(Organization, pick(partners)), reference: `ISO-C-${round}-${i}-${int(0, 1e9)}`, title: 'Iso contract', kind: pick(Object.values(ContractKind)),
      value: `${int(0, 500_000)}.00`, startDate: '2024-01-01', endDate: '2026-12-31', status: pick(Object.values(ContractStatus)),
    })) : [];
    for (const contract of contracts) {
      for (let i = 0, n = int(0, 3); i < n; i++) {
        const deliverable = make(Deliverable, {
          project, contract, milestone: milestones.length && int(0, 1) ? pick(milestones) : null, title: `Iso deliverable ${i}`,
          dueDate: `2025-0${int(1, 9)}-2${int(0, 8)}`, status: pick(Object.values(DeliverableStatus)),
        });
        for (let n = 1, rounds = int(0, 2); n <= rounds; n++) {
          const by = () => (operators.length && int(0, 1) ? ref(User, pick(operators)) : null);
          make(DeliverableSubmission, { deliverable, round: n, note: 'Iso round', submittedBy: by(), submittedAt: new Date(Date.UTC(2025, 0, n)) });
          make(DeliverableReview, { deliverable, round: n, decision: DeliverableDecision.REJECTED, comment: 'Iso reason', reviewedBy: by(), reviewedAt: new Date(Date.UTC(2025, 1, n)) });
        }
      }
    }
    const periods = new Set<string>();
    for (let i = 0, n = int(0, 3); i < n; i++) {
      const month = int(1, 12);
      const revision = int(1, 2);
      const key = `${month}-${revision}`;
      if (periods.has(key)) continue;
      periods.add(key);
      const year = 2000 + round;
      const start = `${year}-${String(month).padStart(2, '0')}-01`;
      const status = pick(Object.values(ReportStatus));
      const report = make(FinancialReport, {
        project, periodStart: start, periodEnd: `${year}-${String(month).padStart(2, '0')}-28`, revision, status,
        publishedAt: status === ReportStatus.DRAFT ? null : new Date(), publishedBy: status === ReportStatus.DRAFT || !operators.length ? null : ref(User, pick(operators)),
      });
      for (const category of Object.values(SpendCategory)) {
        if (int(0, 1)) make(FinancialReportLine, { report, category, planned: `${int(0, 9999)}.00`, actual: `${int(0, 9999)}.50`, estimateToComplete: `${int(0, 9999)}.25` });
      }
    }
    for (let i = 0, n = int(0, 4); i < n; i++) {
      const visibility = pick(Object.values(RiskVisibility));
      const likelihood = int(1, 5);
      const impact = int(1, 5);
      const risk = make(Risk, {
        project, contract: contracts.length && int(0, 2) ? pick(contracts) : null, title: `Iso risk ${i}`, category: pick(Object.values(RiskCategory)),
        likelihood, impact, status: pick(Object.values(RiskStatus)), visibility, owner: operators.length && int(0, 1) ? ref(User, pick(operators)) : null,
      });
      for (let a = 0, m = int(0, 2); a < m; a++) {
        make(RiskAssessment, { risk, likelihood: int(1, 5), impact: int(1, 5), assessedAt: new Date(Date.UTC(2024, 0, 1 + a)), assessedBy: operators.length && int(0, 1) ? ref(User, pick(operators)) : null });
      }
    }
    for (let i = 0, n = int(0, 3); i < n; i++) {
      make(ProjectUpdate, { project, author: ref(User, pick(operators)), title: `Iso update ${i}`, body: 'Body', audience: pick(Object.values(UpdateAudience)), publishedAt: new Date() });
    }
    for (let i = 0, n = int(0, 2); i < n; i++) {
      make(AuditEvent, { actor: ref(User, pick(operators)), action: 'project.update', entityType: 'Project', entityId: projectId, project, changes: {}, requestId: `iso-${round}` });
    }
  }
  for (let i = 0, n = int(0, 2); i < n; i++) {
    const orgId = pick(orgs).id;
    make(AuditEvent, { actor: ref(User, pick(operators)), action: 'organization.update', entityType: 'Organization', entityId: orgId, project: null, changes: {}, requestId: `iso-${round}` });
  }
  for (const user of world.rows.User) {
    if (int(0, 4) === 0) {
      make(ApiToken, { user: ref(User, user.id), name: `iso ${round}`, secretHash: `${round}${user.id.replace(/-/g, '')}`.padEnd(64, '0').slice(0, 64), prefix: 'vnt_iso', revokedAt: int(0, 1) ? new Date() : null });
    }
  }
  await em.flush();
  return created;
}

// ---------------------------------------------------------------- the run

let app: HardenedApp;
const tokens = new Map<string, string>();
beforeAll(async () => {
  app = await startHardenedApp({ logLevel: 'silent', poolMax: 10 });
});
afterAll(async () => {
  await app?.close();
});

async function tokenOf(userId: string): Promise<string> {
  let token = tokens.get(userId);
  if (!token) {
    token = (await signAccessToken(app.config, userId)).token;
    tokens.set(userId, token);
  }
  return token;
}

function document(path: Path, warm: boolean): string {
  const defs = [path.varDefs, warm ? '$warm: [ID!]!' : ''].filter(Boolean).join(', ');
  return `query Isolation${defs ? `(${defs})` : ''} { ${warm ? 'w0: nodes(ids: $warm) { id __typename } ' : ''}${path.selection} }`;
}

test(`tenant isolation: ${RUNS} random executions over ${DATASETS} random datasets, each path fresh and warmed, 0 rows outside scope`, async () => {
  let executions = 0;
  let requests = 0;
  let rowsCompared = 0;
  const roles = new Map<string, number>();
  const kinds = new Map<string, number>();
  const growth: Record<string, number> = {};
  const timing = new Map<string, number>();
  const started = Date.now();

  for (let round = 0; round < DATASETS; round++) {
    const [g] = fc.sample(fc.gen(), { seed: SEED + round, numRuns: 1 });
    const created = await grow(app, g, round);
    for (const [k, n] of Object.entries(created)) growth[k] = (growth[k] ?? 0) + n;
    const world = await loadWorld(app.orm.em.fork());
    const viewers = world.rows.User.filter((u) => !u.disabled_at);
    const oracles = new Map(viewers.map((u) => [u.id, oracle(world, u.id)]));
    const runs = round === DATASETS - 1 ? RUNS - PER_DATASET * (DATASETS - 1) : PER_DATASET;

    // Each property run takes one random read path and a batch of random viewers: every viewer asks it in a
    // fresh request (side by side), then again in a request whose first field warms the loaders, after the
    // other viewers' requests for the same path have run.
    const batches = Math.ceil(runs / BATCH);
    const viewerIds = viewers.map((u) => u.id);
    let left = runs;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PATH_KINDS),
        fc.array(fc.constantFrom(...viewerIds), { minLength: BATCH, maxLength: BATCH }),
        fc.gen(),
        async (kind, batch, gen) => {
          const size = Math.min(left, batch.length);
          left -= size;
          const path = pathOf(kind, gen, world);
          const warmIds = Array.from({ length: 40 }, () => randomId(world, gen)).map((t) => gid(t.type, t.id));
          const chosen = batch.slice(0, size);
          const started = Date.now();
          const fresh = await Promise.all(chosen.map(async (viewerId) => app.gql(document(path, false), path.variables, await tokenOf(viewerId))));
          const warm = await Promise.all(chosen.map(async (viewerId) => app.gql(document(path, true), { ...path.variables, warm: warmIds }, await tokenOf(viewerId))));
          timing.set(path.name.split(':')[0], (timing.get(path.name.split(':')[0]) ?? 0) + Date.now() - started);
          const failed: string[] = [];
          chosen.forEach((viewerId, i) => {
            const v = oracles.get(viewerId)!;
            const problems = [
              ...path.check(fresh[i].body?.data ?? null, fresh[i].body?.errors ?? [], v, world).map((p) => `fresh: ${p}`),
              ...path.check(warm[i].body?.data ?? null, warm[i].body?.errors ?? [], v, world).map((p) => `warm: ${p}`),
            ];
            const w0 = warm[i].body?.data?.w0;
            if (w0) warmIds.forEach((id, n) => {
              const decoded = Buffer.from(id, 'base64url').toString().split(':');
              const visible = v.sets[decoded[0] as TypeName].has(decoded[1]);
              if (visible !== (w0[n] !== null)) problems.push(`warm: w0[${n}] ${visible ? 'missing' : 'outside scope'}`);
            });
            executions += 1;
            requests += 2;
            rowsCompared += (fresh[i].text.match(/"id"/g)?.length ?? 0) + (warm[i].text.match(/"id"/g)?.length ?? 0);
            roles.set(`${v.side}/${v.role}`, (roles.get(`${v.side}/${v.role}`) ?? 0) + 1);
            kinds.set(path.name.split(':')[0], (kinds.get(path.name.split(':')[0]) ?? 0) + 1);
            if (problems.length) failed.push(`${path.name} as ${v.side}/${v.role} ${viewerId}: ${problems.slice(0, 5).join('; ')}`);
          });
          if (failed.length) throw new Error(failed.join('\n'));
        },
      ),
      { numRuns: batches, seed: SEED + 1000 + round, endOnFailure: true },
    );
  }

  expect(executions).toBeGreaterThanOrEqual(RUNS);
  // Every role and every path kind was exercised.
  expect([...roles.keys()].sort()).toEqual(expect.arrayContaining(['investor/VIEWER', 'operator/ADMIN', 'operator/MANAGER', 'partner/MEMBER', 'partner/VIEWER']));
  if (RUNS >= 1000) expect([...kinds.keys()].sort()).toEqual([...PATH_KINDS].sort());
  console.log(
    `tenant isolation: ${executions} executions (${requests} requests, ${rowsCompared} ids compared) over ${DATASETS} random datasets ` +
    `(+${Object.entries(growth).map(([k, n]) => `${n} ${k}`).join(', ')}), roles ${[...roles].map(([k, n]) => `${k} ${n}`).join(', ')}; ` +
    `0 rows outside scope, 0 visible rows missing; seed ${SEED}; ${Math.round((Date.now() - started) / 1000)} s ` +
    `(ms per kind: ${[...timing].map(([k, ms]) => `${k} ${ms}`).join(', ')})`,
  );
});

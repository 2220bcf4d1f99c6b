/**
 * Scenarios 3 (deep nested: projects → milestones → deliverables, as an
 * operator) and 4 (point lookup: one project with its milestones and their
 * deliverables). Both have a PostGraphile peer, which runs as a superuser
 * operator without row scoping; the operator here is an ADMIN, whose scope
 * is everything, so all three engines return the same rows.
 */
import { cursorOf, gid, toGid, type Db } from './db';
import { groupBy, shuffled, type Case, type Scenario, type ScenarioContext } from './types';

const PROJECT_FIELDS = 'id code name status budget startDate targetEndDate';
const MILESTONES = `milestones(first: 20) {
        nodes {
          id title dueDate status progress
          deliverables(first: 20) { nodes { id title dueDate status } }
        }
      }`;

const PG_PROJECT_FIELDS = 'rowId code name status budget startDate targetEndDate';
const PG_MILESTONES = `milestonesByProjectId(first: 20, orderBy: [DUE_DATE_ASC, PRIMARY_KEY_ASC]) {
        nodes {
          rowId title dueDate status progress
          deliverablesByMilestoneId(first: 20, orderBy: [DUE_DATE_ASC, PRIMARY_KEY_ASC]) { nodes { rowId title dueDate status } }
        }
      }`;

/** The shape all three engines are reduced to for the PostGraphile comparison. */
function canonicalProject(p: any, names: { id: string; milestones: string; deliverables: string }) {
  return {
    code: p.code, name: p.name, status: p.status, budget: p.budget, startDate: p.startDate, targetEndDate: p.targetEndDate,
    milestones: p[names.milestones].nodes.map((m: any) => ({
      title: m.title, dueDate: m.dueDate, status: m.status, progress: m.progress,
      deliverables: m[names.deliverables].nodes.map((d: any) => ({ title: d.title, dueDate: d.dueDate, status: d.status })),
    })),
  };
}
const VANTAGE_NAMES = { id: 'id', milestones: 'milestones', deliverables: 'deliverables' };
const PG_NAMES = { id: 'rowId', milestones: 'milestonesByProjectId', deliverables: 'deliverablesByMilestoneId' };

/** JSON of one project's subtree, for the json_agg statements (`p` is the project row). */
const PROJECT_JSON = `json_build_object(
  'id', ${gid('Project', 'p.id')}, 'code', p.code, 'name', p.name, 'status', p.status, 'budget', p.budget::text,
  'startDate', p.start_date, 'targetEndDate', p.target_end_date,
  'milestones', json_build_object('nodes', coalesce((
    select json_agg(json_build_object(
      'id', ${gid('Milestone', 'm.id')}, 'title', m.title, 'dueDate', m.due_date, 'status', m.status, 'progress', m.progress,
      'deliverables', json_build_object('nodes', coalesce((
        select json_agg(json_build_object('id', ${gid('Deliverable', 'd.id')}, 'title', d.title, 'dueDate', d.due_date, 'status', d.status) order by d.due_date, d.id)
          from (select * from deliverable d where d.milestone_id = m.id order by d.due_date, d.id limit 20) d), '[]'::json))
    ) order by m.due_date, m.id)
      from (select * from milestone m where m.project_id = p.id order by m.due_date, m.id limit 20) m), '[]'::json)))`;

/** The flat variant: milestones and deliverables of many projects, one statement per level, per-parent limits by window functions. */
async function flatProjects(db: Db, projects: any[]): Promise<any[]> {
  const ids = projects.map((p) => p.id);
  const milestones = await db.query<any>(
    `select id, project_id, title, due_date::text as "dueDate", status::text as status, progress
       from (select m.*, row_number() over (partition by m.project_id order by m.due_date, m.id) as rn
               from milestone m where m.project_id = any($1::uuid[])) m
      where rn <= 20 order by project_id, rn`, [ids]);
  const deliverables = await db.query<any>(
    `select id, milestone_id, title, due_date::text as "dueDate", status::text as status
       from (select d.*, row_number() over (partition by d.milestone_id order by d.due_date, d.id) as rn
               from deliverable d where d.milestone_id = any($1::uuid[])) d
      where rn <= 20 order by milestone_id, rn`, [milestones.map((m) => m.id)]);
  const dByM = groupBy(deliverables, (d) => d.milestone_id);
  const mByP = groupBy(milestones, (m) => m.project_id);
  return projects.map((p) => ({
    id: toGid('Project', p.id), code: p.code, name: p.name, status: p.status, budget: p.budget, startDate: p.startDate, targetEndDate: p.targetEndDate,
    milestones: {
      nodes: (mByP.get(p.id) ?? []).map((m) => ({
        id: toGid('Milestone', m.id), title: m.title, dueDate: m.dueDate, status: m.status, progress: m.progress,
        deliverables: { nodes: (dByM.get(m.id) ?? []).map((d) => ({ id: toGid('Deliverable', d.id), title: d.title, dueDate: d.dueDate, status: d.status })) },
      })),
    },
  }));
}

const PROJECT_COLUMNS = `id, code, name, status::text as status, budget::text as budget, start_date::text as "startDate", target_end_date::text as "targetEndDate"`;

/** Page size of scenario 3: 100 (the API's maximum) at M, half the projects at smaller scales so there are two pages to rotate. */
export function deepPageSize(projects: number): number {
  return Math.max(1, Math.min(100, Math.floor(projects / 2)));
}

export const deepNested: Scenario = {
  number: 3,
  key: 'deep-nested',
  title: 'Deep nested: projects → milestones → deliverables (operator)',
  kind: 'read',
  document: `query DeepNested($first: Int!, $after: String) {
  projects(first: $first, after: $after) {
    nodes {
      ${PROJECT_FIELDS}
      ${MILESTONES}
    }
  }
}`,
  async cases(ctx: ScenarioContext): Promise<Case[]> {
    const first = deepPageSize(ctx.scale.projects);
    const rows = await ctx.db.query<{ id: string; code: string }>('select id, code from project order by code, id');
    const pages: { after: string | null; offset: number }[] = [];
    for (let offset = 0; offset < rows.length; offset += first) {
      pages.push({ after: offset === 0 ? null : cursorOf(rows[offset - 1].code, rows[offset - 1].id), offset });
    }
    const out: Case[] = [];
    for (const user of ctx.users.admins) {
      for (const page of pages) out.push({ user, variables: { first, after: page.after }, pgVariables: { first, offset: page.offset } });
    }
    return shuffled(out);
  },
  async rawJson(db, c) {
    const after = decodeAfter(c.variables.after as string | null);
    const [row] = await db.query<{ body: string }>(
      `select json_build_object('data', json_build_object('projects', json_build_object('nodes', coalesce(json_agg(${PROJECT_JSON} order by p.code, p.id), '[]'::json))))::text as body
         from (select * from project p where $2::text is null or (p.code, p.id) > ($2::text, $3::uuid) order by p.code, p.id limit $1) p`,
      [c.variables.first, after?.[0] ?? null, after?.[1] ?? null]);
    return row.body;
  },
  async rawFlat(db, c) {
    const after = decodeAfter(c.variables.after as string | null);
    const projects = await db.query<any>(
      `select ${PROJECT_COLUMNS} from project p where $2::text is null or (p.code, p.id) > ($2::text, $3::uuid) order by p.code, p.id limit $1`,
      [c.variables.first, after?.[0] ?? null, after?.[1] ?? null]);
    return { data: { projects: { nodes: await flatProjects(db, projects) } } };
  },
  postgraphile: {
    document: `query DeepNested($first: Int!, $offset: Int) {
  allProjects(first: $first, offset: $offset, orderBy: [CODE_ASC, PRIMARY_KEY_ASC]) {
    nodes {
      ${PG_PROJECT_FIELDS}
      ${PG_MILESTONES}
    }
  }
}`,
    canonicalOfPostgraphile: (data) => data.allProjects.nodes.map((p: any) => canonicalProject(p, PG_NAMES)),
    canonicalOfVantage: (data) => data.projects.nodes.map((p: any) => canonicalProject(p, VANTAGE_NAMES)),
  },
};

function decodeAfter(after: string | null): [string, string] | null {
  return after ? (JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as [string, string]) : null;
}

export const pointLookup: Scenario = {
  number: 4,
  key: 'point-lookup',
  title: 'Point lookup: one project with 20 milestones and their deliverables (operator)',
  kind: 'read',
  document: `query PointLookup($id: ID!) {
  node(id: $id) {
    ... on Project {
      ${PROJECT_FIELDS}
      ${MILESTONES}
    }
  }
}`,
  async cases(ctx) {
    const rows = await ctx.db.query<{ id: string }>('select id from project order by code, id');
    const out: Case[] = [];
    for (const user of ctx.users.admins) {
      for (const p of rows) out.push({ user, variables: { id: toGid('Project', p.id) }, pgVariables: { rowId: p.id } });
    }
    return shuffled(out);
  },
  async rawJson(db, c) {
    const id = Buffer.from(c.variables.id as string, 'base64url').toString('utf8').split(':')[1];
    const [row] = await db.query<{ body: string }>(
      `select json_build_object('data', json_build_object('node', (select ${PROJECT_JSON} from project p where p.id = $1::uuid)))::text as body`, [id]);
    return row.body;
  },
  async rawFlat(db, c) {
    const id = Buffer.from(c.variables.id as string, 'base64url').toString('utf8').split(':')[1];
    const projects = await db.query<any>(`select ${PROJECT_COLUMNS} from project p where p.id = $1::uuid`, [id]);
    const [node] = await flatProjects(db, projects);
    return { data: { node: node ?? null } };
  },
  postgraphile: {
    document: `query PointLookup($rowId: UUID!) {
  projectByRowId(rowId: $rowId) {
    ${PG_PROJECT_FIELDS}
    ${PG_MILESTONES}
  }
}`,
    canonicalOfPostgraphile: (data) => canonicalProject(data.projectByRowId, PG_NAMES),
    canonicalOfVantage: (data) => canonicalProject(data.node, VANTAGE_NAMES),
  },
};

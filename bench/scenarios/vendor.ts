/**
 * Scenario 2: a vendor's deliverables — per contract the first 50, filtered
 * by status, by due date, each with its milestone → project and its contract.
 * The API reaches a partner's deliverables through its projects and
 * contracts (there is no root deliverables list), so the document walks
 * projects → contracts → deliverables.
 *
 * Scoping as in docs/visibility.md for a partner: projects with a non-DRAFT
 * contract of the vendor's organization, only those contracts, only their
 * deliverables.
 */
import { gid, toGid } from './db';
import { groupBy, shuffled, type Case, type Scenario } from './types';

const STATUS_VARIANTS: (string[] | null)[] = [['IN_PROGRESS', 'SUBMITTED'], ['ACCEPTED'], ['REJECTED', 'IN_PROGRESS'], null];

/** The viewer's organization's non-DRAFT contracts: the partner's scope. */
const SCOPE = `with v as (select organization_id as org from app_user where id = $1::uuid),
  vc as (select c.id, c.project_id from contract c join v on c.counterparty_id = v.org where c.status <> 'DRAFT')`;
const STATUS_FILTER = `($2::text[] is null or d.status::text = any($2::text[]))`;

export const vendorDeliverables: Scenario = {
  number: 2,
  key: 'vendor-deliverables',
  title: 'Vendor deliverables: first 50 by status and due date, with milestone → project and contract',
  kind: 'read',
  document: `query VendorDeliverables($status: [DeliverableStatus!]) {
  projects(first: 100) {
    nodes {
      id code
      contracts {
        nodes {
          id reference status
          deliverables(first: 50, filter: { status: $status }, orderBy: { field: DUE_DATE, direction: ASC }) {
            totalCount
            nodes {
              id title dueDate status
              milestone { id title dueDate project { id code name } }
              contract { id reference title }
            }
          }
        }
      }
    }
  }
}`,
  async cases(ctx) {
    const out: Case[] = [];
    for (const user of ctx.users.vendors) {
      for (const status of STATUS_VARIANTS) out.push({ user, variables: { status } });
    }
    return shuffled(out);
  },
  async rawJson(db, c) {
    const [row] = await db.query<{ body: string }>(
      `${SCOPE}
      select json_build_object('data', json_build_object('projects', json_build_object('nodes', coalesce(json_agg(json_build_object(
        'id', ${gid('Project', 'p.id')}, 'code', p.code,
        'contracts', json_build_object('nodes', coalesce((
          select json_agg(json_build_object(
            'id', ${gid('Contract', 'c.id')}, 'reference', c.reference, 'status', c.status,
            'deliverables', json_build_object(
              'totalCount', (select count(*) from deliverable d where d.contract_id = c.id and ${STATUS_FILTER}),
              'nodes', coalesce((
                select json_agg(json_build_object(
                  'id', ${gid('Deliverable', 'd.id')}, 'title', d.title, 'dueDate', d.due_date, 'status', d.status,
                  'milestone', (select json_build_object('id', ${gid('Milestone', 'm.id')}, 'title', m.title, 'dueDate', m.due_date,
                                  'project', (select json_build_object('id', ${gid('Project', 'mp.id')}, 'code', mp.code, 'name', mp.name)
                                                from project mp where mp.id = m.project_id))
                                  from milestone m where m.id = d.milestone_id),
                  'contract', json_build_object('id', ${gid('Contract', 'c.id')}, 'reference', c.reference, 'title', c.title)
                ) order by d.due_date, d.id)
                from (select * from deliverable d where d.contract_id = c.id and ${STATUS_FILTER} order by d.due_date, d.id limit 50) d), '[]'::json))
          ) order by c.reference, c.id)
          from (select * from contract c where c.project_id = p.id and c.id in (select id from vc) order by c.reference, c.id limit 20) c), '[]'::json))
      ) order by p.code, p.id), '[]'::json))))::text as body
      from (select * from project p where p.id in (select project_id from vc) order by p.code, p.id limit 100) p`,
      [c.user.id, c.variables.status]);
    return row.body;
  },
  async rawFlat(db, c) {
    const projects = await db.query<any>(
      `${SCOPE} select p.id, p.code from project p where p.id in (select project_id from vc) order by p.code, p.id limit 100`, [c.user.id]);
    const contracts = await db.query<any>(
      `${SCOPE} select id, project_id, reference, title, status::text as status
         from (select c.*, row_number() over (partition by c.project_id order by c.reference, c.id) as rn
                 from contract c where c.project_id = any($2::uuid[]) and c.id in (select id from vc)) c
        where rn <= 20 order by project_id, rn`, [c.user.id, projects.map((p) => p.id)]);
    const deliverables = await db.query<any>(
      `select id, contract_id, milestone_id, title, due_date::text as "dueDate", status::text as status, total
         from (select d.*, row_number() over w as rn, count(*) over (partition by d.contract_id) as total
                 from deliverable d where d.contract_id = any($1::uuid[]) and ${STATUS_FILTER}
               window w as (partition by d.contract_id order by d.due_date, d.id)) d
        where rn <= 50 order by contract_id, rn`, [contracts.map((x) => x.id), c.variables.status]);
    const milestones = await db.query<any>(
      `select m.id, m.title, m.due_date::text as "dueDate", p.id as project_id, p.code, p.name
         from milestone m join project p on p.id = m.project_id where m.id = any($1::uuid[])`,
      [[...new Set(deliverables.map((d) => d.milestone_id).filter(Boolean))]]);
    const mById = new Map(milestones.map((m) => [m.id, m]));
    const dByC = groupBy(deliverables, (d) => d.contract_id);
    const cByP = groupBy(contracts, (x) => x.project_id);
    return {
      data: {
        projects: {
          nodes: projects.map((p) => ({
            id: toGid('Project', p.id), code: p.code,
            contracts: {
              nodes: (cByP.get(p.id) ?? []).map((k) => {
                const ds = dByC.get(k.id) ?? [];
                return {
                  id: toGid('Contract', k.id), reference: k.reference, status: k.status,
                  deliverables: {
                    totalCount: ds.length ? Number(ds[0].total) : 0,
                    nodes: ds.map((d) => {
                      const m = d.milestone_id ? mById.get(d.milestone_id) : null;
                      return {
                        id: toGid('Deliverable', d.id), title: d.title, dueDate: d.dueDate, status: d.status,
                        milestone: m ? { id: toGid('Milestone', m.id), title: m.title, dueDate: m.dueDate, project: { id: toGid('Project', m.project_id), code: m.code, name: m.name } } : null,
                        contract: { id: toGid('Contract', k.id), reference: k.reference, title: k.title },
                      };
                    }),
                  },
                };
              }),
            },
          })),
        },
      },
    };
  },
};

/**
 * Scenario 1: an investor's dashboard — the investor's projects with budget,
 * committed total, the last 3 published reports with their lines, the top 5
 * open risks and the next milestone.
 *
 * Scoping as in DESIGN.md section 3 for an investor: projects with an
 * investment of the viewer's organization; reports PUBLISHED or SUPERSEDED;
 * risks with visibility INVESTORS or STAKEHOLDERS.
 */
import { gid, toGid } from './db';
import { groupBy, shuffled, type Case, type Scenario } from './types';

const SCOPE = `with v as (select organization_id as org from app_user where id = $1::uuid),
  vp as (select distinct i.project_id as id from investment i join v on i.organization_id = v.org)`;
const REPORT_VISIBLE = `r.status in ('PUBLISHED', 'SUPERSEDED')`;
const RISK_VISIBLE = `k.visibility in ('INVESTORS', 'STAKEHOLDERS')`;
const NEXT_MILESTONE = `m.status in ('PLANNED', 'IN_PROGRESS') and m.due_date >= $2::date`;

export const investorDashboard: Scenario = {
  number: 1,
  key: 'investor-dashboard',
  title: 'Investor dashboard: projects with budget, committed, last 3 reports, top 5 open risks, next milestone',
  kind: 'read',
  document: `query InvestorDashboard($today: Date!) {
  projects(first: 50) {
    nodes {
      id code name status currency budget totalCommitted
      financialReports(first: 3, orderBy: { field: PERIOD_START, direction: DESC }) {
        nodes {
          id periodStart periodEnd revision status
          lines { nodes { category planned actual estimateToComplete } }
        }
      }
      risks(first: 5, filter: { status: [OPEN] }, orderBy: { field: SCORE, direction: DESC }) {
        nodes { id title category likelihood impact score }
      }
      milestones(first: 1, filter: { status: [PLANNED, IN_PROGRESS], dueFrom: $today }) {
        nodes { id title dueDate status progress }
      }
    }
  }
}`,
  async cases(ctx) {
    return shuffled(ctx.users.investors.map((user): Case => ({ user, variables: { today: ctx.today } })));
  },
  async rawJson(db, c) {
    const [row] = await db.query<{ body: string }>(
      `${SCOPE}
      select json_build_object('data', json_build_object('projects', json_build_object('nodes', coalesce(json_agg(json_build_object(
        'id', ${gid('Project', 'p.id')}, 'code', p.code, 'name', p.name, 'status', p.status, 'currency', p.currency, 'budget', p.budget::text,
        'totalCommitted', coalesce((select sum(i.committed_amount)::text from investment i where i.project_id = p.id), '0.00'),
        'financialReports', json_build_object('nodes', coalesce((
          select json_agg(json_build_object(
            'id', ${gid('FinancialReport', 'r.id')}, 'periodStart', r.period_start, 'periodEnd', r.period_end, 'revision', r.revision, 'status', r.status,
            'lines', json_build_object('nodes', coalesce((
              select json_agg(json_build_object('category', l.category, 'planned', l.planned::text, 'actual', l.actual::text, 'estimateToComplete', l.estimate_to_complete::text)
                              order by l.category::text collate "C", l.id)
                from financial_report_line l where l.report_id = r.id), '[]'::json))
          ) order by r.period_start desc, r.id desc)
          from (select * from financial_report r where r.project_id = p.id and ${REPORT_VISIBLE} order by r.period_start desc, r.id desc limit 3) r), '[]'::json)),
        'risks', json_build_object('nodes', coalesce((
          select json_agg(json_build_object('id', ${gid('Risk', 'k.id')}, 'title', k.title, 'category', k.category, 'likelihood', k.likelihood, 'impact', k.impact, 'score', k.score)
                          order by k.score desc nulls first, k.id desc)
            from (select * from risk k where k.project_id = p.id and ${RISK_VISIBLE} and k.status = 'OPEN' order by k.score desc nulls first, k.id desc limit 5) k), '[]'::json)),
        'milestones', json_build_object('nodes', coalesce((
          select json_agg(json_build_object('id', ${gid('Milestone', 'm.id')}, 'title', m.title, 'dueDate', m.due_date, 'status', m.status, 'progress', m.progress))
            from (select * from milestone m where m.project_id = p.id and ${NEXT_MILESTONE} order by m.due_date, m.id limit 1) m), '[]'::json))
      ) order by p.code, p.id), '[]'::json))))::text as body
      from (select * from project p where p.id in (select id from vp) order by p.code, p.id limit 50) p`,
      [c.user.id, c.variables.today]);
    return row.body;
  },
  async rawFlat(db, c) {
    const projects = await db.query<any>(
      `${SCOPE} select p.id, p.code, p.name, p.status::text as status, p.currency, p.budget::text as budget,
              coalesce((select sum(i.committed_amount)::text from investment i where i.project_id = p.id), '0.00') as "totalCommitted"
         from project p where p.id in (select id from vp) order by p.code, p.id limit 50`, [c.user.id]);
    const ids = projects.map((p) => p.id);
    const reports = await db.query<any>(
      `select id, project_id, period_start::text as "periodStart", period_end::text as "periodEnd", revision, status::text as status
         from (select r.*, row_number() over (partition by r.project_id order by r.period_start desc, r.id desc) as rn
                 from financial_report r where r.project_id = any($1::uuid[]) and ${REPORT_VISIBLE}) r
        where rn <= 3 order by project_id, rn`, [ids]);
    const lines = await db.query<any>(
      `select l.report_id, l.category::text as category, l.planned::text as planned, l.actual::text as actual, l.estimate_to_complete::text as "estimateToComplete"
         from financial_report_line l where l.report_id = any($1::uuid[]) order by l.report_id, l.category::text collate "C", l.id`, [reports.map((r) => r.id)]);
    const risks = await db.query<any>(
      `select id, project_id, title, category::text as category, likelihood, impact, score
         from (select k.*, row_number() over (partition by k.project_id order by k.score desc nulls first, k.id desc) as rn
                 from risk k where k.project_id = any($1::uuid[]) and ${RISK_VISIBLE} and k.status = 'OPEN') k
        where rn <= 5 order by project_id, rn`, [ids]);
    const milestones = await db.query<any>(
      `select id, project_id, title, due_date::text as "dueDate", status::text as status, progress
         from (select m.*, row_number() over (partition by m.project_id order by m.due_date, m.id) as rn
                 from milestone m where m.project_id = any($1::uuid[]) and m.status in ('PLANNED', 'IN_PROGRESS') and m.due_date >= $2::date) m
        where rn <= 1`, [ids, c.variables.today]);
    const lByR = groupBy(lines, (l) => l.report_id);
    const rByP = groupBy(reports, (r) => r.project_id);
    const kByP = groupBy(risks, (k) => k.project_id);
    const mByP = groupBy(milestones, (m) => m.project_id);
    return {
      data: {
        projects: {
          nodes: projects.map((p) => ({
            id: toGid('Project', p.id), code: p.code, name: p.name, status: p.status, currency: p.currency, budget: p.budget, totalCommitted: p.totalCommitted,
            financialReports: {
              nodes: (rByP.get(p.id) ?? []).map((r) => ({
                id: toGid('FinancialReport', r.id), periodStart: r.periodStart, periodEnd: r.periodEnd, revision: r.revision, status: r.status,
                lines: { nodes: (lByR.get(r.id) ?? []).map((l) => ({ category: l.category, planned: l.planned, actual: l.actual, estimateToComplete: l.estimateToComplete })) },
              })),
            },
            risks: { nodes: (kByP.get(p.id) ?? []).map((k) => ({ id: toGid('Risk', k.id), title: k.title, category: k.category, likelihood: k.likelihood, impact: k.impact, score: k.score })) },
            milestones: { nodes: (mByP.get(p.id) ?? []).map((m) => ({ id: toGid('Milestone', m.id), title: m.title, dueDate: m.dueDate, status: m.status, progress: m.progress })) },
          })),
        },
      },
    };
  },
};

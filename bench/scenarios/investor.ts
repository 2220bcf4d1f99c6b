/**
 * Scenario 1: an investor's dashboard — the investor's projects with budget,
 * financial summary, the last 3 published reports with their lines, the top 5
 * open risks and the next milestone. The committed total is not asked: for
 * an investor it follows the disclosure rule of docs/visibility.md (other
 * investors' commitments only at month ends with at least two of them), which
 * the hand-written SQL does not implement.
 *
 * Scoping as in docs/visibility.md for an investor: projects with an
 * investment of the viewer's organization; reports PUBLISHED or SUPERSEDED;
 * risks with visibility INVESTORS or STAKEHOLDERS.
 */
import { gid, toGid } from './db';
import { groupBy, shuffled, type Case, type Scenario } from './types';

const SCOPE = `with v as (select organization_id as org from app_user where id = $1::uuid),
  vp as (select distinct i.project_id as id from investment i join v on i.organization_id = v.org)`;
const REPORT_VISIBLE = `r.status in ('PUBLISHED', 'SUPERSEDED')`;
const RISK_VISIBLE = `k.visibility in ('INVESTORS', 'STAKEHOLDERS')`;

/**
 * Project.financials for project `p` as of $2 (docs/money.md): published reports only, the highest
 * revision per period, periods ending on or before asOf.
 */
const FINANCIALS = `(select json_build_object(
    'actualToDate', round(coalesce(sum(x.actual), 0), 2)::text,
    'estimateToComplete', round(max(x.etc) filter (where x.rn = 1), 2)::text,
    'estimateAtCompletion', round(sum(x.actual) + max(x.etc) filter (where x.rn = 1), 2)::text,
    'varianceAtCompletion', round(p.budget - (sum(x.actual) + max(x.etc) filter (where x.rn = 1)), 2)::text,
    'burnRate', round(avg(x.actual) filter (where x.rn <= 3), 2)::text,
    'reportedThrough', max(x.period_end) filter (where x.rn = 1),
    'publishedPeriods', count(x.*))
  from (select c.period_end, row_number() over (order by c.period_start desc) as rn,
               (select coalesce(sum(l.actual), 0) from financial_report_line l where l.report_id = c.id) as actual,
               (select coalesce(sum(l.estimate_to_complete), 0) from financial_report_line l where l.report_id = c.id) as etc
          from (select distinct on (r.period_start) r.id, r.period_start, r.period_end from financial_report r
                 where r.project_id = p.id and r.status = 'PUBLISHED' and r.period_end <= $2::date
                 order by r.period_start, r.revision desc) c) x)`;

/** Project.riskSummary(top: 5) for an investor: open (OPEN, MITIGATING) risks they may see, trend from the last two assessments. */
const RISK_SUMMARY = `(select json_build_object(
    'open', count(*), 'exposure', coalesce(sum(t.score), 0),
    'bySeverity', json_build_object('low', count(*) filter (where t.score between 1 and 4), 'medium', count(*) filter (where t.score between 5 and 9),
                                    'high', count(*) filter (where t.score between 10 and 14), 'critical', count(*) filter (where t.score >= 15)),
    'topRisks', coalesce((select json_agg(json_build_object('score', u.score, 'previousScore', u.previous, 'change', u.change,
                                                            'risk', json_build_object('id', ${gid('Risk', 'u.id')}, 'title', u.title, 'category', u.category))
                                          order by u.score desc, u.id)
                            from (select * from rt where rt.project_id = p.id order by rt.score desc, rt.id limit 5) u), '[]'::json))
  from rt t where t.project_id = p.id)`;
/** The open visible risks of the page's projects with their trend (a CTE, `rt`). */
const RISK_TREND = `rt as (
    select k.id, k.project_id, k.title, k.category, k.score::int as score, prev.score as previous, (last.score - prev.score) as change
      from risk k
      left join lateral (select a.likelihood * a.impact as score from risk_assessment a where a.risk_id = k.id order by a.assessed_at desc, a.id desc limit 1) last on true
      left join lateral (select a.likelihood * a.impact as score from risk_assessment a where a.risk_id = k.id order by a.assessed_at desc, a.id desc offset 1 limit 1) prev on true
     where k.project_id in (select id from page) and ${RISK_VISIBLE} and k.status in ('OPEN', 'MITIGATING'))`;

/** Project.milestoneSummary(asOf) without percentComplete, and the next milestone. */
const MILESTONE_SUMMARY = `(select json_build_object(
    'total', count(*), 'done', count(*) filter (where m.status = 'DONE'),
    'overdue', count(*) filter (where m.status in ('PLANNED', 'IN_PROGRESS') and m.due_date < $2::date),
    'dueNext30Days', count(*) filter (where m.status in ('PLANNED', 'IN_PROGRESS') and m.due_date >= $2::date and m.due_date <= $2::date + 30),
    'nextMilestone', (select json_build_object('id', ${gid('Milestone', 'n.id')}, 'title', n.title, 'dueDate', n.due_date, 'status', n.status, 'progress', n.progress)
                        from milestone n where n.project_id = p.id and n.status in ('PLANNED', 'IN_PROGRESS') and n.due_date >= $2::date
                       order by n.due_date, n.id limit 1))
  from milestone m where m.project_id = p.id)`;

const REPORTS_JSON = `json_build_object('nodes', coalesce((
    select json_agg(json_build_object(
      'id', ${gid('FinancialReport', 'r.id')}, 'periodStart', r.period_start, 'periodEnd', r.period_end, 'revision', r.revision, 'status', r.status,
      'lines', json_build_object('nodes', coalesce((
        select json_agg(json_build_object('category', l.category, 'planned', l.planned::text, 'actual', l.actual::text, 'estimateToComplete', l.estimate_to_complete::text)
                        order by l.category::text collate "C", l.id)
          from financial_report_line l where l.report_id = r.id), '[]'::json))
    ) order by r.period_start desc, r.id desc)
    from (select * from financial_report r where r.project_id = p.id and ${REPORT_VISIBLE} order by r.period_start desc, r.id desc limit 3) r), '[]'::json))`;

export const investorDashboard: Scenario = {
  number: 1,
  key: 'investor-dashboard',
  title: 'Investor dashboard: projects with budget, financial summary, last 3 reports, top 5 open risks, next milestone',
  kind: 'read',
  document: `query InvestorDashboard($asOf: Date!) {
  projects(first: 50) {
    nodes {
      id code name status currency budget
      financials(asOf: $asOf) {
        actualToDate estimateToComplete estimateAtCompletion varianceAtCompletion burnRate reportedThrough publishedPeriods
      }
      financialReports(first: 3, orderBy: { field: PERIOD_START, direction: DESC }) {
        nodes {
          id periodStart periodEnd revision status
          lines { nodes { category planned actual estimateToComplete } }
        }
      }
      riskSummary(top: 5) {
        open exposure
        bySeverity { low medium high critical }
        topRisks { score previousScore change risk { id title category } }
      }
      milestoneSummary(asOf: $asOf) {
        total done overdue dueNext30Days
        nextMilestone { id title dueDate status progress }
      }
    }
  }
}`,
  async cases(ctx) {
    return shuffled(ctx.users.investors.map((user): Case => ({ user, variables: { asOf: ctx.today } })));
  },
  async rawJson(db, c) {
    const [row] = await db.query<{ body: string }>(
      `${SCOPE},
      page as (select * from project p where p.id in (select id from vp) order by p.code, p.id limit 50),
      ${RISK_TREND}
      select json_build_object('data', json_build_object('projects', json_build_object('nodes', coalesce(json_agg(json_build_object(
        'id', ${gid('Project', 'p.id')}, 'code', p.code, 'name', p.name, 'status', p.status, 'currency', p.currency, 'budget', p.budget::text,
        'financials', ${FINANCIALS},
        'financialReports', ${REPORTS_JSON},
        'riskSummary', ${RISK_SUMMARY},
        'milestoneSummary', ${MILESTONE_SUMMARY}
      ) order by p.code, p.id), '[]'::json))))::text as body
      from page p`,
      [c.user.id, c.variables.asOf]);
    return row.body;
  },
  async rawFlat(db, c) {
    // Level 1: the page of projects with their aggregates (each one aggregate per project, as the API computes them).
    const projects = await db.query<any>(
      `${SCOPE},
      page as (select * from project p where p.id in (select id from vp) order by p.code, p.id limit 50),
      ${RISK_TREND}
      select p.id, p.code, p.name, p.status::text as status, p.currency, p.budget::text as budget,
             ${FINANCIALS} as financials, ${RISK_SUMMARY} as "riskSummary", ${MILESTONE_SUMMARY} as "milestoneSummary"
        from page p order by p.code, p.id`, [c.user.id, c.variables.asOf]);
    const ids = projects.map((p) => p.id);
    const reports = await db.query<any>(
      `select id, project_id, period_start::text as "periodStart", period_end::text as "periodEnd", revision, status::text as status
         from (select r.*, row_number() over (partition by r.project_id order by r.period_start desc, r.id desc) as rn
                 from financial_report r where r.project_id = any($1::uuid[]) and ${REPORT_VISIBLE}) r
        where rn <= 3 order by project_id, rn`, [ids]);
    const lines = await db.query<any>(
      `select l.report_id, l.category::text as category, l.planned::text as planned, l.actual::text as actual, l.estimate_to_complete::text as "estimateToComplete"
         from financial_report_line l where l.report_id = any($1::uuid[]) order by l.report_id, l.category::text collate "C", l.id`, [reports.map((r) => r.id)]);
    const lByR = groupBy(lines, (l) => l.report_id);
    const rByP = groupBy(reports, (r) => r.project_id);
    return {
      data: {
        projects: {
          nodes: projects.map((p) => ({
            id: toGid('Project', p.id), code: p.code, name: p.name, status: p.status, currency: p.currency, budget: p.budget,
            financials: p.financials,
            financialReports: {
              nodes: (rByP.get(p.id) ?? []).map((r) => ({
                id: toGid('FinancialReport', r.id), periodStart: r.periodStart, periodEnd: r.periodEnd, revision: r.revision, status: r.status,
                lines: { nodes: (lByR.get(r.id) ?? []).map((l) => ({ category: l.category, planned: l.planned, actual: l.actual, estimateToComplete: l.estimateToComplete })) },
              })),
            },
            riskSummary: p.riskSummary,
            milestoneSummary: p.milestoneSummary,
          })),
        },
      },
    };
  },
};

import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { SeverityBadge, StatusBadge, type Severity } from '../components/badges';
import { Empty, QueryView } from '../components/states';
import { PortfolioDocument, type OrderDirection, type PortfolioMetric, type PortfolioQuery } from '../gql/graphql';
import { formatDate } from '../lib/dates';
import { compare, formatMoney, formatRatio, percentOf } from '../lib/money';
import { useViewer } from '../lib/viewer';

type Row = NonNullable<PortfolioQuery['viewer']['portfolio']['projects']>['nodes'][number];

/** The metrics a card shows, each with the direction that puts the projects needing attention first. */
const SORTS: { metric: PortfolioMetric; label: string; direction: OrderDirection; financial: boolean }[] = [
  { metric: 'NAME', label: 'Name', direction: 'ASC', financial: false },
  { metric: 'VARIANCE_AT_COMPLETION', label: 'Variance at completion (worst first)', direction: 'ASC', financial: true },
  { metric: 'COST_PERFORMANCE_INDEX', label: 'CPI (lowest first)', direction: 'ASC', financial: true },
  { metric: 'SCHEDULE_PERFORMANCE_INDEX', label: 'SPI (lowest first)', direction: 'ASC', financial: true },
  { metric: 'BUDGET', label: 'Budget (largest first)', direction: 'DESC', financial: true },
  { metric: 'ESTIMATE_AT_COMPLETION', label: 'Estimate at completion (largest first)', direction: 'DESC', financial: true },
  { metric: 'PERCENT_COMPLETE', label: 'Milestone progress (least first)', direction: 'ASC', financial: false },
  { metric: 'OVERDUE_MILESTONES', label: 'Overdue milestones (most first)', direction: 'DESC', financial: false },
  { metric: 'OPEN_RISKS', label: 'Open risks (most first)', direction: 'DESC', financial: false },
  { metric: 'RISK_EXPOSURE', label: 'Risk exposure (highest first)', direction: 'DESC', financial: false },
];

const SEVERITIES: [Severity, 'critical' | 'high' | 'medium' | 'low'][] = [
  ['CRITICAL', 'critical'],
  ['HIGH', 'high'],
  ['MEDIUM', 'medium'],
  ['LOW', 'low'],
];

export function PortfolioPage() {
  const viewer = useViewer();
  // Partners get FORBIDDEN on financial figures (docs/visibility.md): they are not asked for, and cannot sort by them.
  const withFinancials = viewer.side !== 'partner';
  const sorts = SORTS.filter((s) => withFinancials || !s.financial);
  const [params, setParams] = useSearchParams();
  const sort = sorts.find((s) => s.metric === params.get('sort')) ?? sorts[0];
  const [result, refetch] = useQuery({
    query: PortfolioDocument,
    variables: { orderBy: { metric: sort.metric, direction: sort.direction }, withFinancials },
  });
  return (
    <>
      <header className="page-header">
        <h1>Portfolio</h1>
        <p className="lead">Your projects at a glance: money, schedule and risk.</p>
      </header>
      <div className="toolbar">
        <label htmlFor="portfolio-sort">Sort by</label>
        <select
          id="portfolio-sort"
          value={sort.metric}
          onChange={(e) => setParams(e.target.value === sorts[0].metric ? {} : { sort: e.target.value }, { replace: true })}
        >
          {sorts.map((s) => (
            <option key={s.metric} value={s.metric}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <QueryView result={result} retry={() => refetch({ requestPolicy: 'network-only' })} loadingLabel="Loading your projects…">
        {(data) => {
          const portfolio = data.viewer.portfolio;
          if (portfolio.projectCount === 0) return <Empty>No projects are shared with your organization yet.</Empty>;
          return (
            <>
              {portfolio.totals && portfolio.totals.length > 0 && (
                <dl className="kpis" aria-label="Portfolio totals">
                  {portfolio.totals.map((t) => (
                    <div className="kpi" key={t.currency}>
                      <dt>
                        {t.currency} · {t.projectCount} project{t.projectCount === 1 ? '' : 's'}
                      </dt>
                      <dd data-testid="portfolio-total" data-currency={t.currency}>
                        {t.estimateAtCompletion && t.forecastBudget ? (
                          <>
                            {formatMoney(t.estimateAtCompletion, t.currency)}{' '}
                            <span className="hint">
                              forecast (EAC) of {formatMoney(t.forecastBudget, t.currency)} budget
                              {t.reportingProjectCount < t.projectCount && <> of the {t.reportingProjectCount} reporting project{t.reportingProjectCount === 1 ? '' : 's'}</>}
                              {' '}· VAC {formatMoney(t.varianceAtCompletion, t.currency)}
                            </span>
                          </>
                        ) : (
                          <span className="muted">no forecast yet</span>
                        )}
                        {t.projectsWithoutForecast.length > 0 && (
                          <span className="hint" data-testid="portfolio-without-forecast">
                            {' '}
                            Not in the forecast: {t.projectsWithoutForecast.map((p) => p.name).join(', ')} ({formatMoney(t.budgetWithoutForecast, t.currency)} budget, no published report yet)
                          </span>
                        )}
                      </dd>
                    </div>
                  ))}
                </dl>
              )}
              <p className="muted small">
                {portfolio.projects && portfolio.projects.totalCount > portfolio.projects.nodes.length ? `The first ${portfolio.projects.nodes.length} of ${portfolio.projects.totalCount} projects` : `${portfolio.projectCount} project${portfolio.projectCount === 1 ? '' : 's'}`} · figures as of {formatDate(portfolio.asOf)}, from published reports
              </p>
              <ol className="cards" aria-label="Projects">
                {(portfolio.projects?.nodes ?? []).map((row) => (row.project ? <ProjectCard key={row.project.id} row={row} /> : null))}
              </ol>
            </>
          );
        }}
      </QueryView>
    </>
  );
}

function ProjectCard({ row }: { row: Row }) {
  const project = row.project!;
  const { financials: fin, earnedValue: ev, milestoneSummary: ms, riskSummary: risks } = row;
  const currency = project.currency;
  const overrun = fin?.varianceAtCompletion != null && compare(fin.varianceAtCompletion, '0') < 0;
  // One percent complete for every viewer (value-weighted; see docs/money.md).
  const pct = ms?.completionPercent ?? null;
  return (
    <li className="card" data-testid="project-card" data-project={project.name}>
      <header>
        <p className="eyebrow">{project.code}</p>
        <h2>
          <Link to={`/projects/${encodeURIComponent(project.id)}`}>{project.name}</Link>
        </h2>
        <StatusBadge status={project.status} />
      </header>
      {fin && (
        <dl className="card-figures">
          <div>
            <dt>Budget</dt>
            <dd data-testid="card-budget">{formatMoney(fin.budget, currency)}</dd>
          </div>
          <div>
            <dt>Estimate at completion</dt>
            <dd data-testid="card-eac">{fin.estimateAtCompletion ? formatMoney(fin.estimateAtCompletion, currency) : <span className="muted">no forecast yet</span>}</dd>
          </div>
          <div>
            <dt>Variance at completion</dt>
            <dd data-testid="card-vac" className={overrun ? 'vac-negative' : undefined}>
              {formatMoney(fin.varianceAtCompletion, currency)}
            </dd>
          </div>
          <div>
            <dt>Actual to date</dt>
            <dd>{formatMoney(fin.actualToDate, currency)}</dd>
          </div>
          <div>
            <dt>
              <abbr title="Cost performance index: earned value / actual cost">CPI</abbr>
            </dt>
            <dd data-testid="card-cpi">{formatRatio(ev?.costPerformanceIndex)}</dd>
          </div>
          <div>
            <dt>
              <abbr title="Schedule performance index: earned value / planned value">SPI</abbr>
            </dt>
            <dd data-testid="card-spi">{formatRatio(ev?.schedulePerformanceIndex)}</dd>
          </div>
        </dl>
      )}
      {fin?.estimateAtCompletion && <BudgetMeter budget={fin.budget} eac={fin.estimateAtCompletion} name={project.name} />}
      {ms && (
        <div className="card-milestones">
          <span data-testid="card-milestones">
            Milestones: {ms.done}/{ms.total} done{pct !== null && <> · {pct}% complete</>}
            {ms.overdue > 0 && <strong className="text-bad"> · {ms.overdue} overdue</strong>}
          </span>
          <div className="progress" role="progressbar" aria-valuenow={pct === null ? 0 : Math.round(Number(pct))} aria-valuemin={0} aria-valuemax={100} aria-label={`${project.name} percent complete`}>
            <span style={{ width: `${pct ?? 0}%` }} />
          </div>
          {ms.nextMilestone && (
            <span className="muted small">
              Next: {ms.nextMilestone.title}, due {formatDate(ms.nextMilestone.dueDate)}
            </span>
          )}
        </div>
      )}
      {risks && (
        <div className="card-risks">
          <span>Open risks: {risks.open}</span>
          <ul className="risk-counts" data-testid="card-risks">
            {SEVERITIES.map(([label, key]) => (
              <li key={key} data-severity={label}>
                <SeverityBadge severity={label} /> {risks.bySeverity[key]}
              </li>
            ))}
          </ul>
        </div>
      )}
    </li>
  );
}

/** Forecast (EAC) against budget: the bar is the budget, the fill the forecast; over 100 % is an overrun. */
function BudgetMeter({ budget, eac, name }: { budget: string; eac: string; name: string }) {
  const pct = percentOf(eac, budget);
  if (pct === null) return null;
  return (
    <div className="budget-meter">
      <span className={pct > 100 ? 'text-bad small' : 'small'}>Forecast {pct} % of budget</span>
      <div className={`progress${pct > 100 ? ' over' : ''}`} role="meter" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={Math.max(100, pct)} aria-label={`${name} forecast against budget`}>
        <span style={{ width: `${Math.min(pct, 100)}%` }} />
      </div>
    </div>
  );
}

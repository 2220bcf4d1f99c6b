import { humanize } from '../../components/badges';
import { SpendCharts } from '../../components/SpendCharts';
import { Empty } from '../../components/states';
import type { ProjectHeaderQuery } from '../../gql/graphql';
import { formatDate, formatMonth } from '../../lib/dates';
import { compare, formatMoney, formatRatio } from '../../lib/money';
import { useViewer } from '../../lib/viewer';

export type ProjectHead = Extract<NonNullable<ProjectHeaderQuery['node']>, { __typename: 'Project' }>;

function Kpi({ label, value, hint, testId, tone }: { label: React.ReactNode; value: React.ReactNode; hint?: React.ReactNode; testId?: string; tone?: 'bad' }) {
  return (
    <div className="kpi">
      <dt>{label}</dt>
      <dd data-testid={testId} className={tone === 'bad' ? 'text-bad' : undefined}>
        {value}
        {hint && <span className="hint">{hint}</span>}
      </dd>
    </div>
  );
}

const negative = (v: string | null | undefined) => v != null && compare(v, '0') < 0;

export function FiguresSection({ project }: { project: ProjectHead }) {
  const viewer = useViewer();
  const currency = project.currency;
  const fin = project.financials;
  const ev = project.earnedValue;
  const investments = project.investments?.nodes ?? [];
  const money = (v: string | null | undefined) => formatMoney(v, currency);
  return (
    <section id="figures" className="panel" aria-labelledby="figures-title">
      <h2 id="figures-title">Figures</h2>
      {fin && (
        <p className="muted small">
          As of {formatDate(fin.asOf)}, from {fin.publishedPeriods} published period{fin.publishedPeriods === 1 ? '' : 's'}
          {fin.reportedThrough && <> reported through {formatDate(fin.reportedThrough)}</>}.
        </p>
      )}
      <dl className="kpis" aria-label="Budget and forecast">
        <Kpi label="Budget" value={money(fin?.budget ?? project.budget)} testId="kpi-budget" />
        <Kpi label="Committed by investors" value={money(fin?.committed ?? project.totalCommitted)} testId="kpi-committed" />
        {investments.map((i) => (
          <Kpi key={i.id} label={viewer.side === 'investor' ? 'Your commitment' : `Committed by ${i.organization?.name ?? 'an investor'}`} value={money(i.committedAmount)} hint={`on ${formatDate(i.committedOn)}`} />
        ))}
        {fin && (
          <>
            <Kpi label="Actual to date" value={money(fin.actualToDate)} testId="kpi-actual" />
            <Kpi label="Estimate to complete" value={fin.estimateToComplete ? money(fin.estimateToComplete) : 'no forecast yet'} />
            <Kpi label="Estimate at completion" value={fin.estimateAtCompletion ? money(fin.estimateAtCompletion) : 'no forecast yet'} testId="kpi-eac" />
            <Kpi label="Variance at completion" value={money(fin.varianceAtCompletion)} hint={negative(fin.varianceAtCompletion) ? 'forecast overrun' : undefined} tone={negative(fin.varianceAtCompletion) ? 'bad' : undefined} testId="kpi-vac" />
            <Kpi label="Burn rate" value={fin.burnRate ? money(fin.burnRate) : '—'} hint="mean monthly actual, last 3 periods" />
          </>
        )}
      </dl>

      <h3 id="earned-value">Earned value</h3>
      {ev ? (
        <dl className="kpis" aria-labelledby="earned-value" data-testid="earned-value">
          <Kpi label={<abbr title="Planned value: planned value of the milestones due by now">PV</abbr>} value={money(ev.plannedValue)} />
          <Kpi label={<abbr title="Earned value: planned value × progress of every milestone">EV</abbr>} value={money(ev.earnedValue)} testId="kpi-ev" />
          <Kpi label={<abbr title="Actual cost to date">AC</abbr>} value={money(ev.actualCost)} />
          <Kpi label={<abbr title="Cost performance index: EV / AC (below 1: over cost)">CPI</abbr>} value={formatRatio(ev.costPerformanceIndex)} testId="kpi-cpi" tone={ev.costPerformanceIndex && compareRatio(ev.costPerformanceIndex) < 0 ? 'bad' : undefined} />
          <Kpi label={<abbr title="Schedule performance index: EV / PV (below 1: behind schedule)">SPI</abbr>} value={formatRatio(ev.schedulePerformanceIndex)} testId="kpi-spi" tone={ev.schedulePerformanceIndex && compareRatio(ev.schedulePerformanceIndex) < 0 ? 'bad' : undefined} />
          <Kpi label="Cost variance" value={money(ev.costVariance)} tone={negative(ev.costVariance) ? 'bad' : undefined} />
          <Kpi label="Schedule variance" value={money(ev.scheduleVariance)} tone={negative(ev.scheduleVariance) ? 'bad' : undefined} />
        </dl>
      ) : (
        <Empty>Earned value is not available.</Empty>
      )}

      <h3>Spend</h3>
      {fin && fin.spendByPeriod.length > 0 ? (
        <>
          <SpendCharts points={fin.spendByPeriod} budget={fin.budget} currency={currency} />
          <h4>By category, all published periods</h4>
          <div className="table-wrap">
            <table className="table numbers" data-testid="spend-by-category">
              <thead>
                <tr>
                  <th scope="col">Category</th>
                  <th scope="col">Planned</th>
                  <th scope="col">Actual</th>
                  <th scope="col">Estimate to complete</th>
                </tr>
              </thead>
              <tbody>
                {fin.spendByCategory.map((c) => (
                  <tr key={c.category}>
                    <th scope="row">{humanize(c.category)}</th>
                    <td>{money(c.planned)}</td>
                    <td>{money(c.actual)}</td>
                    <td>{money(c.estimateToComplete)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted small">
            Each period counts its latest published revision
            {fin.spendByPeriod.some((p) => p.revision > 1) && (
              <>
                {' '}
                (restated:{' '}
                {fin.spendByPeriod
                  .filter((p) => p.revision > 1)
                  .map((p) => `${formatMonth(p.periodStart)}, revision ${p.revision}`)
                  .join('; ')}
                )
              </>
            )}
            .
          </p>
        </>
      ) : (
        <Empty>No published financial report yet: spend appears here once one is published.</Empty>
      )}
    </section>
  );
}

/** Ratios are exact decimal strings ("0.9786"); compared with 1 without a float. */
function compareRatio(value: string): number {
  const [whole, frac = ''] = value.replace(/^-/, '').split('.');
  const scaled = BigInt(whole + frac.padEnd(4, '0').slice(0, 4)) * (value.startsWith('-') ? -1n : 1n);
  return scaled < 10000n ? -1 : scaled > 10000n ? 1 : 0;
}

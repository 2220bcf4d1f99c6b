import { useState } from 'react';
import { humanize } from '../../components/badges';
import { SpendCharts } from '../../components/SpendCharts';
import { Empty } from '../../components/states';
import type { ProjectHeaderQuery } from '../../gql/graphql';
import { formatDate, formatMonth, todayUtc } from '../../lib/dates';
import { compare, formatMoney, formatRatio, subtract, sum } from '../../lib/money';
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

/** Calendar arithmetic on YYYY-MM-DD strings, in UTC like the API's dates. */
function endOfPreviousQuarter(today: string): string {
  const [y, m] = today.split('-').map(Number);
  const start = new Date(Date.UTC(y, Math.floor((m - 1) / 3) * 3, 1));
  return new Date(start.getTime() - 86_400_000).toISOString().slice(0, 10);
}
const endOfPreviousYear = (today: string) => `${Number(today.slice(0, 4)) - 1}-12-31`;
const quarterStart = (date: string) => `${date.slice(0, 4)}-${String(Math.floor((Number(date.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;

type Range = 'ALL' | 'QUARTER' | 'YTD';

/** Which reference date the figures are computed for: the API's `asOf` (periods ending on or before it). */
function PeriodSelector({ asOf, onAsOf }: { asOf: string | null; onAsOf: (asOf: string | null) => void }) {
  const today = todayUtc();
  const presets: [string, string | null][] = [
    ['Today', null],
    [`End of last quarter (${formatDate(endOfPreviousQuarter(today))})`, endOfPreviousQuarter(today)],
    [`End of last year (${formatDate(endOfPreviousYear(today))})`, endOfPreviousYear(today)],
  ];
  const preset = presets.find(([, value]) => value === asOf);
  const [custom, setCustom] = useState(!preset);
  return (
    <div className="toolbar" data-testid="period-selector">
      <label htmlFor="figures-as-of">Figures as of</label>
      <select
        id="figures-as-of"
        value={custom ? 'CUSTOM' : String(presets.findIndex(([, value]) => value === asOf))}
        onChange={(e) => {
          if (e.target.value === 'CUSTOM') return setCustom(true);
          setCustom(false);
          onAsOf(presets[Number(e.target.value)][1]);
        }}
      >
        {presets.map(([label], i) => (
          <option key={label} value={String(i)}>
            {label}
          </option>
        ))}
        <option value="CUSTOM">A date…</option>
      </select>
      {custom && (
        <input type="date" aria-label="Figures as of date" value={asOf ?? today} max="9999-12-31" onChange={(e) => e.target.value && onAsOf(e.target.value)} />
      )}
    </div>
  );
}

/**
 * How the figures relate, with this project's numbers: EAC = AC + ETC, VAC = BAC − EAC,
 * CV = EV − AC, CPI = EV / AC. CPI and CV judge the work done so far; VAC is the forecast
 * at completion from the re-estimated remaining work, so the two can point different ways.
 */
function Reconciliation({ fin, ev, money }: { fin: NonNullable<ProjectHead['financials']>; ev: ProjectHead['earnedValue']; money: (v: string | null | undefined) => string }) {
  const left = subtract(fin.budget, fin.actualToDate);
  const goodSoFar = ev && ev.costPerformanceIndex !== null && compareRatio(ev.costPerformanceIndex) >= 0;
  const overrun = fin.varianceAtCompletion !== null && compare(fin.varianceAtCompletion, '0') < 0;
  return (
    <div className="reconcile" data-testid="reconcile">
      <h3 id="how-figures-relate">How the figures relate</h3>
      <ul className="equations">
        {fin.estimateAtCompletion && fin.estimateToComplete ? (
          <>
            <li data-testid="eq-eac">
              <abbr title="Estimate at completion">EAC</abbr> = <abbr title="Actual cost to date">AC</abbr> + <abbr title="Estimate to complete">ETC</abbr>: {money(fin.estimateAtCompletion)} = {money(fin.actualToDate)} + {money(fin.estimateToComplete)}
            </li>
            <li data-testid="eq-vac">
              <abbr title="Variance at completion">VAC</abbr> = <abbr title="Budget at completion">BAC</abbr> − EAC: {money(fin.varianceAtCompletion)} = {money(fin.budget)} − {money(fin.estimateAtCompletion)}
            </li>
          </>
        ) : (
          <li>No forecast yet: EAC = AC + ETC and VAC = BAC − EAC appear with the first published report.</li>
        )}
        {ev && (
          <li data-testid="eq-cv">
            <abbr title="Cost variance">CV</abbr> = <abbr title="Earned value">EV</abbr> − AC: {money(ev.costVariance)} = {money(ev.earnedValue)} − {money(ev.actualCost)}
            {ev.costPerformanceIndex && <> · CPI = EV / AC = {ev.costPerformanceIndex}</>}
            {ev.schedulePerformanceIndex && <> · SPI = EV / PV = {ev.schedulePerformanceIndex}</>}
          </li>
        )}
      </ul>
      <p className="small" data-testid="reconcile-note">
        CPI and CV measure the work done so far: the milestones reached are worth EV of planned value and cost AC. VAC is the forecast at completion: the
        operator&apos;s re-estimate of the remaining work (ETC) set against what is left of the budget (BAC − AC = {money(left)}).
        {goodSoFar && overrun && fin.estimateToComplete && (
          <>
            {' '}
            Both hold here: the work so far cost less than its planned value, but the remaining work is re-estimated at {money(fin.estimateToComplete)}, more than
            the {money(left)} left.
          </>
        )}
      </p>
    </div>
  );
}

export function FiguresSection({ project, asOf = null, onAsOf = () => {} }: { project: ProjectHead; asOf?: string | null; onAsOf?: (asOf: string | null) => void }) {
  const viewer = useViewer();
  const currency = project.currency;
  const fin = project.financials;
  const ev = project.earnedValue;
  const investments = project.investments?.nodes ?? [];
  const money = (v: string | null | undefined) => formatMoney(v, currency);
  const [range, setRange] = useState<Range>('ALL');
  const disclosed = fin?.investorCommitments;
  const reference = fin?.asOf ?? asOf ?? todayUtc();
  const from = range === 'QUARTER' ? quarterStart(reference) : range === 'YTD' ? `${reference.slice(0, 4)}-01-01` : null;
  const periods = (fin?.spendByPeriod ?? []).filter((p) => from === null || p.periodStart >= from);
  return (
    <section id="figures" className="panel" aria-labelledby="figures-title">
      <h2 id="figures-title">Figures</h2>
      <PeriodSelector asOf={asOf} onAsOf={onAsOf} />
      {fin && (
        <p className="muted small">
          As of {formatDate(fin.asOf)}, from {fin.publishedPeriods} published period{fin.publishedPeriods === 1 ? '' : 's'}
          {fin.reportedThrough && <> reported through {formatDate(fin.reportedThrough)}</>}.
        </p>
      )}
      <dl className="kpis" aria-label="Budget and forecast">
        <Kpi label="Budget" value={money(fin?.budget ?? project.budget)} testId="kpi-budget" />
        {viewer.side === 'investor' && disclosed ? (
          <>
            <Kpi label="Your commitment" value={money(disclosed.own)} testId="kpi-committed-own" />
            <Kpi
              label="Other investors"
              testId="kpi-committed-others"
              value={disclosed.others === null ? 'not disclosed' : money(disclosed.others)}
              hint={disclosed.withheldReason ? (disclosed.othersThrough ? `through ${formatDate(disclosed.othersThrough)}. ${disclosed.withheldReason}` : disclosed.withheldReason) : 'together'}
            />
          </>
        ) : (
          <Kpi label="Committed by investors" value={money(disclosed?.total)} testId="kpi-committed" />
        )}
        {viewer.side !== 'investor' && investments.map((i) => (
          <Kpi key={i.id} label={`Committed by ${i.organization?.name ?? 'an investor'}`} value={money(i.committedAmount)} hint={`on ${formatDate(i.committedOn)}`} />
        ))}
        {viewer.side === 'investor' && investments.map((i) => (
          <Kpi key={i.id} label="Your tranche" value={money(i.committedAmount)} hint={`on ${formatDate(i.committedOn)}`} />
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

      {fin && <Reconciliation fin={fin} ev={ev} money={money} />}

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
              <tfoot>
                <tr data-testid="spend-by-category-total">
                  <th scope="row">Total</th>
                  <td>{money(sum(fin.spendByCategory.map((c) => c.planned)))}</td>
                  <td>{money(sum(fin.spendByCategory.map((c) => c.actual)))}</td>
                  <td>{money(sum(fin.spendByCategory.map((c) => c.estimateToComplete)))}</td>
                </tr>
              </tfoot>
            </table>
          </div>
          <div className="toolbar">
            <h4 id="spend-periods-title">By period</h4>
            <label htmlFor="spend-range">Periods</label>
            <select id="spend-range" value={range} onChange={(e) => setRange(e.target.value as Range)}>
              <option value="ALL">All published</option>
              <option value="QUARTER">Quarter of {formatDate(reference)}</option>
              <option value="YTD">Year to date ({reference.slice(0, 4)})</option>
            </select>
          </div>
          <div className="table-wrap">
            <table className="table numbers" data-testid="spend-by-period-table" aria-labelledby="spend-periods-title">
              <thead>
                <tr>
                  <th scope="col">Period</th>
                  <th scope="col">Revision</th>
                  <th scope="col">Planned</th>
                  <th scope="col">Actual</th>
                  <th scope="col">Estimate to complete</th>
                </tr>
              </thead>
              <tbody>
                {periods.length === 0 && (
                  <tr>
                    <td colSpan={5} className="muted">
                      No published period in this range.
                    </td>
                  </tr>
                )}
                {periods.map((p) => (
                  <tr key={p.periodStart}>
                    <th scope="row">{formatMonth(p.periodStart)}</th>
                    <td>{p.revision}</td>
                    <td>{money(p.planned)}</td>
                    <td>{money(p.actual)}</td>
                    <td>{money(p.estimateToComplete)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr data-testid="spend-by-period-total">
                  <th scope="row">Total</th>
                  <td />
                  <td>{money(sum(periods.map((p) => p.planned)))}</td>
                  <td>{money(sum(periods.map((p) => p.actual)))}</td>
                  <td>{periods.length ? <>{money(periods[periods.length - 1].estimateToComplete)} <span className="hint">latest</span></> : '—'}</td>
                </tr>
              </tfoot>
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

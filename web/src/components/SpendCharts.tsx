import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMonth } from '../lib/dates';
import { formatMoney, plotValue } from '../lib/money';

/** One period of spend, amounts as the exact decimal strings the API returned. */
export interface SpendPoint {
  periodStart: string;
  planned: string;
  actual: string;
  cumulativePlanned: string;
  cumulativeActual: string;
}

interface Row {
  label: string;
  point: SpendPoint;
  planned: number;
  actual: number;
  cumulativePlanned: number;
  cumulativeActual: number;
}

function toRows(points: readonly SpendPoint[]): Row[] {
  return points.map((p) => ({
    label: formatMonth(p.periodStart),
    point: p,
    planned: plotValue(p.planned),
    actual: plotValue(p.actual),
    cumulativePlanned: plotValue(p.cumulativePlanned),
    cumulativeActual: plotValue(p.cumulativeActual),
  }));
}

const EXACT: Record<string, keyof SpendPoint> = {
  planned: 'planned',
  actual: 'actual',
  cumulativePlanned: 'cumulativePlanned',
  cumulativeActual: 'cumulativeActual',
};

function ExactTooltip({ active, payload, label, currency }: { active?: boolean; payload?: readonly { dataKey?: unknown; name?: unknown; color?: string; payload: Row }[]; label?: unknown; currency: string }) {
  if (!active || !payload?.length) return null;
  return (
    <div className="chart-tooltip">
      <strong>{String(label)}</strong>
      <ul>
        {payload.map((p) => (
          <li key={String(p.dataKey)} style={{ color: p.color }}>
            {String(p.name)}: {formatMoney(p.payload.point[EXACT[String(p.dataKey)]], currency)}
          </li>
        ))}
      </ul>
    </div>
  );
}

function axisMoney(currency: string) {
  return (v: number) => new Intl.NumberFormat('en-GB', { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 }).format(v);
}

export function SpendCharts({ points, budget, currency }: { points: readonly SpendPoint[]; budget: string | null; currency: string }) {
  const rows = toRows(points);
  const budgetValue = budget ? plotValue(budget) : null;
  const tick = axisMoney(currency);
  return (
    <div className="charts">
      <figure className="chart" data-testid="spend-by-period" aria-labelledby="chart-period-title">
        <figcaption id="chart-period-title">Spend by period: planned vs actual</figcaption>
        <div className="chart-box">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" tick={{ fontSize: 12 }} />
              <YAxis tickFormatter={tick} width={64} tick={{ fontSize: 12 }} />
              <Tooltip content={(props) => <ExactTooltip {...(props as object)} currency={currency} />} />
              <Legend />
              <Bar dataKey="planned" name="Planned" fill="#94a3b8" isAnimationActive={false} />
              <Bar dataKey="actual" name="Actual" fill="#2563eb" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </figure>
      <figure className="chart" data-testid="spend-cumulative" aria-labelledby="chart-cumulative-title">
        <figcaption id="chart-cumulative-title">Cumulative spend against budget{budget && <> ({formatMoney(budget, currency)})</>}</figcaption>
        <div className="chart-box">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" tick={{ fontSize: 12 }} />
              <YAxis tickFormatter={tick} width={64} tick={{ fontSize: 12 }} domain={[0, (max: number) => Math.max(max, budgetValue ?? 0) * 1.05]} />
              <Tooltip content={(props) => <ExactTooltip {...(props as object)} currency={currency} />} />
              <Legend />
              {budgetValue !== null && <ReferenceLine y={budgetValue} stroke="#dc2626" strokeDasharray="6 4" label={{ value: 'Budget', position: 'insideTopRight', fill: '#dc2626', fontSize: 12 }} />}
              <Line type="monotone" dataKey="cumulativePlanned" name="Cumulative planned" stroke="#94a3b8" strokeWidth={2} dot={false} isAnimationActive={false} />
              <Line type="monotone" dataKey="cumulativeActual" name="Cumulative actual" stroke="#2563eb" strokeWidth={2} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      </figure>
      <details className="chart-data">
        <summary>Chart data as a table</summary>
        <div className="table-wrap">
          <table className="table numbers" data-testid="spend-table">
            <thead>
              <tr>
                <th scope="col">Period</th>
                <th scope="col">Planned</th>
                <th scope="col">Actual</th>
                <th scope="col">Cumulative actual</th>
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.periodStart}>
                  <th scope="row">{formatMonth(p.periodStart)}</th>
                  <td>{formatMoney(p.planned, currency)}</td>
                  <td>{formatMoney(p.actual, currency)}</td>
                  <td>{formatMoney(p.cumulativeActual, currency)}</td>
                </tr>
              ))}
            </tbody>
            {points.length > 0 && (
              <tfoot>
                <tr data-testid="spend-table-total">
                  <th scope="row">Total</th>
                  <td>{formatMoney(points[points.length - 1].cumulativePlanned, currency)}</td>
                  <td>{formatMoney(points[points.length - 1].cumulativeActual, currency)}</td>
                  <td />
                </tr>
              </tfoot>
            )}
          </table>
        </div>
      </details>
    </div>
  );
}

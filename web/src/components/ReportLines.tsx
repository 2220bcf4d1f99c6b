import type { ReportFieldsFragment } from '../gql/graphql';
import { formatMoney } from '../lib/money';
import { reportTotals } from '../lib/reports';
import { humanize } from './badges';
import { ExportButton } from './ExportButton';

export function ReportLines({ report, currency }: { report: ReportFieldsFragment; currency: string }) {
  const lines = report.lines.nodes;
  if (lines.length === 0) return <p className="muted">This report has no lines.</p>;
  const totals = reportTotals(report);
  return (
    <>
    <ExportButton kind="REPORT_LINES" reportId={report.id} label="Export lines" />
    <div className="table-wrap">
      <table className="table numbers" data-testid="report-lines">
        <caption className="sr-only">Lines of revision {report.revision}</caption>
        <thead>
          <tr>
            <th scope="col">Category</th>
            <th scope="col">Planned</th>
            <th scope="col">Actual</th>
            <th scope="col">Estimate to complete</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={l.id}>
              <th scope="row" data-label="Category">{humanize(l.category)}</th>
              <td data-label="Planned">{formatMoney(l.planned, currency)}</td>
              <td data-label="Actual">{formatMoney(l.actual, currency)}</td>
              <td data-label="ETC">{formatMoney(l.estimateToComplete, currency)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td data-label="Planned">{formatMoney(totals.planned, currency)}</td>
            <td data-label="Actual">{formatMoney(totals.actual, currency)}</td>
            <td data-label="ETC">{formatMoney(totals.estimateToComplete, currency)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
    </>
  );
}

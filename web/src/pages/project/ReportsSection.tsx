import { useQuery } from 'urql';
import { humanize, StatusBadge } from '../../components/badges';
import { ReportLines } from '../../components/ReportLines';
import { Empty, QueryView } from '../../components/states';
import { ThreadPanel } from '../../components/ThreadPanel';
import { AcknowledgeAction, ReportReaders, useMarkOpened } from '../../components/ReportReading';
import { ProjectReportsDocument, type ReportFieldsFragment } from '../../gql/graphql';
import { formatInstant, formatMonth } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { groupByPeriod, reportTotals } from '../../lib/reports';
import { FileList } from '../../components/FileList';
import { NewMarker } from '../../components/NewSinceVisit';

export function ReportsSection({ projectId }: { projectId: string }) {
  const [result, refetch] = useQuery({ query: ProjectReportsDocument, variables: { id: projectId } });
  const markOpened = useMarkOpened();
  return (
    <section id="reports" className="panel" aria-labelledby="reports-title">
      <h2 id="reports-title">Financial reports</h2>
      <QueryView result={result} retry={() => refetch({ requestPolicy: 'network-only' })}>
        {(data) => {
          const project = data.node?.__typename === 'Project' ? data.node : null;
          if (!project) return null;
          const periods = groupByPeriod(project.financialReports.nodes).reverse();
          if (periods.length === 0) return <Empty>No financial reports have been published yet.</Empty>;
          const currency = project.currency;
          return (
            <ul className="periods">
              {periods.map((p) => {
                const totals = reportTotals(p.current);
                return (
                  <li key={p.periodStart} className="period" data-period={p.periodStart} data-testid="report-period">
                    <details onToggle={(e) => { if (e.currentTarget.open) markOpened(p.current.id); }}>
                      <summary>
                        <span className="period-name">{formatMonth(p.periodStart)}</span>
                        <span className="period-status">
                          <StatusBadge status={p.current.status} /> rev. {p.current.revision} <NewMarker id={p.current.id} />
                          {p.restated && <span className="badge badge-warn">Restated</span>}
                        </span>
                        <span className="period-figures">
                          planned {formatMoney(totals.planned, currency)} · actual <strong>{formatMoney(totals.actual, currency)}</strong>
                        </span>
                      </summary>
                      <div className="period-body">
                        <p>{p.current.summary}</p>
                        <p className="muted small">
                          {p.current.publishedAt ? <>Published {formatInstant(p.current.publishedAt)}{p.current.publishedBy && <> by {p.current.publishedBy.name}</>}</> : 'Not published'}
                        </p>
                        <ReportLines report={p.current} currency={currency} />
                        <FileList files={p.current.files} label="Report pack" />
                        {p.current.revision > 1 && p.current.changes && <RestatementChanges changes={p.current.changes} revision={p.current.revision} currency={currency} />}
                        <AcknowledgeAction reportId={p.current.id} status={p.current.status} />
                        <ReportReaders reportId={p.current.id} status={p.current.status} />
                        <ThreadPanel subjectId={p.current.id} what="report" />
                        {p.revisions.length > 1 && (
                          <div className="history" data-testid="revision-history">
                            <h4>Revision history</h4>
                            <ol>
                              {p.revisions.map((r) => {
                                const t = reportTotals(r);
                                return (
                                  <li key={r.id} className={`revision status-${r.status.toLowerCase()}`}>
                                    <details>
                                      <summary>
                                        Revision {r.revision} <StatusBadge status={r.status} /> {r.publishedAt ? `published ${formatInstant(r.publishedAt)}` : 'not published'} — actual {formatMoney(t.actual, currency)}
                                      </summary>
                                      <p>{r.summary}</p>
                                      <ReportLines report={r} currency={currency} />
                                    </details>
                                  </li>
                                );
                              })}
                            </ol>
                          </div>
                        )}
                      </div>
                    </details>
                  </li>
                );
              })}
            </ul>
          );
        }}
      </QueryView>
    </section>
  );
}

type Change = NonNullable<ReportFieldsFragment['changes']>[number];

/** What a restatement changed against the revision it replaced, line by line (categories left unchanged are not listed). */
function RestatementChanges({ changes, revision, currency }: { changes: readonly Change[]; revision: number; currency: string }) {
  const amount = (v: string | null | undefined) => (v == null ? '—' : formatMoney(v, currency));
  const diff = (v: string) => (v.startsWith('-') ? formatMoney(v, currency) : `+${formatMoney(v, currency)}`);
  return (
    <div className="restatement-changes" data-testid="restatement-changes">
      <h4>Changes from revision {revision - 1}</h4>
      {changes.length === 0 ? <p className="muted small">No line changed.</p> : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr><th>Category</th><th>Change</th><th>Planned</th><th>Actual</th><th>Estimate to complete</th></tr>
            </thead>
            <tbody>
              {changes.map((c) => (
                <tr key={c.category} data-testid="restatement-change">
                  <td>{humanize(c.category)}</td>
                  <td>{humanize(c.kind)}</td>
                  <td>{amount(c.previousPlanned)} → {amount(c.planned)} ({diff(c.plannedDifference)})</td>
                  <td>{amount(c.previousActual)} → {amount(c.actual)} ({diff(c.actualDifference)})</td>
                  <td>{amount(c.previousEstimateToComplete)} → {amount(c.estimateToComplete)} ({diff(c.estimateToCompleteDifference)})</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

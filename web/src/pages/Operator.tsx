import { DeliverableHistory } from '../components/DeliverableHistory';
import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { Announcement } from '../components/Announcement';
import { StatusBadge } from '../components/badges';
import { ReportLines } from '../components/ReportLines';
import { Empty, QueryView } from '../components/states';
import { DraftReportsDocument, OperatorProjectsDocument, ReviewQueueDocument } from '../gql/graphql';
import { formatDate, formatInstant, formatMonth } from '../lib/dates';
import { RiskRegister } from './project/RiskRegister';
import { ReviewActions } from './operator/ReviewActions';
import { PublishAction } from './operator/PublishAction';
import { reassessWhereOffered } from './operator/ReassessAction';
import { OverdueMark } from '../components/badges';
import { useUrlFilters } from './admin/url-filters';
import { ExportButton } from '../components/ExportButton';

export function OperatorPage() {
  return (
    <>
      <header className="page-header">
        <h1>Operations</h1>
        <p className="lead">Deliverables waiting for review, reports to publish, and the risk register.</p>
        <nav className="subnav" aria-label="Operations sections">
          <a href="#review">Review queue</a>
          <a href="#drafts">Draft reports</a>
          <a href="#reassess">Risk reassessment</a>
          <Link to="/operator/projects">Project console</Link>
        </nav>
      </header>
      <ReviewQueue />
      <DraftReports />
      <RiskReassessment />
    </>
  );
}

function ReviewQueue() {
  const [result, refetch] = useQuery({ query: ReviewQueueDocument });
  const [decided, setDecided] = useState<string | null>(null);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <section id="review" className="panel" aria-labelledby="review-title">
      <h2 id="review-title">Review queue</h2>
      <p className="muted small">Longest waiting first.</p>
      <ExportButton kind="DELIVERABLES" filter={{ status: 'SUBMITTED' }} label="Export submitted deliverables" />
      <Announcement text={decided} />
      <QueryView result={result} retry={reload}>
        {(data) => {
          const items = data.reviewQueue.nodes;
          if (items.length === 0) return <Empty>Nothing to review: no deliverable is waiting for a decision.</Empty>;
          return (
            <ul className="deliverables">
              {items.map((d) => {
                const { project, counterparty } = d.contract;
                const earlier = d.reviews.nodes.filter((r) => r.round < d.round);
                return (
                  <li key={d.id} className="deliverable" data-testid="review-item" data-title={d.title}>
                    <div className="deliverable-head">
                      <strong>{d.title}</strong> <StatusBadge status={d.status} /> {d.overdue && <OverdueMark />}
                      {d.round > 1 && <span className="badge" data-testid="review-round"> round {d.round}</span>}
                    </div>
                    <p className="muted small">
                      <Link to={`/projects/${encodeURIComponent(project.id)}`}>{project.name}</Link> · {d.contract.reference} {d.contract.title} · {counterparty?.name ?? 'partner'} · due {formatDate(d.dueDate)}
                      {d.waitingSince && <> · <span data-testid="waiting-since" title={formatInstant(d.waitingSince)}>waiting {waitingFor(d.waitingSince)}</span></>}
                    </p>
                    {d.submissionNote && (
                      <p className="small">
                        <strong>Partner's note:</strong> {d.submissionNote}
                      </p>
                    )}
                    {earlier.length > 0 && (
                      <details className="rounds" data-testid="previous-rounds">
                        <summary>Previous rounds ({earlier.length})</summary>
                        <ol>
                          {earlier.map((r) => {
                            const sent = d.submissions.nodes.find((s) => s.round === r.round);
                            return (
                              <li key={r.id} data-testid="previous-round">
                                Round {r.round}: submitted {sent ? formatInstant(sent.submittedAt) : '—'}
                                {sent?.note && <> with “{sent.note}”</>}; {r.decision === 'REJECTED' ? 'rejected' : 'accepted'} {formatInstant(r.reviewedAt)}
                                {r.reviewedBy && <> by {r.reviewedBy.name}</>}
                                {r.comment && <>: “{r.comment}”</>}
                              </li>
                            );
                          })}
                        </ol>
                      </details>
                    )}
                    <DeliverableHistory id={d.id} open />
                    {(d.availableActions.includes('ACCEPT') || d.availableActions.includes('REJECT')) && <ReviewActions deliverable={d} onReload={reload} onDecided={setDecided} />}
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

/** "3 days", "5 hours", "12 minutes": how long a submission has waited. */
function waitingFor(since: string): string {
  const minutes = Math.max(0, Math.floor((Date.now() - Date.parse(since)) / 60_000));
  const [n, unit] = minutes >= 2 * 1440 ? [Math.floor(minutes / 1440), 'day'] : minutes >= 120 ? [Math.floor(minutes / 60), 'hour'] : [minutes, 'minute'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

function DraftReports() {
  const [result, refetch] = useQuery({ query: DraftReportsDocument });
  const [published, setPublished] = useState<string | null>(null);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <section id="drafts" className="panel" aria-labelledby="drafts-title">
      <h2 id="drafts-title">Draft reports</h2>
      <Announcement text={published} />
      <QueryView result={result} retry={reload}>
        {(data) => {
          const drafts = data.projects.nodes.flatMap((p) => p.financialReports.nodes.map((r) => ({ project: p, report: r })));
          if (drafts.length === 0) return <Empty>No draft report is waiting to be published.</Empty>;
          return (
            <ul className="periods">
              {drafts.map(({ project, report }) => (
                <li key={report.id} className="period" data-testid="draft-report">
                  <details>
                    <summary>
                      <span className="period-name">
                        {project.name} · {formatMonth(report.periodStart)}
                      </span>
                      <span className="period-status">
                        <StatusBadge status={report.status} /> rev. {report.revision}
                      </span>
                    </summary>
                    <div className="period-body">
                      <p>{report.summary}</p>
                      <ReportLines report={report} currency={project.currency} />
                    </div>
                  </details>
                  {report.availableActions.includes('PUBLISH') && (
                    <PublishAction
                      report={report}
                      onReload={reload}
                      onPublished={() => setPublished(`${project.name} · ${formatMonth(report.periodStart)} (rev. ${report.revision}) was published; the project's investors see it now.`)}
                    />
                  )}
                </li>
              ))}
            </ul>
          );
        }}
      </QueryView>
    </section>
  );
}

function RiskReassessment() {
  const [projects] = useQuery({ query: OperatorProjectsDocument });
  const { values, set } = useUrlFilters(['reassess'] as const);
  const selected = values.reassess;
  return (
    <section id="reassess" className="panel" aria-labelledby="reassess-title">
      <h2 id="reassess-title">Risk reassessment</h2>
      <QueryView result={projects}>
        {(data) => {
          const list = data.projects.nodes;
          if (list.length === 0) return <Empty>You manage no project yet.</Empty>;
          const projectId = selected || list[0].id;
          return (
            <>
              <div className="toolbar">
                <label htmlFor="reassess-project">Project</label>
                <select id="reassess-project" value={projectId} onChange={(e) => set({ reassess: e.target.value })}>
                  {list.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.code} · {p.name}
                    </option>
                  ))}
                </select>
              </div>
              <RiskRegister projectId={projectId} actions={reassessWhereOffered} embedded />
            </>
          );
        }}
      </QueryView>
    </section>
  );
}

import { Fragment } from 'react';
import { useQuery } from 'urql';
import { OverdueMark, StatusBadge } from '../../components/badges';
import { Empty, QueryView } from '../../components/states';
import { ThreadPanel } from '../../components/ThreadPanel';
import { ProjectMilestonesDocument, type ProjectHeaderQuery } from '../../gql/graphql';
import { ExportButton } from '../../components/ExportButton';

type MilestoneSummaryFields = Extract<NonNullable<ProjectHeaderQuery['node']>, { __typename: 'Project' }>['milestoneSummary'];
import { formatDate, formatInstant, todayUtc } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { NewMarker } from '../../components/NewSinceVisit';

export function MilestoneTimeline({ projectId, withFinancials, currency, summary }: { projectId: string; withFinancials: boolean; currency: string; summary: MilestoneSummaryFields | null }) {
  const [result, refetch] = useQuery({ query: ProjectMilestonesDocument, variables: { id: projectId, withFinancials } });
  const today = todayUtc();
  return (
    <section id="milestones" className="panel" aria-labelledby="milestones-title">
      <h2 id="milestones-title">Milestones</h2>
      <ExportButton kind="MILESTONES" projectId={projectId} />
      <QueryView result={result} retry={() => refetch({ requestPolicy: 'network-only' })}>
        {(data) => {
          const project = data.node?.__typename === 'Project' ? data.node : null;
          const milestones = project?.milestones.nodes ?? [];
          if (milestones.length === 0) return <Empty>No milestones yet.</Empty>;
          const todayIndex = milestones.findIndex((m) => m.dueDate >= today);
          return (
            <>
              {summary && (
                <p className="muted" data-testid="milestone-summary">
                  {summary.done} of {summary.total} done
                  {summary.completionPercent !== null && (
                    <>
                      {' '}· <span title={summary.completionBasis === 'PLANNED_VALUE' ? 'Weighted by the milestones\' planned values; the same figure for every viewer' : 'Mean progress of the milestones (they have no planned values)'}>{summary.completionPercent}% complete</span>
                    </>
                  )}
                  {summary.overdue > 0 && (
                    <>
                      {' '}
                      · <strong className="text-bad">{summary.overdue} overdue</strong>
                    </>
                  )}
                  {' '}· {summary.dueNext30Days} due in the next 30 days
                </p>
              )}
              <ol className="timeline" data-testid="milestone-timeline">
                {milestones.map((m, i) => (
                  <Fragment key={m.id}>
                    {i === todayIndex && (
                      <li className="timeline-today" aria-label={`Today, ${formatDate(today)}`}>
                        Today · {formatDate(today)}
                      </li>
                    )}
                    <li className={`timeline-item status-${m.status.toLowerCase()}${m.overdue ? ' is-overdue' : ''}`} data-overdue={m.overdue || undefined}>
                      <span className="timeline-dot" aria-hidden="true" />
                      <div className="timeline-body">
                        <div className="timeline-head">
                          <strong>{m.title}</strong> <StatusBadge status={m.status} /> {m.overdue && <OverdueMark />} <NewMarker id={m.id} />
                        </div>
                        <div className="timeline-meta muted">
                          Due {formatDate(m.dueDate)}
                          {m.completedAt && <> · completed {formatInstant(m.completedAt)}</>}
                          {withFinancials && m.plannedValue != null && <> · planned value {formatMoney(m.plannedValue, currency)}</>}
                        </div>
                        <div className="progress" role="progressbar" aria-valuenow={m.progress} aria-valuemin={0} aria-valuemax={100} aria-label={`${m.title} progress`}>
                          <span style={{ width: `${m.progress}%` }} />
                        </div>
                        <span className="progress-label">{m.progress}%</span>
                        <ThreadPanel subjectId={m.id} what="milestone" />
                      </div>
                    </li>
                  </Fragment>
                ))}
                {todayIndex === -1 && <li className="timeline-today">Today · {formatDate(today)}</li>}
              </ol>
            </>
          );
        }}
      </QueryView>
    </section>
  );
}

import { useQuery } from 'urql';
import { humanize, SeverityBadge, severityOf, StatusBadge, TrendArrow, type Severity } from '../../components/badges';
import { Empty, QueryView } from '../../components/states';
import { ThreadPanel } from '../../components/ThreadPanel';
import { ProjectRisksDocument, type ProjectHeaderQuery, type RiskFieldsFragment } from '../../gql/graphql';
import { ExportButton } from '../../components/ExportButton';

type RiskSummaryFields = Extract<NonNullable<ProjectHeaderQuery['node']>, { __typename: 'Project' }>['riskSummary'];
import { formatInstant } from '../../lib/dates';
import { FileList } from '../../components/FileList';
import { NewMarker } from '../../components/NewSinceVisit';

export function previousScore(risk: RiskFieldsFragment): number | null {
  const history = risk.assessments.nodes;
  return history.length >= 2 ? history[history.length - 2].score : null;
}

export function RiskTable({ risks, actions }: { risks: readonly RiskFieldsFragment[]; actions?: (risk: RiskFieldsFragment) => React.ReactNode }) {
  return (
    <div className="table-wrap">
      <table className="table risks" data-testid="risk-register">
        <thead>
          <tr>
            <th scope="col">Risk</th>
            <th scope="col">Status</th>
            <th scope="col">Likelihood × impact</th>
            <th scope="col">Severity</th>
            <th scope="col">Trend</th>
            <th scope="col">Owner</th>
          </tr>
        </thead>
        <tbody>
          {risks.map((r) => (
            <tr key={r.id}>
              <td data-label="Risk">
                <details>
                  <summary>
                    <strong>{r.title}</strong> <NewMarker id={r.id} />
                    <span className="muted small">
                      {' '}
                      {humanize(r.category)}
                      {r.contract && <> · {r.contract.reference}</>} · visible to {humanize(r.visibility).toLowerCase()}
                    </span>
                  </summary>
                  {r.description && <p>{r.description}</p>}
                  <p>
                    <strong>Mitigation:</strong> {r.mitigationPlan || '—'}
                  </p>
                  <FileList files={r.files} label={`Files of ${r.title}`} />
                  <h4>Assessment history</h4>
                  <ol className="assessments">
                    {r.assessments.nodes.map((a) => (
                      <li key={a.id}>
                        {formatInstant(a.assessedAt)}: {a.likelihood} × {a.impact} = <strong>{a.score}</strong>
                        {a.assessedBy && <> by {a.assessedBy.name}</>} — {a.note}
                      </li>
                    ))}
                  </ol>
                  {actions?.(r)}
                  <ThreadPanel subjectId={r.id} what="risk" />
                </details>
              </td>
              <td data-label="Status">
                <StatusBadge status={r.status} />
              </td>
              <td data-label="L × I">
                <span title={`Likelihood ${r.likelihoodLabel.toLowerCase()}, impact ${r.impactLabel.toLowerCase()}`}>{r.likelihood} × {r.impact} = <strong>{r.score}</strong></span>
                <div className="muted small" data-testid="risk-scale-labels">{r.likelihoodLabel} · {r.impactLabel}</div>
              </td>
              <td data-label="Severity">
                <SeverityBadge severity={severityOf(r.score)} />
              </td>
              <td data-label="Trend">
                <TrendArrow previous={previousScore(r)} current={r.score} />
              </td>
              <td data-label="Owner">{r.owner?.name ?? <span className="muted">Unassigned</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const BANDS: [Severity, 'critical' | 'high' | 'medium' | 'low'][] = [
  ['CRITICAL', 'critical'],
  ['HIGH', 'high'],
  ['MEDIUM', 'medium'],
  ['LOW', 'low'],
];

export function RiskSummaryLine({ summary }: { summary: NonNullable<RiskSummaryFields> }) {
  const change = summary.exposureChange;
  return (
    <div className="risk-summary" data-testid="risk-summary">
      <span>
        {summary.open} open · exposure {summary.exposure}{' '}
        <span className={change > 0 ? 'trend trend-up' : change < 0 ? 'trend trend-down' : 'trend trend-flat'}>
          ({change > 0 ? `▲ +${change}` : change < 0 ? `▼ ${change}` : '▶ 0'} since the previous assessments)
        </span>{' '}
        · {summary.rising} rising, {summary.falling} falling
      </span>
      <ul className="risk-counts">
        {BANDS.map(([label, key]) => (
          <li key={key}>
            <SeverityBadge severity={label} /> {summary.bySeverity[key]}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function RiskRegister({ projectId, actions, embedded, summary }: { projectId: string; actions?: (risk: RiskFieldsFragment, reload: () => void) => React.ReactNode; embedded?: boolean; summary?: RiskSummaryFields }) {
  const [result, refetch] = useQuery({ query: ProjectRisksDocument, variables: { id: projectId } });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const body = (
    <QueryView result={result} retry={reload}>
      {(data) => {
        const risks = data.node?.__typename === 'Project' ? data.node.risks.nodes : [];
        if (risks.length === 0) return <Empty>No risks shared with you on this project.</Empty>;
        return <RiskTable risks={risks} actions={actions ? (r) => actions(r, reload) : undefined} />;
      }}
    </QueryView>
  );
  if (embedded) return body;
  return (
    <section id="risks" className="panel" aria-labelledby="risks-title">
      <h2 id="risks-title">Risk register</h2>
      <ExportButton kind="RISKS" projectId={projectId} />
      {summary && <RiskSummaryLine summary={summary} />}
      {body}
    </section>
  );
}

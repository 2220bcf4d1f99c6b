import { useQuery } from 'urql';
import { humanize, SeverityBadge, severityOf, StatusBadge, TrendArrow } from '../../components/badges';
import { Empty, QueryView } from '../../components/states';
import { ProjectRisksDocument, type RiskFieldsFragment } from '../../gql/graphql';
import { formatInstant } from '../../lib/dates';

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
                    <strong>{r.title}</strong>
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
                </details>
              </td>
              <td data-label="Status">
                <StatusBadge status={r.status} />
              </td>
              <td data-label="L × I">
                {r.likelihood} × {r.impact} = <strong>{r.score}</strong>
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

export function RiskRegister({ projectId, actions, embedded }: { projectId: string; actions?: (risk: RiskFieldsFragment) => React.ReactNode; embedded?: boolean }) {
  const [result, refetch] = useQuery({ query: ProjectRisksDocument, variables: { id: projectId } });
  const body = (
    <QueryView result={result} retry={() => refetch({ requestPolicy: 'network-only' })}>
      {(data) => {
        const risks = data.node?.__typename === 'Project' ? data.node.risks.nodes : [];
        if (risks.length === 0) return <Empty>No risks shared with you on this project.</Empty>;
        return <RiskTable risks={risks} actions={actions} />;
      }}
    </QueryView>
  );
  if (embedded) return body;
  return (
    <section id="risks" className="panel" aria-labelledby="risks-title">
      <h2 id="risks-title">Risk register</h2>
      {body}
    </section>
  );
}

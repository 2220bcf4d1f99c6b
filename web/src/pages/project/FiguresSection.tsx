import { useQuery } from 'urql';
import { SpendCharts } from '../../components/SpendCharts';
import { Empty, QueryView } from '../../components/states';
import { ProjectReportsDocument, type ProjectHeaderQuery } from '../../gql/graphql';
import { formatMoney } from '../../lib/money';
import { groupByPeriod, spendFromReports } from '../../lib/reports';
import { useViewer } from '../../lib/viewer';

type ProjectHead = Extract<NonNullable<ProjectHeaderQuery['node']>, { __typename: 'Project' }>;

export function FiguresSection({ project }: { project: ProjectHead }) {
  const viewer = useViewer();
  const currency = project.currency;
  const [reports, refetch] = useQuery({ query: ProjectReportsDocument, variables: { id: project.id } });
  const investments = project.investments?.nodes ?? [];
  return (
    <section id="figures" className="panel" aria-labelledby="figures-title">
      <h2 id="figures-title">Figures</h2>
      <dl className="kpis">
        <div className="kpi">
          <dt>Budget</dt>
          <dd data-testid="kpi-budget">{formatMoney(project.budget, currency)}</dd>
        </div>
        <div className="kpi">
          <dt>Committed by investors</dt>
          <dd data-testid="kpi-committed">{formatMoney(project.totalCommitted, currency)}</dd>
        </div>
        {investments.map((i) => (
          <div className="kpi" key={i.id}>
            <dt>{viewer.side === 'investor' ? 'Your commitment' : `Commitment: ${i.organization?.name ?? 'investor'}`}</dt>
            <dd>{formatMoney(i.committedAmount, currency)}</dd>
          </div>
        ))}
      </dl>
      <h3>Spend</h3>
      <QueryView result={reports} retry={() => refetch({ requestPolicy: 'network-only' })}>
        {(data) => {
          const p = data.node?.__typename === 'Project' ? data.node : null;
          const points = spendFromReports(groupByPeriod(p?.financialReports.nodes ?? []));
          if (points.length === 0) return <Empty>No published financial report yet: spend appears here once one is published.</Empty>;
          return <SpendCharts points={points} budget={project.budget ?? null} currency={currency} />;
        }}
      </QueryView>
    </section>
  );
}

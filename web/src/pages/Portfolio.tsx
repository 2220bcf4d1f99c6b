import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { SeverityBadge, severityOf, StatusBadge, type Severity } from '../components/badges';
import { Empty, QueryView } from '../components/states';
import { PortfolioProjectsDocument, type PortfolioProjectsQuery } from '../gql/graphql';
import { compare, formatMoney } from '../lib/money';

type ProjectRow = PortfolioProjectsQuery['projects']['nodes'][number];
const SEVERITIES: Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];

interface Card {
  project: ProjectRow;
  milestonesDone: number;
  milestonesTotal: number;
  milestonesOverdue: number;
  risks: Record<Severity, number>;
}

function toCard(project: ProjectRow): Card {
  const ms = project.milestones.nodes;
  const risks: Record<Severity, number> = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0 };
  for (const r of project.risks.nodes) risks[severityOf(r.score)] += 1;
  return {
    project,
    milestonesDone: ms.filter((m) => m.status === 'DONE').length,
    milestonesTotal: project.milestones.totalCount,
    milestonesOverdue: ms.filter((m) => m.overdue).length,
    risks,
  };
}

type SortKey = 'name' | 'budget' | 'milestones' | 'risks';
const SORTS: { key: SortKey; label: string; compare: (a: Card, b: Card) => number }[] = [
  { key: 'name', label: 'Name', compare: (a, b) => a.project.name.localeCompare(b.project.name) },
  { key: 'budget', label: 'Budget (largest first)', compare: (a, b) => compare(b.project.budget ?? '0', a.project.budget ?? '0') },
  {
    key: 'milestones',
    label: 'Milestone progress (least first)',
    compare: (a, b) => a.milestonesDone * Math.max(b.milestonesTotal, 1) - b.milestonesDone * Math.max(a.milestonesTotal, 1),
  },
  {
    key: 'risks',
    label: 'Open risks (most severe first)',
    compare: (a, b) => SEVERITIES.map((s) => b.risks[s] - a.risks[s]).find((d) => d !== 0) ?? 0,
  },
];

export function PortfolioPage() {
  const [result, refetch] = useQuery({ query: PortfolioProjectsDocument });
  const [sort, setSort] = useState<SortKey>('name');
  return (
    <>
      <header className="page-header">
        <h1>Portfolio</h1>
        <p className="lead">Your projects at a glance: money, schedule and risk.</p>
      </header>
      <QueryView result={result} retry={() => refetch({ requestPolicy: 'network-only' })} loadingLabel="Loading your projects…">
        {(data) => {
          const cards = data.projects.nodes.map(toCard).sort(SORTS.find((s) => s.key === sort)!.compare);
          if (cards.length === 0) return <Empty>No projects are shared with your organization yet.</Empty>;
          return (
            <>
              <div className="toolbar">
                <label htmlFor="portfolio-sort">Sort by</label>
                <select id="portfolio-sort" value={sort} onChange={(e) => setSort(e.target.value as SortKey)}>
                  {SORTS.map((s) => (
                    <option key={s.key} value={s.key}>
                      {s.label}
                    </option>
                  ))}
                </select>
                <span className="muted">
                  {data.projects.totalCount} project{data.projects.totalCount === 1 ? '' : 's'}
                </span>
              </div>
              <ul className="cards" aria-label="Projects">
                {cards.map((c) => (
                  <ProjectCard key={c.project.id} card={c} />
                ))}
              </ul>
            </>
          );
        }}
      </QueryView>
    </>
  );
}

function ProjectCard({ card }: { card: Card }) {
  const { project } = card;
  const pct = card.milestonesTotal === 0 ? 0 : Math.round((card.milestonesDone / card.milestonesTotal) * 100);
  return (
    <li className="card" data-testid="project-card" data-project={project.name}>
      <header>
        <p className="eyebrow">{project.code}</p>
        <h2>
          <Link to={`/projects/${encodeURIComponent(project.id)}`}>{project.name}</Link>
        </h2>
        <StatusBadge status={project.status} />
      </header>
      <dl className="card-figures">
        <div>
          <dt>Budget</dt>
          <dd data-testid="card-budget">{formatMoney(project.budget, project.currency)}</dd>
        </div>
        <div>
          <dt>Committed</dt>
          <dd>{formatMoney(project.totalCommitted, project.currency)}</dd>
        </div>
      </dl>
      <div className="card-milestones">
        <span>
          Milestones: {card.milestonesDone}/{card.milestonesTotal} done
          {card.milestonesOverdue > 0 && <strong className="text-bad"> · {card.milestonesOverdue} overdue</strong>}
        </span>
        <div className="progress" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} aria-label={`${project.name} milestones done`}>
          <span style={{ width: `${pct}%` }} />
        </div>
      </div>
      <div className="card-risks">
        <span>Open risks:</span>
        <ul className="risk-counts">
          {SEVERITIES.map((s) => (
            <li key={s} data-severity={s}>
              <SeverityBadge severity={s} /> {card.risks[s]}
            </li>
          ))}
        </ul>
      </div>
    </li>
  );
}

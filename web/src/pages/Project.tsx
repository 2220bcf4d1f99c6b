import { Link, useParams, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { Loading, ErrorBox, NotFound } from '../components/states';
import { StatusBadge } from '../components/badges';
import { ProjectHeaderDocument } from '../gql/graphql';
import { formatDate } from '../lib/dates';
import { useViewer } from '../lib/viewer';
import { LiveProject } from '../lib/live';
import { FiguresSection } from './project/FiguresSection';
import { MilestoneTimeline } from './project/MilestoneTimeline';
import { ReportsSection } from './project/ReportsSection';
import { RiskRegister } from './project/RiskRegister';
import { UpdatesSection } from './project/UpdatesSection';
import { reassessWhereOffered } from './operator/ReassessAction';
import { InvestorPackButton } from '../components/ExportButton';

export function ProjectPage() {
  const { id = '' } = useParams();
  const viewer = useViewer();
  // Partners get FORBIDDEN on financial fields (docs/visibility.md): asking would only produce errors, not data.
  const withFinancials = viewer.side !== 'partner';
  // The figures' reference date (FiguresSection's period selector); none means today.
  const [params, setParams] = useSearchParams();
  const asOf = /^\d{4}-\d{2}-\d{2}$/.test(params.get('asOf') ?? '') ? params.get('asOf') : null;
  const setAsOf = (next: string | null) => setParams(next ? { asOf: next } : {}, { replace: true });
  const [result, refetch] = useQuery({ query: ProjectHeaderDocument, variables: { id, withFinancials, asOf } });
  const retry = () => refetch({ requestPolicy: 'network-only' });

  if (!result.data) return result.error ? <ErrorBox error={result.error} retry={retry} /> : <Loading label="Loading project…" />;
  const project = result.data.node?.__typename === 'Project' ? result.data.node : null;
  if (!project) return <NotFound what="Project" />;

  const sections = [
    ...(withFinancials ? [['figures', 'Figures']] : []),
    ['milestones', 'Milestones'],
    ...(withFinancials ? [['reports', 'Financial reports']] : []),
    ['risks', 'Risks'],
    ['updates', 'Updates'],
  ];

  return (
    <article className="project" aria-labelledby="project-title">
      <LiveProject id={project.id} />
      <header className="page-header">
        <p className="eyebrow">{project.code}</p>
        <h1 id="project-title">
          {project.name} <StatusBadge status={project.status} />
        </h1>
        <p className="lead">{project.description}</p>
        <dl className="facts">
          <div>
            <dt>Schedule</dt>
            <dd>
              {formatDate(project.startDate)} – {formatDate(project.targetEndDate)}
            </dd>
          </div>
          <div>
            <dt>Currency</dt>
            <dd>{project.currency}</dd>
          </div>
          <div>
            <dt>Contacts</dt>
            <dd>
              {project.managers.length === 0
                ? '—'
                : project.managers.map((m, i) => (
                    <span key={m.id}>
                      {i > 0 && ', '}
                      <a href={`mailto:${m.email}`}>{m.name}</a>
                    </span>
                  ))}
            </dd>
          </div>
        </dl>
        {withFinancials && <InvestorPackButton projectId={project.id} asOf={asOf} />}
        <nav className="subnav" aria-label="Project sections">
          {sections.map(([anchor, label]) => (
            <a key={anchor} href={`#${anchor}`}>
              {label}
            </a>
          ))}
          <Link to={`/projects/${encodeURIComponent(project.id)}/documents`} data-testid="document-room-link">
            Document room
          </Link>
        </nav>
      </header>
      {withFinancials && <FiguresSection project={project} asOf={asOf} onAsOf={setAsOf} />}
      <MilestoneTimeline projectId={project.id} withFinancials={withFinancials} currency={project.currency} summary={project.milestoneSummary} />
      {withFinancials && <ReportsSection projectId={project.id} />}
      <RiskRegister
        projectId={project.id}
        summary={project.riskSummary}
        actions={reassessWhereOffered}
      />
      <UpdatesSection projectId={project.id} />
    </article>
  );
}

import { useState } from 'react';
import { Link, Navigate, useNavigate, useParams } from 'react-router';
import { useQuery } from 'urql';
import { Announcement } from '../../components/Announcement';
import { StatusBadge } from '../../components/badges';
import { Empty, ErrorBox, Loading, NotFound, QueryView } from '../../components/states';
import { ConsoleProjectDocument, OperatorProjectsDocument } from '../../gql/graphql';
import { formatDate } from '../../lib/dates';
import { useViewer } from '../../lib/viewer';
import { may } from '../admin/access';
import { InvestmentsConsole } from './InvestmentsConsole';
import { MilestonesConsole } from './MilestonesConsole';
import { NewProjectForm, ProjectSettings } from './ProjectSettings';
import { ReportsConsole } from './ReportsConsole';
import { RisksConsole } from './RisksConsole';
import { UpdatesConsole } from './UpdatesConsole';

export const consolePath = (projectId: string) => `/operator/projects/${encodeURIComponent(projectId)}`;

/**
 * Where a project's manager keeps it current: its settings (details, budget,
 * status; its managers for an ADMIN), investments, financial reports,
 * progress updates, risks and milestones. The project list is what the API
 * shows the viewer: every project for an ADMIN, the managed ones for a
 * MANAGER, so each project offered here is one the viewer may change. An
 * ADMIN also creates projects here (createProject is an ADMIN's only).
 */
export function ProjectConsolePage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const viewer = useViewer();
  const [projects, refetch] = useQuery({ query: OperatorProjectsDocument });
  const [creating, setCreating] = useState(false);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  return (
    <>
      <header className="page-header">
        <p className="eyebrow">
          <Link to="/operator">Operations</Link>
        </p>
        <h1>Project console</h1>
        <p className="lead">Keep each project's settings and investments, draft and publish financial reports, post updates, and keep the risks and milestones current.</p>
      </header>
      <Announcement text={announcement} />
      {may.admin(viewer) &&
        (creating ? (
          <section className="panel" aria-labelledby="new-project-title">
            <h2 id="new-project-title">New project</h2>
            <NewProjectForm
              onCancel={() => setCreating(false)}
              onCreated={(project) => {
                setCreating(false);
                setAnnouncement(`${project.code} · ${project.name} was created; it starts planned. Assign its managers in its settings.`);
                refetch({ requestPolicy: 'network-only' });
                navigate(consolePath(project.id));
              }}
            />
          </section>
        ) : (
          <div className="actions">
            <button type="button" className="btn" onClick={() => setCreating(true)}>
              New project…
            </button>
          </div>
        ))}
      <QueryView result={projects} retry={() => refetch({ requestPolicy: 'network-only' })}>
        {(data) => {
          const list = data.projects.nodes;
          if (list.length === 0) return <Empty>{may.admin(viewer) ? 'No project yet: create the first one.' : 'You manage no project yet.'}</Empty>;
          if (!id) return <Navigate to={consolePath(list[0].id)} replace />;
          return (
            <div className="toolbar">
              <label htmlFor="console-project">Project</label>
              <select id="console-project" value={id} onChange={(e) => {
                  setAnnouncement(null);
                  navigate(consolePath(e.target.value));
                }}>
                {!list.some((p) => p.id === id) && <option value={id}>—</option>}
                {list.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.code} · {p.name}
                  </option>
                ))}
              </select>
            </div>
          );
        }}
      </QueryView>
      {id && <ProjectSections key={id} projectId={id} />}
    </>
  );
}

function ProjectSections({ projectId }: { projectId: string }) {
  const [result, refetch] = useQuery({ query: ConsoleProjectDocument, variables: { id: projectId } });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  if (!result.data) return result.error ? <ErrorBox error={result.error} retry={() => refetch({ requestPolicy: 'network-only' })} /> : <Loading label="Loading project…" />;
  const project = result.data.node?.__typename === 'Project' ? result.data.node : null;
  if (!project) return <NotFound what="Project" />;
  return (
    <article aria-labelledby="console-project-title" data-testid="project-console">
      <header className="page-header">
        <p className="eyebrow">{project.code}</p>
        <h2 id="console-project-title">
          {project.name} <StatusBadge status={project.status} />
        </h2>
        <p className="muted">
          {formatDate(project.startDate)} – {formatDate(project.targetEndDate)} · {project.currency} ·{' '}
          <Link to={`/projects/${encodeURIComponent(project.id)}`}>project page</Link>
        </p>
        <nav className="subnav" aria-label="Console sections">
          <a href="#settings">Project settings</a>
          <a href="#investments">Investments</a>
          <a href="#reports">Financial reports</a>
          <a href="#updates">Updates</a>
          <a href="#risks">Risks</a>
          <a href="#milestones">Milestones</a>
        </nav>
      </header>
      <ProjectSettings project={project} onReload={reload} />
      <InvestmentsConsole projectId={project.id} currency={project.currency} budget={project.budget} />
      <ReportsConsole projectId={project.id} currency={project.currency} projectName={project.name} />
      <UpdatesConsole projectId={project.id} />
      <RisksConsole projectId={project.id} managers={project.managers} contracts={project.contracts.nodes} />
      <MilestonesConsole projectId={project.id} currency={project.currency} startDate={project.startDate} targetEndDate={project.targetEndDate} />
    </article>
  );
}

import { useState } from 'react';
import { Announcement } from '../components/Announcement';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { humanize, OverdueMark, StatusBadge } from '../components/badges';
import { DeliverableStatsView } from '../components/DeliverableStats';
import { Empty, QueryView } from '../components/states';
import { ThreadPanel } from '../components/ThreadPanel';
import { VendorWorkspaceDocument, type DeliverableFieldsFragment, type DeliverableStatus } from '../gql/graphql';
import { formatDate, formatInstant } from '../lib/dates';
import { formatMoney } from '../lib/money';
import { useViewer } from '../lib/viewer';
import { LiveContract } from '../lib/live';
import { useUrlFilters } from './admin/url-filters';
import { DeliverableActions } from './workspace/DeliverableActions';
import { DeliverableHistory } from '../components/DeliverableHistory';
import { FileList } from '../components/FileList';
import { RaiseRisk } from './workspace/RaiseRisk';
import { ExportButton } from '../components/ExportButton';
import { NewMarker } from '../components/NewSinceVisit';

/** The status filter's options, in the order work moves through them. */
const DELIVERABLE_STATUSES: readonly DeliverableStatus[] = ['PLANNED', 'IN_PROGRESS', 'SUBMITTED', 'REJECTED', 'ACCEPTED'];

export function WorkspacePage() {
  const viewer = useViewer();
  // The filter lives in the address (reload, Back and a shared link keep it).
  const { values, set } = useUrlFilters(['status'] as const);
  const status: DeliverableStatus | '' = DELIVERABLE_STATUSES.find((s) => s === values.status) ?? '';
  const [result, refetch] = useQuery({ query: VendorWorkspaceDocument, variables: { status: status ? [status] : null } });
  const [done, setDone] = useState<string | null>(null);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <>
      <header className="page-header">
        <h1>Workspace</h1>
        <p className="lead">
          {viewer.identity.organization.name}: your contracts and what is expected of you.
        </p>
      </header>
      <div className="toolbar">
        <label htmlFor="deliverable-status">Show deliverables</label>
        <select id="deliverable-status" value={status} onChange={(e) => set({ status: e.target.value })}>
          <option value="">All statuses</option>
          {DELIVERABLE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {humanize(s)}
            </option>
          ))}
        </select>
        <ExportButton kind="DELIVERABLES" filter={status ? { status } : null} label="Export deliverables" />
      </div>
      <Announcement text={done} />
      <QueryView result={result} retry={reload} loadingLabel="Loading your contracts…">
        {(data) => {
          const contracts = data.viewer.partnerSummary.contracts.nodes.map((c) => ({ project: c.project, contract: c }));
          if (contracts.length === 0) return <Empty>Your organization has no contracts on a project yet.</Empty>;
          const summary = data.viewer.partnerSummary;
          return (
            <div className="contracts">
              {contracts.map(({ contract }) => (
                <LiveContract key={contract.id} id={contract.id} />
              ))}
              <section className="panel" aria-labelledby="summary-title">
                <h2 id="summary-title">Summary</h2>
                <p className="muted small">
                  {summary.contractTotals.count} contract{summary.contractTotals.count === 1 ? '' : 's'} (
                  {summary.contractTotals.byStatus
                    .filter((s) => s.count > 0)
                    .map((s) => `${s.count} ${humanize(s.status).toLowerCase()}`)
                    .join(', ')}
                  ) · as of {formatDate(summary.asOf)}
                </p>
                <DeliverableStatsView stats={summary.deliverableStats} />
              </section>
              {contracts.map(({ project, contract }) => (
                <section key={contract.id} className="panel contract" data-testid="contract" aria-labelledby={`contract-${contract.id}`}>
                  <header className="contract-head">
                    <div>
                      <p className="eyebrow">
                        <Link to={`/projects/${encodeURIComponent(project.id)}`}>
                          {project.code} · {project.name}
                        </Link>
                      </p>
                      <h2 id={`contract-${contract.id}`}>
                        {contract.reference}: {contract.title} <StatusBadge status={contract.status} />
                      </h2>
                    </div>
                    <dl className="facts">
                      <div>
                        <dt>Value</dt>
                        <dd>{formatMoney(contract.value, project.currency)}</dd>
                      </div>
                    </dl>
                  </header>
                  <p className="muted">
                    {humanize(contract.kind)} · {formatDate(contract.startDate)} – {formatDate(contract.endDate)} {contract.overdue && <OverdueMark />}
                    {contract.status !== 'ACTIVE' && <> · deliverables can be submitted only while the contract is active</>}
                  </p>
                  {contract.terminationReason && <p className="notice notice-error">Terminated: {contract.terminationReason}</p>}
                  <FileList files={contract.files} label={`Files of ${contract.reference}`} />
                  <DeliverableStatsView stats={contract.deliverableStats} compact />
                  <RaiseRisk contract={contract} onRaised={setDone} />
                  <DeliverableList
                    deliverables={contract.deliverables.nodes}
                    onReload={reload}
                    onDone={setDone}
                    filtered={status !== ''}
                  />
                </section>
              ))}
            </div>
          );
        }}
      </QueryView>
    </>
  );
}

function DeliverableList({
  deliverables,
  onReload,
  onDone,
  filtered,
}: {
  deliverables: readonly DeliverableFieldsFragment[];
  onReload: () => void;
  onDone: (message: string) => void;
  filtered: boolean;
}) {
  if (deliverables.length === 0) return <Empty>{filtered ? 'No deliverables with this status.' : 'No deliverables on this contract yet.'}</Empty>;
  return (
    <ul className="deliverables">
      {deliverables.map((d) => {
        const overdue = d.overdue;
        return (
          <li key={d.id} className={`deliverable${overdue ? ' is-overdue' : ''}`} data-testid="deliverable" data-title={d.title} data-status={d.status}>
            <div className="deliverable-head">
              <strong>{d.title}</strong> <StatusBadge status={d.status} /> {overdue && <OverdueMark />} <NewMarker id={d.id} />
            </div>
            <p className="muted small">
              Due {formatDate(d.dueDate)}
              {d.milestone && <> · milestone “{d.milestone.title}”</>}
              {d.submittedAt && <> · submitted {formatInstant(d.submittedAt)}</>}
              {d.decidedAt && <> · decided {formatInstant(d.decidedAt)}</>}
            </p>
            {d.submissionNote && (
              <p className="small">
                <strong>Your note:</strong> {d.submissionNote}
              </p>
            )}
            {d.status === 'REJECTED' && d.rejectionReason && (
              <p className="notice notice-error rejection" data-testid="rejection-reason">
                <strong>Rejected:</strong> {d.rejectionReason}
              </p>
            )}
            <DeliverableActions deliverable={d} onReload={onReload} onDone={onDone} />
            <DeliverableHistory id={d.id} />
            <ThreadPanel subjectId={d.id} what="deliverable" />
          </li>
        );
      })}
    </ul>
  );
}

import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { humanize } from '../../components/badges';
import { Empty, QueryView } from '../../components/states';
import { AuditFilterOptionsDocument, AuditTrailDocument, type AuditEntityType, type AuditEventFilter } from '../../gql/graphql';
import { formatInstant } from '../../lib/dates';
import { Field } from './fields';
import { useUrlFilters } from './url-filters';
import { ExportButton } from '../../components/ExportButton';

const PAGE = 20;

const TYPES: AuditEntityType[] = ['API_TOKEN', 'CONTRACT', 'DELIVERABLE', 'FINANCIAL_REPORT', 'INVESTMENT', 'MILESTONE', 'ORGANIZATION', 'PROJECT', 'PROJECT_UPDATE', 'RISK', 'USER'];

/** The actions the API records (suggestions only: the field takes any text). */
const ACTIONS = [
  'project.create', 'project.update', 'project.assignManagers', 'project.activate', 'project.hold', 'project.complete', 'project.cancel',
  'milestone.create', 'milestone.update', 'milestone.progress', 'milestone.start', 'milestone.complete', 'milestone.reopen', 'milestone.cancel',
  'contract.create', 'contract.update', 'contract.activate', 'contract.suspend', 'contract.resume', 'contract.complete', 'contract.terminate',
  'deliverable.create', 'deliverable.update', 'deliverable.start', 'deliverable.submit', 'deliverable.accept', 'deliverable.reject',
  'financialReport.create', 'financialReport.update', 'financialReport.publish', 'financialReport.supersede', 'financialReport.restate', 'financialReport.delete',
  'financialReport.open', 'financialReport.acknowledge', 'financialReport.remind',
  'qaThread.ask', 'qaThread.publish', 'qaThread.close', 'qaMessage.post',
  'risk.create', 'risk.raise', 'risk.update', 'risk.reassess', 'risk.changeVisibility', 'risk.assignOwner', 'risk.mitigate', 'risk.close', 'risk.realize',
  'projectUpdate.post', 'projectUpdate.edit', 'investment.record', 'investment.update',
  'organization.create', 'user.create', 'user.changeRole', 'user.disable', 'apiToken.create', 'apiToken.revoke',
];

const KEYS = ['project', 'actor', 'action', 'type', 'from', 'to'] as const;

/** The day after a YYYY-MM-DD day: an export's `to` is exclusive, like the API's. */
function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** A calendar day in the filter means the whole UTC day: `to` includes its day, so the API's exclusive bound is the next midnight. */
function dayStart(date: string): string | null {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T00:00:00.000Z` : null;
}
function dayAfter(date: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

export function AuditPage() {
  const { values, params, set } = useUrlFilters(KEYS);
  const [options] = useQuery({ query: AuditFilterOptionsDocument });
  const [action, setAction] = useState(values.action);
  const type = TYPES.find((t) => t === values.type);
  const filter: AuditEventFilter = {
    projectId: values.project || null,
    actorId: values.actor || null,
    action: values.action || null,
    entityType: type ?? null,
    from: dayStart(values.from),
    to: dayAfter(values.to),
  };
  const after = params.get('after');
  const before = params.get('before');
  const paging = before ? { last: PAGE, before } : { first: PAGE, after };
  const [result, refetch] = useQuery({ query: AuditTrailDocument, variables: { filter, ...paging } });
  const projects = options.data?.projects.nodes ?? [];
  const users = options.data?.users.nodes ?? [];
  const filtered = KEYS.some((k) => values[k]);

  function applyAction(e: FormEvent) {
    e.preventDefault();
    set({ action: action.trim() });
  }

  return (
    <>
      <header className="page-header">
        <h1>Audit trail</h1>
        <p className="lead">Every change, newest first: who made it, when, and each field before and after. Dates are whole days in UTC.</p>
      </header>
      <section className="panel" aria-labelledby="audit-title">
        <h2 id="audit-title">Events</h2>
        <ExportButton
          kind="AUDIT_EVENTS"
          projectId={values.project || null}
          filter={{
            status: values.action || null,
            actorId: values.actor || null,
            entityType: type ?? null,
            from: values.from || null,
            to: values.to ? nextDay(values.to) : null,
          }}
          label="Export these events"
        />
        <form className="toolbar filters" role="search" aria-label="Audit filters" onSubmit={applyAction}>
          <Field label="Project">
            {(id) => (
              <select id={id} value={values.project} onChange={(e) => set({ project: e.target.value })}>
                <option value="">Any project</option>
                {values.project && !projects.some((p) => p.id === values.project) && <option value={values.project}>(loading…)</option>}
                {projects.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.code} · {p.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Actor">
            {(id) => (
              <select id={id} value={values.actor} onChange={(e) => set({ actor: e.target.value })}>
                <option value="">Anyone</option>
                {values.actor && !users.some((u) => u.id === values.actor) && <option value={values.actor}>(loading…)</option>}
                {users.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name} ({u.email})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Object type">
            {(id) => (
              <select id={id} value={type ?? ''} onChange={(e) => set({ type: e.target.value })}>
                <option value="">Any type</option>
                {TYPES.map((t) => (
                  <option key={t} value={t}>
                    {humanize(t)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Action">
            {(id) => (
              <>
                <input id={id} list={`${id}-list`} value={action} placeholder="e.g. contract.activate" onChange={(e) => setAction(e.target.value)} onBlur={() => action.trim() !== values.action && set({ action: action.trim() })} />
                <datalist id={`${id}-list`}>
                  {ACTIONS.map((a) => (
                    <option key={a} value={a} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
          <Field label="From (UTC day)">{(id) => <input id={id} type="date" value={values.from} onChange={(e) => set({ from: e.target.value })} />}</Field>
          <Field label="To (UTC day, included)">{(id) => <input id={id} type="date" value={values.to} onChange={(e) => set({ to: e.target.value })} />}</Field>
          <div className="form-row form-actions">
            <button type="submit" className="btn">
              Apply
            </button>
            {filtered && (
              <button
                type="button"
                className="btn"
                onClick={() => {
                  setAction('');
                  set(Object.fromEntries(KEYS.map((k) => [k, null])));
                }}
              >
                Clear filters
              </button>
            )}
          </div>
        </form>
        <QueryView result={result} retry={() => refetch({ requestPolicy: 'network-only' })} loadingLabel="Loading events…">
          {(data) => {
            const { nodes, totalCount, pageInfo } = data.auditEvents;
            if (nodes.length === 0) return <Empty>{filtered ? 'No event matches these filters.' : 'Nothing has been recorded yet.'}</Empty>;
            // Forward pages know whether more follow; a page reached backwards knows whether more precede.
            const hasNewer = before ? pageInfo.hasPreviousPage : !!after;
            const hasOlder = before ? true : pageInfo.hasNextPage;
            return (
              <>
                <p className="muted small" data-testid="audit-count">
                  {totalCount} event{totalCount === 1 ? '' : 's'}
                </p>
                <div className="table-wrap" data-testid="audit-table">
                  <table className="table wide">
                    <thead>
                      <tr>
                        <th scope="col">When</th>
                        <th scope="col">Action</th>
                        <th scope="col">Object</th>
                        <th scope="col">Project</th>
                        <th scope="col">Actor</th>
                        <th scope="col">Changes</th>
                      </tr>
                    </thead>
                    <tbody>
                      {nodes.map((e) => (
                        <tr key={e.id} data-testid="audit-event" data-action={e.action} data-id={e.id}>
                          <td className="nowrap">{formatInstant(e.occurredAt)}</td>
                          <td>
                            <code>{e.action}</code>
                          </td>
                          <td>
                            {e.entityType} <span className="muted small" title={e.entityId}>{e.entityId.slice(-8)}</span>
                          </td>
                          <td>{e.project ? <Link to={`/projects/${encodeURIComponent(e.project.id)}`}>{e.project.code}</Link> : '—'}</td>
                          <td>{e.actor ? e.actor.email : '—'}</td>
                          <td>
                            <ul className="changes">
                              {Object.entries(e.changes as Record<string, { before?: unknown; after?: unknown }>).map(([field, change]) => (
                                <li key={field}>
                                  <strong>{field}</strong>: {show(change?.before)} → {show(change?.after)}
                                </li>
                              ))}
                            </ul>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                <nav className="pager" aria-label="Audit pages">
                  <button type="button" className="btn btn-small" disabled={!hasNewer} onClick={() => set({ before: pageInfo.startCursor, after: null })}>
                    ← Newer
                  </button>
                  <button type="button" className="btn btn-small" disabled={!hasOlder || !pageInfo.hasNextPage && !before} onClick={() => set({ after: pageInfo.endCursor, before: null })}>
                    Older →
                  </button>
                </nav>
              </>
            );
          }}
        </QueryView>
      </section>
    </>
  );
}

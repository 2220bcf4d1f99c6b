import { useState, type FormEvent } from 'react';
import { useQuery } from 'urql';
import { LiveContract } from '../../lib/live';
import { ActionFeedback } from '../../components/ActionFeedback';
import { Announcement } from '../../components/Announcement';
import { humanize, OverdueMark, StatusBadge } from '../../components/badges';
import { Empty, NotFound, QueryView } from '../../components/states';
import { useAction } from '../../components/useAction';
import {
  ActivateContractDocument,
  AdminContractDeliverablesDocument,
  AdminProjectContractsDocument,
  CompleteContractDocument,
  CreateContractDocument,
  CreateDeliverableDocument,
  OperatorProjectsDocument,
  PartnerOrganizationsDocument,
  ResumeContractDocument,
  SuspendContractDocument,
  TerminateContractDocument,
  UpdateContractDocument,
  UpdateDeliverableDocument,
  type AdminContractFragment,
  type AdminDeliverableFragment,
  type ContractAction,
  type ContractKind,
  type ContractStatus,
} from '../../gql/graphql';
import { formatDate } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { DECIMAL_PATTERN, Field } from './fields';
import { useUrlFilters } from './url-filters';

const STATUSES: ContractStatus[] = ['DRAFT', 'ACTIVE', 'SUSPENDED', 'COMPLETED', 'TERMINATED'];
const KINDS: ContractKind[] = ['FIXED_PRICE', 'TIME_AND_MATERIALS'];

interface Milestone {
  id: string;
  title: string;
}

export function ContractsPage() {
  const { values, set } = useUrlFilters(['project', 'status'] as const);
  const [projects] = useQuery({ query: OperatorProjectsDocument });
  return (
    <>
      <header className="page-header">
        <h1>Contracts</h1>
        <p className="lead">The contracts of a project with its partners, their deliverables, and the moves each contract allows.</p>
      </header>
      <QueryView result={projects}>
        {(data) => {
          const list = data.projects.nodes;
          if (list.length === 0) return <Empty>You manage no project yet.</Empty>;
          const projectId = values.project || list[0].id;
          const status = STATUSES.find((s) => s === values.status);
          return (
            <>
              <div className="toolbar" role="search" aria-label="Contract filters">
                <Field label="Project">
                  {(id) => (
                    <select id={id} value={projectId} onChange={(e) => set({ project: e.target.value })}>
                      {!list.some((p) => p.id === projectId) && <option value={projectId}>(unknown project)</option>}
                      {list.map((p) => (
                        <option key={p.id} value={p.id}>
                          {p.code} · {p.name}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field label="Status">
                  {(id) => (
                    <select id={id} value={status ?? ''} onChange={(e) => set({ status: e.target.value })}>
                      <option value="">Any status</option>
                      {STATUSES.map((s) => (
                        <option key={s} value={s}>
                          {humanize(s)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              </div>
              <ProjectContracts key={projectId} projectId={projectId} status={status} />
            </>
          );
        }}
      </QueryView>
    </>
  );
}

function ProjectContracts({ projectId, status }: { projectId: string; status?: ContractStatus }) {
  const [result, refetch] = useQuery({ query: AdminProjectContractsDocument, variables: { id: projectId, status: status ? [status] : null } });
  const [announced, setAnnounced] = useState<string | null>(null);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <QueryView result={result} retry={reload}>
      {(data) => {
        const project = data.node?.__typename === 'Project' ? data.node : null;
        if (!project) return <NotFound what="Project" />;
        const milestones = project.milestones.nodes;
        const contracts = project.contracts.nodes;
        return (
          <section className="panel" aria-labelledby="contracts-title">
            <h2 id="contracts-title">
              {project.code} · {project.name}: {status ? `${humanize(status).toLowerCase()} contracts` : 'contracts'} ({project.contracts.totalCount})
            </h2>
            <Announcement text={announced} />
            <NewContract projectId={project.id} currency={project.currency} onCreated={(m) => { setAnnounced(m); reload(); }} />
            {contracts.length === 0 ? (
              <Empty>No contract{status ? ` with status ${humanize(status).toLowerCase()}` : ''} in this project.</Empty>
            ) : (
              <div className="table-wrap" data-testid="contracts-table">
                <table className="table wide">
                  <thead>
                    <tr>
                      <th scope="col">Reference</th>
                      <th scope="col">Title</th>
                      <th scope="col">Partner</th>
                      <th scope="col">Kind</th>
                      <th scope="col">Value</th>
                      <th scope="col">Start</th>
                      <th scope="col">End</th>
                      <th scope="col">Status</th>
                      <th scope="col">Actions</th>
                    </tr>
                  </thead>
                  {contracts.map((c) => (
                    <ContractRows key={c.id} contract={c} currency={project.currency} milestones={milestones} onChanged={(m) => { setAnnounced(m); reload(); }} onReload={reload} />
                  ))}
                </table>
              </div>
            )}
          </section>
        );
      }}
    </QueryView>
  );
}

interface ContractValues {
  reference: string;
  title: string;
  counterpartyId: string;
  kind: ContractKind;
  value: string;
  startDate: string;
  endDate: string;
}

function ContractForm({ initial, label, busy, submitLabel, onSubmit, onCancel }: {
  initial: ContractValues;
  label: string;
  busy: boolean;
  submitLabel: string;
  onSubmit: (v: ContractValues) => void;
  onCancel: () => void;
}) {
  const [v, setV] = useState(initial);
  const [partners] = useQuery({ query: PartnerOrganizationsDocument });
  const change = (k: keyof ContractValues) => (e: { target: { value: string } }) => setV({ ...v, [k]: e.target.value });
  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit({ ...v, reference: v.reference.trim(), title: v.title.trim() });
  }
  const options = partners.data?.organizations.nodes ?? [];
  return (
    <form className="form form-grid" aria-label={label} onSubmit={submit}>
      <Field label="Reference">{(id) => <input id={id} required maxLength={60} value={v.reference} onChange={change('reference')} />}</Field>
      <Field label="Title">{(id) => <input id={id} required maxLength={200} value={v.title} onChange={change('title')} />}</Field>
      <Field label="Partner">
        {(id) => (
          <select id={id} required value={v.counterpartyId} onChange={change('counterpartyId')}>
            <option value="">Choose a partner…</option>
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name} ({humanize(o.kind).toLowerCase()})
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Kind">
        {(id) => (
          <select id={id} value={v.kind} onChange={change('kind')}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {humanize(k)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Value" hint="In the project's currency, e.g. 120000.00">
        {(id) => <input id={id} required inputMode="decimal" pattern={DECIMAL_PATTERN} value={v.value} onChange={change('value')} />}
      </Field>
      <Field label="Start date">{(id) => <input id={id} type="date" required value={v.startDate} onChange={change('startDate')} />}</Field>
      <Field label="End date">{(id) => <input id={id} type="date" required value={v.endDate} onChange={change('endDate')} />}</Field>
      <div className="form-row form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function NewContract({ projectId, currency, onCreated }: { projectId: string; currency: string; onCreated: (message: string) => void }) {
  const [open, setOpen] = useState(false);
  const create = useAction(CreateContractDocument, (d) => d.createContract);
  const empty: ContractValues = { reference: '', title: '', counterpartyId: '', kind: 'FIXED_PRICE', value: '', startDate: '', endDate: '' };
  return (
    <div className="create">
      {!open && (
        <button type="button" className="btn" onClick={() => { create.reset(); setOpen(true); }}>
          New contract…
        </button>
      )}
      {open && (
        <ContractForm
          initial={empty}
          label="New contract"
          busy={create.state.fetching}
          submitLabel="Create draft contract"
          onCancel={() => setOpen(false)}
          onSubmit={async (v) => {
            const message = `Contract ${v.reference} (${formatMoney(v.value, currency)}) was created as a draft.`;
            if (await create.run({ input: { projectId, ...v } }, message)) {
              setOpen(false);
              onCreated(message);
            }
          }}
        />
      )}
      <ActionFeedback state={create.state} onReload={() => setOpen(false)} showDone={false} />
    </div>
  );
}

const MOVES: { action: Exclude<ContractAction, 'UPDATE' | 'TERMINATE'>; label: string; done: string }[] = [
  { action: 'ACTIVATE', label: 'Activate', done: 'is active' },
  { action: 'SUSPEND', label: 'Suspend', done: 'is suspended' },
  { action: 'RESUME', label: 'Resume', done: 'is active again' },
  { action: 'COMPLETE', label: 'Complete', done: 'is completed' },
];

function ContractRows({ contract: c, currency, milestones, onChanged, onReload }: {
  contract: AdminContractFragment;
  currency: string;
  milestones: readonly Milestone[];
  onChanged: (message: string) => void;
  onReload: () => void;
}) {
  const [open, setOpen] = useState<'edit' | 'terminate' | 'deliverables' | null>(null);
  const [reason, setReason] = useState('');
  const activate = useAction(ActivateContractDocument, (d) => d.activateContract);
  const suspend = useAction(SuspendContractDocument, (d) => d.suspendContract);
  const resume = useAction(ResumeContractDocument, (d) => d.resumeContract);
  const complete = useAction(CompleteContractDocument, (d) => d.completeContract);
  const terminate = useAction(TerminateContractDocument, (d) => d.terminateContract);
  const update = useAction(UpdateContractDocument, (d) => d.updateContract);
  const runners = { ACTIVATE: activate, SUSPEND: suspend, RESUME: resume, COMPLETE: complete };
  const all = [activate, suspend, resume, complete, terminate, update];
  const busy = all.some((a) => a.state.fetching);
  const resetAll = () => all.forEach((a) => a.reset());
  const offered = new Set(c.availableActions);

  return (
    <tbody data-testid="contract" data-reference={c.reference}>
      <tr>
        <td>{c.reference}</td>
        <td>{c.title}</td>
        <td>{c.counterparty?.name ?? '—'}</td>
        <td>{humanize(c.kind)}</td>
        <td className="num">{formatMoney(c.value, currency)}</td>
        <td>{formatDate(c.startDate)}</td>
        <td>{formatDate(c.endDate)}</td>
        <td>
          <StatusBadge status={c.status} /> {c.overdue && <OverdueMark />}
        </td>
        <td>
          <div className="actions row-actions">
            {offered.has('UPDATE') && (
              <button type="button" className="btn btn-small" disabled={busy} onClick={() => { resetAll(); setOpen(open === 'edit' ? null : 'edit'); }}>
                Edit…
              </button>
            )}
            {MOVES.filter((m) => offered.has(m.action)).map((m) => (
              <button
                key={m.action}
                type="button"
                className="btn btn-small"
                disabled={busy}
                onClick={async () => {
                  resetAll();
                  const message = `Contract ${c.reference} ${m.done}.`;
                  if (await runners[m.action].run({ input: { id: c.id, version: c.version } }, message)) onChanged(message);
                }}
              >
                {m.label}
              </button>
            ))}
            {offered.has('TERMINATE') && (
              <button type="button" className="btn btn-small" disabled={busy} onClick={() => { resetAll(); setOpen(open === 'terminate' ? null : 'terminate'); }}>
                Terminate…
              </button>
            )}
            <button type="button" className="btn btn-small" aria-expanded={open === 'deliverables'} onClick={() => setOpen(open === 'deliverables' ? null : 'deliverables')}>
              Deliverables
            </button>
          </div>
        </td>
      </tr>
      {(open || all.some((a) => a.state.userErrors.length > 0 || a.state.failure)) && (
        <tr className="row-detail">
          <td colSpan={9}>
            {all.map((a, i) => (
              <ActionFeedback key={i} state={a.state} onReload={onReload} showDone={false} />
            ))}
            {open === 'edit' && (
              <ContractForm
                initial={{ reference: c.reference, title: c.title, counterpartyId: c.counterparty?.id ?? '', kind: c.kind, value: c.value, startDate: c.startDate, endDate: c.endDate }}
                label={`Edit contract ${c.reference}`}
                busy={busy}
                submitLabel="Save changes"
                onCancel={() => setOpen(null)}
                onSubmit={async (v) => {
                  const message = `Contract ${v.reference} was saved.`;
                  if (await update.run({ input: { id: c.id, version: c.version, ...v } }, message)) {
                    setOpen(null);
                    onChanged(message);
                  }
                }}
              />
            )}
            {open === 'terminate' && (
              <form
                className="form"
                aria-label={`Terminate contract ${c.reference}`}
                onSubmit={async (e) => {
                  e.preventDefault();
                  const message = `Contract ${c.reference} was terminated.`;
                  if (await terminate.run({ input: { id: c.id, version: c.version, reason: reason.trim() } }, message)) {
                    setOpen(null);
                    setReason('');
                    onChanged(message);
                  }
                }}
              >
                <Field label="Reason for termination (the partner reads it)">
                  {(id) => <textarea id={id} required maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} />}
                </Field>
                <div className="form-row">
                  <button type="submit" className="btn btn-danger" disabled={busy || reason.trim() === ''}>
                    Terminate contract
                  </button>
                  <button type="button" className="btn" onClick={() => setOpen(null)} disabled={busy}>
                    Cancel
                  </button>
                </div>
              </form>
            )}
            {open === 'deliverables' && <Deliverables contract={c} milestones={milestones} />}
          </td>
        </tr>
      )}
    </tbody>
  );
}

interface DeliverableValues {
  title: string;
  description: string;
  dueDate: string;
  milestoneId: string;
}

function DeliverableForm({ initial, label, busy, submitLabel, milestones, onSubmit, onCancel }: {
  initial: DeliverableValues;
  label: string;
  busy: boolean;
  submitLabel: string;
  milestones: readonly Milestone[];
  onSubmit: (v: DeliverableValues) => void;
  onCancel: () => void;
}) {
  const [v, setV] = useState(initial);
  const change = (k: keyof DeliverableValues) => (e: { target: { value: string } }) => setV({ ...v, [k]: e.target.value });
  return (
    <form
      className="form form-grid"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit({ ...v, title: v.title.trim() });
      }}
    >
      <Field label="Deliverable title">{(id) => <input id={id} required maxLength={200} value={v.title} onChange={change('title')} />}</Field>
      <Field label="Due date">{(id) => <input id={id} type="date" required value={v.dueDate} onChange={change('dueDate')} />}</Field>
      <Field label="Milestone">
        {(id) => (
          <select id={id} value={v.milestoneId} onChange={change('milestoneId')}>
            <option value="">None</option>
            {milestones.map((m) => (
              <option key={m.id} value={m.id}>
                {m.title}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Description">{(id) => <textarea id={id} maxLength={20000} value={v.description} onChange={change('description')} />}</Field>
      <div className="form-row form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Deliverables can be added while the contract is still open (the API checks it again on submit). */
const OPEN_CONTRACT: ContractStatus[] = ['DRAFT', 'ACTIVE', 'SUSPENDED'];

function Deliverables({ contract, milestones }: { contract: AdminContractFragment; milestones: readonly Milestone[] }) {
  const [result, refetch] = useQuery({ query: AdminContractDeliverablesDocument, variables: { id: contract.id } });
  const [adding, setAdding] = useState(false);
  const [announced, setAnnounced] = useState<string | null>(null);
  const create = useAction(CreateDeliverableDocument, (d) => d.createDeliverable);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <section className="subsection" aria-label={`Deliverables of ${contract.reference}`} data-testid="deliverables">
      <LiveContract id={contract.id} />
      <h3>Deliverables of {contract.reference}</h3>
      <Announcement text={announced} />
      {OPEN_CONTRACT.includes(contract.status) && !adding && (
        <button type="button" className="btn btn-small" onClick={() => { create.reset(); setAdding(true); }}>
          New deliverable…
        </button>
      )}
      {adding && (
        <DeliverableForm
          initial={{ title: '', description: '', dueDate: '', milestoneId: '' }}
          label={`New deliverable of ${contract.reference}`}
          busy={create.state.fetching}
          submitLabel="Add deliverable"
          milestones={milestones}
          onCancel={() => setAdding(false)}
          onSubmit={async (v) => {
            const message = `“${v.title}” was added, due ${formatDate(v.dueDate)}.`;
            const input = { contractId: contract.id, title: v.title, description: v.description, dueDate: v.dueDate, milestoneId: v.milestoneId || null };
            if (await create.run({ input }, message)) {
              setAdding(false);
              setAnnounced(message);
              reload();
            }
          }}
        />
      )}
      <ActionFeedback state={create.state} onReload={reload} showDone={false} />
      <QueryView result={result} retry={reload}>
        {(data) => {
          const list = data.node?.__typename === 'Contract' ? data.node.deliverables.nodes : [];
          if (list.length === 0) return <Empty>No deliverable yet.</Empty>;
          return (
            <ul className="deliverables">
              {list.map((d) => (
                <DeliverableItem key={d.id} deliverable={d} milestones={milestones} onSaved={(m) => { setAnnounced(m); reload(); }} onReload={reload} />
              ))}
            </ul>
          );
        }}
      </QueryView>
    </section>
  );
}

function DeliverableItem({ deliverable: d, milestones, onSaved, onReload }: {
  deliverable: AdminDeliverableFragment;
  milestones: readonly Milestone[];
  onSaved: (message: string) => void;
  onReload: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const update = useAction(UpdateDeliverableDocument, (data) => data.updateDeliverable);
  return (
    <li className="deliverable" data-testid="admin-deliverable" data-title={d.title}>
      <div className="deliverable-head">
        <strong>{d.title}</strong> <StatusBadge status={d.status} /> {d.overdue && <OverdueMark />}
      </div>
      <p className="muted small">
        due {formatDate(d.dueDate)}
        {d.milestone ? ` · milestone ${d.milestone.title}` : ''}
      </p>
      {d.description && <p className="small">{d.description}</p>}
      {d.availableActions.includes('UPDATE') && !editing && (
        <button type="button" className="btn btn-small" onClick={() => { update.reset(); setEditing(true); }}>
          Edit…
        </button>
      )}
      {editing && (
        <DeliverableForm
          initial={{ title: d.title, description: d.description, dueDate: d.dueDate, milestoneId: d.milestone?.id ?? '' }}
          label={`Edit deliverable ${d.title}`}
          busy={update.state.fetching}
          submitLabel="Save changes"
          milestones={milestones}
          onCancel={() => setEditing(false)}
          onSubmit={async (v) => {
            const message = `“${v.title}” was saved.`;
            const input = { id: d.id, version: d.version, title: v.title, description: v.description, dueDate: v.dueDate, milestoneId: v.milestoneId || null };
            if (await update.run({ input }, message)) {
              setEditing(false);
              onSaved(message);
            }
          }}
        />
      )}
      <ActionFeedback state={update.state} onReload={onReload} showDone={false} />
    </li>
  );
}

import { useState, type FormEvent } from 'react';
import { useQuery } from 'urql';
import { ActionFeedback } from '../../components/ActionFeedback';
import { useAmountCheck } from '../../components/useAmountCheck';
import { Announcement } from '../../components/Announcement';
import { humanize, StatusBadge } from '../../components/badges';
import { FieldError } from '../../components/user-errors';
import { useAction } from '../../components/useAction';
import {
  AssignProjectManagersDocument,
  ChangeProjectStatusDocument,
  CreateProjectDocument,
  ProjectManagerCandidatesDocument,
  UpdateProjectDocument,
  type ConsoleProjectFieldsFragment,
  type ProjectStatus,
  type UpdateProjectInput,
} from '../../gql/graphql';
import { formatDate } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { useViewer } from '../../lib/viewer';
import { may } from '../admin/access';
import { Field } from '../admin/fields';

/** The fields a project form shows the API's errors next to. */
const PROJECT_FIELDS = ['code', 'name', 'description', 'currency', 'budget', 'startDate', 'targetEndDate'] as const;

/**
 * The project state machine as the API enforces it (changeProjectStatus):
 * PLANNED → ACTIVE ⇄ ON_HOLD; ACTIVE → COMPLETED; PLANNED, ACTIVE or ON_HOLD →
 * CANCELLED. COMPLETED and CANCELLED are final, so those two ask once more.
 * Projects carry no availableActions: the buttons follow the status, and the
 * API checks each move again (its refusal is shown as a user error).
 */
const MOVES: readonly { to: ProjectStatus; from: readonly ProjectStatus[]; label: string; final: boolean }[] = [
  { to: 'ACTIVE', from: ['PLANNED'], label: 'Start project', final: false },
  { to: 'ACTIVE', from: ['ON_HOLD'], label: 'Resume', final: false },
  { to: 'ON_HOLD', from: ['ACTIVE'], label: 'Put on hold', final: false },
  { to: 'COMPLETED', from: ['ACTIVE'], label: 'Complete project', final: true },
  { to: 'CANCELLED', from: ['PLANNED', 'ACTIVE', 'ON_HOLD'], label: 'Cancel project', final: true },
];

/**
 * Creating a project (ADMIN; the page shows it to administrators only). It
 * starts PLANNED without managers: they are assigned in its settings.
 */
export function NewProjectForm({ onCancel, onCreated }: { onCancel: () => void; onCreated: (project: { id: string; code: string; name: string }) => void }) {
  const create = useAction(CreateProjectDocument, (d) => d.createProject);
  const [v, setV] = useState({ code: '', name: '', description: '', currency: 'EUR', budget: '', startDate: '', targetEndDate: '' });
  const { error: budgetError, check: checkBudget } = useAmountCheck();
  const errors = create.state.userErrors;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const budget = checkBudget(v.budget);
    if (budget == null) return;
    const input = {
      code: v.code.trim(),
      name: v.name.trim(),
      description: v.description.trim() || null,
      currency: v.currency.trim().toUpperCase(),
      budget,
      startDate: v.startDate,
      targetEndDate: v.targetEndDate,
    };
    let created: { id: string; code: string; name: string } | null = null;
    await create.run({ input }, `${input.code} was created.`, (d) => {
      created = d.createProject.project;
    });
    if (created) onCreated(created);
  }

  return (
    <form className="form form-grid" onSubmit={onSubmit} aria-label="New project">
      <Field label="Code" hint="Capital letters, digits and hyphens, e.g. PRJ-2026-02." error={<FieldError errors={errors} field="code" />}>
        {(id) => <input id={id} required maxLength={40} autoComplete="off" value={v.code} onChange={(e) => setV({ ...v, code: e.target.value.toUpperCase() })} />}
      </Field>
      <Field label="Name" error={<FieldError errors={errors} field="name" />}>
        {(id) => <input id={id} required maxLength={200} value={v.name} onChange={(e) => setV({ ...v, name: e.target.value })} />}
      </Field>
      <Field label="Currency" hint="ISO 4217, e.g. EUR or USD: every amount of the project is in it." error={<FieldError errors={errors} field="currency" />}>
        {(id) => <input id={id} required minLength={3} maxLength={3} autoComplete="off" value={v.currency} onChange={(e) => setV({ ...v, currency: e.target.value.toUpperCase() })} />}
      </Field>
      <Field label="Budget" error={<FieldError errors={errors} field="budget" local={budgetError} />}>
        {(id) => (
          <input id={id} required type="text" inputMode="decimal" autoComplete="off" aria-invalid={budgetError ? true : undefined} value={v.budget} onChange={(e) => setV({ ...v, budget: e.target.value })} />
        )}
      </Field>
      <Field label="Start date" error={<FieldError errors={errors} field="startDate" />}>
        {(id) => <input id={id} type="date" required value={v.startDate} onChange={(e) => setV({ ...v, startDate: e.target.value })} />}
      </Field>
      <Field label="Target end date" error={<FieldError errors={errors} field="targetEndDate" />}>
        {(id) => <input id={id} type="date" required min={v.startDate || undefined} value={v.targetEndDate} onChange={(e) => setV({ ...v, targetEndDate: e.target.value })} />}
      </Field>
      <Field label="Description" error={<FieldError errors={errors} field="description" />}>
        {(id) => <textarea id={id} maxLength={20000} value={v.description} onChange={(e) => setV({ ...v, description: e.target.value })} />}
      </Field>
      <div className="form-row form-actions">
        <button type="submit" className="btn btn-primary" disabled={create.state.fetching}>
          {create.state.fetching ? 'Creating…' : 'Create project'}
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={create.state.fetching}>
          Cancel
        </button>
      </div>
      <ActionFeedback state={create.state} onReload={() => undefined} showDone={false} inline={PROJECT_FIELDS} />
    </form>
  );
}

/**
 * A project's own settings: its details and budget, its status (ADMIN, or a
 * MANAGER of the project: every project of the console is one the viewer
 * manages) and, for an ADMIN, who manages it.
 */
export function ProjectSettings({ project, onReload }: { project: ConsoleProjectFieldsFragment; onReload: () => void }) {
  const viewer = useViewer();
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const changed = (message: string) => {
    setAnnouncement(message);
    onReload();
  };
  return (
    <section id="settings" className="panel" aria-labelledby="console-settings-title" data-testid="project-settings" data-status={project.status}>
      <h2 id="console-settings-title">Project settings</h2>
      <Announcement text={announcement} />
      <dl className="facts">
        <div>
          <dt>Budget</dt>
          <dd data-testid="project-budget">{formatMoney(project.budget, project.currency)}</dd>
        </div>
        <div>
          <dt>Schedule</dt>
          <dd>
            {formatDate(project.startDate)} – {formatDate(project.targetEndDate)}
          </dd>
        </div>
        <div>
          <dt>Managers</dt>
          <dd data-testid="project-managers">{project.managers.length ? project.managers.map((m) => m.name).join(', ') : 'None yet'}</dd>
        </div>
      </dl>
      {project.description && <p className="small">{project.description}</p>}
      {editing ? (
        <ProjectDetailsForm
          key={project.version}
          project={project}
          onCancel={() => setEditing(false)}
          onSaved={(message) => {
            setEditing(false);
            changed(message);
          }}
          onReload={onReload}
        />
      ) : (
        <div className="actions">
          <button type="button" className="btn" onClick={() => setEditing(true)}>
            Edit details…
          </button>
        </div>
      )}
      <ProjectStatusActions project={project} onChanged={changed} onReload={onReload} />
      {may.admin(viewer) && <ProjectManagers key={`managers-${project.version}`} project={project} onChanged={changed} onReload={onReload} />}
    </section>
  );
}

function ProjectDetailsForm({
  project,
  onCancel,
  onSaved,
  onReload,
}: {
  project: ConsoleProjectFieldsFragment;
  onCancel: () => void;
  onSaved: (message: string) => void;
  onReload: () => void;
}) {
  const update = useAction(UpdateProjectDocument, (d) => d.updateProject);
  const [v, setV] = useState({
    name: project.name,
    description: project.description,
    currency: project.currency,
    budget: project.budget ?? '',
    startDate: project.startDate,
    targetEndDate: project.targetEndDate,
  });
  const { error: budgetError, check: checkBudget } = useAmountCheck();
  const errors = update.state.userErrors;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    // Only what changed is sent: the API leaves omitted fields as they are.
    const input: UpdateProjectInput = { id: project.id, version: project.version };
    const budget = checkBudget(v.budget);
    if (budget == null) return;
    if (budget !== project.budget) input.budget = budget;
    if (v.name.trim() !== project.name) input.name = v.name.trim();
    if (v.description !== project.description) input.description = v.description;
    const currency = v.currency.trim().toUpperCase();
    if (currency !== project.currency) input.currency = currency;
    if (v.startDate !== project.startDate) input.startDate = v.startDate;
    if (v.targetEndDate !== project.targetEndDate) input.targetEndDate = v.targetEndDate;
    if (Object.keys(input).length === 2) {
      onCancel();
      return;
    }
    if (await update.run({ input }, 'The project was saved.')) onSaved(`The details of ${project.code} were saved.`);
  }

  return (
    <form className="form form-grid" onSubmit={onSubmit} aria-label={`Edit ${project.code}`}>
      <Field label="Name" error={<FieldError errors={errors} field="name" />}>
        {(id) => <input id={id} required maxLength={200} value={v.name} onChange={(e) => setV({ ...v, name: e.target.value })} />}
      </Field>
      <Field label={`Budget (${project.currency})`} error={<FieldError errors={errors} field="budget" local={budgetError} />}>
        {(id) => (
          <input id={id} required type="text" inputMode="decimal" autoComplete="off" aria-invalid={budgetError ? true : undefined} value={v.budget} onChange={(e) => setV({ ...v, budget: e.target.value })} />
        )}
      </Field>
      <Field label="Currency" hint="Only while no investment, contract or report records an amount." error={<FieldError errors={errors} field="currency" />}>
        {(id) => <input id={id} required minLength={3} maxLength={3} autoComplete="off" value={v.currency} onChange={(e) => setV({ ...v, currency: e.target.value.toUpperCase() })} />}
      </Field>
      <Field label="Start date" error={<FieldError errors={errors} field="startDate" />}>
        {(id) => <input id={id} type="date" required value={v.startDate} onChange={(e) => setV({ ...v, startDate: e.target.value })} />}
      </Field>
      <Field label="Target end date" error={<FieldError errors={errors} field="targetEndDate" />}>
        {(id) => <input id={id} type="date" required min={v.startDate || undefined} value={v.targetEndDate} onChange={(e) => setV({ ...v, targetEndDate: e.target.value })} />}
      </Field>
      <Field label="Description" error={<FieldError errors={errors} field="description" />}>
        {(id) => <textarea id={id} maxLength={20000} value={v.description} onChange={(e) => setV({ ...v, description: e.target.value })} />}
      </Field>
      <div className="form-row form-actions">
        <button type="submit" className="btn btn-primary" disabled={update.state.fetching || !v.name.trim()}>
          {update.state.fetching ? 'Saving…' : 'Save details'}
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={update.state.fetching}>
          Cancel
        </button>
      </div>
      <ActionFeedback state={update.state} onReload={onReload} showDone={false} inline={PROJECT_FIELDS} />
    </form>
  );
}

function ProjectStatusActions({ project, onChanged, onReload }: { project: ConsoleProjectFieldsFragment; onChanged: (message: string) => void; onReload: () => void }) {
  const status = useAction(ChangeProjectStatusDocument, (d) => d.changeProjectStatus);
  const [confirming, setConfirming] = useState<(typeof MOVES)[number] | null>(null);
  const moves = MOVES.filter((m) => m.from.includes(project.status));

  async function move(m: (typeof MOVES)[number]) {
    const message = `${project.code} is now ${humanize(m.to).toLowerCase()}.`;
    const ok = await status.run({ input: { id: project.id, version: project.version, status: m.to } }, message);
    setConfirming(null);
    if (ok) onChanged(message);
  }

  return (
    <div className="form" role="group" aria-label="Project status">
      <h3>
        Status <StatusBadge status={project.status} />
      </h3>
      {moves.length === 0 && <p className="muted small">{humanize(project.status)} is final: the status no longer changes.</p>}
      {!confirming && moves.length > 0 && (
        <div className="actions">
          {moves.map((m) => (
            <button key={m.label} type="button" className="btn" disabled={status.state.fetching} onClick={() => (m.final ? setConfirming(m) : move(m))}>
              {m.label}
              {m.final ? '…' : ''}
            </button>
          ))}
        </div>
      )}
      {confirming && (
        <div role="group" aria-label={`Confirm: ${confirming.label}`}>
          <p>{humanize(confirming.to)} is final: the project's status cannot change afterwards.</p>
          <div className="form-row">
            <button type="button" className="btn btn-danger" disabled={status.state.fetching} onClick={() => move(confirming)}>
              {confirming.label}
            </button>
            <button type="button" className="btn" onClick={() => setConfirming(null)} disabled={status.state.fetching}>
              Keep it {humanize(project.status).toLowerCase()}
            </button>
          </div>
        </div>
      )}
      <ActionFeedback state={status.state} onReload={onReload} showDone={false} />
    </div>
  );
}

/**
 * Who manages the project (ADMIN only, so shown to administrators only): the
 * complete list, as assignProjectManagers takes it. The candidates are the
 * operator's active ADMIN and MANAGER users; a disabled manager still listed
 * can only be taken off.
 */
function ProjectManagers({ project, onChanged, onReload }: { project: ConsoleProjectFieldsFragment; onChanged: (message: string) => void; onReload: () => void }) {
  const [candidates] = useQuery({ query: ProjectManagerCandidatesDocument });
  const assign = useAction(AssignProjectManagersDocument, (d) => d.assignProjectManagers);
  const current = project.managers.map((m) => m.id);
  const [chosen, setChosen] = useState<string[]>(current);
  const users = (candidates.data?.users.nodes ?? []).filter((u) => !u.disabledAt || current.includes(u.id));
  const same = chosen.length === current.length && chosen.every((id) => current.includes(id));

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const names = users.filter((u) => chosen.includes(u.id)).map((u) => u.name);
    const message = names.length ? `${project.code} is managed by ${names.join(', ')}.` : `${project.code} has no manager now.`;
    if (await assign.run({ input: { id: project.id, version: project.version, managerIds: chosen } }, message)) onChanged(message);
  }

  return (
    <form className="form" onSubmit={onSubmit} aria-label="Project managers">
      <fieldset className="form-row">
        <legend>Managers</legend>
        {candidates.fetching && users.length === 0 && <span className="muted small">Loading the operator's users…</span>}
        {users.map((u) => (
          <label key={u.id} className="check">
            <input
              type="checkbox"
              checked={chosen.includes(u.id)}
              disabled={assign.state.fetching || (!!u.disabledAt && !chosen.includes(u.id))}
              onChange={(e) => setChosen(e.target.checked ? [...chosen, u.id] : chosen.filter((c) => c !== u.id))}
            />{' '}
            {u.name} ({humanize(u.role).toLowerCase()}
            {u.disabledAt ? ', disabled' : ''})
          </label>
        ))}
        <FieldError errors={assign.state.userErrors} field="managerIds" />
      </fieldset>
      <div className="form-row">
        <button type="submit" className="btn btn-small" disabled={assign.state.fetching || same}>
          {assign.state.fetching ? 'Saving…' : 'Save managers'}
        </button>
      </div>
      <ActionFeedback state={assign.state} onReload={onReload} showDone={false} inline={['managerIds']} />
    </form>
  );
}

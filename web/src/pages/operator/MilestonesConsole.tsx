import { ExportButton } from '../../components/ExportButton';
import { useId, useState, type FormEvent } from 'react';
import { useQuery } from 'urql';
import { ActionFeedback } from '../../components/ActionFeedback';
import { useAmountCheck } from '../../components/useAmountCheck';
import { Announcement } from '../../components/Announcement';
import { humanize, OverdueMark, StatusBadge } from '../../components/badges';
import { Empty, QueryView } from '../../components/states';
import { useAction } from '../../components/useAction';
import { FieldError } from '../../components/user-errors';
import {
  CancelMilestoneDocument,
  ChangeMilestoneStatusDocument,
  ConsoleMilestonesDocument,
  CreateMilestoneDocument,
  SetMilestoneProgressDocument,
  UpdateMilestoneDocument,
  type ConsoleMilestoneFieldsFragment,
  type MilestoneStatus,
  type UpdateMilestoneInput,
} from '../../gql/graphql';
import { formatDate, formatInstant } from '../../lib/dates';
import { formatMoney } from '../../lib/money';

/**
 * The milestone state machine as the API enforces it (docs/state-machines.md):
 * PLANNED → IN_PROGRESS; PLANNED|IN_PROGRESS → DONE or CANCELLED (final);
 * DONE → IN_PROGRESS (reopened). Milestones carry no availableActions, so the
 * buttons follow the status; the API checks each move again and its refusal
 * is shown as a user error. Cancelling goes through cancelMilestone, the
 * API's own mutation for that final move; editing (updateMilestone) is
 * offered until a milestone is cancelled.
 */
const MOVES: readonly { to: MilestoneStatus; from: readonly MilestoneStatus[]; label: string }[] = [
  { to: 'IN_PROGRESS', from: ['PLANNED'], label: 'Start' },
  { to: 'DONE', from: ['PLANNED', 'IN_PROGRESS'], label: 'Mark done' },
  { to: 'IN_PROGRESS', from: ['DONE'], label: 'Reopen' },
  { to: 'CANCELLED', from: ['PLANNED', 'IN_PROGRESS'], label: 'Cancel milestone' },
];
const PROGRESS_FROM: readonly MilestoneStatus[] = ['PLANNED', 'IN_PROGRESS'];
const EDIT_FROM: readonly MilestoneStatus[] = ['PLANNED', 'IN_PROGRESS', 'DONE'];
const MILESTONE_FIELDS = ['title', 'description', 'dueDate', 'plannedValue'] as const;

export function MilestonesConsole({ projectId, currency, startDate, targetEndDate }: { projectId: string; currency: string; startDate: string; targetEndDate: string }) {
  const [result, refetch] = useQuery({ query: ConsoleMilestonesDocument, variables: { id: projectId } });
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const reload = () => refetch({ requestPolicy: 'network-only' });

  return (
    <section id="milestones" className="panel" aria-labelledby="console-milestones-title">
      <h2 id="console-milestones-title">Milestones</h2>
      <ExportButton kind="MILESTONES" projectId={projectId} />
      <Announcement text={announcement} />
      {creating ? (
        <NewMilestoneForm
          projectId={projectId}
          currency={currency}
          startDate={startDate}
          targetEndDate={targetEndDate}
          onCancel={() => setCreating(false)}
          onCreated={(title) => {
            setCreating(false);
            setAnnouncement(`“${title}” was added; it starts planned at 0%.`);
            reload();
          }}
        />
      ) : (
        <div className="actions">
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
            Add a milestone…
          </button>
        </div>
      )}
      <QueryView result={result} retry={reload}>
        {(data) => {
          const milestones = data.node?.__typename === 'Project' ? data.node.milestones.nodes : [];
          if (milestones.length === 0) return <Empty>No milestones yet.</Empty>;
          return (
            <ul className="deliverables">
              {milestones.map((m) => (
                <MilestoneItem key={m.id} milestone={m} currency={currency} startDate={startDate} targetEndDate={targetEndDate} onReload={reload} />
              ))}
            </ul>
          );
        }}
      </QueryView>
    </section>
  );
}

function MilestoneItem({
  milestone: m,
  currency,
  startDate,
  targetEndDate,
  onReload,
}: {
  milestone: ConsoleMilestoneFieldsFragment;
  currency: string;
  startDate: string;
  targetEndDate: string;
  onReload: () => void;
}) {
  const status = useAction(ChangeMilestoneStatusDocument, (d) => d.changeMilestoneStatus);
  const progress = useAction(SetMilestoneProgressDocument, (d) => d.setMilestoneProgress);
  const cancel = useAction(CancelMilestoneDocument, (d) => d.cancelMilestone);
  const [value, setValue] = useState(String(m.progress));
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const id = useId();
  const busy = status.state.fetching || progress.state.fetching || cancel.state.fetching;
  const moves = MOVES.filter((mv) => mv.from.includes(m.status));
  const valid = /^\d{1,3}$/.test(value.trim()) && Number(value) <= 100;

  function resetAll() {
    status.reset();
    progress.reset();
    cancel.reset();
    setSaved(null);
  }

  async function move(to: MilestoneStatus, label: string) {
    setConfirmCancel(false);
    resetAll();
    if (await status.run({ input: { id: m.id, version: m.version, status: to } }, `${label}: the milestone is now ${humanize(to).toLowerCase()}.`)) onReload();
  }

  async function onCancelMilestone() {
    resetAll();
    const ok = await cancel.run({ input: { id: m.id, version: m.version } }, 'Cancelled: the milestone is now cancelled.');
    setConfirmCancel(false);
    if (ok) onReload();
  }

  async function onProgress(e: FormEvent) {
    e.preventDefault();
    if (!valid) return;
    status.reset();
    cancel.reset();
    setSaved(null);
    if (await progress.run({ input: { id: m.id, version: m.version, progress: Number(value.trim()) } }, `Progress set to ${Number(value.trim())}%.`)) onReload();
  }

  return (
    <li className={`deliverable${m.overdue ? ' is-overdue' : ''}`} data-testid="console-milestone" data-title={m.title} data-status={m.status}>
      <div className="deliverable-head">
        <strong>{m.title}</strong> <StatusBadge status={m.status} /> {m.overdue && <OverdueMark />} <span className="progress-label">{m.progress}%</span>
      </div>
      <p className="muted small">
        Due {formatDate(m.dueDate)}
        {m.completedAt && <> · completed {formatInstant(m.completedAt)}</>}
        {m.plannedValue != null && <> · planned value {formatMoney(m.plannedValue, currency)}</>}
      </p>
      {m.description && <p className="small">{m.description}</p>}
      {PROGRESS_FROM.includes(m.status) && (
        <form className="form-row" onSubmit={onProgress} aria-label={`Progress of ${m.title}`}>
          <label htmlFor={`${id}-progress`}>Progress (%)</label>
          <input
            id={`${id}-progress`}
            type="number"
            min={0}
            max={100}
            step={1}
            inputMode="numeric"
            aria-invalid={valid ? undefined : true}
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
          <button type="submit" className="btn btn-small" disabled={busy || !valid || Number(value) === m.progress}>
            Set progress
          </button>
          {!valid && <span className="text-bad small">A whole number from 0 to 100</span>}
        </form>
      )}
      {!confirmCancel && !editing && (moves.length > 0 || EDIT_FROM.includes(m.status)) && (
        <div className="actions">
          {moves.map((mv) => (
            <button key={mv.label} type="button" className="btn" disabled={busy} onClick={() => (mv.to === 'CANCELLED' ? setConfirmCancel(true) : move(mv.to, mv.label))}>
              {mv.label}
              {mv.to === 'CANCELLED' ? '…' : ''}
            </button>
          ))}
          {EDIT_FROM.includes(m.status) && (
            <button
              type="button"
              className="btn"
              disabled={busy}
              onClick={() => {
                resetAll();
                setEditing(true);
              }}
            >
              Edit…
            </button>
          )}
        </div>
      )}
      {editing && (
        <EditMilestoneForm
          key={m.version}
          milestone={m}
          currency={currency}
          startDate={startDate}
          targetEndDate={targetEndDate}
          onCancel={() => setEditing(false)}
          onSaved={(message) => {
            setEditing(false);
            setSaved(message);
            onReload();
          }}
          onReload={onReload}
        />
      )}
      {confirmCancel && (
        <div className="form" role="group" aria-label={`Confirm cancelling ${m.title}`}>
          <p>Cancelling is final: the milestone cannot be reopened.</p>
          <div className="form-row">
            <button type="button" className="btn btn-danger" disabled={busy} onClick={onCancelMilestone}>
              Cancel milestone
            </button>
            <button type="button" className="btn" onClick={() => setConfirmCancel(false)}>
              Keep it
            </button>
          </div>
        </div>
      )}
      <ActionFeedback state={status.state} onReload={onReload} />
      <ActionFeedback state={progress.state} onReload={onReload} />
      <ActionFeedback state={cancel.state} onReload={onReload} />
      {saved && (
        <p className="notice notice-success" role="status">
          {saved}
        </p>
      )}
    </li>
  );
}

function NewMilestoneForm({
  projectId,
  currency,
  startDate,
  targetEndDate,
  onCancel,
  onCreated,
}: {
  projectId: string;
  currency: string;
  startDate: string;
  targetEndDate: string;
  onCancel: () => void;
  onCreated: (title: string) => void;
}) {
  const create = useAction(CreateMilestoneDocument, (d) => d.createMilestone);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [dueDate, setDueDate] = useState('');
  const [plannedValue, setPlannedValue] = useState('');
  const { error: valueError, check: checkValue } = useAmountCheck(true);
  const id = useId();

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const amount = checkValue(plannedValue);
    if (amount === undefined) return;
    const input = { projectId, title: title.trim(), description: description.trim() || null, dueDate, plannedValue: amount };
    if (await create.run({ input }, 'The milestone was added.')) onCreated(input.title);
  }

  return (
    <form className="form" onSubmit={onSubmit} aria-label="New milestone">
      <h3>New milestone</h3>
      <label htmlFor={`${id}-title`}>Title</label>
      <input id={`${id}-title`} type="text" required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
      <label htmlFor={`${id}-description`}>Description</label>
      <textarea id={`${id}-description`} maxLength={20000} value={description} onChange={(e) => setDescription(e.target.value)} />
      <div className="form-row">
        <label htmlFor={`${id}-due`}>Due date</label>
        <input id={`${id}-due`} type="date" required min={startDate} max={targetEndDate} value={dueDate} onChange={(e) => setDueDate(e.target.value)} />
        <label htmlFor={`${id}-value`}>Planned value ({currency}, optional)</label>
        <input
          id={`${id}-value`}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          aria-invalid={valueError ? true : undefined}
          value={plannedValue}
          onChange={(e) => setPlannedValue(e.target.value)}
        />
        {valueError && (
          <span className="text-bad small" role="alert">
            {valueError}
          </span>
        )}
      </div>
      <p className="muted small">
        The due date falls within the project's schedule: {formatDate(startDate)} – {formatDate(targetEndDate)}.
      </p>
      <div className="form-row">
        <button type="submit" className="btn btn-primary" disabled={create.state.fetching || !title.trim() || !dueDate}>
          {create.state.fetching ? 'Adding…' : 'Add milestone'}
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={create.state.fetching}>
          Cancel
        </button>
      </div>
      <ActionFeedback state={create.state} onReload={() => undefined} showDone={false} />
    </form>
  );
}

/**
 * Changes a milestone's title, description, due date (within the project's
 * dates) or planned value; only what changed is sent, and an emptied planned
 * value clears it (null).
 */
function EditMilestoneForm({
  milestone: m,
  currency,
  startDate,
  targetEndDate,
  onCancel,
  onSaved,
  onReload,
}: {
  milestone: ConsoleMilestoneFieldsFragment;
  currency: string;
  startDate: string;
  targetEndDate: string;
  onCancel: () => void;
  onSaved: (message: string) => void;
  onReload: () => void;
}) {
  const update = useAction(UpdateMilestoneDocument, (d) => d.updateMilestone);
  const [title, setTitle] = useState(m.title);
  const [description, setDescription] = useState(m.description);
  const [dueDate, setDueDate] = useState(m.dueDate);
  const [plannedValue, setPlannedValue] = useState(m.plannedValue ?? '');
  const { error: valueError, check: checkValue } = useAmountCheck(true);
  const errors = update.state.userErrors;
  const id = useId();

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const amount = checkValue(plannedValue);
    if (amount === undefined) return;
    const input: UpdateMilestoneInput = { id: m.id, version: m.version };
    if (title.trim() !== m.title) input.title = title.trim();
    if (description !== m.description) input.description = description;
    if (dueDate !== m.dueDate) input.dueDate = dueDate;
    if (amount !== m.plannedValue) input.plannedValue = amount;
    if (Object.keys(input).length === 2) {
      onCancel();
      return;
    }
    if (await update.run({ input }, 'The milestone was saved.')) onSaved(`“${input.title ?? m.title}” was saved.`);
  }

  return (
    <form className="form" onSubmit={onSubmit} aria-label={`Edit ${m.title}`}>
      <label htmlFor={`${id}-title`}>Title</label>
      <input id={`${id}-title`} type="text" required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
      <FieldError errors={errors} field="title" />
      <label htmlFor={`${id}-description`}>Description</label>
      <textarea id={`${id}-description`} maxLength={20000} value={description} onChange={(e) => setDescription(e.target.value)} />
      <FieldError errors={errors} field="description" />
      <div className="form-row">
        <label htmlFor={`${id}-due`}>Due date</label>
        <input id={`${id}-due`} type="date" required min={startDate} max={targetEndDate} value={dueDate} onChange={(e) => setDueDate(e.target.value)} />
        <FieldError errors={errors} field="dueDate" />
        <label htmlFor={`${id}-value`}>Planned value ({currency}, empty: none)</label>
        <input
          id={`${id}-value`}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          aria-invalid={valueError ? true : undefined}
          value={plannedValue}
          onChange={(e) => setPlannedValue(e.target.value)}
        />
        <FieldError errors={errors} field="plannedValue" local={valueError} />
      </div>
      <div className="form-row">
        <button type="submit" className="btn btn-primary" disabled={update.state.fetching || !title.trim() || !dueDate}>
          {update.state.fetching ? 'Saving…' : 'Save milestone'}
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={update.state.fetching}>
          Cancel
        </button>
      </div>
      <ActionFeedback state={update.state} onReload={onReload} showDone={false} inline={MILESTONE_FIELDS} />
    </form>
  );
}

import { useId, useState, type FormEvent } from 'react';
import { ActionFeedback } from '../../components/ActionFeedback';
import { useAction } from '../../components/useAction';
import { FileDrop } from '../../components/FileDrop';
import { StartDeliverableDocument, SubmitDeliverableDocument, type DeliverableFieldsFragment } from '../../gql/graphql';

/**
 * A partner member's moves on a deliverable: start it, submit it with a note,
 * and after a rejection resubmit or take it back into progress. The buttons
 * are the moves the API offers this viewer (`availableActions`): the state
 * machine, the viewer's role and the contract's status are the API's call,
 * never restated here.
 */
export function DeliverableActions({
  deliverable: d,
  onReload,
  onDone,
}: {
  deliverable: DeliverableFieldsFragment;
  onReload: () => void;
  /** Success is announced above the list: under a status filter the item leaves the list with its new status. */
  onDone: (message: string) => void;
}) {
  const start = useAction(StartDeliverableDocument, (data) => data.startDeliverable);
  const submit = useAction(SubmitDeliverableDocument, (data) => data.submitDeliverable);
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [fileIds, setFileIds] = useState<string[]>([]);
  const noteId = useId();
  const busy = start.state.fetching || submit.state.fetching;

  const canStart = d.availableActions.includes('START');
  const canSubmit = d.availableActions.includes('SUBMIT');

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const message = `“${d.title}” was submitted for review.`;
    const ok = await submit.run({ input: { id: d.id, version: d.version, note: note.trim() || null, fileIds } }, message);
    if (ok) {
      setOpen(false);
      setNote('');
      setFileIds([]);
      onDone(message);
    }
  }

  if (!canStart && !canSubmit) return null;

  return (
    <div className="deliverable-actions">
      {!open && (
        <div className="actions">
          {canStart && (
            <button
              type="button"
              className="btn"
              disabled={busy}
              onClick={async () => {
                submit.reset();
                const message = d.status === 'REJECTED' ? `“${d.title}” is back in progress.` : `Work on “${d.title}” has started.`;
                if (await start.run({ input: { id: d.id, version: d.version } }, message)) onDone(message);
              }}
            >
              {d.status === 'REJECTED' ? 'Back to in progress' : 'Start work'}
            </button>
          )}
          {canSubmit && (
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy}
              onClick={() => {
                start.reset();
                submit.reset();
                setOpen(true);
              }}
            >
              {d.status === 'REJECTED' ? 'Resubmit…' : 'Submit…'}
            </button>
          )}
        </div>
      )}
      {open && (
        <form className="form" onSubmit={onSubmit} aria-label={`Submit ${d.title}`}>
          <label htmlFor={noteId}>Note for the reviewer (optional)</label>
          <textarea id={noteId} name="note" maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} placeholder="What is delivered, where to find it, what changed since the last review" />
          <FileDrop onChange={setFileIds} label="Files for this round" />
          <div className="form-row">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {submit.state.fetching ? 'Submitting…' : d.status === 'REJECTED' ? 'Resubmit for review' : 'Submit for review'}
            </button>
            <button type="button" className="btn" onClick={() => setOpen(false)} disabled={busy}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <ActionFeedback state={start.state} onReload={onReload} showDone={false} />
      <ActionFeedback state={submit.state} onReload={onReload} showDone={false} />
    </div>
  );
}

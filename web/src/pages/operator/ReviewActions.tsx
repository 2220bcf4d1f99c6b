import { useId, useState, type FormEvent } from 'react';
import { ActionFeedback } from '../../components/ActionFeedback';
import { useAction } from '../../components/useAction';
import { AcceptDeliverableDocument, RejectDeliverableDocument, type QueueDeliverableFragment } from '../../gql/graphql';

/**
 * The operator's decision on a submitted deliverable: accept, or reject with a
 * reason the partner reads, each shown when the API offers it (`availableActions`). A decision takes the item out of the queue, so its
 * confirmation goes to `onDecided`, which the queue shows above the list.
 */
export function ReviewActions({ deliverable: d, onReload, onDecided }: { deliverable: QueueDeliverableFragment; onReload: () => void; onDecided: (message: string) => void }) {
  const accept = useAction(AcceptDeliverableDocument, (data) => data.acceptDeliverable);
  const reject = useAction(RejectDeliverableDocument, (data) => data.rejectDeliverable);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [comment, setComment] = useState('');
  const reasonId = useId();
  const commentId = useId();
  const busy = accept.state.fetching || reject.state.fetching;
  const canAccept = d.availableActions.includes('ACCEPT');
  const canReject = d.availableActions.includes('REJECT');

  async function onReject(e: FormEvent) {
    e.preventDefault();
    const message = `“${d.title}” was rejected; the partner sees your reason.`;
    const ok = await reject.run({ input: { id: d.id, version: d.version, reason: reason.trim() } }, message);
    if (ok) {
      setRejecting(false);
      setReason('');
      onDecided(message);
    }
  }

  return (
    <div className="review-actions">
      {!rejecting && canAccept && (
        <div className="form">
          <label htmlFor={commentId}>Comment with the acceptance (optional; the partner reads it)</label>
          <textarea id={commentId} name="comment" rows={2} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
        </div>
      )}
      {!rejecting && (
        <div className="actions">
          {canAccept && (
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy}
              onClick={async () => {
                reject.reset();
                const message = `“${d.title}” was accepted.`;
                const note = comment.trim();
                if (await accept.run({ input: { id: d.id, version: d.version, ...(note ? { comment: note } : {}) } }, message)) onDecided(message);
              }}
            >
              {accept.state.fetching ? 'Accepting…' : 'Accept'}
            </button>
          )}
          {canReject && (
            <button
              type="button"
              className="btn"
              disabled={busy}
              onClick={() => {
                accept.reset();
                reject.reset();
                setRejecting(true);
              }}
            >
              Reject…
            </button>
          )}
        </div>
      )}
      {rejecting && (
        <form className="form" onSubmit={onReject} aria-label={`Reject ${d.title}`}>
          <label htmlFor={reasonId}>Reason for rejection (the partner reads it)</label>
          <textarea id={reasonId} name="reason" required maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} />
          <div className="form-row">
            <button type="submit" className="btn btn-danger" disabled={busy || reason.trim() === ''}>
              {reject.state.fetching ? 'Rejecting…' : 'Reject deliverable'}
            </button>
            <button type="button" className="btn" onClick={() => setRejecting(false)} disabled={busy}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <ActionFeedback state={accept.state} onReload={onReload} showDone={false} />
      <ActionFeedback state={reject.state} onReload={onReload} showDone={false} />
    </div>
  );
}

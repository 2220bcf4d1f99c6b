import { useQuery } from 'urql';
import { DeliverableHistoryDocument } from '../gql/graphql';
import { formatInstant } from '../lib/dates';
import { FileList } from './FileList';
import { QueryView } from './states';

/**
 * A deliverable's rounds as a timeline: each submission with its note and
 * files, and the review that decided it. Loaded when shown.
 */
export function DeliverableHistory({ id, open = false }: { id: string; open?: boolean }) {
  return (
    <details className="history" data-testid="history" open={open}>
      <summary>History and files</summary>
      <HistoryBody id={id} />
    </details>
  );
}

function HistoryBody({ id }: { id: string }) {
  const [result, refetch] = useQuery({ query: DeliverableHistoryDocument, variables: { id }, requestPolicy: 'cache-and-network' });
  return (
    <QueryView result={result} retry={() => refetch({ requestPolicy: 'network-only' })}>
      {(data) => {
        const d = data.node?.__typename === 'Deliverable' ? data.node : null;
        if (!d || d.submissions.nodes.length === 0) return <p className="muted small">Not submitted yet.</p>;
        return (
          <ol className="timeline">
            {d.submissions.nodes.map((s) => {
              const review = d.reviews.nodes.find((r) => r.round === s.round);
              return (
                <li key={s.id} data-testid="round" data-round={s.round}>
                  <div>
                    <strong>Round {s.round}</strong>: submitted {formatInstant(s.submittedAt)}
                    {s.submittedBy && <> by {s.submittedBy.name}</>}
                    {s.note && <> with “{s.note}”</>}
                  </div>
                  <FileList files={s.files} label={`Files of round ${s.round}`} />
                  {review ? (
                    <div data-testid="round-review" className="small">
                      {review.decision === 'REJECTED' ? 'Rejected' : 'Accepted'} {formatInstant(review.reviewedAt)}
                      {review.reviewedBy && <> by {review.reviewedBy.name}</>}
                      {review.comment && <>: “{review.comment}”</>}
                    </div>
                  ) : (
                    <div className="muted small">Waiting for review.</div>
                  )}
                </li>
              );
            })}
          </ol>
        );
      }}
    </QueryView>
  );
}

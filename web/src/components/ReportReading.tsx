import { useRef, useState } from 'react';
import { useMutation } from 'urql';
import { AcknowledgeReportDocument, MarkReportOpenedDocument } from '../gql/graphql';
import { formatInstant } from '../lib/dates';
import { useViewer } from '../lib/viewer';
import { ActionFeedback } from './ActionFeedback';
import { useAction } from './useAction';

/**
 * An investor's reading of a report revision: the portal records the first
 * opening (queries never write, so it calls a mutation), and the investor
 * acknowledges the current published revision.
 */
export function useMarkOpened(): (reportId: string) => void {
  const viewer = useViewer();
  const [, mark] = useMutation(MarkReportOpenedDocument);
  const done = useRef(new Set<string>());
  return (reportId) => {
    if (viewer.side !== 'investor' || done.current.has(reportId)) return;
    done.current.add(reportId);
    void mark({ input: { id: reportId } });
  };
}

export function AcknowledgeAction({ reportId, status }: { reportId: string; status: string }) {
  const viewer = useViewer();
  const ack = useAction(AcknowledgeReportDocument, (d) => d.acknowledgeReport);
  const [at, setAt] = useState<string | null>(null);
  if (viewer.side !== 'investor' || status !== 'PUBLISHED') return null;
  return (
    <div className="actions" data-testid="acknowledge">
      {at ? (
        <span className="muted small">Acknowledged {formatInstant(at)}</span>
      ) : (
        <button
          type="button"
          className="btn"
          disabled={ack.state.fetching}
          onClick={async () => {
            const ok = await ack.run({ input: { id: reportId } }, 'Acknowledged.');
            if (ok) setAt(new Date().toISOString());
          }}
        >
          Acknowledge this revision
        </button>
      )}
      <ActionFeedback state={ack.state} onReload={() => undefined} showDone={false} />
    </div>
  );
}

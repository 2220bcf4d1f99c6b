import { useRef, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { AcknowledgeReportDocument, MarkReportOpenedDocument, RemindReportDocument, ReportReadersDocument } from '../gql/graphql';
import { formatInstant } from '../lib/dates';
import { useViewer } from '../lib/viewer';
import { ActionFeedback } from './ActionFeedback';
import { Empty, QueryView } from './states';
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

/** For the operator: who opened and who acknowledged this revision, and a reminder to those who have not acknowledged it. */
export function ReportReaders({ reportId, status }: { reportId: string; status: string }) {
  const viewer = useViewer();
  const [open, setOpen] = useState(false);
  if (viewer.side !== 'operator' || status !== 'PUBLISHED') return null;
  if (!open) {
    return (
      <div className="actions">
        <button type="button" className="btn" data-testid="open-readers" onClick={() => setOpen(true)}>
          Readers
        </button>
      </div>
    );
  }
  return <Readers reportId={reportId} />;
}

function Readers({ reportId }: { reportId: string }) {
  const viewer = useViewer();
  const [result, refetch] = useQuery({ query: ReportReadersDocument, variables: { id: reportId }, requestPolicy: 'network-only' });
  // The payload's list of reminded users, kept from the last answer.
  const last = useRef<{ name: string }[]>([]);
  const remind = useAction(RemindReportDocument, (d) => {
    last.current = d.remindReport.reminded;
    return d.remindReport;
  });
  const [reminded, setReminded] = useState<string[] | null>(null);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <section className="readers" data-testid="report-readers" aria-label="Readers of this revision">
      <h4>Readers</h4>
      <QueryView result={result} retry={reload}>
        {(data) => {
          const rows = data.node?.__typename === 'FinancialReport' ? data.node.acknowledgements.nodes : [];
          if (rows.length === 0) return <Empty>No investor has opened this revision yet.</Empty>;
          return (
            <ul>
              {rows.map((a) => (
                <li key={a.id} data-testid="reader">
                  {a.user?.name ?? 'A user'} ({a.organization?.name ?? '—'}): opened {formatInstant(a.openedAt)}
                  {a.acknowledgedAt ? <>, acknowledged {formatInstant(a.acknowledgedAt)}</> : ', not acknowledged'}
                </li>
              ))}
            </ul>
          );
        }}
      </QueryView>
      {/* Operator staff of the project (ADMIN or MANAGER: the operator has no read-only role) may remind. */}
      {viewer.side === 'operator' && (
        <div className="actions">
          <button
            type="button"
            className="btn"
            disabled={remind.state.fetching}
            onClick={async () => {
              if (await remind.run({ input: { id: reportId } }, 'Reminder recorded.')) setReminded(last.current.map((u) => u.name));
            }}
          >
            Remind those who have not acknowledged
          </button>
        </div>
      )}
      {reminded && <p className="notice notice-success" role="status" data-testid="reminded">{reminded.length ? `Reminder recorded for ${reminded.join(', ')}.` : 'Everyone has acknowledged this revision.'}</p>}
      <ActionFeedback state={remind.state} onReload={reload} showDone={false} />
    </section>
  );
}

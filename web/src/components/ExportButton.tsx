import { useState } from 'react';
import { useClient } from 'urql';
import {
  ExportJobProgressDocument, RequestExportDocument,
  type ExportFilter, type ExportFormat, type ExportJobFieldsFragment, type ExportKind,
} from '../gql/graphql';
import * as session from '../lib/session';
import { describeError } from '../lib/errors';

export interface ExportTarget {
  kind: ExportKind;
  projectId?: string | null;
  reportId?: string | null;
  asOf?: string | null;
  filter?: ExportFilter | null;
}

const POLL_MS = 500;

/** Downloads a DONE export with the session's bearer token and hands the file to the browser. */
async function save(job: ExportJobFieldsFragment): Promise<void> {
  const token = session.getToken();
  const res = await fetch(job.downloadUrl!, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new Error(`The download failed (${res.status}).`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = job.fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Requests an export of what the viewer sees (the server decides what that
 * is), follows its progress while it runs in the background, then downloads it.
 */
export function useExport(target: ExportTarget) {
  const client = useClient();
  const [job, setJob] = useState<ExportJobFieldsFragment | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function run(format: ExportFormat) {
    setBusy(true);
    setFailure(null);
    setJob(null);
    try {
      const res = await client.mutation(RequestExportDocument, { input: { ...target, format } }).toPromise();
      if (res.error) throw new Error(describeError(res.error));
      const payload = res.data?.requestExport;
      if (payload?.userErrors.length) throw new Error(payload.userErrors.map((e) => e.message).join(' '));
      let current = payload?.exportJob ?? null;
      while (current && (current.status === 'QUEUED' || current.status === 'RUNNING')) {
        setJob(current);
        await new Promise((r) => setTimeout(r, POLL_MS));
        const next = await client.query(ExportJobProgressDocument, { id: current.id }, { requestPolicy: 'network-only' }).toPromise();
        current = next.data?.node?.__typename === 'ExportJob' ? next.data.node : null;
      }
      if (!current) throw new Error('The export is no longer available.');
      setJob(current);
      if (current.status === 'FAILED') throw new Error(current.error ?? 'The export failed.');
      await save(current);
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }
  return { run, job, busy, failure };
}

function ExportStatus({ job, busy, failure }: { job: ExportJobFieldsFragment | null; busy: boolean; failure: string | null }) {
  if (failure) return <span className="error-text" role="alert">{failure}</span>;
  if (busy && job) {
    return (
      <span className="export-progress">
        <progress max={100} value={job.progress} aria-label="Export progress" /> {job.progress}%
      </span>
    );
  }
  if (busy) return <span className="muted">Preparing…</span>;
  if (job?.status === 'DONE') return <span className="muted">{job.format === 'PDF' ? job.fileName : `${job.rowCount} rows · ${job.fileName}`}</span>;
  return null;
}

/** "Export CSV / XLSX" for a table: the rows the viewer sees in it, as a file. */
export function ExportButton({ label = 'Export', ...target }: ExportTarget & { label?: string }) {
  const { run, job, busy, failure } = useExport(target);
  return (
    <div className="export-actions" data-testid={`export-${target.kind.toLowerCase()}`}>
      <span className="muted">{label}:</span>
      <button type="button" className="btn btn-small" disabled={busy} onClick={() => run('CSV')}>CSV</button>
      <button type="button" className="btn btn-small" disabled={busy} onClick={() => run('XLSX')}>XLSX</button>
      <ExportStatus job={job} busy={busy} failure={failure} />
    </div>
  );
}

/** "Investor pack (PDF)" of a project as of a date (the figures' date). */
export function InvestorPackButton({ projectId, asOf }: { projectId: string; asOf?: string | null }) {
  const { run, job, busy, failure } = useExport({ kind: 'INVESTOR_PACK', projectId, asOf });
  return (
    <div className="export-actions" data-testid="export-investor-pack">
      <button type="button" className="btn btn-small" disabled={busy} onClick={() => run('PDF')}>Investor pack (PDF)</button>
      <ExportStatus job={job} busy={busy} failure={failure} />
    </div>
  );
}

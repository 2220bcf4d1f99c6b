import { useId, useState, type FormEvent } from 'react';
import { useQuery } from 'urql';
import { ActionFeedback } from '../../components/ActionFeedback';
import { Announcement } from '../../components/Announcement';
import { StatusBadge } from '../../components/badges';
import { ReportLines } from '../../components/ReportLines';
import { Empty, QueryView } from '../../components/states';
import { useAction } from '../../components/useAction';
import {
  ConsoleReportsDocument,
  CreateFinancialReportDocument,
  DeleteFinancialReportDocument,
  RestateFinancialReportDocument,
  UpdateFinancialReportDocument,
  type ReportFieldsFragment,
} from '../../gql/graphql';
import { formatDate, formatInstant, formatMonth } from '../../lib/dates';
import { PublishAction } from './PublishAction';
import { checkLines, draftsOf, ReportLinesEditor, type LineDraft, type LineErrors } from './ReportLinesEditor';

/**
 * Every report of the project, newest period first, with the moves the API
 * offers on each (availableActions): edit, delete or publish a DRAFT, restate
 * a PUBLISHED one. Drafting a new period is for whoever manages the project,
 * which is everyone who can open this page (a MANAGER sees only the projects
 * they manage).
 */
export function ReportsConsole({ projectId, currency, projectName }: { projectId: string; currency: string; projectName: string }) {
  const [result, refetch] = useQuery({ query: ConsoleReportsDocument, variables: { id: projectId } });
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const announce = (text: string) => {
    setAnnouncement(text);
    reload();
  };

  return (
    <section id="reports" className="panel" aria-labelledby="console-reports-title">
      <h2 id="console-reports-title">Financial reports</h2>
      <Announcement text={announcement} />
      <QueryView result={result} retry={reload}>
        {(data) => {
          const reports = data.node?.__typename === 'Project' ? data.node.financialReports.nodes : [];
          return (
            <>
              {creating ? (
                <NewReportForm
                  projectId={projectId}
                  currency={currency}
                  suggested={nextPeriod(reports)}
                  onCancel={() => setCreating(false)}
                  onCreated={(periodStart) => {
                    setCreating(false);
                    announce(`The draft for ${formatMonth(periodStart)} was created. Investors see it only once it is published.`);
                  }}
                />
              ) : (
                <div className="actions">
                  <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
                    New draft report…
                  </button>
                </div>
              )}
              {reports.length === 0 ? (
                <Empty>No financial report yet.</Empty>
              ) : (
                <ul className="periods">
                  {reports.map((r) => (
                    <ReportItem key={r.id} report={r} currency={currency} projectName={projectName} onReload={reload} onAnnounce={announce} />
                  ))}
                </ul>
              )}
            </>
          );
        }}
      </QueryView>
    </section>
  );
}

/** The month after the latest reported period, as the likely next draft (reports are monthly). */
function nextPeriod(reports: readonly ReportFieldsFragment[]): { start: string; end: string } {
  const latest = reports.reduce<string | null>((acc, r) => (acc === null || r.periodEnd > acc ? r.periodEnd : acc), null);
  const base = latest ? new Date(`${latest}T00:00:00Z`) : new Date();
  const start = latest ? new Date(Date.UTC(base.getUTCFullYear(), base.getUTCMonth(), base.getUTCDate() + 1)) : new Date(Date.UTC(base.getUTCFullYear(), base.getUTCMonth(), 1));
  const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0));
  return { start: start.toISOString().slice(0, 10), end: end.toISOString().slice(0, 10) };
}

function ReportItem({
  report,
  currency,
  projectName,
  onReload,
  onAnnounce,
}: {
  report: ReportFieldsFragment;
  currency: string;
  projectName: string;
  onReload: () => void;
  onAnnounce: (text: string) => void;
}) {
  const [mode, setMode] = useState<'view' | 'edit' | 'delete' | 'restate'>('view');
  const del = useAction(DeleteFinancialReportDocument, (d) => d.deleteFinancialReport);
  const restate = useAction(RestateFinancialReportDocument, (d) => d.restateFinancialReport);
  const actions = report.availableActions;
  const period = formatMonth(report.periodStart);
  const busy = del.state.fetching || restate.state.fetching;

  return (
    // min-width 0: the list is a grid, whose items otherwise grow to their table's width on a phone instead of scrolling it.
    <li className="period" style={{ minWidth: 0 }} data-testid="console-report" data-period={report.periodStart} data-revision={report.revision} data-status={report.status}>
      <details open={report.status === 'DRAFT'}>
        <summary>
          <span className="period-name">{period}</span>
          <span className="period-status">
            <StatusBadge status={report.status} /> rev. {report.revision}
          </span>
        </summary>
        <div className="period-body">
          {report.summary ? <p data-testid="report-summary">{report.summary}</p> : <p className="muted">No summary.</p>}
          <p className="muted small">
            {formatDate(report.periodStart)} – {formatDate(report.periodEnd)} ·{' '}
            {report.publishedAt ? <>Published {formatInstant(report.publishedAt)}{report.publishedBy && <> by {report.publishedBy.name}</>}</> : 'Not published: investors do not see it'}
          </p>
          <ReportLines report={report} currency={currency} />
        </div>
      </details>
      {mode === 'edit' && (
        <EditReportForm
          report={report}
          currency={currency}
          onCancel={() => setMode('view')}
          onSaved={() => {
            setMode('view');
            onAnnounce(`The ${period} draft (rev. ${report.revision}) was saved.`);
          }}
          onReload={onReload}
        />
      )}
      {mode === 'view' && (actions.includes('UPDATE') || actions.includes('DELETE') || actions.includes('RESTATE')) && (
        <div className="actions">
          {actions.includes('UPDATE') && (
            <button type="button" className="btn" onClick={() => setMode('edit')}>
              Edit…
            </button>
          )}
          {actions.includes('DELETE') && (
            <button type="button" className="btn" onClick={() => setMode('delete')}>
              Delete draft…
            </button>
          )}
          {actions.includes('RESTATE') && (
            <button type="button" className="btn" onClick={() => setMode('restate')}>
              Restate…
            </button>
          )}
        </div>
      )}
      {mode === 'delete' && (
        <div className="form" role="group" aria-label={`Confirm deleting the ${period} draft`}>
          <p>Deleting removes this draft (revision {report.revision}) and its lines. Nobody but the operator ever saw it.</p>
          <div className="form-row">
            <button
              type="button"
              className="btn btn-danger"
              disabled={busy}
              onClick={async () => {
                if (await del.run({ input: { id: report.id, version: report.version } }, 'The draft was deleted.')) {
                  setMode('view');
                  onAnnounce(`The ${period} draft (rev. ${report.revision}) was deleted.`);
                }
              }}
            >
              {del.state.fetching ? 'Deleting…' : 'Delete now'}
            </button>
            <button type="button" className="btn" disabled={busy} onClick={() => setMode('view')}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {mode === 'restate' && (
        <div className="form" role="group" aria-label={`Confirm restating ${period}`}>
          <p>
            Restating starts revision {report.revision + 1} of {period} as a draft prefilled from this one. Investors keep reading revision {report.revision} until
            you publish the correction, which then supersedes it.
          </p>
          <div className="form-row">
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy}
              onClick={async () => {
                if (await restate.run({ input: { id: report.id, version: report.version } }, 'The restatement was started.')) {
                  setMode('view');
                  onAnnounce(`Revision ${report.revision + 1} of ${period} is a new draft: edit it, then publish it to supersede revision ${report.revision}.`);
                }
              }}
            >
              {restate.state.fetching ? 'Restating…' : 'Start restatement'}
            </button>
            <button type="button" className="btn" disabled={busy} onClick={() => setMode('view')}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {mode !== 'edit' && actions.includes('PUBLISH') && (
        <PublishAction
          report={report}
          onReload={onReload}
          onPublished={() => onAnnounce(`${projectName} · ${period} (rev. ${report.revision}) was published; the project's investors see it now.`)}
        />
      )}
      <ActionFeedback state={del.state} onReload={onReload} showDone={false} />
      <ActionFeedback state={restate.state} onReload={onReload} showDone={false} />
    </li>
  );
}

function NewReportForm({
  projectId,
  currency,
  suggested,
  onCancel,
  onCreated,
}: {
  projectId: string;
  currency: string;
  suggested: { start: string; end: string };
  onCancel: () => void;
  onCreated: (periodStart: string) => void;
}) {
  const create = useAction(CreateFinancialReportDocument, (d) => d.createFinancialReport);
  const [periodStart, setPeriodStart] = useState(suggested.start);
  const [periodEnd, setPeriodEnd] = useState(suggested.end);
  const [summary, setSummary] = useState('');
  const [lines, setLines] = useState<LineDraft[]>([]);
  const [errors, setErrors] = useState<LineErrors>({});
  const id = useId();

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const checked = checkLines(lines);
    setErrors(checked.errors);
    if (!checked.lines) return;
    if (await create.run({ input: { projectId, periodStart, periodEnd, summary: summary.trim() || null, lines: checked.lines } }, 'The draft was created.')) {
      onCreated(periodStart);
    }
  }

  return (
    <form className="form" onSubmit={onSubmit} aria-label="New draft report" noValidate>
      <h3>New draft report</h3>
      <div className="form-row">
        <label htmlFor={`${id}-start`}>Period start</label>
        <input id={`${id}-start`} type="date" required value={periodStart} onChange={(e) => setPeriodStart(e.target.value)} />
        <label htmlFor={`${id}-end`}>Period end</label>
        <input id={`${id}-end`} type="date" required value={periodEnd} onChange={(e) => setPeriodEnd(e.target.value)} />
      </div>
      <label htmlFor={`${id}-summary`}>Summary for investors</label>
      <textarea id={`${id}-summary`} maxLength={20000} value={summary} onChange={(e) => setSummary(e.target.value)} />
      <ReportLinesEditor lines={lines} onChange={setLines} errors={errors} currency={currency} />
      <div className="form-row">
        <button type="submit" className="btn btn-primary" disabled={create.state.fetching}>
          {create.state.fetching ? 'Creating…' : 'Create draft'}
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={create.state.fetching}>
          Cancel
        </button>
      </div>
      {Object.keys(errors).length > 0 && (
        <p className="notice notice-error" role="alert">
          Some amounts are not valid: see the marked fields. Nothing was sent.
        </p>
      )}
      <ActionFeedback state={create.state} onReload={() => undefined} showDone={false} />
    </form>
  );
}

function EditReportForm({
  report,
  currency,
  onCancel,
  onSaved,
  onReload,
}: {
  report: ReportFieldsFragment;
  currency: string;
  onCancel: () => void;
  onSaved: () => void;
  onReload: () => void;
}) {
  const update = useAction(UpdateFinancialReportDocument, (d) => d.updateFinancialReport);
  const [summary, setSummary] = useState(report.summary);
  const [lines, setLines] = useState<LineDraft[]>(() => draftsOf(report.lines.nodes));
  const [errors, setErrors] = useState<LineErrors>({});
  const id = useId();

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const checked = checkLines(lines);
    setErrors(checked.errors);
    if (!checked.lines) return;
    // The lines are sent as a whole: the API replaces them, so a removed line is gone.
    if (await update.run({ input: { id: report.id, version: report.version, summary, lines: checked.lines } }, 'The draft was saved.')) onSaved();
  }

  return (
    <form className="form" onSubmit={onSubmit} aria-label={`Edit the ${formatMonth(report.periodStart)} draft`} noValidate>
      <label htmlFor={`${id}-summary`}>Summary for investors</label>
      <textarea id={`${id}-summary`} maxLength={20000} value={summary} onChange={(e) => setSummary(e.target.value)} />
      <ReportLinesEditor lines={lines} onChange={setLines} errors={errors} currency={currency} />
      <div className="form-row">
        <button type="submit" className="btn btn-primary" disabled={update.state.fetching}>
          {update.state.fetching ? 'Saving…' : 'Save draft'}
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={update.state.fetching}>
          Cancel
        </button>
      </div>
      {Object.keys(errors).length > 0 && (
        <p className="notice notice-error" role="alert">
          Some amounts are not valid: see the marked fields. Nothing was sent.
        </p>
      )}
      <ActionFeedback state={update.state} onReload={onReload} showDone={false} />
    </form>
  );
}

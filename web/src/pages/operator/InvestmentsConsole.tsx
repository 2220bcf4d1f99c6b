import { useState, type FormEvent } from 'react';
import { useQuery } from 'urql';
import { ActionFeedback } from '../../components/ActionFeedback';
import { useAmountCheck } from '../../components/useAmountCheck';
import { Announcement } from '../../components/Announcement';
import { Empty, QueryView } from '../../components/states';
import { FieldError } from '../../components/user-errors';
import { useAction } from '../../components/useAction';
import {
  ConsoleInvestmentsDocument,
  InvestorOrganizationsDocument,
  RecordInvestmentDocument,
  UpdateInvestmentDocument,
  type ConsoleInvestmentFieldsFragment,
  type UpdateInvestmentInput,
} from '../../gql/graphql';
import { formatDate, todayUtc } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { useViewer } from '../../lib/viewer';
import { may } from '../admin/access';
import { Field } from '../admin/fields';

const INVESTMENT_FIELDS = ['organizationId', 'committedAmount', 'committedOn'] as const;

/**
 * The investors' commitments to a project. Every operator user of the
 * project reads them; recording and correcting one is an ADMIN's
 * (recordInvestment, updateInvestment), so those forms are shown to
 * administrators only.
 */
export function InvestmentsConsole({ projectId, currency, budget }: { projectId: string; currency: string; budget: string | null }) {
  const viewer = useViewer();
  const admin = may.admin(viewer);
  const [result, refetch] = useQuery({ query: ConsoleInvestmentsDocument, variables: { id: projectId } });
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const [recording, setRecording] = useState(false);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const changed = (message: string) => {
    setAnnouncement(message);
    reload();
  };

  return (
    <section id="investments" className="panel" aria-labelledby="console-investments-title">
      <h2 id="console-investments-title">Investments</h2>
      <Announcement text={announcement} />
      {admin &&
        (recording ? (
          <RecordInvestmentForm
            projectId={projectId}
            currency={currency}
            onCancel={() => setRecording(false)}
            onRecorded={(message) => {
              setRecording(false);
              changed(message);
            }}
          />
        ) : (
          <div className="actions">
            <button type="button" className="btn btn-primary" onClick={() => setRecording(true)}>
              Record an investment…
            </button>
          </div>
        ))}
      <QueryView result={result} retry={reload}>
        {(data) => {
          const project = data.node?.__typename === 'Project' ? data.node : null;
          const list = project?.investments.nodes ?? [];
          return (
            <>
              <p className="muted small" data-testid="investments-total">
                Committed: {formatMoney(project?.totalCommitted, currency)} of a budget of {formatMoney(budget, currency)}
              </p>
              {list.length === 0 ? (
                <Empty>No investment recorded yet.</Empty>
              ) : (
                <div className="table-wrap">
                  <table className="table" data-testid="investments-table">
                    <thead>
                      <tr>
                        <th scope="col">Investor</th>
                        <th scope="col">Committed</th>
                        <th scope="col">On</th>
                        {admin && <th scope="col">Actions</th>}
                      </tr>
                    </thead>
                    <tbody>
                      {list.map((i) => (
                        <InvestmentRow key={i.id} investment={i} currency={currency} admin={admin} onChanged={changed} onReload={reload} />
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </>
          );
        }}
      </QueryView>
    </section>
  );
}

function InvestmentRow({
  investment: i,
  currency,
  admin,
  onChanged,
  onReload,
}: {
  investment: ConsoleInvestmentFieldsFragment;
  currency: string;
  admin: boolean;
  onChanged: (message: string) => void;
  onReload: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const investor = i.organization?.name ?? 'An investor';
  return (
    <tr data-testid="investment" data-investor={i.organization?.name ?? ''}>
      <td>{investor}</td>
      <td data-testid="investment-amount">{formatMoney(i.committedAmount, currency)}</td>
      <td>{formatDate(i.committedOn)}</td>
      {admin && (
        <td>
          {editing ? (
            <EditInvestmentForm
              key={i.version}
              investment={i}
              investor={investor}
              currency={currency}
              onCancel={() => setEditing(false)}
              onSaved={(message) => {
                setEditing(false);
                onChanged(message);
              }}
              onReload={onReload}
            />
          ) : (
            <button type="button" className="btn btn-small" onClick={() => setEditing(true)}>
              Edit…
            </button>
          )}
        </td>
      )}
    </tr>
  );
}

function RecordInvestmentForm({ projectId, currency, onCancel, onRecorded }: { projectId: string; currency: string; onCancel: () => void; onRecorded: (message: string) => void }) {
  const [investors] = useQuery({ query: InvestorOrganizationsDocument });
  const record = useAction(RecordInvestmentDocument, (d) => d.recordInvestment);
  const [organizationId, setOrganizationId] = useState('');
  const [amount, setAmount] = useState('');
  const [committedOn, setCommittedOn] = useState(todayUtc);
  const { error: amountError, check: checkAmount } = useAmountCheck();
  const organizations = investors.data?.organizations.nodes ?? [];
  const errors = record.state.userErrors;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const committedAmount = checkAmount(amount);
    if (committedAmount == null) return;
    const name = organizations.find((o) => o.id === organizationId)?.name ?? 'The investor';
    const message = `${name} committed ${formatMoney(committedAmount, currency)} on ${formatDate(committedOn)}.`;
    if (await record.run({ input: { projectId, organizationId, committedAmount, committedOn } }, message)) onRecorded(message);
  }

  return (
    <form className="form form-grid" onSubmit={onSubmit} aria-label="New investment">
      <Field label="Investor" error={<FieldError errors={errors} field="organizationId" />}>
        {(id) => (
          <select id={id} required value={organizationId} onChange={(e) => setOrganizationId(e.target.value)}>
            <option value="">{investors.fetching ? 'Loading…' : 'Choose…'}</option>
            {organizations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={`Committed amount (${currency})`} error={<FieldError errors={errors} field="committedAmount" local={amountError} />}>
        {(id) => <input id={id} required type="text" inputMode="decimal" autoComplete="off" aria-invalid={amountError ? true : undefined} value={amount} onChange={(e) => setAmount(e.target.value)} />}
      </Field>
      <Field label="Committed on" error={<FieldError errors={errors} field="committedOn" />}>
        {(id) => <input id={id} type="date" required value={committedOn} onChange={(e) => setCommittedOn(e.target.value)} />}
      </Field>
      <div className="form-row form-actions">
        <button type="submit" className="btn btn-primary" disabled={record.state.fetching || !organizationId || !amount.trim()}>
          {record.state.fetching ? 'Recording…' : 'Record investment'}
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={record.state.fetching}>
          Cancel
        </button>
      </div>
      <ActionFeedback state={record.state} onReload={() => undefined} showDone={false} inline={INVESTMENT_FIELDS} />
    </form>
  );
}

function EditInvestmentForm({
  investment: i,
  investor,
  currency,
  onCancel,
  onSaved,
  onReload,
}: {
  investment: ConsoleInvestmentFieldsFragment;
  investor: string;
  currency: string;
  onCancel: () => void;
  onSaved: (message: string) => void;
  onReload: () => void;
}) {
  const update = useAction(UpdateInvestmentDocument, (d) => d.updateInvestment);
  const [amount, setAmount] = useState(i.committedAmount);
  const [committedOn, setCommittedOn] = useState(i.committedOn);
  const { error: amountError, check: checkAmount } = useAmountCheck();
  const errors = update.state.userErrors;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const committedAmount = checkAmount(amount);
    if (committedAmount == null) return;
    // Only what changed is sent: the API leaves omitted fields as they are.
    const input: UpdateInvestmentInput = { id: i.id, version: i.version };
    if (committedAmount !== i.committedAmount) input.committedAmount = committedAmount;
    if (committedOn !== i.committedOn) input.committedOn = committedOn;
    if (Object.keys(input).length === 2) {
      onCancel();
      return;
    }
    const message = `${investor}'s investment is now ${formatMoney(committedAmount, currency)}, committed on ${formatDate(committedOn)}.`;
    if (await update.run({ input }, message)) onSaved(message);
  }

  return (
    <form className="form" onSubmit={onSubmit} aria-label={`Edit the investment of ${investor}`}>
      <Field label={`Committed amount (${currency})`} error={<FieldError errors={errors} field="committedAmount" local={amountError} />}>
        {(id) => <input id={id} required type="text" inputMode="decimal" autoComplete="off" aria-invalid={amountError ? true : undefined} value={amount} onChange={(e) => setAmount(e.target.value)} />}
      </Field>
      <Field label="Committed on" error={<FieldError errors={errors} field="committedOn" />}>
        {(id) => <input id={id} type="date" required value={committedOn} onChange={(e) => setCommittedOn(e.target.value)} />}
      </Field>
      <div className="form-row">
        <button type="submit" className="btn btn-small btn-primary" disabled={update.state.fetching || !amount.trim()}>
          {update.state.fetching ? 'Saving…' : 'Save investment'}
        </button>
        <button type="button" className="btn btn-small" onClick={onCancel} disabled={update.state.fetching}>
          Cancel
        </button>
      </div>
      <ActionFeedback state={update.state} onReload={onReload} showDone={false} inline={INVESTMENT_FIELDS} />
    </form>
  );
}

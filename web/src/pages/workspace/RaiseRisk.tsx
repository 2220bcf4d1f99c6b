import { useId, useState, type FormEvent } from 'react';
import { ActionFeedback } from '../../components/ActionFeedback';
import { humanize, SeverityBadge, severityOf } from '../../components/badges';
import { useAction } from '../../components/useAction';
import { RaiseRiskDocument, type RiskCategory } from '../../gql/graphql';
import { RISK_CATEGORIES } from '../../lib/risks';
import { useViewer } from '../../lib/viewer';

const SCALE = [1, 2, 3, 4, 5];

/**
 * A partner MEMBER raises a risk on one of their contracts. The API shows it
 * to the operator and to this organization only (CONTRACT visibility), without
 * an owner until the operator triages it. Raising is not a move of any object,
 * so nothing lists it in availableActions: the form is for partner MEMBERs,
 * the only ones the API lets raise (a VIEWER reads), and the API checks again.
 */
export function RaiseRisk({ contract, onRaised }: { contract: { id: string; reference: string }; onRaised: (message: string) => void }) {
  const viewer = useViewer();
  const raise = useAction(RaiseRiskDocument, (d) => d.raiseRisk);
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [category, setCategory] = useState<RiskCategory>('TECHNICAL');
  const [likelihood, setLikelihood] = useState(3);
  const [impact, setImpact] = useState(3);
  const id = useId();
  if (viewer.side !== 'partner' || viewer.identity.role !== 'MEMBER') return null;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const input = { contractId: contract.id, title: title.trim(), description: description.trim() || null, category, likelihood, impact };
    if (await raise.run({ input }, 'The risk was raised.')) {
      setOpen(false);
      setTitle('');
      setDescription('');
      onRaised(`“${input.title}” was raised on ${contract.reference}; the operator sees it now and will assign an owner.`);
    }
  }

  if (!open) {
    return (
      <div className="actions">
        <button type="button" className="btn" onClick={() => setOpen(true)}>
          Raise a risk…
        </button>
      </div>
    );
  }
  return (
    <form className="form" onSubmit={onSubmit} aria-label={`Raise a risk on ${contract.reference}`}>
      <p className="muted small">The operator and your organization see this risk; the project's investors do not.</p>
      <label htmlFor={`${id}-title`}>Title</label>
      <input id={`${id}-title`} type="text" required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
      <label htmlFor={`${id}-description`}>What could happen, and why</label>
      <textarea id={`${id}-description`} maxLength={20000} value={description} onChange={(e) => setDescription(e.target.value)} />
      <div className="form-row">
        <label htmlFor={`${id}-category`}>Category</label>
        <select id={`${id}-category`} value={category} onChange={(e) => setCategory(e.target.value as RiskCategory)}>
          {RISK_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {humanize(c)}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-l`}>Likelihood</label>
        <select id={`${id}-l`} value={likelihood} onChange={(e) => setLikelihood(Number(e.target.value))}>
          {SCALE.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-i`}>Impact</label>
        <select id={`${id}-i`} value={impact} onChange={(e) => setImpact(Number(e.target.value))}>
          {SCALE.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <span aria-live="polite">
          Score {likelihood * impact} <SeverityBadge severity={severityOf(likelihood * impact)} />
        </span>
      </div>
      <div className="form-row">
        <button type="submit" className="btn btn-primary" disabled={raise.state.fetching || !title.trim()}>
          {raise.state.fetching ? 'Raising…' : 'Raise risk'}
        </button>
        <button type="button" className="btn" onClick={() => setOpen(false)} disabled={raise.state.fetching}>
          Cancel
        </button>
      </div>
      <ActionFeedback state={raise.state} onReload={() => undefined} showDone={false} />
    </form>
  );
}

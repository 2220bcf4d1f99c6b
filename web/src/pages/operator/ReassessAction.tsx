import { useId, useState, type FormEvent } from 'react';
import { ActionFeedback } from '../../components/ActionFeedback';
import { SeverityBadge, severityOf } from '../../components/badges';
import { IMPACT_LABELS, LIKELIHOOD_LABELS } from '../../lib/risks';
import { useAction } from '../../components/useAction';
import { ReassessRiskDocument, type RiskFieldsFragment } from '../../gql/graphql';

const SCALE = [1, 2, 3, 4, 5];

/** A new assessment of likelihood and impact, appended to the risk's history. */
export function ReassessAction({ risk, onReload }: { risk: RiskFieldsFragment; onReload: () => void }) {
  const reassess = useAction(ReassessRiskDocument, (data) => data.reassessRisk);
  const [likelihood, setLikelihood] = useState(risk.likelihood);
  const [impact, setImpact] = useState(risk.impact);
  const [note, setNote] = useState('');
  const id = useId();

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const ok = await reassess.run({ input: { id: risk.id, version: risk.version, likelihood, impact, note: note.trim() || null } }, 'The new assessment was recorded.');
    if (ok) setNote('');
  }

  return (
    <form className="form" onSubmit={onSubmit} aria-label={`Reassess ${risk.title}`}>
      <h4>Reassess</h4>
      <div className="form-row">
        <label htmlFor={`${id}-l`}>Likelihood</label>
        <select id={`${id}-l`} value={likelihood} onChange={(e) => setLikelihood(Number(e.target.value))}>
          {SCALE.map((n) => (
            <option key={n} value={n}>
              {n} · {LIKELIHOOD_LABELS[n - 1]}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-i`}>Impact</label>
        <select id={`${id}-i`} value={impact} onChange={(e) => setImpact(Number(e.target.value))}>
          {SCALE.map((n) => (
            <option key={n} value={n}>
              {n} · {IMPACT_LABELS[n - 1]}
            </option>
          ))}
        </select>
        <span aria-live="polite">
          Score {likelihood * impact} <SeverityBadge severity={severityOf(likelihood * impact)} />
        </span>
      </div>
      <label htmlFor={`${id}-n`}>Why the assessment changed</label>
      <textarea id={`${id}-n`} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
      <div className="form-row">
        <button type="submit" className="btn btn-primary" disabled={reassess.state.fetching}>
          {reassess.state.fetching ? 'Saving…' : 'Save assessment'}
        </button>
      </div>
      <ActionFeedback state={reassess.state} onReload={onReload} />
    </form>
  );
}

/**
 * The reassessment form on the risks the API offers this viewer to reassess
 * (none that is CLOSED or REALIZED, none outside the projects they manage).
 */
export function reassessWhereOffered(risk: RiskFieldsFragment, reload: () => void) {
  return risk.availableActions.includes('REASSESS') ? <ReassessAction risk={risk} onReload={reload} /> : null;
}

import { ExportButton } from '../../components/ExportButton';
import { useId, useState, type FormEvent } from 'react';
import { useQuery } from 'urql';
import { ActionFeedback } from '../../components/ActionFeedback';
import { Announcement } from '../../components/Announcement';
import { humanize, SeverityBadge, severityOf } from '../../components/badges';
import { Empty, QueryView } from '../../components/states';
import { useAction } from '../../components/useAction';
import {
  AssignRiskOwnerDocument,
  ChangeRiskStatusDocument,
  ChangeRiskVisibilityDocument,
  CreateRiskDocument,
  ProjectRisksDocument,
  UpdateRiskDocument,
  type RiskAction,
  type RiskCategory,
  type RiskFieldsFragment,
  type RiskStatus,
  type RiskVisibility,
} from '../../gql/graphql';
import { RISK_CATEGORIES } from '../../lib/risks';
import { useViewer } from '../../lib/viewer';
import { RiskTable } from '../project/RiskRegister';
import { ReassessAction } from './ReassessAction';

/** The API's visibilities, from the narrowest: who sees the risk besides the operator. CONTRACT needs the risk to concern a contract. */
export const VISIBILITIES: readonly { value: RiskVisibility; label: string }[] = [
  { value: 'INTERNAL', label: 'Operator only' },
  { value: 'CONTRACT', label: "Its contract's partner" },
  { value: 'INVESTORS', label: 'Investors' },
  { value: 'STAKEHOLDERS', label: 'Investors and partners' },
];

const SCALE = [1, 2, 3, 4, 5];

export interface Person {
  id: string;
  name: string;
}

/** The status moves of availableActions, as buttons. CLOSE and REALIZE are final, so they ask once more. */
const MOVES: readonly { action: RiskAction; status: RiskStatus; label: string; final: boolean }[] = [
  { action: 'MITIGATE', status: 'MITIGATING', label: 'Start mitigating', final: false },
  { action: 'CLOSE', status: 'CLOSED', label: 'Close', final: true },
  { action: 'REALIZE', status: 'REALIZED', label: 'Mark as realized', final: true },
];

/**
 * The risk register of one project with what its manager does there: add a
 * risk; on each risk the moves its availableActions list (status, owner,
 * details, reassessment); and its visibility, which the API does not list as
 * a move (it is not part of the state machine) and lets a project's manager
 * change in any status.
 */
export function RisksConsole({ projectId, managers, contracts }: { projectId: string; managers: readonly Person[]; contracts: readonly { id: string; reference: string; title: string }[] }) {
  const viewer = useViewer();
  const [result, refetch] = useQuery({ query: ProjectRisksDocument, variables: { id: projectId } });
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  // Who may own a risk: an operator user who manages the project. The project's managers, and the viewer
  // (an ADMIN manages every project); the API checks the choice again.
  const me = viewer.identity.user;
  const owners = managers.some((m) => m.id === me.id) ? managers : [...managers, { id: me.id, name: me.name }];

  return (
    <section id="risks" className="panel" aria-labelledby="console-risks-title">
      <h2 id="console-risks-title">Risk register</h2>
      <ExportButton kind="RISKS" projectId={projectId} />
      <Announcement text={announcement} />
      {creating ? (
        <NewRiskForm
          projectId={projectId}
          contracts={contracts}
          onCancel={() => setCreating(false)}
          onCreated={(title) => {
            setCreating(false);
            setAnnouncement(`“${title}” was added to the register; you are its owner.`);
            reload();
          }}
        />
      ) : (
        <div className="actions">
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
            Add a risk…
          </button>
        </div>
      )}
      <QueryView result={result} retry={reload}>
        {(data) => {
          const risks = data.node?.__typename === 'Project' ? data.node.risks.nodes : [];
          if (risks.length === 0) return <Empty>No risks on this project yet.</Empty>;
          return <RiskTable risks={risks} actions={(r) => <RiskControls risk={r} owners={owners} onReload={reload} />} />;
        }}
      </QueryView>
    </section>
  );
}

function RiskControls({ risk, owners, onReload }: { risk: RiskFieldsFragment; owners: readonly Person[]; onReload: () => void }) {
  const status = useAction(ChangeRiskStatusDocument, (d) => d.changeRiskStatus);
  const owner = useAction(AssignRiskOwnerDocument, (d) => d.assignRiskOwner);
  const visibility = useAction(ChangeRiskVisibilityDocument, (d) => d.changeRiskVisibility);
  const [confirming, setConfirming] = useState<(typeof MOVES)[number] | null>(null);
  const [ownerId, setOwnerId] = useState(risk.owner?.id ?? '');
  const [newVisibility, setNewVisibility] = useState<RiskVisibility>(risk.visibility);
  const [editing, setEditing] = useState(false);
  const id = useId();
  const actions = risk.availableActions;
  const moves = MOVES.filter((m) => actions.includes(m.action));
  const busy = status.state.fetching || owner.state.fetching || visibility.state.fetching;
  const reloadAfter = (ok: boolean) => {
    if (ok) onReload();
  };

  async function move(m: (typeof MOVES)[number]) {
    setConfirming(null);
    reloadAfter(await status.run({ input: { id: risk.id, version: risk.version, status: m.status } }, `The risk is now ${humanize(m.status).toLowerCase()}.`));
  }

  return (
    <div className="risk-controls" data-testid="risk-controls" aria-label={`Manage ${risk.title}`} role="group">
      {moves.length > 0 && !confirming && (
        <div className="actions">
          {moves.map((m) => (
            <button key={m.action} type="button" className="btn" disabled={busy} onClick={() => (m.final ? setConfirming(m) : move(m))}>
              {m.label}
              {m.final ? '…' : ''}
            </button>
          ))}
          {actions.includes('UPDATE') && (
            <button type="button" className="btn" disabled={busy} onClick={() => setEditing(true)}>
              Edit details…
            </button>
          )}
        </div>
      )}
      {confirming && (
        <div className="form" role="group" aria-label={`Confirm: ${confirming.label}`}>
          <p>
            {humanize(confirming.status)} is final: the risk can no longer be reassessed, edited or handed over afterwards.
          </p>
          <div className="form-row">
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => move(confirming)}>
              {confirming.label}
            </button>
            <button type="button" className="btn" onClick={() => setConfirming(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <ActionFeedback state={status.state} onReload={onReload} />
      {editing && <EditRiskForm risk={risk} onDone={() => setEditing(false)} onReload={onReload} />}
      {actions.includes('ASSIGN_OWNER') && (
        <form
          className="form-row"
          aria-label={`Owner of ${risk.title}`}
          onSubmit={async (e) => {
            e.preventDefault();
            const name = owners.find((o) => o.id === ownerId)?.name ?? 'the new owner';
            reloadAfter(await owner.run({ input: { id: risk.id, version: risk.version, ownerId } }, `${name} owns this risk now.`));
          }}
        >
          <label htmlFor={`${id}-owner`}>Owner</label>
          <select id={`${id}-owner`} value={ownerId} onChange={(e) => setOwnerId(e.target.value)}>
            {!risk.owner && (
              <option value="" disabled>
                Unassigned: choose…
              </option>
            )}
            {owners.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
          <button type="submit" className="btn btn-small" disabled={busy || !ownerId || ownerId === risk.owner?.id}>
            Set owner
          </button>
        </form>
      )}
      <ActionFeedback state={owner.state} onReload={onReload} />
      <form
        className="form-row"
        aria-label={`Visibility of ${risk.title}`}
        onSubmit={async (e) => {
          e.preventDefault();
          reloadAfter(
            await visibility.run({ input: { id: risk.id, version: risk.version, visibility: newVisibility } }, `Visible to: ${VISIBILITIES.find((v) => v.value === newVisibility)?.label.toLowerCase()}.`),
          );
        }}
      >
        <label htmlFor={`${id}-visibility`}>Visible to</label>
        <select id={`${id}-visibility`} value={newVisibility} onChange={(e) => setNewVisibility(e.target.value as RiskVisibility)}>
          {VISIBILITIES.map((v) => (
            <option key={v.value} value={v.value} disabled={v.value === 'CONTRACT' && !risk.contract}>
              {v.label}
            </option>
          ))}
        </select>
        <button type="submit" className="btn btn-small" disabled={busy || newVisibility === risk.visibility}>
          Change visibility
        </button>
      </form>
      <ActionFeedback state={visibility.state} onReload={onReload} />
      {actions.includes('REASSESS') && <ReassessAction risk={risk} onReload={onReload} />}
    </div>
  );
}

function EditRiskForm({ risk, onDone, onReload }: { risk: RiskFieldsFragment; onDone: () => void; onReload: () => void }) {
  const update = useAction(UpdateRiskDocument, (d) => d.updateRisk);
  const [title, setTitle] = useState(risk.title);
  const [description, setDescription] = useState(risk.description);
  const [category, setCategory] = useState<RiskCategory>(risk.category);
  const [mitigationPlan, setMitigationPlan] = useState(risk.mitigationPlan);
  const id = useId();

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (await update.run({ input: { id: risk.id, version: risk.version, title: title.trim(), description, category, mitigationPlan } }, 'The risk was saved.')) {
      onDone();
      onReload();
    }
  }

  return (
    <form className="form" onSubmit={onSubmit} aria-label={`Edit ${risk.title}`}>
      <label htmlFor={`${id}-title`}>Title</label>
      <input id={`${id}-title`} type="text" required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
      <label htmlFor={`${id}-category`}>Category</label>
      <select id={`${id}-category`} value={category} onChange={(e) => setCategory(e.target.value as RiskCategory)}>
        {RISK_CATEGORIES.map((c) => (
          <option key={c} value={c}>
            {humanize(c)}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-description`}>Description</label>
      <textarea id={`${id}-description`} maxLength={20000} value={description} onChange={(e) => setDescription(e.target.value)} />
      <label htmlFor={`${id}-mitigation`}>Mitigation plan</label>
      <textarea id={`${id}-mitigation`} maxLength={20000} value={mitigationPlan} onChange={(e) => setMitigationPlan(e.target.value)} />
      <div className="form-row">
        <button type="submit" className="btn btn-primary" disabled={update.state.fetching || !title.trim()}>
          {update.state.fetching ? 'Saving…' : 'Save risk'}
        </button>
        <button type="button" className="btn" onClick={onDone} disabled={update.state.fetching}>
          Cancel
        </button>
      </div>
      <ActionFeedback state={update.state} onReload={onReload} showDone={false} />
    </form>
  );
}

function NewRiskForm({
  projectId,
  contracts,
  onCancel,
  onCreated,
}: {
  projectId: string;
  contracts: readonly { id: string; reference: string; title: string }[];
  onCancel: () => void;
  onCreated: (title: string) => void;
}) {
  const create = useAction(CreateRiskDocument, (d) => d.createRisk);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [category, setCategory] = useState<RiskCategory>('TECHNICAL');
  const [likelihood, setLikelihood] = useState(3);
  const [impact, setImpact] = useState(3);
  const [mitigationPlan, setMitigationPlan] = useState('');
  const [visibility, setVisibility] = useState<RiskVisibility>('INTERNAL');
  const [contractId, setContractId] = useState('');
  const id = useId();

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const input = {
      projectId,
      contractId: contractId || null,
      title: title.trim(),
      description: description.trim() || null,
      category,
      likelihood,
      impact,
      mitigationPlan: mitigationPlan.trim() || null,
      visibility,
    };
    if (await create.run({ input }, 'The risk was added.')) onCreated(input.title);
  }

  return (
    <form className="form" onSubmit={onSubmit} aria-label="New risk">
      <h3>New risk</h3>
      <label htmlFor={`${id}-title`}>Title</label>
      <input id={`${id}-title`} type="text" required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
      <label htmlFor={`${id}-description`}>Description</label>
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
      <label htmlFor={`${id}-mitigation`}>Mitigation plan</label>
      <textarea id={`${id}-mitigation`} maxLength={20000} value={mitigationPlan} onChange={(e) => setMitigationPlan(e.target.value)} />
      <div className="form-row">
        <label htmlFor={`${id}-contract`}>Contract concerned</label>
        <select id={`${id}-contract`} value={contractId} onChange={(e) => setContractId(e.target.value)}>
          <option value="">None</option>
          {contracts.map((c) => (
            <option key={c.id} value={c.id}>
              {c.reference} · {c.title}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-visibility`}>Visible to</label>
        <select id={`${id}-visibility`} value={visibility} onChange={(e) => setVisibility(e.target.value as RiskVisibility)}>
          {VISIBILITIES.map((v) => (
            <option key={v.value} value={v.value} disabled={v.value === 'CONTRACT' && !contractId}>
              {v.label}
            </option>
          ))}
        </select>
      </div>
      <div className="form-row">
        <button type="submit" className="btn btn-primary" disabled={create.state.fetching || !title.trim()}>
          {create.state.fetching ? 'Adding…' : 'Add risk'}
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={create.state.fetching}>
          Cancel
        </button>
      </div>
      <ActionFeedback state={create.state} onReload={() => undefined} showDone={false} />
    </form>
  );
}

import { useId, useState, type FormEvent } from 'react';
import { useQuery } from 'urql';
import { ActionFeedback } from '../../components/ActionFeedback';
import { Announcement } from '../../components/Announcement';
import { humanize } from '../../components/badges';
import { Empty, QueryView } from '../../components/states';
import { useAction, type ActionState } from '../../components/useAction';
import { ConsoleUpdatesDocument, EditProjectUpdateDocument, PostProjectUpdateDocument, type ConsoleUpdateFieldsFragment, type UpdateAudience } from '../../gql/graphql';
import { formatInstant } from '../../lib/dates';
import { useViewer } from '../../lib/viewer';
import { Paragraphs } from '../project/UpdatesSection';

/** The API's audiences: who reads an update besides the operator. */
export const AUDIENCES: readonly { value: UpdateAudience; label: string }[] = [
  { value: 'INVESTORS', label: "The project's investors" },
  { value: 'PARTNERS', label: "The project's partners" },
  { value: 'STAKEHOLDERS', label: 'Investors and partners' },
];

/**
 * Post a progress update, and edit your own: the API lets only an update's
 * author change it (updates carry no availableActions, so the author is the test).
 */
export function UpdatesConsole({ projectId }: { projectId: string }) {
  const viewer = useViewer();
  const [result, refetch] = useQuery({ query: ConsoleUpdatesDocument, variables: { id: projectId } });
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const post = useAction(PostProjectUpdateDocument, (d) => d.postProjectUpdate);
  const [posting, setPosting] = useState(false);

  return (
    <section id="updates" className="panel" aria-labelledby="console-updates-title">
      <h2 id="console-updates-title">Progress updates</h2>
      <Announcement text={announcement} />
      {posting ? (
        <UpdateForm
          label="New update"
          submitLabel="Post update"
          state={post.state}
          onCancel={() => setPosting(false)}
          onSubmit={async (values) => {
            const ok = await post.run({ input: { projectId, ...values } }, 'The update was posted.');
            if (ok) {
              setPosting(false);
              setAnnouncement(`“${values.title}” was posted for ${humanize(values.audience).toLowerCase()}.`);
              reload();
            }
            return ok;
          }}
          onReload={reload}
        />
      ) : (
        <div className="actions">
          <button type="button" className="btn btn-primary" onClick={() => setPosting(true)}>
            Post an update…
          </button>
        </div>
      )}
      <QueryView result={result} retry={reload}>
        {(data) => {
          const updates = data.node?.__typename === 'Project' ? data.node.updates.nodes : [];
          if (updates.length === 0) return <Empty>No updates on this project yet.</Empty>;
          return (
            <ul className="updates">
              {updates.map((u) => (
                <UpdateItem key={u.id} update={u} mine={u.author?.id === viewer.identity.user.id} onReload={reload} />
              ))}
            </ul>
          );
        }}
      </QueryView>
    </section>
  );
}

function UpdateItem({ update: u, mine, onReload }: { update: ConsoleUpdateFieldsFragment; mine: boolean; onReload: () => void }) {
  const edit = useAction(EditProjectUpdateDocument, (d) => d.editProjectUpdate);
  const [editing, setEditing] = useState(false);
  return (
    <li className="update" data-testid="console-update" data-title={u.title} data-audience={u.audience}>
      {editing ? (
        <UpdateForm
          label={`Edit ${u.title}`}
          submitLabel="Save changes"
          initial={u}
          state={edit.state}
          onCancel={() => setEditing(false)}
          onSubmit={async (values) => {
            const ok = await edit.run({ input: { id: u.id, version: u.version, ...values } }, 'The update was saved.');
            if (ok) {
              setEditing(false);
              onReload();
            }
            return ok;
          }}
          onReload={onReload}
        />
      ) : (
        <>
          <h3>{u.title}</h3>
          <p className="muted">
            {formatInstant(u.publishedAt)} · {u.author?.name ?? 'Project team'} · for {humanize(u.audience).toLowerCase()}
          </p>
          <Paragraphs text={u.body} />
          {mine && (
            <div className="actions">
              <button type="button" className="btn btn-small" onClick={() => setEditing(true)}>
                Edit…
              </button>
            </div>
          )}
          <ActionFeedback state={edit.state} onReload={onReload} />
        </>
      )}
    </li>
  );
}

interface UpdateValues {
  title: string;
  body: string;
  audience: UpdateAudience;
}

function UpdateForm({
  label,
  submitLabel,
  initial,
  state,
  onSubmit,
  onCancel,
  onReload,
}: {
  label: string;
  submitLabel: string;
  initial?: UpdateValues;
  state: ActionState;
  onSubmit: (values: UpdateValues) => Promise<boolean>;
  onCancel: () => void;
  onReload: () => void;
}) {
  const [title, setTitle] = useState(initial?.title ?? '');
  const [body, setBody] = useState(initial?.body ?? '');
  const [audience, setAudience] = useState<UpdateAudience | ''>(initial?.audience ?? '');
  const id = useId();
  const busy = state.fetching;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!audience) return;
    await onSubmit({ title: title.trim(), body: body.trim(), audience });
  }

  return (
    <form className="form" onSubmit={submit} aria-label={label}>
      <label htmlFor={`${id}-title`}>Title</label>
      <input id={`${id}-title`} type="text" required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
      <label htmlFor={`${id}-body`}>Text</label>
      <textarea id={`${id}-body`} required maxLength={20000} rows={5} value={body} onChange={(e) => setBody(e.target.value)} />
      <label htmlFor={`${id}-audience`}>Audience</label>
      <select id={`${id}-audience`} required value={audience} onChange={(e) => setAudience(e.target.value as UpdateAudience)}>
        <option value="" disabled>
          Choose who reads it…
        </option>
        {AUDIENCES.map((a) => (
          <option key={a.value} value={a.value}>
            {a.label}
          </option>
        ))}
      </select>
      <div className="form-row">
        <button type="submit" className="btn btn-primary" disabled={busy || !title.trim() || !body.trim() || !audience}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
      <ActionFeedback state={state} onReload={onReload} showDone={false} />
    </form>
  );
}

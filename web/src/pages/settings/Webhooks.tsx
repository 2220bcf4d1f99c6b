import { useState } from 'react';
import { useQuery } from 'urql';
import { ActionFeedback } from '../../components/ActionFeedback';
import { Announcement } from '../../components/Announcement';
import { humanize } from '../../components/badges';
import { Empty, QueryView } from '../../components/states';
import { useAction } from '../../components/useAction';
import { FieldError } from '../../components/user-errors';
import {
  CreateWebhookEndpointDocument, DeleteWebhookEndpointDocument, DisableWebhookEndpointDocument, EnableWebhookEndpointDocument,
  MyWebhookEndpointsDocument, RotateWebhookSecretDocument, UpdateWebhookEndpointDocument, type MyWebhookEndpointsQuery,
  type UpdateWebhookEndpointInput,
} from '../../gql/graphql';
import { formatInstant } from '../../lib/dates';
import { Field } from '../admin/fields';

type Endpoint = MyWebhookEndpointsQuery['viewer']['webhookEndpoints']['nodes'][number];

const ENDPOINT_FIELDS = ['url', 'description', 'eventTypes'] as const;

/** The organization's webhook endpoints and their delivery log, for its webhook administrators. */
export function WebhooksPage() {
  const [result, refetch] = useQuery({ query: MyWebhookEndpointsDocument });
  const [secret, setSecret] = useState<{ url: string; value: string } | null>(null);
  const [announced, setAnnounced] = useState<string | null>(null);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <>
      <header className="page-header">
        <h1>Webhooks</h1>
        <p className="lead">
          Vantage POSTs the events your organization may see to these addresses, signed as the Standard Webhooks specification says (headers{' '}
          <code>webhook-id</code>, <code>webhook-timestamp</code>, <code>webhook-signature</code>). An endpoint receives what its approver may see; the signing
          secret is shown once.
        </p>
      </header>
      <section className="panel" aria-labelledby="webhooks-title">
        <h2 id="webhooks-title">Endpoints</h2>
        <Announcement text={announced} />
        {secret && (
          <div className="notice notice-success secret-once" role="status" data-testid="new-webhook-secret">
            <p>
              <strong>Signing secret for {secret.url}.</strong> Copy it now: it is not shown again.
            </p>
            <div className="secret-row">
              <code className="secret">{secret.value}</code>
              <button type="button" className="btn btn-small" onClick={() => setSecret(null)}>
                Done
              </button>
            </div>
          </div>
        )}
        <QueryView result={result} retry={reload}>
          {(data) => {
            const types = data.viewer.emailPreferences.map((p) => p.eventType);
            const list = data.viewer.webhookEndpoints.nodes;
            return (
              <>
                <NewEndpoint types={types} onCreated={(url, value) => { setSecret({ url, value }); setAnnounced(null); reload(); }} />
                {list.length === 0 ? (
                  <Empty>No webhook endpoint yet.</Empty>
                ) : (
                  list.map((e) => (
                    <EndpointCard key={e.id} endpoint={e} types={types} onSecret={(value) => setSecret({ url: e.url, value })} onChanged={(m) => { setAnnounced(m); reload(); }} />
                  ))
                )}
              </>
            );
          }}
        </QueryView>
      </section>
    </>
  );
}

function NewEndpoint({ types, onCreated }: { types: string[]; onCreated: (url: string, secret: string) => void }) {
  const [open, setOpen] = useState(false);
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const create = useAction(CreateWebhookEndpointDocument, (d) => d.createWebhookEndpoint);
  if (!open) {
    return (
      <div className="create">
        <button type="button" className="btn" onClick={() => { create.reset(); setOpen(true); }}>
          New endpoint…
        </button>
      </div>
    );
  }
  return (
    <div className="create">
      <form
        className="form form-grid"
        aria-label="New webhook endpoint"
        onSubmit={async (e) => {
          e.preventDefault();
          let value: string | null = null;
          const ok = await create.run({ input: { url: url.trim(), description, eventTypes: chosen } }, '', (d) => { value = d.createWebhookEndpoint.secret; });
          if (ok && value) {
            setOpen(false);
            onCreated(url.trim(), value);
            setUrl('');
            setDescription('');
            setChosen([]);
          }
        }}
      >
        <Field label="URL" hint="https://…, on a public address.">
          {(id) => <input id={id} type="url" required maxLength={2000} value={url} onChange={(e) => setUrl(e.target.value)} />}
        </Field>
        <Field label="Description">{(id) => <input id={id} maxLength={200} value={description} onChange={(e) => setDescription(e.target.value)} />}</Field>
        <fieldset className="form-row">
          <legend>Event types (none chosen: every type)</legend>
          {types.map((t) => (
            <label key={t} className="check">
              <input type="checkbox" checked={chosen.includes(t)} onChange={(e) => setChosen(e.target.checked ? [...chosen, t] : chosen.filter((c) => c !== t))} /> {t}
            </label>
          ))}
        </fieldset>
        <div className="form-row form-actions">
          <button type="submit" className="btn btn-primary" disabled={create.state.fetching}>
            {create.state.fetching ? 'Creating…' : 'Create endpoint'}
          </button>
          <button type="button" className="btn" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </div>
      </form>
      <ActionFeedback state={create.state} onReload={() => undefined} showDone={false} />
    </div>
  );
}

function EndpointCard({ endpoint: e, types, onSecret, onChanged }: { endpoint: Endpoint; types: string[]; onSecret: (secret: string) => void; onChanged: (message: string) => void }) {
  const [editing, setEditing] = useState(false);
  const disable = useAction(DisableWebhookEndpointDocument, (d) => d.disableWebhookEndpoint);
  const enable = useAction(EnableWebhookEndpointDocument, (d) => d.enableWebhookEndpoint);
  const rotate = useAction(RotateWebhookSecretDocument, (d) => d.rotateWebhookSecret);
  const remove = useAction(DeleteWebhookEndpointDocument, (d) => d.deleteWebhookEndpoint);
  const target = { input: { id: e.id, version: e.version } };
  return (
    <article className="panel" data-testid="webhook-endpoint" data-url={e.url}>
      <h3>
        <code>{e.url}</code>{' '}
        <span className={e.status === 'ACTIVE' ? 'badge badge-good' : 'badge badge-bad'}>{humanize(e.status)}</span>
      </h3>
      {e.description && <p>{e.description}</p>}
      <p className="muted small">
        Events: {e.eventTypes.length ? e.eventTypes.join(', ') : 'every type'} · approved by {e.approvedBy?.name ?? 'someone you cannot see'} · failed attempts
        since the last success: {e.failureCount}
        {e.disabledReason ? ` · ${e.disabledReason}` : ''}
      </p>
      <div className="actions row-actions">
        {e.status === 'ACTIVE' ? (
          <button type="button" className="btn btn-small" onClick={async () => { if (await disable.run(target, 'Endpoint disabled.')) onChanged(`${e.url} is disabled.`); }}>
            Disable
          </button>
        ) : (
          <button type="button" className="btn btn-small" onClick={async () => { if (await enable.run(target, 'Endpoint enabled.')) onChanged(`${e.url} is enabled again; you are its approver.`); }}>
            Enable
          </button>
        )}
        <button
          type="button"
          className="btn btn-small"
          onClick={async () => {
            let value: string | null = null;
            if (await rotate.run(target, '', (d) => { value = d.rotateWebhookSecret.secret; }) && value) {
              onSecret(value);
              onChanged(`The signing secret of ${e.url} was replaced.`);
            }
          }}
        >
          Rotate secret
        </button>
        {!editing && (
          <button type="button" className="btn btn-small" onClick={() => setEditing(true)}>
            Edit…
          </button>
        )}
        <button type="button" className="btn btn-small btn-danger" onClick={async () => { if (await remove.run({ input: { id: e.id } }, 'Deleted.')) onChanged(`${e.url} was deleted.`); }}>
          Delete
        </button>
      </div>
      {[disable, enable, rotate, remove].map((a, i) => <ActionFeedback key={i} state={a.state} onReload={() => onChanged('')} showDone={false} />)}
      {editing && (
        <EditEndpoint
          key={e.version}
          endpoint={e}
          types={types}
          onCancel={() => setEditing(false)}
          onSaved={(message) => {
            setEditing(false);
            onChanged(message);
          }}
          onReload={() => onChanged('')}
        />
      )}
      <h4>Delivery log</h4>
      {e.deliveries.nodes.length === 0 ? (
        <Empty>Nothing sent yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table wide" data-testid="webhook-deliveries">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">webhook-id</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last answer</th>
                <th scope="col">Last attempt</th>
              </tr>
            </thead>
            <tbody>
              {e.deliveries.nodes.map((d) => (
                <tr key={d.id}>
                  <td>{d.eventType}</td>
                  <td>
                    <code>{d.webhookId}</code>
                  </td>
                  <td>{humanize(d.status)}</td>
                  <td>{d.attempts}</td>
                  <td>{d.lastError ?? (d.lastResponseCode !== null ? `HTTP ${d.lastResponseCode}` : '–')}</td>
                  <td>{formatInstant(d.lastAttemptAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}

/**
 * Changes an endpoint's address, description or event types
 * (updateWebhookEndpoint); only what changed is sent. The API makes the
 * viewer its approver, so it receives from then on what the viewer may see.
 */
function EditEndpoint({
  endpoint: e,
  types,
  onCancel,
  onSaved,
  onReload,
}: {
  endpoint: Endpoint;
  types: string[];
  onCancel: () => void;
  onSaved: (message: string) => void;
  onReload: () => void;
}) {
  const [url, setUrl] = useState(e.url);
  const [description, setDescription] = useState(e.description);
  const [chosen, setChosen] = useState<string[]>(e.eventTypes);
  const update = useAction(UpdateWebhookEndpointDocument, (d) => d.updateWebhookEndpoint);
  const errors = update.state.userErrors;
  const sameTypes = chosen.length === e.eventTypes.length && chosen.every((t) => e.eventTypes.includes(t));
  // An endpoint may list a type this viewer's preferences do not (yet) offer: keep it choosable.
  const offered = [...types, ...e.eventTypes.filter((t) => !types.includes(t))];
  return (
    <form
      className="form form-grid"
      aria-label={`Edit ${e.url}`}
      onSubmit={async (event) => {
        event.preventDefault();
        const input: UpdateWebhookEndpointInput = { id: e.id, version: e.version };
        if (url.trim() !== e.url) input.url = url.trim();
        if (description !== e.description) input.description = description;
        if (!sameTypes) input.eventTypes = chosen;
        if (Object.keys(input).length === 2) {
          onCancel();
          return;
        }
        const target = input.url ?? e.url;
        if (await update.run({ input }, 'Saved.')) onSaved(`${target} was saved; you are its approver now.`);
      }}
    >
      <Field label="URL" hint="https://…, on a public address." error={<FieldError errors={errors} field="url" />}>
        {(id) => <input id={id} type="url" required maxLength={2000} value={url} onChange={(ev) => setUrl(ev.target.value)} />}
      </Field>
      <Field label="Description" error={<FieldError errors={errors} field="description" />}>
        {(id) => <input id={id} maxLength={200} value={description} onChange={(ev) => setDescription(ev.target.value)} />}
      </Field>
      <fieldset className="form-row">
        <legend>Event types (none chosen: every type)</legend>
        {offered.map((t) => (
          <label key={t} className="check">
            <input type="checkbox" checked={chosen.includes(t)} onChange={(ev) => setChosen(ev.target.checked ? [...chosen, t] : chosen.filter((c) => c !== t))} /> {t}
          </label>
        ))}
        <FieldError errors={errors} field="eventTypes" />
      </fieldset>
      <div className="form-row form-actions">
        <button type="submit" className="btn btn-primary" disabled={update.state.fetching || !url.trim()}>
          {update.state.fetching ? 'Saving…' : 'Save endpoint'}
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={update.state.fetching}>
          Cancel
        </button>
      </div>
      <ActionFeedback state={update.state} onReload={onReload} showDone={false} inline={ENDPOINT_FIELDS} />
    </form>
  );
}

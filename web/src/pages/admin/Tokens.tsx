import { useState } from 'react';
import { useQuery } from 'urql';
import { ActionFeedback } from '../../components/ActionFeedback';
import { Announcement } from '../../components/Announcement';
import { humanize } from '../../components/badges';
import { Empty, QueryView } from '../../components/states';
import { useAction } from '../../components/useAction';
import { CreateApiTokenDocument, MyApiTokensDocument, RevokeApiTokenDocument, type ApiTokenScope, type TokenFieldsFragment } from '../../gql/graphql';
import { formatDate, formatInstant } from '../../lib/dates';
import { Field } from './fields';

const SCOPES: { scope: ApiTokenScope; label: string }[] = [
  { scope: 'READ', label: 'Read: queries only' },
  { scope: 'WRITE', label: 'Write: queries and mutations, no administration' },
  { scope: 'ADMIN', label: 'Admin: everything you may do, including tokens' },
];

export function TokensPage() {
  const [result, refetch] = useQuery({ query: MyApiTokensDocument });
  const [announced, setAnnounced] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <>
      <header className="page-header">
        <h1>API tokens</h1>
        <p className="lead">
          Tokens let a script call the API as you (<code>Authorization: Bearer …</code>), never with more than you may do. A token's secret is shown once, when it is
          created.
        </p>
      </header>
      <section className="panel" aria-labelledby="tokens-title">
        <h2 id="tokens-title">Your API tokens</h2>
        <Announcement text={announced} />
        {secret && <SecretOnce name={secret.name} secret={secret.value} onDismiss={() => setSecret(null)} />}
        <NewToken
          onCreated={(name, value) => {
            setAnnounced(null);
            setSecret({ name, value });
            reload();
          }}
        />
        <QueryView result={result} retry={reload}>
          {(data) => {
            const list = data.viewer.apiTokens.nodes;
            if (list.length === 0) return <Empty>You have no API token.</Empty>;
            return (
              <div className="table-wrap">
                <table className="table wide" data-testid="tokens-table">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Starts with</th>
                      <th scope="col">Scope</th>
                      <th scope="col">Queries</th>
                      <th scope="col">Created</th>
                      <th scope="col">Expires</th>
                      <th scope="col">Last used</th>
                      <th scope="col">Status</th>
                      <th scope="col">Actions</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((t) => (
                      <TokenRow key={t.id} token={t} onRevoked={(m) => { setSecret(null); setAnnounced(m); reload(); }} onReload={reload} />
                    ))}
                  </tbody>
                </table>
              </div>
            );
          }}
        </QueryView>
      </section>
    </>
  );
}

function SecretOnce({ name, secret, onDismiss }: { name: string; secret: string; onDismiss: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  return (
    <div className="notice notice-success secret-once" role="status" data-testid="new-token">
      <p>
        <strong>Token “{name}” was created.</strong> Copy its secret now: it is not shown again, and only its hash is kept.
      </p>
      <div className="secret-row">
        <code className="secret" data-testid="token-secret">
          {secret}
        </code>
        <button
          type="button"
          className="btn btn-small"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(secret);
              setCopied('Copied to the clipboard.');
            } catch {
              setCopied('The browser did not allow copying: select the secret and copy it by hand.');
            }
          }}
        >
          Copy secret
        </button>
        <button type="button" className="btn btn-small" onClick={onDismiss}>
          Done
        </button>
      </div>
      {copied && <p className="small">{copied}</p>}
    </div>
  );
}

function NewToken({ onCreated }: { onCreated: (name: string, secret: string) => void }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<ApiTokenScope>('READ');
  const [expires, setExpires] = useState('');
  const [anyDocument, setAnyDocument] = useState(false);
  const create = useAction(CreateApiTokenDocument, (d) => d.createApiToken);
  return (
    <div className="create">
      {!open && (
        <button type="button" className="btn" onClick={() => { create.reset(); setOpen(true); }}>
          New token…
        </button>
      )}
      {open && (
        <form
          className="form form-grid"
          aria-label="New API token"
          onSubmit={async (e) => {
            e.preventDefault();
            const input = { name: name.trim(), scope, expiresAt: expires ? `${expires}T00:00:00Z` : null, allowAnyDocument: anyDocument };
            const created: { secret: string | null } = { secret: null };
            const ok = await create.run({ input }, '', (data) => {
              created.secret = data.createApiToken.secret;
            });
            if (ok && created.secret) {
              setOpen(false);
              setName('');
              setExpires('');
              setAnyDocument(false);
              onCreated(input.name, created.secret);
            }
          }}
        >
          <Field label="Token name" hint="What it is for, e.g. “nightly export”.">
            {(id) => <input id={id} required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
          <Field label="Scope">
            {(id) => (
              <select id={id} value={scope} onChange={(e) => setScope(e.target.value as ApiTokenScope)}>
                {SCOPES.map((s) => (
                  <option key={s.scope} value={s.scope}>
                    {s.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Expires on" hint="Empty: never (revoke it when it is no longer needed).">
            {(id) => <input id={id} type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />}
          </Field>
          <div className="field">
            <label className="checkbox">
              <input type="checkbox" checked={anyDocument} onChange={(e) => setAnyDocument(e.target.checked)} /> May send any query (integrations)
            </label>
            <span className="muted small">Unticked: only the portal's own operations (in production). Tick it for a script that sends its own queries.</span>
          </div>
          <div className="form-row form-actions">
            <button type="submit" className="btn btn-primary" disabled={create.state.fetching}>
              {create.state.fetching ? 'Creating…' : 'Create token'}
            </button>
            <button type="button" className="btn" onClick={() => setOpen(false)} disabled={create.state.fetching}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <ActionFeedback state={create.state} onReload={() => undefined} showDone={false} />
    </div>
  );
}

function TokenRow({ token: t, onRevoked, onReload }: { token: TokenFieldsFragment; onRevoked: (message: string) => void; onReload: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const revoke = useAction(RevokeApiTokenDocument, (d) => d.revokeApiToken);
  const expired = t.expiresAt !== null && Date.parse(t.expiresAt) <= Date.now();
  return (
    <tr data-testid="token" data-name={t.name}>
      <td>{t.name}</td>
      <td>
        <code>{t.prefix}…</code>
      </td>
      <td>{humanize(t.scope)}</td>
      <td>{t.allowsAnyDocument ? 'Any query' : 'Portal operations only'}</td>
      <td>{formatInstant(t.createdAt)}</td>
      <td>{t.expiresAt ? formatDate(t.expiresAt.slice(0, 10)) : 'never'}</td>
      <td>{formatInstant(t.lastUsedAt)}</td>
      <td>
        {t.revokedAt ? (
          <span className="badge badge-bad">Revoked {formatInstant(t.revokedAt)}</span>
        ) : expired ? (
          <span className="badge badge-muted">Expired</span>
        ) : (
          <span className="badge badge-good">Active</span>
        )}
      </td>
      <td>
        {!t.revokedAt && !confirming && (
          <button type="button" className="btn btn-small" onClick={() => { revoke.reset(); setConfirming(true); }}>
            Revoke…
          </button>
        )}
        {!t.revokedAt && confirming && (
          <div className="actions row-actions">
            <button
              type="button"
              className="btn btn-small btn-danger"
              disabled={revoke.state.fetching}
              onClick={async () => {
                const message = `Token “${t.name}” was revoked; it no longer works, nor do tokens created with it.`;
                if (await revoke.run({ input: { id: t.id } }, message)) onRevoked(message);
                setConfirming(false);
              }}
            >
              Revoke {t.name}
            </button>
            <button type="button" className="btn btn-small" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        )}
        <ActionFeedback state={revoke.state} onReload={onReload} showDone={false} />
      </td>
    </tr>
  );
}

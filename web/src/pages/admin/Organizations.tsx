import { useState } from 'react';
import { useQuery } from 'urql';
import { ActionFeedback } from '../../components/ActionFeedback';
import { Announcement } from '../../components/Announcement';
import { humanize } from '../../components/badges';
import { Empty, QueryView } from '../../components/states';
import { useAction } from '../../components/useAction';
import { AdminOrganizationsDocument, CreateOrganizationDocument, type OrganizationKind } from '../../gql/graphql';
import { formatInstant } from '../../lib/dates';
import { Field } from './fields';
import { useUrlFilters } from './url-filters';

export const ORGANIZATION_KINDS: OrganizationKind[] = ['OPERATOR', 'INVESTOR', 'VENDOR', 'SUBCONTRACTOR'];

export function OrganizationsPage() {
  const { values, set } = useUrlFilters(['kind'] as const);
  const kind = ORGANIZATION_KINDS.find((k) => k === values.kind);
  const [result, refetch] = useQuery({ query: AdminOrganizationsDocument, variables: { kind: kind ? [kind] : null } });
  const [announced, setAnnounced] = useState<string | null>(null);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <>
      <header className="page-header">
        <h1>Organizations</h1>
        <p className="lead">The operator, investors and partners. What an organization sees follows from its kind and its projects.</p>
      </header>
      <section className="panel" aria-labelledby="orgs-title">
        <h2 id="orgs-title">Organizations</h2>
        <Announcement text={announced} />
        <NewOrganization onCreated={(m) => { setAnnounced(m); reload(); }} />
        <div className="toolbar" role="search" aria-label="Organization filters">
          <Field label="Kind">
            {(id) => (
              <select id={id} value={kind ?? ''} onChange={(e) => set({ kind: e.target.value })}>
                <option value="">Any kind</option>
                {ORGANIZATION_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {humanize(k)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <QueryView result={result} retry={reload}>
          {(data) => {
            const list = data.organizations.nodes;
            if (list.length === 0) return <Empty>No organization of this kind.</Empty>;
            return (
              <div className="table-wrap">
                <table className="table" data-testid="organizations-table">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Kind</th>
                      <th scope="col">Created</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((o) => (
                      <tr key={o.id} data-testid="organization">
                        <td>{o.name}</td>
                        <td>{humanize(o.kind)}</td>
                        <td>{formatInstant(o.createdAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {data.organizations.totalCount > list.length && <p className="muted small">Showing the first {list.length} of {data.organizations.totalCount}.</p>}
              </div>
            );
          }}
        </QueryView>
      </section>
    </>
  );
}

function NewOrganization({ onCreated }: { onCreated: (message: string) => void }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<OrganizationKind>('VENDOR');
  const create = useAction(CreateOrganizationDocument, (d) => d.createOrganization);
  return (
    <div className="create">
      {!open && (
        <button type="button" className="btn" onClick={() => { create.reset(); setOpen(true); }}>
          New organization…
        </button>
      )}
      {open && (
        <form
          className="form form-grid"
          aria-label="New organization"
          onSubmit={async (e) => {
            e.preventDefault();
            const message = `${name.trim()} (${humanize(kind).toLowerCase()}) was created.`;
            if (await create.run({ input: { name: name.trim(), kind } }, message)) {
              setOpen(false);
              setName('');
              onCreated(message);
            }
          }}
        >
          <Field label="Name">{(id) => <input id={id} required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />}</Field>
          <Field label="Kind of organization">
            {(id) => (
              <select id={id} value={kind} onChange={(e) => setKind(e.target.value as OrganizationKind)}>
                {ORGANIZATION_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {humanize(k)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="form-row form-actions">
            <button type="submit" className="btn btn-primary" disabled={create.state.fetching}>
              {create.state.fetching ? 'Creating…' : 'Create organization'}
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

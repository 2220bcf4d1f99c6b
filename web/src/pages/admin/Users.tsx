import { useState } from 'react';
import { useQuery } from 'urql';
import { ActionFeedback } from '../../components/ActionFeedback';
import { Announcement } from '../../components/Announcement';
import { humanize } from '../../components/badges';
import { Empty, QueryView } from '../../components/states';
import { useAction } from '../../components/useAction';
import {
  AdminUsersDocument,
  AllOrganizationsDocument,
  ChangeUserRoleDocument,
  CreateUserDocument,
  DisableUserDocument,
  type AdminUserFragment,
  type OrganizationKind,
  type UserRole,
} from '../../gql/graphql';
import { formatInstant } from '../../lib/dates';
import { useViewer } from '../../lib/viewer';
import { Field } from './fields';
import { useUrlFilters } from './url-filters';

const ROLES: UserRole[] = ['ADMIN', 'MANAGER', 'MEMBER', 'VIEWER'];

/** The roles an organization's kind allows (the API refuses any other). */
function rolesFor(kind: OrganizationKind | undefined): UserRole[] {
  if (kind === 'OPERATOR') return ['ADMIN', 'MANAGER'];
  if (kind === 'INVESTOR') return ['VIEWER'];
  if (kind === 'VENDOR' || kind === 'SUBCONTRACTOR') return ['MEMBER', 'VIEWER'];
  return [];
}

export function UsersPage() {
  const { values, set } = useUrlFilters(['organization', 'role'] as const);
  const role = ROLES.find((r) => r === values.role);
  const [orgs] = useQuery({ query: AllOrganizationsDocument });
  const [result, refetch] = useQuery({ query: AdminUsersDocument, variables: { organizationId: values.organization || null, role: role ? [role] : null } });
  const [announced, setAnnounced] = useState<string | null>(null);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const organizations = orgs.data?.organizations.nodes ?? [];
  return (
    <>
      <header className="page-header">
        <h1>Users</h1>
        <p className="lead">Who signs in for each organization, and with which role. A disabled user's tokens stop working at once.</p>
      </header>
      <section className="panel" aria-labelledby="users-title">
        <h2 id="users-title">Users</h2>
        <Announcement text={announced} />
        <NewUser organizations={organizations} onCreated={(m) => { setAnnounced(m); reload(); }} />
        <div className="toolbar" role="search" aria-label="User filters">
          <Field label="Organization">
            {(id) => (
              <select id={id} value={values.organization} onChange={(e) => set({ organization: e.target.value })}>
                <option value="">Any organization</option>
                {values.organization && !organizations.some((o) => o.id === values.organization) && <option value={values.organization}>(loading…)</option>}
                {organizations.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Role">
            {(id) => (
              <select id={id} value={role ?? ''} onChange={(e) => set({ role: e.target.value })}>
                <option value="">Any role</option>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {humanize(r)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <QueryView result={result} retry={reload}>
          {(data) => {
            const list = data.users.nodes;
            if (list.length === 0) return <Empty>No user matches these filters.</Empty>;
            return (
              <div className="table-wrap">
                <table className="table wide" data-testid="users-table">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Email</th>
                      <th scope="col">Organization</th>
                      <th scope="col">Role</th>
                      <th scope="col">Status</th>
                      <th scope="col">Actions</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((u) => (
                      <UserRow key={u.id} user={u} onChanged={(m) => { setAnnounced(m); reload(); }} onReload={reload} />
                    ))}
                  </tbody>
                </table>
                {data.users.totalCount > list.length && <p className="muted small">Showing the first {list.length} of {data.users.totalCount}: narrow the filters.</p>}
              </div>
            );
          }}
        </QueryView>
      </section>
    </>
  );
}

function UserRow({ user: u, onChanged, onReload }: { user: AdminUserFragment; onChanged: (message: string) => void; onReload: () => void }) {
  const viewer = useViewer();
  const [role, setRole] = useState<UserRole>(u.role);
  const [confirming, setConfirming] = useState(false);
  const change = useAction(ChangeUserRoleDocument, (d) => d.changeUserRole);
  const disable = useAction(DisableUserDocument, (d) => d.disableUser);
  const roles = rolesFor(u.organization?.kind);
  const busy = change.state.fetching || disable.state.fetching;
  // Your own account: locking yourself out is left to another admin.
  const self = u.id === viewer.identity.user.id;
  return (
    <tr data-testid="user" data-email={u.email}>
      <td>{u.name}</td>
      <td>{u.email}</td>
      <td>{u.organization?.name ?? '—'}</td>
      <td>{humanize(u.role)}</td>
      <td>{u.disabledAt ? <span className="badge badge-muted">Disabled {formatInstant(u.disabledAt)}</span> : <span className="badge badge-good">Active</span>}</td>
      <td>
        {!u.disabledAt && !self && (
          <div className="actions row-actions">
            {roles.length > 1 && (
              <form
                className="inline-form"
                aria-label={`Role of ${u.email}`}
                onSubmit={async (e) => {
                  e.preventDefault();
                  disable.reset();
                  const message = `${u.email} is now ${humanize(role).toLowerCase()}.`;
                  if (await change.run({ input: { id: u.id, version: u.version, role } }, message)) onChanged(message);
                }}
              >
                <label className="sr-only" htmlFor={`role-${u.id}`}>
                  New role of {u.email}
                </label>
                <select id={`role-${u.id}`} value={role} onChange={(e) => setRole(e.target.value as UserRole)} disabled={busy}>
                  {roles.map((r) => (
                    <option key={r} value={r}>
                      {humanize(r)}
                    </option>
                  ))}
                </select>
                <button type="submit" className="btn btn-small" disabled={busy || role === u.role}>
                  Change role
                </button>
              </form>
            )}
            {!confirming ? (
              <button type="button" className="btn btn-small" disabled={busy} onClick={() => { change.reset(); setConfirming(true); }}>
                Disable…
              </button>
            ) : (
              <>
                <button
                  type="button"
                  className="btn btn-small btn-danger"
                  disabled={busy}
                  onClick={async () => {
                    const message = `${u.email} was disabled; their tokens no longer work.`;
                    if (await disable.run({ input: { id: u.id, version: u.version } }, message)) onChanged(message);
                    setConfirming(false);
                  }}
                >
                  Disable {u.email}
                </button>
                <button type="button" className="btn btn-small" onClick={() => setConfirming(false)} disabled={busy}>
                  Cancel
                </button>
              </>
            )}
          </div>
        )}
        <ActionFeedback state={change.state} onReload={onReload} showDone={false} />
        <ActionFeedback state={disable.state} onReload={onReload} showDone={false} />
      </td>
    </tr>
  );
}

function NewUser({ organizations, onCreated }: { organizations: readonly { id: string; name: string; kind: OrganizationKind }[]; onCreated: (message: string) => void }) {
  const [open, setOpen] = useState(false);
  const [v, setV] = useState({ name: '', email: '', organizationId: '', role: '' as UserRole | '', password: '' });
  const create = useAction(CreateUserDocument, (d) => d.createUser);
  const kind = organizations.find((o) => o.id === v.organizationId)?.kind;
  const roles = rolesFor(kind);
  const role = roles.find((r) => r === v.role) ?? roles[0];
  return (
    <div className="create">
      {!open && (
        <button type="button" className="btn" onClick={() => { create.reset(); setOpen(true); }}>
          New user…
        </button>
      )}
      {open && (
        <form
          className="form form-grid"
          aria-label="New user"
          onSubmit={async (e) => {
            e.preventDefault();
            if (!role) return;
            const email = v.email.trim();
            const message = `${email} was created as ${humanize(role).toLowerCase()}; give them their initial password in person.`;
            if (await create.run({ input: { name: v.name.trim(), email, organizationId: v.organizationId, role, password: v.password } }, message)) {
              setOpen(false);
              setV({ name: '', email: '', organizationId: '', role: '', password: '' });
              onCreated(message);
            }
          }}
        >
          <Field label="Full name">{(id) => <input id={id} required maxLength={200} value={v.name} onChange={(e) => setV({ ...v, name: e.target.value })} />}</Field>
          <Field label="Email">{(id) => <input id={id} type="email" required value={v.email} onChange={(e) => setV({ ...v, email: e.target.value })} />}</Field>
          <Field label="Organization of the user">
            {(id) => (
              <select id={id} required value={v.organizationId} onChange={(e) => setV({ ...v, organizationId: e.target.value })}>
                <option value="">Choose…</option>
                {organizations.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name} ({humanize(o.kind).toLowerCase()})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Role of the user">
            {(id) => (
              <select id={id} required value={role ?? ''} onChange={(e) => setV({ ...v, role: e.target.value as UserRole })} disabled={roles.length === 0}>
                {roles.length === 0 && <option value="">Choose an organization first</option>}
                {roles.map((r) => (
                  <option key={r} value={r}>
                    {humanize(r)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Initial password" hint="At least 12 characters; stored only as a hash.">
            {(id) => <input id={id} type="password" autoComplete="new-password" required minLength={12} maxLength={200} value={v.password} onChange={(e) => setV({ ...v, password: e.target.value })} />}
          </Field>
          <div className="form-row form-actions">
            <button type="submit" className="btn btn-primary" disabled={create.state.fetching || !role}>
              {create.state.fetching ? 'Creating…' : 'Create user'}
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

import { useState } from 'react';
import { useQuery } from 'urql';
import { ActionFeedback } from '../../components/ActionFeedback';
import { QueryView } from '../../components/states';
import { useAction } from '../../components/useAction';
import { MyEmailPreferencesDocument, SetEmailPreferencesDocument, type EmailMode } from '../../gql/graphql';

const MODES: { mode: EmailMode; label: string }[] = [
  { mode: 'OFF', label: 'Off' },
  { mode: 'IMMEDIATELY', label: 'At once' },
  { mode: 'DAILY_DIGEST', label: 'Daily digest' },
  { mode: 'WEEKLY_DIGEST', label: 'Weekly digest' },
];

/** Every user's e-mail preferences: one mode per event type. */
export function EmailPreferencesPage() {
  const [result, refetch] = useQuery({ query: MyEmailPreferencesDocument });
  const [changes, setChanges] = useState<Record<string, EmailMode>>({});
  const save = useAction(SetEmailPreferencesDocument, (d) => d.setEmailPreferences);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <>
      <header className="page-header">
        <h1>E-mail</h1>
        <p className="lead">How you are told of what happens in your projects. You only ever receive e-mails about what you may see in the portal.</p>
      </header>
      <section className="panel" aria-labelledby="email-title">
        <h2 id="email-title">E-mail preferences</h2>
        <QueryView result={result} retry={reload}>
          {(data) => (
            <form
              className="form"
              aria-label="E-mail preferences"
              onSubmit={async (e) => {
                e.preventDefault();
                const preferences = Object.entries(changes).map(([eventType, mode]) => ({ eventType, mode }));
                if (await save.run({ input: { preferences } }, 'Saved.')) {
                  setChanges({});
                  reload();
                }
              }}
            >
              <div className="table-wrap">
                <table className="table" data-testid="email-preferences">
                  <thead>
                    <tr>
                      <th scope="col">Event</th>
                      <th scope="col">E-mail</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.viewer.emailPreferences.map((p) => (
                      <tr key={p.eventType}>
                        <td>
                          <label htmlFor={`mode-${p.eventType}`}>{p.eventType}</label>
                        </td>
                        <td>
                          <select
                            id={`mode-${p.eventType}`}
                            value={changes[p.eventType] ?? p.mode}
                            onChange={(e) => setChanges({ ...changes, [p.eventType]: e.target.value as EmailMode })}
                          >
                            {MODES.map((m) => (
                              <option key={m.mode} value={m.mode}>
                                {m.label}
                                {p.isDefault && m.mode === p.mode ? ' (default)' : ''}
                              </option>
                            ))}
                          </select>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <div className="form-actions">
                <button type="submit" className="btn btn-primary" disabled={save.state.fetching || Object.keys(changes).length === 0}>
                  {save.state.fetching ? 'Saving…' : 'Save'}
                </button>
              </div>
              <ActionFeedback state={save.state} onReload={reload} />
            </form>
          )}
        </QueryView>
      </section>
    </>
  );
}

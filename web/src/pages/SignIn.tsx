import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { SignInDocument } from '../gql/graphql';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../lib/demo';
import { describeError } from '../lib/errors';
import * as session from '../lib/session';

export function SignIn({ reason }: { reason?: session.SignOutReason }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [{ fetching }, login] = useMutation(SignInDocument);

  async function signIn(withEmail: string, withPassword: string) {
    setMessage(null);
    const res = await login({ input: { email: withEmail, password: withPassword } });
    if (res.error) return setMessage(describeError(res.error));
    const payload = res.data?.login;
    if (!payload?.token) return setMessage(payload?.userErrors[0]?.message ?? 'Sign-in failed.');
    session.start({ token: payload.token, expiresAt: payload.expiresAt });
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void signIn(email, password);
  }

  return (
    <main className="signin">
      <div className="signin-card">
        <h1>
          <span className="brand-mark" aria-hidden="true">◆</span> Vantage
        </h1>
        <p className="muted">Project reporting for investors, partners and the delivery team.</p>
        {reason === 'expired' && (
          <p className="notice notice-info" role="status">
            Your session has expired. Please sign in again.
          </p>
        )}
        {reason === 'signed-out' && (
          <p className="notice notice-info" role="status">
            You are signed out.
          </p>
        )}
        <form onSubmit={onSubmit} aria-label="Sign in">
          <label htmlFor="signin-email">Email</label>
          <input id="signin-email" name="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
          <label htmlFor="signin-password">Password</label>
          <input id="signin-password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
          {message && (
            <p className="notice notice-error" role="alert">
              {message}
            </p>
          )}
          <button type="submit" className="btn btn-primary" disabled={fetching}>
            {fetching ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        {DEMO_LOGINS.length > 0 && (
          <section className="demo-logins" aria-labelledby="demo-title">
            <h2 id="demo-title">Demo accounts</h2>
            <p className="muted">
              Development build: every demo account uses the password <code>{DEMO_PASSWORD}</code>.
            </p>
            <ul>
              {DEMO_LOGINS.map((d) => (
                <li key={d.email}>
                  <button type="button" className="link-button" disabled={fetching} onClick={() => void signIn(d.email, DEMO_PASSWORD)}>
                    {d.email}
                  </button>
                  <span className="muted"> {d.who}</span>
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </main>
  );
}

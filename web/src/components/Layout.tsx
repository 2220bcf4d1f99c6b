import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import * as session from '../lib/session';
import { useViewer } from '../lib/viewer';

export function Layout({ children }: { children: ReactNode }) {
  const viewer = useViewer();
  const { identity, side } = viewer;
  const links =
    side === 'operator'
      ? [
          ['/operator', 'Operations'],
          ['/operator/projects', 'Project console'],
          ['/portfolio', 'Portfolio'],
        ]
      : side === 'investor'
        ? [['/portfolio', 'Portfolio']]
        : [['/workspace', 'Workspace']];
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">◆</span> Vantage
        </div>
        <nav aria-label="Main">
          {links.map(([to, label]) => (
            <NavLink key={to} to={to} end className={({ isActive }) => (isActive ? 'nav-link active' : 'nav-link')}>
              {label}
            </NavLink>
          ))}
        </nav>
        <div className="who">
          <span className="who-name">{identity.user.name}</span>
          <span className="who-org muted">
            {identity.organization.name} · {identity.role.toLowerCase()}
          </span>
          <button type="button" className="btn btn-small" onClick={() => session.end('signed-out')}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" className="content" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

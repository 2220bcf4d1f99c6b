import type { ReactNode } from 'react';
import { NavLink, useLocation } from 'react-router';
import * as session from '../lib/session';
import { useViewer } from '../lib/viewer';
import { navFor } from '../pages/admin/access';
import { NotificationBell } from './NotificationBell';

export function Layout({ children }: { children: ReactNode }) {
  const viewer = useViewer();
  const { identity } = viewer;
  const links = navFor(viewer);
  // Which address the shown page belongs to: set in the same render as the page, so a test (or a script) knows the page it reads is the new one.
  const { pathname } = useLocation();
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
        <NotificationBell />
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
      <main id="main" className="content" tabIndex={-1} data-path={pathname}>
        {children}
      </main>
    </div>
  );
}

import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { Provider, useQuery } from 'urql';
import { Layout } from './components/Layout';
import { ErrorBox, Loading, NotFound } from './components/states';
import { CurrentViewerDocument } from './gql/graphql';
import { createClient } from './lib/client';
import * as session from './lib/session';
import { homePath, ViewerContext, viewerInfo } from './lib/viewer';
import { SignIn } from './pages/SignIn';
import { may, Only } from './pages/admin/access';

// Each side loads only its own pages (and the charts only where they are drawn): split by route.
const OperatorPage = lazy(() => import('./pages/Operator').then((m) => ({ default: m.OperatorPage })));
const PortfolioPage = lazy(() => import('./pages/Portfolio').then((m) => ({ default: m.PortfolioPage })));
const ProjectPage = lazy(() => import('./pages/Project').then((m) => ({ default: m.ProjectPage })));
const WorkspacePage = lazy(() => import('./pages/Workspace').then((m) => ({ default: m.WorkspacePage })));
const ContractsPage = lazy(() => import('./pages/admin/Contracts').then((m) => ({ default: m.ContractsPage })));
const AuditPage = lazy(() => import('./pages/admin/Audit').then((m) => ({ default: m.AuditPage })));
const OrganizationsPage = lazy(() => import('./pages/admin/Organizations').then((m) => ({ default: m.OrganizationsPage })));
const UsersPage = lazy(() => import('./pages/admin/Users').then((m) => ({ default: m.UsersPage })));
const DocumentRoomPage = lazy(() => import('./pages/DocumentRoom').then((m) => ({ default: m.DocumentRoomPage })));
const TokensPage = lazy(() => import('./pages/admin/Tokens').then((m) => ({ default: m.TokensPage })));
const WebhooksPage = lazy(() => import('./pages/settings/Webhooks').then((m) => ({ default: m.WebhooksPage })));
const EmailPreferencesPage = lazy(() => import('./pages/settings/Email').then((m) => ({ default: m.EmailPreferencesPage })));
const ProjectConsolePage = lazy(() => import('./pages/operator/ProjectConsole').then((m) => ({ default: m.ProjectConsolePage })));

export function App() {
  const [current, setCurrent] = useState(session.getSession);
  const [reason, setReason] = useState<session.SignOutReason | undefined>(session.endReason);
  useEffect(
    () =>
      session.subscribe((s, r) => {
        setCurrent(s);
        setReason(r);
      }),
    [],
  );
  // A fresh client (and so a fresh cache) per session: nothing one user loaded is ever shown to the next.
  const client = useMemo(() => createClient(), [current?.token]);

  return (
    <Provider value={client}>
      <BrowserRouter>{current ? <SignedIn /> : <SignedOut reason={reason} />}</BrowserRouter>
    </Provider>
  );
}

function SignedOut({ reason }: { reason?: session.SignOutReason }) {
  const location = useLocation();
  if (location.pathname !== '/signin') {
    // After an explicit sign-out the next person starts from their own home page, not the last one's.
    const next = location.pathname === '/' || reason === 'signed-out' ? '' : `?next=${encodeURIComponent(location.pathname + location.search)}`;
    return <Navigate to={`/signin${next}`} replace />;
  }
  return <SignIn reason={reason} />;
}

function SignedIn() {
  const [result, refetch] = useQuery({ query: CurrentViewerDocument, requestPolicy: 'network-only' });
  const location = useLocation();
  const viewer = useMemo(() => (result.data ? viewerInfo(result.data.viewer) : null), [result.data]);

  if (!viewer) {
    return (
      <main className="boot">
        {result.error ? <ErrorBox error={result.error} retry={() => refetch({ requestPolicy: 'network-only' })} /> : <Loading label="Opening your portal…" />}
      </main>
    );
  }
  if (location.pathname === '/signin') {
    const next = new URLSearchParams(location.search).get('next');
    return <Navigate to={next && next.startsWith('/') && !next.startsWith('//') ? next : homePath(viewer.side)} replace />;
  }
  return (
    <ViewerContext.Provider value={viewer}>
      <Layout>
        <Suspense fallback={<Loading label="Loading…" />}>
          <Routes>
            <Route path="/" element={<Navigate to={homePath(viewer.side)} replace />} />
            <Route path="/portfolio" element={<PortfolioPage />} />
            <Route path="/projects/:id" element={<ProjectPage />} />
            <Route path="/projects/:id/documents" element={<DocumentRoomPage />} />
            <Route path="/workspace" element={<Only when={may.partner}><WorkspacePage /></Only>} />
            <Route path="/operator" element={<Only when={may.operator}><OperatorPage /></Only>} />
            <Route path="/operator/projects/:id?" element={<Only when={may.operator}><ProjectConsolePage /></Only>} />
            <Route path="/operator/contracts" element={<Only when={may.operator}><ContractsPage /></Only>} />
            <Route path="/operator/audit" element={<Only when={may.operator}><AuditPage /></Only>} />
            <Route path="/operator/organizations" element={<Only when={may.admin}><OrganizationsPage /></Only>} />
            <Route path="/operator/users" element={<Only when={may.admin}><UsersPage /></Only>} />
            <Route path="/tokens" element={<TokensPage />} />
            <Route path="/settings/webhooks" element={<Only when={may.manageWebhooks}><WebhooksPage /></Only>} />
            <Route path="/settings/email" element={<EmailPreferencesPage />} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Suspense>
      </Layout>
    </ViewerContext.Provider>
  );
}

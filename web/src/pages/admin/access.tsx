import type { ReactNode } from 'react';
import { NotFound } from '../../components/states';
import { useViewer, type ViewerInfo } from '../../lib/viewer';

/**
 * Who may open which page, mirroring the API's root access rules: operator
 * staff for the operator's pages (each list is scoped by the API again), an
 * operator ADMIN for the directory, each side its own home. The navigation
 * and the routes read the same table, so a page is never linked for someone
 * it would refuse.
 */
export type PageRule = (viewer: ViewerInfo) => boolean;

export const may = {
  anyone: (() => true) as PageRule,
  operator: ((v) => v.side === 'operator') as PageRule,
  admin: ((v) => v.side === 'operator' && v.identity.role === 'ADMIN') as PageRule,
  investorOrOperator: ((v) => v.side !== 'partner') as PageRule,
  partner: ((v) => v.side === 'partner') as PageRule,
  /** The API's can.manageWebhooks: operator ADMINs, investor users, partner MEMBERs. */
  manageWebhooks: ((v) => (v.side === 'operator' ? v.identity.role === 'ADMIN' : v.side === 'investor' || v.identity.role === 'MEMBER')) as PageRule,
};

/** Main navigation, in order: path, label, who sees it. */
export const NAV: readonly (readonly [string, string, PageRule])[] = [
  ['/operator', 'Operations', may.operator],
  ['/operator/projects', 'Project console', may.operator],
  ['/operator/contracts', 'Contracts', may.operator],
  ['/operator/audit', 'Audit trail', may.operator],
  ['/operator/organizations', 'Organizations', may.admin],
  ['/operator/users', 'Users', may.admin],
  ['/portfolio', 'Portfolio', may.investorOrOperator],
  ['/workspace', 'Workspace', may.partner],
  ['/tokens', 'API tokens', may.anyone],
  ['/settings/webhooks', 'Webhooks', may.manageWebhooks],
  ['/settings/email', 'E-mail', may.anyone],
];

export function navFor(viewer: ViewerInfo): [string, string][] {
  return NAV.filter(([, , rule]) => rule(viewer)).map(([to, label]) => [to, label]);
}

/**
 * A page the viewer may not use is exactly the page of an unknown address:
 * nothing tells them it exists.
 */
export function Only({ when, children }: { when: PageRule; children: ReactNode }) {
  const viewer = useViewer();
  return when(viewer) ? <>{children}</> : <NotFound />;
}

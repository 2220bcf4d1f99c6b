import { createContext, useContext } from 'react';
import type { ViewerIdentityFragment } from '../gql/graphql';

export type Side = 'operator' | 'investor' | 'partner';

export interface ViewerInfo {
  identity: ViewerIdentityFragment;
  side: Side;
}

export function viewerInfo(identity: ViewerIdentityFragment): ViewerInfo {
  const kind = identity.organization.kind;
  const side: Side = kind === 'OPERATOR' ? 'operator' : kind === 'INVESTOR' ? 'investor' : 'partner';
  // What a viewer may change is not derived here: each object's availableActions says it.
  return { identity, side };
}

export const ViewerContext = createContext<ViewerInfo | null>(null);

export function useViewer(): ViewerInfo {
  const v = useContext(ViewerContext);
  if (!v) throw new Error('useViewer outside a signed-in page');
  return v;
}

/** Where a viewer lands after signing in. */
export function homePath(side: Side): string {
  return side === 'partner' ? '/workspace' : side === 'operator' ? '/operator' : '/portfolio';
}

import { useMemo } from 'react';
import { useQuery } from 'urql';
import { ChangedSinceLastVisitDocument } from '../gql/graphql';

/**
 * The objects that changed since the viewer's previous visit, by global id
 * (`viewer.changedSinceLastVisit`, which the viewer's own notifications
 * decide: nothing the viewer may not see). One query, shared by every marker.
 */
export function useChangedSinceLastVisit(): ReadonlySet<string> {
  const [result] = useQuery({ query: ChangedSinceLastVisitDocument, requestPolicy: 'cache-first' });
  const ids = result.data?.viewer.changedSinceLastVisit;
  return useMemo(() => new Set(ids ?? []), [ids]);
}

/** "New" beside an item that changed since the previous visit. */
export function NewMarker({ id }: { id: string }) {
  const changed = useChangedSinceLastVisit();
  if (!changed.has(id)) return null;
  return (
    <span className="badge badge-new" data-testid="new-since-visit" title="Changed since your last visit">
      New
    </span>
  );
}

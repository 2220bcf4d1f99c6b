import type { DeliverableFieldsFragment } from '../../gql/graphql';

/** Start / submit with a note: wired once the deliverable mutations are in the schema. */
export function DeliverableActions(_props: { deliverable: DeliverableFieldsFragment; contractActive: boolean; onReload: () => void }) {
  return null;
}

import type { QueueDeliverableFragment } from '../../gql/graphql';

/** Accept / reject with a reason: wired once the deliverable mutations are in the schema. */
export function ReviewActions(_props: { deliverable: QueueDeliverableFragment; onReload: () => void }) {
  return null;
}

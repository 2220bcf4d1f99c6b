import type { RiskFieldsFragment } from '../../gql/graphql';

/** Reassess likelihood and impact with a note: wired once the risk mutations are in the schema. */
export function ReassessAction(_props: { risk: RiskFieldsFragment }) {
  return null;
}

import type { ReportFieldsFragment } from '../../gql/graphql';

/** Publish a draft: wired once the report mutations are in the schema. */
export function PublishAction(_props: { report: ReportFieldsFragment; onReload: () => void }) {
  return null;
}

import { useMemo } from 'react';
import { useSubscription } from 'urql';
import { DeliverableChangedDocument, ProjectChangedDocument } from '../gql/graphql';

/**
 * Live signals: a message refetches (network-only) every query on screen
 * whose result holds one of these types, so the page shows what changed as
 * the viewer may see it now. Nothing is rendered.
 */
const PROJECT_TYPES = [
  'Project', 'Milestone', 'MilestoneConnection', 'FinancialReport', 'FinancialReportConnection', 'Risk', 'RiskConnection',
  'ProjectUpdate', 'ProjectUpdateConnection', 'Deliverable', 'DeliverableConnection', 'Contract', 'ContractConnection',
];
const DELIVERABLE_TYPES = ['Deliverable', 'DeliverableConnection', 'Contract', 'DeliverableStats'];

/** Refreshes the page's project data whenever something of the project that the viewer may see changes. */
export function LiveProject({ id }: { id: string }) {
  const context = useMemo(() => ({ additionalTypenames: PROJECT_TYPES }), []);
  useSubscription({ query: ProjectChangedDocument, variables: { id }, context });
  return null;
}

/** Refreshes the page's deliverables whenever one of the contract's deliverables changes. */
export function LiveContract({ id }: { id: string }) {
  const context = useMemo(() => ({ additionalTypenames: DELIVERABLE_TYPES }), []);
  useSubscription({ query: DeliverableChangedDocument, variables: { contractId: id }, context });
  return null;
}

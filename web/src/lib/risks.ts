import type { RiskCategory } from '../gql/graphql';

/** The API's risk categories, in the order the forms offer them. */
export const RISK_CATEGORIES: readonly RiskCategory[] = ['TECHNICAL', 'SCHEDULE', 'FINANCIAL', 'VENDOR', 'COMPLIANCE', 'SECURITY', 'OTHER'];

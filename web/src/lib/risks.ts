import type { RiskCategory } from '../gql/graphql';

/** The API's risk categories, in the order the forms offer them. */
export const RISK_CATEGORIES: readonly RiskCategory[] = ['TECHNICAL', 'SCHEDULE', 'FINANCIAL', 'VENDOR', 'COMPLIANCE', 'SECURITY', 'OTHER'];

/** The 1–5 scales in words, as the API names them (Risk.likelihoodLabel, Risk.impactLabel): for the forms' choices. */
export const LIKELIHOOD_LABELS = ['Rare', 'Unlikely', 'Possible', 'Likely', 'Almost certain'] as const;
export const IMPACT_LABELS = ['Negligible', 'Minor', 'Moderate', 'Major', 'Severe'] as const;

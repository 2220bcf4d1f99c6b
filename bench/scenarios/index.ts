/** The scenarios of the suite, in the numbering. */
import { deepNested, pointLookup } from './deep';
import { floor } from './floor';
import { investorDashboard } from './investor';
import type { Scenario } from './types';
import { submitDeliverable } from './submit';
import { vendorDeliverables } from './vendor';

export const SCENARIOS: Scenario[] = [investorDashboard, vendorDeliverables, deepNested, pointLookup, submitDeliverable, floor];

export type { Case, Scenario, ScenarioContext } from './types';

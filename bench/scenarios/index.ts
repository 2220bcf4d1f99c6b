/** The scenarios of the suite, in the numbering (the write scenario joins when its mutation exists). */
import { deepNested, pointLookup } from './deep';
import { investorDashboard } from './investor';
import type { Scenario } from './types';
import { vendorDeliverables } from './vendor';

export const SCENARIOS: Scenario[] = [investorDashboard, vendorDeliverables, deepNested, pointLookup];

export type { Case, Scenario, ScenarioContext } from './types';

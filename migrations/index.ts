import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125175136 } from './Migration20261125175136';
import { Migration20261125180406 } from './Migration20261125180406';
import { Migration20261125235500 } from './Migration20261125235500';
import { Migration20261205080425 } from './Migration20261205080425';
import { Migration20261205083031 } from './Migration20261205083031';
import { Migration20261205120000 } from './Migration20261205120000';
import { Migration20261205123805 } from './Migration20261205123805';
import { Migration20261205190000 } from './Migration20261205190000';
import { Migration20261205191000 } from './Migration20261205191000';
import { Migration20261205192000 } from './Migration20261205192000';
import { Migration20261205193000 } from './Migration20261205193000';
import { Migration20261206090000 } from './Migration20261206090000';

/** Applied in this order; add each new migration here. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261125175136', class: Migration20261125175136 },
  { name: 'Migration20261125180406', class: Migration20261125180406 },
  { name: 'Migration20261125235500', class: Migration20261125235500 },
  { name: 'Migration20261205080425', class: Migration20261205080425 },
  { name: 'Migration20261205083031', class: Migration20261205083031 },
  { name: 'Migration20261205120000', class: Migration20261205120000 },
  { name: 'Migration20261205123805', class: Migration20261205123805 },
  { name: 'Migration20261205190000', class: Migration20261205190000 },
  { name: 'Migration20261205191000', class: Migration20261205191000 },
  { name: 'Migration20261205192000', class: Migration20261205192000 },
  { name: 'Migration20261205193000', class: Migration20261205193000 },
  { name: 'Migration20261206090000', class: Migration20261206090000 },
];

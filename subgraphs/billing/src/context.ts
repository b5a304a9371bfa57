import type { Database } from '@ciro/db';
import type { RequestContext } from '@ciro/subgraph-common';

export interface BillingSettings {
  jwtSecret: string;
}

export interface BillingContext extends RequestContext {
  database: Database;
  settings: BillingSettings;
}

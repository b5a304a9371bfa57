import type { Database } from '@ciro/db';
import type { EventBus, RequestContext } from '@ciro/subgraph-common';
import type { BillingRunDeps } from './runs/billing-run.steps';

export interface BillingSettings {
  jwtSecret: string;
}

export interface BillingContext extends RequestContext {
  database: Database;
  settings: BillingSettings;
  /** The billing run queue, its progress events and the shared run steps. */
  runs: BillingRunDeps;
  /** Redis pub/sub behind the billingRunProgress subscription. */
  eventBus: EventBus;
}

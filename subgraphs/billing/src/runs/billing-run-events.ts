import type { Redis } from 'ioredis';

/**
 * What a subscriber of `billing-runs:<rawClientId>` receives, as JSON: published after each customer of a run is
 * done and whenever the run changes status. The `billingRunProgress` subscription consumes exactly this shape.
 */
export interface BillingRunProgressMessage {
  type: 'billing-run.progress';
  /** When it was published (ISO-8601, UTC). */
  at: string;
  /** Raw billing run uuid (not the global id). */
  runId: string;
  /** QUEUED, RUNNING, COMPLETED, COMPLETED_WITH_ERRORS or FAILED. */
  status: string;
  customersTotal: number;
  /** Customers with an outcome (any outcome, FAILED included). */
  customersDone: number;
  /** Customers whose outcome is FAILED. */
  customersFailed: number;
  /** Raw uuid of the customer just finished; null for a change of the run's status. */
  customerId: string | null;
}

export type BillingRunProgress = Omit<BillingRunProgressMessage, 'type' | 'at'>;

/** Publishes billing run progress on Redis; any process (subgraph or worker) can emit. */
export interface BillingRunEvents {
  publish(rawClientId: string, progress: BillingRunProgress): Promise<void>;
}

/** Redis pub/sub channel of a client's billing run events (raw client uuid). */
export function billingRunChannelOf(rawClientId: string): string {
  return `billing-runs:${rawClientId}`;
}

export function progressMessage(progress: BillingRunProgress, at: Date = new Date()): BillingRunProgressMessage {
  return {
    type: 'billing-run.progress',
    at: at.toISOString(),
    runId: progress.runId,
    status: progress.status,
    customersTotal: progress.customersTotal,
    customersDone: progress.customersDone,
    customersFailed: progress.customersFailed,
    customerId: progress.customerId,
  };
}

export function createBillingRunEvents(redis: Redis): BillingRunEvents {
  return {
    async publish(rawClientId, progress) {
      await redis.publish(billingRunChannelOf(rawClientId), JSON.stringify(progressMessage(progress)));
    },
  };
}

/** For callers that do not need the events (tests of the services, the inline run). */
export const NO_BILLING_RUN_EVENTS: BillingRunEvents = { publish: async () => {} };

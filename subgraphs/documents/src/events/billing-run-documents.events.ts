import { billingRunDocumentsChannelOf, billingRunDocumentsMessage } from '@ciro/subgraph-common';
import type { Redis } from 'ioredis';

/** Announces a finished render of a billing run's invoice on `billing-runs:<rawClientId>`. */
export interface BillingRunDocumentsEvents {
  publish(
    rawClientId: string,
    event: { runId: string; invoiceId: string; pdfStatus: 'READY' | 'FAILED' },
  ): Promise<void>;
}

export function createBillingRunDocumentsEvents(redis: Redis): BillingRunDocumentsEvents {
  return {
    async publish(rawClientId, event) {
      await redis.publish(billingRunDocumentsChannelOf(rawClientId), JSON.stringify(billingRunDocumentsMessage(event)));
    },
  };
}

/** For callers without Redis (the inline render of tests and of a process without a queue). */
export const NO_BILLING_RUN_DOCUMENTS_EVENTS: BillingRunDocumentsEvents = { publish: async () => {} };

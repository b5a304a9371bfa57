/**
 * What documents publishes on `billing-runs:<rawClientId>` after each PDF of a run's invoice is rendered (READY) or
 * given up on (FAILED). The `billingRunProgress` subscription consumes it beside billing's own progress messages.
 */
export interface BillingRunDocumentsMessage {
  type: 'billing-run.documents';
  /** ISO-8601, UTC. */
  at: string;
  /** Raw billing run uuid. */
  runId: string;
  /** Raw invoice uuid. */
  invoiceId: string;
  pdfStatus: 'READY' | 'FAILED';
}

/** Redis pub/sub channel of a client's billing run events (raw client uuid); the same as billing's. */
export function billingRunDocumentsChannelOf(rawClientId: string): string {
  return `billing-runs:${rawClientId}`;
}

export function billingRunDocumentsMessage(
  event: Pick<BillingRunDocumentsMessage, 'runId' | 'invoiceId' | 'pdfStatus'>,
  at: Date = new Date(),
): BillingRunDocumentsMessage {
  return {
    type: 'billing-run.documents',
    at: at.toISOString(),
    runId: event.runId,
    invoiceId: event.invoiceId,
    pdfStatus: event.pdfStatus,
  };
}

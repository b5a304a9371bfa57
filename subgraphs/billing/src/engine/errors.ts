export type BillingEngineErrorCode = 'INVALID_INPUT' | 'NO_RATE_IN_FORCE' | 'NO_READINGS' | 'NEGATIVE_TOTAL';

/** A rule or input problem found by the billing engine; `code` lets callers map it to a user-facing error. */
export class BillingEngineError extends Error {
  constructor(
    readonly code: BillingEngineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BillingEngineError';
  }
}

export function invalidInput(message: string): BillingEngineError {
  return new BillingEngineError('INVALID_INPUT', message);
}

import { z } from 'zod';
import { billRunCustomer, type BillingRunDeps, type BillRunCustomerResult } from '../runs/billing-run.steps';

/** A child of a billing run: bills one customer of the run's client and period. */
export const BILL_CUSTOMER_JOB = 'bill-customer';

export const billCustomerPayloadSchema = z.object({
  clientId: z.uuid(),
  runId: z.uuid(),
  customerId: z.uuid(),
});
export type BillCustomerPayload = z.infer<typeof billCustomerPayloadSchema>;

/** The job handler: a plain function. Skips a customer that already has an outcome in the run. */
export function handleBillCustomer(
  deps: BillingRunDeps,
  input: unknown,
  options: { lastAttempt: boolean },
): Promise<BillRunCustomerResult> {
  return billRunCustomer(deps, billCustomerPayloadSchema.parse(input), options);
}

import { z } from 'zod';
import { failRun, finishRun, type BillingRunDeps } from '../runs/billing-run.steps';

/** The parent of a billing run: runs once every customer's child is done and closes the run. */
export const FINISH_BILLING_RUN_JOB = 'finish-billing-run';

export const finishBillingRunPayloadSchema = z.object({
  clientId: z.uuid(),
  runId: z.uuid(),
});
export type FinishBillingRunPayload = z.infer<typeof finishBillingRunPayloadSchema>;

/** The job handler: final status (COMPLETED, COMPLETED_WITH_ERRORS, or FAILED when a customer has no outcome). */
export function handleFinishBillingRun(deps: BillingRunDeps, input: unknown) {
  return finishRun(deps, finishBillingRunPayloadSchema.parse(input));
}

/** After the parent's last attempt failed unexpectedly. */
export function markBillingRunFailed(deps: BillingRunDeps, input: unknown, message: string) {
  return failRun(deps, finishBillingRunPayloadSchema.parse(input), message);
}

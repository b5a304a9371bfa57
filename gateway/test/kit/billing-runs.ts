import { print } from 'graphql';
import { PollBillingRunDocument, type PollBillingRunQuery } from '../__generated__/graphql';
import { expectData, gql } from './gql';
import type { Stack } from './stack';

const FINAL = ['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED'];

/**
 * runBilling returns with the run QUEUED: polls `billingRun(id)` through the gateway until its status is final,
 * and fails after `timeoutMs` with the last figures.
 */
export async function waitForBillingRun(
  stack: Pick<Stack, 'gatewayUrl'>,
  token: string,
  id: string,
  timeoutMs = 60_000,
): Promise<PollBillingRunQuery['billingRun']> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = expectData(
      await gql<PollBillingRunQuery>(stack, { query: print(PollBillingRunDocument), variables: { id }, token }),
    ).billingRun;
    if (FINAL.includes(run.status)) return run;
    if (Date.now() > deadline) {
      throw new Error(
        `billing run ${id} still ${run.status} after ${timeoutMs} ms (${run.customersDone}/${run.customersTotal})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

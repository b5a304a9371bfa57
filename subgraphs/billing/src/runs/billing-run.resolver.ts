import { Scopes, callerOf, withUserErrors } from '@ciro/subgraph-common';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { BillingContext } from '../context';
import { getBillingRunOrThrow, queueBillingRun, resumeBillingRun } from './billing-run.service';
import { BillingRun, ResumeBillingRunInput, RunBillingInput, RunBillingPayload } from './billing-run.type';

@Resolver(() => BillingRun)
export class BillingRunResolver {
  @Query(() => BillingRun, { description: 'A billing run with its progress and each customer’s outcome.' })
  @Scopes('billing:read', 'billing:run')
  async billingRun(@Arg('id', () => ID) id: string, @Ctx() context: BillingContext): Promise<BillingRun> {
    return getBillingRunOrThrow(callerOf(context), id);
  }

  @Mutation(() => RunBillingPayload, {
    description:
      'Queues a draft invoice for every ACTIVE customer of the client for the period (BILLING.md) and returns at once with the run QUEUED: one job per customer, then the run closes (COMPLETED, COMPLETED_WITH_ERRORS or FAILED). Follow it with billingRun(id) or billingRunProgress. Re-running replaces drafts, never touches issued invoices and never duplicates.',
  })
  @Scopes('billing:run')
  async runBilling(
    @Arg('input', () => RunBillingInput) input: RunBillingInput,
    @Ctx() context: BillingContext,
  ): Promise<RunBillingPayload> {
    const caller = callerOf(context);
    return withUserErrors(async () => ({ billingRun: await queueBillingRun(caller, input, context.runs) }), {
      billingRun: null,
    });
  }

  @Mutation(() => RunBillingPayload, {
    description:
      'Continues a run that stopped midway (FAILED, or its jobs lost): customers that already have an outcome are skipped, the others are queued again. A run still in progress is returned unchanged; a finished run is a user error (run billing again).',
  })
  @Scopes('billing:run')
  async resumeBillingRun(
    @Arg('input', () => ResumeBillingRunInput) input: ResumeBillingRunInput,
    @Ctx() context: BillingContext,
  ): Promise<RunBillingPayload> {
    const caller = callerOf(context);
    return withUserErrors(async () => ({ billingRun: await resumeBillingRun(caller, input.id, context.runs) }), {
      billingRun: null,
    });
  }
}

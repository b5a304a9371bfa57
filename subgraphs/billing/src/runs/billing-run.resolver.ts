import { Scopes, callerOf, withUserErrors } from '@ciro/subgraph-common';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { BillingContext } from '../context';
import { getBillingRunOrThrow, runBilling } from './billing-run.service';
import { BillingRun, RunBillingInput, RunBillingPayload } from './billing-run.type';

@Resolver(() => BillingRun)
export class BillingRunResolver {
  @Query(() => BillingRun, { description: 'A billing run with its progress and each customer’s outcome.' })
  @Scopes('billing:read', 'billing:run')
  async billingRun(@Arg('id', () => ID) id: string, @Ctx() context: BillingContext): Promise<BillingRun> {
    return getBillingRunOrThrow(callerOf(context), id);
  }

  @Mutation(() => RunBillingPayload, {
    description:
      'Computes a draft invoice for every ACTIVE customer of the client for the period (BILLING.md). Re-running replaces drafts, never touches issued invoices and never duplicates.',
  })
  @Scopes('billing:run')
  async runBilling(
    @Arg('input', () => RunBillingInput) input: RunBillingInput,
    @Ctx() context: BillingContext,
  ): Promise<RunBillingPayload> {
    const caller = callerOf(context);
    return withUserErrors(async () => ({ billingRun: await runBilling(caller, input) }), { billingRun: null });
  }
}

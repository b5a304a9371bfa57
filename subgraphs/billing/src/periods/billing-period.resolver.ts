import { Scopes, callerOf, pageWindow, toConnection, withUserErrors } from '@ciro/subgraph-common';
import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { BillingContext } from '../context';
import { closeBillingPeriod, listClientBillingPeriods, reopenBillingPeriod } from './billing-period.service';
import {
  BillingPeriod,
  BillingPeriodConnection,
  BillingPeriodInput,
  BillingPeriodPayload,
  BillingPeriodsArgs,
} from './billing-period.type';

@Resolver(() => BillingPeriod)
export class BillingPeriodResolver {
  @Query(() => BillingPeriodConnection, {
    description: "A client's billing months, newest first: status, runs, drafts and issued invoices (administrators).",
  })
  @Scopes('billing:read', 'billing:run')
  async billingPeriods(
    @Args() args: BillingPeriodsArgs,
    @Ctx() context: BillingContext,
  ): Promise<BillingPeriodConnection> {
    const page = pageWindow(args);
    const { rows, total } = await listClientBillingPeriods(callerOf(context), args.clientId, page);
    return toConnection(rows, page, total);
  }

  @Mutation(() => BillingPeriodPayload, {
    description:
      'Closes a finished month (no run in progress, no draft left): runBilling refuses it until reopenBillingPeriod.',
  })
  @Scopes('billing:run')
  async closeBillingPeriod(
    @Arg('input', () => BillingPeriodInput) input: BillingPeriodInput,
    @Ctx() context: BillingContext,
  ): Promise<BillingPeriodPayload> {
    const caller = callerOf(context);
    return withUserErrors(async () => ({ billingPeriod: await closeBillingPeriod(caller, input) }), {
      billingPeriod: null,
    });
  }

  @Mutation(() => BillingPeriodPayload, { description: 'Opens a closed month again, so it can be billed again.' })
  @Scopes('billing:run')
  async reopenBillingPeriod(
    @Arg('input', () => BillingPeriodInput) input: BillingPeriodInput,
    @Ctx() context: BillingContext,
  ): Promise<BillingPeriodPayload> {
    const caller = callerOf(context);
    return withUserErrors(async () => ({ billingPeriod: await reopenBillingPeriod(caller, input) }), {
      billingPeriod: null,
    });
  }
}

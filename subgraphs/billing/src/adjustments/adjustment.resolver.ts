import { Scopes, callerOf, withUserErrors } from '@ciro/subgraph-common';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { BillingContext } from '../context';
import { createAdjustment } from './adjustment.service';
import { Adjustment, AdjustmentPayload, CreateAdjustmentInput } from './adjustment.type';

@Resolver(() => Adjustment)
export class AdjustmentResolver {
  @Mutation(() => AdjustmentPayload, {
    description:
      'Adds a manual charge (positive) or credit (negative) to a customer and period; the next billing run puts it on the draft as an ADJUSTMENT line.',
  })
  @Scopes('invoices:write')
  async createAdjustment(
    @Arg('input', () => CreateAdjustmentInput) input: CreateAdjustmentInput,
    @Ctx() context: BillingContext,
  ): Promise<AdjustmentPayload> {
    const caller = callerOf(context);
    return withUserErrors(async () => ({ adjustment: await createAdjustment(caller, input) }), { adjustment: null });
  }
}

import { Scopes, callerOf, withUserErrors } from '@ciro/subgraph-common';
import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { BillingContext } from '../context';
import { INVOICE_READ, Invoice } from '../invoices/invoice.type';
import { listPaymentsOf, recordPayment } from './payment.service';
import { Payment, RecordPaymentInput, RecordPaymentPayload } from './payment.type';

@Resolver(() => Invoice)
export class PaymentResolver {
  @Mutation(() => RecordPaymentPayload, {
    description:
      'Records a payment on an issued invoice: PAID at zero balance, PARTIALLY_PAID before; overpayments are refused.',
  })
  @Scopes('payments:write')
  async recordPayment(
    @Arg('input', () => RecordPaymentInput) input: RecordPaymentInput,
    @Ctx() context: BillingContext,
  ): Promise<RecordPaymentPayload> {
    const caller = callerOf(context);
    return withUserErrors(async () => recordPayment(caller, input), { invoice: null, payment: null });
  }

  @FieldResolver(() => [Payment], { description: 'Payments recorded, oldest first.' })
  @Scopes(...INVOICE_READ)
  async payments(@Root() invoice: Invoice, @Ctx() context: BillingContext): Promise<Payment[]> {
    return listPaymentsOf(callerOf(context), invoice);
  }
}

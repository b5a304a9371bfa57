import { buildFederatedSchema } from '@ciro/subgraph-common';
import type { GraphQLSchema } from 'graphql';
import { AdjustmentResolver } from './adjustments/adjustment.resolver';
import { Client } from './clients/client.type';
import { Customer } from './customers/customer.type';
import { resolveInvoiceReference } from './invoices/invoice.reference';
import { ClientBillingSummaryResolver, CustomerInvoicesResolver, InvoiceResolver } from './invoices/invoice.resolver';
import { PaymentResolver } from './payments/payment.resolver';
import { BillingPeriodResolver } from './periods/billing-period.resolver';
import { resolveBillingRunReference } from './runs/billing-run.reference';
import { BillingRunProgressResolver } from './runs/billing-run-progress.resolver';
import { BillingRunResolver } from './runs/billing-run.resolver';
import { ClientTariffsResolver, TariffResolver } from './tariffs/tariff.resolver';
import { resolveTariffReference } from './tariffs/tariff.reference';

/** Every resolver class of the billing subgraph. */
export const billingResolvers = [
  TariffResolver,
  ClientTariffsResolver,
  BillingRunResolver,
  BillingRunProgressResolver,
  BillingPeriodResolver,
  InvoiceResolver,
  CustomerInvoicesResolver,
  ClientBillingSummaryResolver,
  PaymentResolver,
  AdjustmentResolver,
] as const;

export function buildBillingSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: billingResolvers,
    // Entities billing only extends are not reachable from its root fields.
    orphanedTypes: [Client, Customer],
    referenceResolvers: {
      Tariff: { __resolveReference: resolveTariffReference },
      Invoice: { __resolveReference: resolveInvoiceReference },
      BillingRun: { __resolveReference: resolveBillingRunReference },
    },
  });
}

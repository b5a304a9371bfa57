import { buildFederatedSchema } from '@ciro/subgraph-common';
import type { GraphQLSchema } from 'graphql';
import { resolveInvoiceDocumentReference } from './invoices/invoice-document.reference';
import { InvoiceDocumentResolver } from './invoices/invoice-document.resolver';
import { resolveBillingRunDocumentsReference } from './runs/billing-run-documents.reference';
import { BillingRun } from './runs/billing-run-documents.type';

export const documentsResolvers = [InvoiceDocumentResolver] as const;

export function buildDocumentsSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: documentsResolvers,
    orphanedTypes: [BillingRun],
    referenceResolvers: {
      Invoice: { __resolveReference: resolveInvoiceDocumentReference },
      BillingRun: { __resolveReference: resolveBillingRunDocumentsReference },
    },
  });
}

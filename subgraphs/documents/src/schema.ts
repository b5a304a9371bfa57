import { buildFederatedSchema } from '@ciro/subgraph-common';
import type { GraphQLSchema } from 'graphql';
import { resolveInvoiceDocumentReference } from './invoices/invoice-document.reference';
import { InvoiceDocumentResolver } from './invoices/invoice-document.resolver';

export const documentsResolvers = [InvoiceDocumentResolver] as const;

export function buildDocumentsSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: documentsResolvers,
    referenceResolvers: {
      Invoice: { __resolveReference: resolveInvoiceDocumentReference },
    },
  });
}

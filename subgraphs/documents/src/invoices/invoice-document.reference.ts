import { callerOf } from '@ciro/subgraph-common';
import type { DocumentsContext } from '../context';
import { getInvoiceDocumentOrThrow } from './invoice-document.service';
import type { Invoice } from './invoice-document.type';

/** Federation entry point for Invoice: guards do not run here, the service checks tenant, customer and scopes. */
export function resolveInvoiceDocumentReference(
  reference: Pick<Invoice, 'id'>,
  context: DocumentsContext,
): Promise<Invoice> {
  return getInvoiceDocumentOrThrow(callerOf(context), reference.id);
}

import { callerOf } from '@ciro/subgraph-common';
import type { BillingContext } from '../context';
import type { Invoice } from './invoice.type';
import { getInvoiceOrThrow } from './invoice.service';

/** Federation entry point for Invoice: guards do not run here, the service checks tenant, customer and scopes. */
export function resolveInvoiceReference(reference: Pick<Invoice, 'id'>, context: BillingContext): Promise<Invoice> {
  return getInvoiceOrThrow(callerOf(context), reference.id);
}

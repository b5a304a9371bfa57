import { withTenant } from '@ciro/db';
import {
  ForbiddenError,
  NotFoundError,
  assertClientAccess,
  assertClientAdmin,
  fromTenantIdOrThrow,
  tenantContextFor,
  toGlobalId,
  type Caller,
  type Identity,
} from '@ciro/subgraph-common';
import { renderInvoiceDocument } from '../jobs/render-invoice-document.job';
import type { PdfRenderer } from '../pdf/pdf-renderer';
import type { InvoiceBlobStore } from '../storage/invoice-blob-store';
import { findInvoicePdfRow, type InvoicePdfRow } from './invoice-document.repository';
import { PdfStatus, type Invoice } from './invoice-document.type';

/** `null`: every customer of the client (admins with invoices:read); otherwise only that customer. Same rule as billing. */
function readerCustomerOrThrow(identity: Identity, clientId: string): string | null {
  assertClientAccess(identity, clientId);
  if (identity.role !== 'CUSTOMER_USER' && identity.scopes.includes('invoices:read')) return null;
  if (identity.customerId && identity.scopes.includes('invoices:read:own')) return identity.customerId;
  throw new ForbiddenError('Only administrators of this client or its customers may read its invoices');
}

function toInvoice(row: InvoicePdfRow): Invoice {
  return {
    id: toGlobalId('Invoice', row.clientId, row.id),
    clientId: row.clientId,
    invoiceId: row.id,
    pdfBlobKey: row.pdfBlobKey,
    pdfStatus: (row.pdfStatus as PdfStatus | null) ?? PdfStatus.PENDING,
    pdfError: row.pdfError,
    pdfUrl: null,
  };
}

/**
 * An invoice's document state after the tenant check: another client's id is FORBIDDEN before any query, another
 * customer's invoice is FORBIDDEN for a customer user (never a hint it exists), a made-up id NOT_FOUND for admins.
 */
export async function getInvoiceDocumentOrThrow(caller: Caller, globalId: string): Promise<Invoice> {
  const { clientId, id } = fromTenantIdOrThrow('Invoice', globalId);
  const readerCustomer = readerCustomerOrThrow(caller.identity, clientId);
  const row = await withTenant(caller.database, tenantContextFor(caller.identity, clientId), (tx) =>
    findInvoicePdfRow(tx, clientId, id),
  );
  if (!row || (readerCustomer !== null && row.customerId !== readerCustomer)) {
    if (readerCustomer !== null) throw new ForbiddenError('This invoice belongs to another customer');
    throw new NotFoundError('Invoice', globalId);
  }
  return toInvoice(row);
}

/** A fresh read-only link for a READY invoice (the caller has passed getInvoiceDocumentOrThrow). */
export async function pdfUrlOf(
  invoice: Invoice,
  storage: InvoiceBlobStore,
  ttlSeconds: number,
): Promise<string | null> {
  if (invoice.pdfStatus !== PdfStatus.READY || !invoice.pdfBlobKey) return null;
  return storage.readUrl(invoice.clientId, invoice.pdfBlobKey, ttlSeconds);
}

/** Renders an issued invoice again (administrators of its client); the blob key stays the same. */
export async function regenerateInvoicePdf(
  caller: Caller,
  globalId: string,
  storage: InvoiceBlobStore,
  renderer: PdfRenderer,
): Promise<Invoice> {
  const { clientId, id } = fromTenantIdOrThrow('Invoice', globalId);
  assertClientAdmin(caller.identity, clientId);
  const row = await withTenant(caller.database, tenantContextFor(caller.identity, clientId), (tx) =>
    findInvoicePdfRow(tx, clientId, id),
  );
  if (!row) throw new NotFoundError('Invoice', globalId);
  await renderInvoiceDocument(caller.database, storage, renderer, { clientId, invoiceId: id });
  return getInvoiceDocumentOrThrow(caller, globalId);
}

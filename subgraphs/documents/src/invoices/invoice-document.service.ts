import { withTenant } from '@ciro/db';
import {
  BadUserInputError,
  ForbiddenError,
  NotFoundError,
  assertClientAccess,
  assertClientAdmin,
  fromTenantIdOrThrow,
  tenantContextFor,
  toGlobalId,
  type Caller,
  type Identity,
  type RenderQueue,
} from '@ciro/subgraph-common';
import type { BillingRunDocumentsEvents } from '../events/billing-run-documents.events';
import { renderInvoiceDocument } from '../jobs/render-invoice-document.job';
import type { PdfRenderer } from '../pdf/pdf-renderer';
import type { InvoiceBlobStore } from '../storage/invoice-blob-store';
import { findInvoicePdfRow, setInvoicePdf, type InvoicePdfRow } from './invoice-document.repository';
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

/**
 * Renders an issued invoice again (administrators of its client); the blob key stays the same. With a render queue
 * the invoice goes back to PENDING and the same render job is queued (forced); the PDF is READY when the worker is
 * done. Without one, or when Redis does not answer, it is rendered here and now.
 */
export async function regenerateInvoicePdf(
  caller: Caller,
  globalId: string,
  storage: InvoiceBlobStore,
  renderer: PdfRenderer,
  queued: { queue: RenderQueue | null; events?: BillingRunDocumentsEvents } = { queue: null },
): Promise<Invoice> {
  const { clientId, id } = fromTenantIdOrThrow('Invoice', globalId);
  assertClientAdmin(caller.identity, clientId);
  const tenant = tenantContextFor(caller.identity, clientId);
  const row = await withTenant(caller.database, tenant, (tx) => findInvoicePdfRow(tx, clientId, id));
  if (!row) throw new NotFoundError('Invoice', globalId);
  if (row.status === 'DRAFT') throw new BadUserInputError('invoiceId', 'A draft has no PDF: issue it first');
  let rendered = false;
  if (queued.queue) {
    await withTenant(caller.database, tenant, (tx) => setInvoicePdf(tx, clientId, id, { status: 'PENDING' }));
    try {
      await queued.queue.enqueue([{ clientId, invoiceId: id, billingRunId: row.billingRunId, force: true }]);
      rendered = true;
    } catch {
      // Redis down: render in the request instead.
    }
  }
  if (!rendered) {
    await renderInvoiceDocument(
      caller.database,
      storage,
      renderer,
      { clientId, invoiceId: id },
      { events: queued.events },
    );
  }
  return getInvoiceDocumentOrThrow(caller, globalId);
}

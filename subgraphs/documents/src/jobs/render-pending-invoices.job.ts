import { asSystem, type DatabaseLike } from '@ciro/db';
import type { RenderQueue } from '@ciro/subgraph-common';
import type { BillingRunDocumentsEvents } from '../events/billing-run-documents.events';
import { listInvoicesAwaitingPdf } from '../invoices/invoice-document.repository';
import type { PdfRenderer } from '../pdf/pdf-renderer';
import type { InvoiceBlobStore } from '../storage/invoice-blob-store';
import { renderInvoiceDocument, type RenderInvoiceDocumentResult } from './render-invoice-document.job';

function findPending(database: DatabaseLike, options: { limit?: number; clientId?: string }) {
  return asSystem(database, 'documents: find issued invoices without a PDF', (tx) =>
    listInvoicesAwaitingPdf(tx, options.limit ?? 50, options.clientId),
  );
}

/**
 * Renders every issued invoice that has no PDF yet (up to `limit`), at the renderer's concurrency. The safety net
 * behind the render queue: when billing could not enqueue (Redis down) the documents process finds them here.
 * Finding them crosses tenants (asSystem); each render runs in its own client. FAILED invoices are left for
 * regenerateInvoicePdf.
 */
export async function renderPendingInvoices(
  database: DatabaseLike,
  storage: InvoiceBlobStore,
  renderer: PdfRenderer,
  options: { limit?: number; clientId?: string; events?: BillingRunDocumentsEvents } = {},
): Promise<RenderInvoiceDocumentResult[]> {
  const pending = await findPending(database, options);
  return Promise.all(
    pending.map((invoice) =>
      renderInvoiceDocument(database, storage, renderer, invoice, { events: options.events }).catch(
        (error: unknown): RenderInvoiceDocumentResult => ({
          status: 'FAILED',
          blobKey: null,
          error: error instanceof Error ? error.message : String(error),
          bytes: 0,
        }),
      ),
    ),
  );
}

/**
 * The sweep when a render queue is there: issued invoices still without a PDF go on the queue (a render already
 * queued or running has the same job id, so nothing is rendered twice). Throws when Redis does not answer; the
 * caller then renders them itself with renderPendingInvoices.
 */
export async function enqueuePendingInvoices(
  database: DatabaseLike,
  queue: RenderQueue,
  options: { limit?: number; clientId?: string } = {},
): Promise<number> {
  const pending = await findPending(database, options);
  return queue.enqueue(pending);
}

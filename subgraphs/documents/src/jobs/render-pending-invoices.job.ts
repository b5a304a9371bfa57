import { asSystem, type DatabaseLike } from '@ciro/db';
import { listInvoicesAwaitingPdf } from '../invoices/invoice-document.repository';
import type { PdfRenderer } from '../pdf/pdf-renderer';
import type { InvoiceBlobStore } from '../storage/invoice-blob-store';
import { renderInvoiceDocument, type RenderInvoiceDocumentResult } from './render-invoice-document.job';

/**
 * Renders every issued invoice that has no PDF yet (up to `limit`), at the renderer's concurrency. Until billing
 * publishes an "invoices issued" event for a BullMQ worker, the documents process runs this on a timer: an invoice gets
 * its PDF seconds after issueInvoices. Finding them crosses tenants (asSystem); each render runs in its own client.
 * FAILED invoices are left for regenerateInvoicePdf.
 */
export async function renderPendingInvoices(
  database: DatabaseLike,
  storage: InvoiceBlobStore,
  renderer: PdfRenderer,
  options: { limit?: number; clientId?: string } = {},
): Promise<RenderInvoiceDocumentResult[]> {
  const pending = await asSystem(database, 'documents: find issued invoices without a PDF', (tx) =>
    listInvoicesAwaitingPdf(tx, options.limit ?? 50, options.clientId),
  );
  return Promise.all(
    pending.map((invoice) =>
      renderInvoiceDocument(database, storage, renderer, invoice).catch(
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

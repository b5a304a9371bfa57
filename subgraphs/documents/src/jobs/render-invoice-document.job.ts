import { withTenant, type DatabaseLike, type TenantContext } from '@ciro/db';
import type { BillingRunDocumentsEvents } from '../events/billing-run-documents.events';
import type { PdfRenderer } from '../pdf/pdf-renderer';
import { invoiceFooterTemplate, renderInvoiceHtml } from '../render/render-invoice-html';
import type { InvoiceBlobStore } from '../storage/invoice-blob-store';
import { findInvoicePdfRow, loadInvoiceDocumentModel, setInvoicePdf } from '../invoices/invoice-document.repository';

export { RENDER_INVOICE_JOB as RENDER_INVOICE_PDF_JOB } from '@ciro/subgraph-common';

export interface RenderInvoiceDocumentResult {
  status: 'READY' | 'FAILED';
  blobKey: string | null;
  error: string | null;
  bytes: number;
  /** The invoice's billing run (raw uuid), when it has one. */
  billingRunId?: string | null;
  /** True when nothing was rendered because the PDF was already READY (skipIfReady). */
  skipped?: boolean;
}

export interface RenderInvoiceDocumentOptions {
  /**
   * `record` (default): a failure is stored as FAILED with its reason and returned. `retry`: a failure is thrown and
   * the invoice stays PENDING (with the reason in pdf_error), for a queue that will try again.
   */
  onFailure?: 'record' | 'retry';
  /** Leave an invoice whose PDF is already READY alone (the "issued" event and the sweep; not regenerate). */
  skipIfReady?: boolean;
  /** Where a finished render of a billing run's invoice is announced. */
  events?: BillingRunDocumentsEvents;
  /** Told when announcing fails (the render itself stands). */
  onEventError?: (error: unknown) => void;
}

/** The invoice does not exist (or is not visible): retrying will not help. */
export class InvoiceNotFoundForRenderError extends Error {}

/** Thrown with onFailure 'retry'; the invoice is still PENDING. */
export class RenderAttemptError extends Error {}

/**
 * Renders one invoice to PDF, stores it under its deterministic key (replacing an earlier render) and records
 * pdf_status / pdf_blob_key / pdf_error; then, for an invoice of a billing run, announces READY or FAILED on the run's
 * channel. Idempotent. Callers decide who may trigger it.
 */
export async function renderInvoiceDocument(
  database: DatabaseLike,
  storage: InvoiceBlobStore,
  renderer: PdfRenderer,
  invoice: { clientId: string; invoiceId: string },
  options: RenderInvoiceDocumentOptions = {},
): Promise<RenderInvoiceDocumentResult> {
  const { clientId, invoiceId } = invoice;
  // The worker acts as an administrator of the invoice's own client: RLS still keeps it inside that tenant.
  const tenant: TenantContext = { role: 'CLIENT_ADMIN', clientId, customerId: null, userId: null };
  const loaded = await withTenant(database, tenant, async (tx) => {
    const row = await findInvoicePdfRow(tx, clientId, invoiceId);
    if (!row) return null;
    if (options.skipIfReady && row.pdfStatus === 'READY') return { row, model: null };
    const model = await loadInvoiceDocumentModel(tx, clientId, invoiceId);
    if (model && row.pdfStatus !== 'PENDING') await setInvoicePdf(tx, clientId, invoiceId, { status: 'PENDING' });
    return { row, model };
  });
  if (!loaded) throw new InvoiceNotFoundForRenderError(`invoice ${invoiceId} of client ${clientId} does not exist`);
  const billingRunId = loaded.row.billingRunId;
  if (!loaded.model) {
    return { status: 'READY', blobKey: loaded.row.pdfBlobKey, error: null, bytes: 0, billingRunId, skipped: true };
  }
  const model = loaded.model;
  let result: RenderInvoiceDocumentResult;
  try {
    const pdf = await renderer.renderPdf(renderInvoiceHtml(model), { footerTemplate: invoiceFooterTemplate(model) });
    const stored = await storage.putInvoicePdf(clientId, invoiceId, pdf);
    await withTenant(database, tenant, (tx) =>
      setInvoicePdf(tx, clientId, invoiceId, { status: 'READY', blobKey: stored.key, error: null }),
    );
    result = { status: 'READY', blobKey: stored.key, error: null, bytes: pdf.length, billingRunId };
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    const retry = options.onFailure === 'retry';
    await withTenant(database, tenant, (tx) =>
      setInvoicePdf(tx, clientId, invoiceId, { status: retry ? 'PENDING' : 'FAILED', error: message }),
    );
    if (retry) throw new RenderAttemptError(message);
    result = { status: 'FAILED', blobKey: null, error: message, bytes: 0, billingRunId };
  }
  if (billingRunId && options.events) {
    await options.events
      .publish(clientId, { runId: billingRunId, invoiceId, pdfStatus: result.status })
      .catch((error: unknown) => options.onEventError?.(error));
  }
  return result;
}

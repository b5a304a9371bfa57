import { withTenant, type DatabaseLike, type TenantContext } from '@ciro/db';
import type { PdfRenderer } from '../pdf/pdf-renderer';
import { invoiceFooterTemplate, renderInvoiceHtml } from '../render/render-invoice-html';
import type { InvoiceBlobStore } from '../storage/invoice-blob-store';
import { loadInvoiceDocumentModel, setInvoicePdf } from '../invoices/invoice-document.repository';

export const RENDER_INVOICE_PDF_JOB = 'render-invoice-pdf';

export interface RenderInvoiceDocumentResult {
  status: 'READY' | 'FAILED';
  blobKey: string | null;
  error: string | null;
  bytes: number;
}

/**
 * Renders one invoice to PDF, stores it under its deterministic key (replacing an earlier render) and records
 * pdf_status / pdf_blob_key / pdf_error. Idempotent; a failure is recorded as FAILED with its reason, not thrown.
 * Callers decide who may trigger it.
 */
export async function renderInvoiceDocument(
  database: DatabaseLike,
  storage: InvoiceBlobStore,
  renderer: PdfRenderer,
  invoice: { clientId: string; invoiceId: string },
): Promise<RenderInvoiceDocumentResult> {
  const { clientId, invoiceId } = invoice;
  // The worker acts as an administrator of the invoice's own client: RLS still keeps it inside that tenant.
  const tenant: TenantContext = { role: 'CLIENT_ADMIN', clientId, customerId: null, userId: null };
  const model = await withTenant(database, tenant, async (tx) => {
    const loaded = await loadInvoiceDocumentModel(tx, clientId, invoiceId);
    if (loaded) await setInvoicePdf(tx, clientId, invoiceId, { status: 'PENDING' });
    return loaded;
  });
  if (!model) throw new Error(`invoice ${invoiceId} of client ${clientId} does not exist`);
  try {
    const pdf = await renderer.renderPdf(renderInvoiceHtml(model), { footerTemplate: invoiceFooterTemplate(model) });
    const stored = await storage.putInvoicePdf(clientId, invoiceId, pdf);
    await withTenant(database, tenant, (tx) =>
      setInvoicePdf(tx, clientId, invoiceId, { status: 'READY', blobKey: stored.key, error: null }),
    );
    return { status: 'READY', blobKey: stored.key, error: null, bytes: pdf.length };
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    await withTenant(database, tenant, (tx) =>
      setInvoicePdf(tx, clientId, invoiceId, { status: 'FAILED', error: message }),
    );
    return { status: 'FAILED', blobKey: null, error: message, bytes: 0 };
  }
}

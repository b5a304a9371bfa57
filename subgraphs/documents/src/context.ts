import type { Database } from '@ciro/db';
import type { RenderQueue, RequestContext } from '@ciro/subgraph-common';
import type { BillingRunDocumentsEvents } from './events/billing-run-documents.events';
import type { PdfRenderer } from './pdf/pdf-renderer';
import type { InvoiceBlobStore } from './storage/invoice-blob-store';

export interface DocumentsSettings {
  jwtSecret: string;
  /** Lifetime of a pdfUrl. */
  pdfUrlTtlSeconds: number;
}

export interface DocumentsContext extends RequestContext {
  database: Database;
  settings: DocumentsSettings;
  storage: InvoiceBlobStore;
  renderer: PdfRenderer;
  /** The render queue; null when the process runs without Redis (renders then happen in the request). */
  renderQueue: RenderQueue | null;
  events: BillingRunDocumentsEvents;
}

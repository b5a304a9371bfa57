import type { Database } from '@ciro/db';
import type { RequestContext } from '@ciro/subgraph-common';
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
}

import type { Database } from '@ciro/db';
import { createLogger, listenSubgraph, type Logger, type RunningSubgraph } from '@ciro/subgraph-common';
import type { DocumentsContext, DocumentsSettings } from './context';
import type { PdfRenderer } from './pdf/pdf-renderer';
import { buildDocumentsSchema } from './schema';
import type { InvoiceBlobStore } from './storage/invoice-blob-store';

export interface DocumentsServerOptions {
  database: Database;
  settings: DocumentsSettings;
  storage: InvoiceBlobStore;
  renderer: PdfRenderer;
  port: number;
  logger?: Logger;
  introspection?: boolean;
}

/** Starts the documents subgraph; used by main.ts and by tests. */
export async function startDocumentsServer(options: DocumentsServerOptions): Promise<RunningSubgraph> {
  return listenSubgraph<DocumentsContext>({
    name: 'documents',
    schema: await buildDocumentsSchema(),
    port: options.port,
    jwtSecret: options.settings.jwtSecret,
    logger: options.logger ?? createLogger('documents'),
    introspection: options.introspection ?? false,
    extendContext: (base) => ({
      ...base,
      database: options.database,
      settings: options.settings,
      storage: options.storage,
      renderer: options.renderer,
    }),
    readiness: async () => {
      await options.database.sql`select 1`;
      await options.storage.ping();
      return true;
    },
  });
}

import { createDb } from '@ciro/db';
import { createLogger, runServiceProcess } from '@ciro/subgraph-common';
import { readDocumentsEnv } from './env';
import { renderPendingInvoices } from './jobs/render-pending-invoices.job';
import { PdfRenderer } from './pdf/pdf-renderer';
import { startDocumentsServer } from './server';
import { InvoiceBlobStore } from './storage/invoice-blob-store';

runServiceProcess('documents subgraph', () => {
  const env = readDocumentsEnv();
  const logger = createLogger('documents', env.LOG_LEVEL);
  return {
    logger,
    start: async () => {
      const database = createDb({ url: env.DATABASE_URL, max: env.DATABASE_POOL_MAX });
      const renderer = new PdfRenderer({
        executablePath: env.CHROMIUM_PATH,
        timeoutMs: env.PDF_RENDER_TIMEOUT_MS,
        concurrency: env.PDF_CONCURRENCY,
      });
      const storage = new InvoiceBlobStore(env.AZURE_STORAGE_CONNECTION_STRING);
      const server = await startDocumentsServer({
        database,
        logger,
        port: env.DOCUMENTS_PORT,
        introspection: env.NODE_ENV !== 'production',
        storage,
        renderer,
        settings: { jwtSecret: env.JWT_SECRET, pdfUrlTtlSeconds: env.PDF_URL_TTL_SECONDS },
      });
      let sweeping = false;
      const sweep = async () => {
        if (sweeping) return;
        sweeping = true;
        try {
          const results = await renderPendingInvoices(database, storage, renderer);
          if (results.length > 0) {
            logger.info(
              { rendered: results.filter((r) => r.status === 'READY').length, total: results.length },
              'invoice PDFs',
            );
          }
        } catch (error) {
          logger.error({ err: error }, 'invoice PDF sweep failed');
        } finally {
          sweeping = false;
        }
      };
      const timer = env.PDF_SWEEP_INTERVAL_MS > 0 ? setInterval(() => void sweep(), env.PDF_SWEEP_INTERVAL_MS) : null;
      return {
        url: server.url,
        close: async () => {
          if (timer) clearInterval(timer);
          await server.stop();
          await renderer.close();
          await database.close();
        },
      };
    },
  };
});

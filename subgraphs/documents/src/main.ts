import { createDb } from '@ciro/db';
import { createLogger, runServiceProcess } from '@ciro/subgraph-common';
import { readDocumentsEnv } from './env';
import { startPdfSweep } from './jobs/pdf-sweep';
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
        queue: {
          redisUrl: env.REDIS_URL,
          prefix: env.DOCUMENTS_QUEUE_PREFIX,
          worker: env.DOCUMENTS_WORKER === 'in-process' ? { concurrency: env.PDF_CONCURRENCY } : false,
        },
      });
      const sweep = startPdfSweep({
        intervalMs: env.PDF_SWEEP_INTERVAL_MS,
        database,
        storage,
        renderer,
        queue: server.renderQueue,
        events: server.events,
        logger,
      });
      return {
        url: server.url,
        close: async () => {
          sweep.stop();
          await server.stop();
          await renderer.close();
          await database.close();
        },
      };
    },
  };
});

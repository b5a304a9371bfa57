import { createDb } from '@ciro/db';
import { RENDER_QUEUE_NAME, createLogger, runServiceProcess } from '@ciro/subgraph-common';
import { Redis } from 'ioredis';
import { readDocumentsEnv } from '../env';
import { createBillingRunDocumentsEvents } from '../events/billing-run-documents.events';
import { PdfRenderer } from '../pdf/pdf-renderer';
import { InvoiceBlobStore } from '../storage/invoice-blob-store';
import { startRenderWorker } from './render-worker';

/** The render worker alone (DOCUMENTS_WORKER=off in the subgraph process): `npm run worker -w @ciro/documents`. */
runServiceProcess('documents worker', () => {
  const env = readDocumentsEnv();
  const logger = createLogger('documents-worker', env.LOG_LEVEL);
  return {
    logger,
    start: async () => {
      const database = createDb({
        url: env.DATABASE_URL,
        max: env.DATABASE_POOL_MAX,
        applicationName: 'documents-worker',
      });
      const renderer = new PdfRenderer({
        executablePath: env.CHROMIUM_PATH,
        timeoutMs: env.PDF_RENDER_TIMEOUT_MS,
        concurrency: env.PDF_CONCURRENCY,
      });
      const publisher = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 3 });
      const worker = await startRenderWorker({
        queue: { redisUrl: env.REDIS_URL, prefix: env.DOCUMENTS_QUEUE_PREFIX },
        concurrency: env.PDF_CONCURRENCY,
        database,
        storage: new InvoiceBlobStore(env.AZURE_STORAGE_CONNECTION_STRING),
        renderer,
        events: createBillingRunDocumentsEvents(publisher),
        logger,
      });
      return {
        url: `queue ${RENDER_QUEUE_NAME}`,
        close: async () => {
          await worker.close();
          await renderer.close();
          publisher.disconnect();
          await database.close();
        },
      };
    },
  };
});

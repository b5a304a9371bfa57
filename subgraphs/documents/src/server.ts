import type { Database } from '@ciro/db';
import {
  createLogger,
  createRenderQueue,
  listenSubgraph,
  type Logger,
  type RenderQueue,
  type RunningSubgraph,
} from '@ciro/subgraph-common';
import { Redis } from 'ioredis';
import type { DocumentsContext, DocumentsSettings } from './context';
import {
  NO_BILLING_RUN_DOCUMENTS_EVENTS,
  createBillingRunDocumentsEvents,
  type BillingRunDocumentsEvents,
} from './events/billing-run-documents.events';
import { startRenderWorker, type RunningRenderWorker } from './jobs/render-worker';
import type { PdfRenderer } from './pdf/pdf-renderer';
import { buildDocumentsSchema } from './schema';
import type { InvoiceBlobStore } from './storage/invoice-blob-store';

export interface DocumentsQueueOptions {
  redisUrl: string;
  /** BullMQ key prefix (DOCUMENTS_QUEUE_PREFIX, default `ciro`); tests use their own. */
  prefix: string;
  /** Run the render worker in this process (default: yes, at the renderer's concurrency). */
  worker?: boolean | { concurrency: number };
}

export interface DocumentsServerOptions {
  database: Database;
  settings: DocumentsSettings;
  storage: InvoiceBlobStore;
  renderer: PdfRenderer;
  port: number;
  /** The render queue and its worker; without it regenerateInvoicePdf renders in the request and nothing is announced. */
  queue?: DocumentsQueueOptions;
  logger?: Logger;
  introspection?: boolean;
}

export interface RunningDocuments extends RunningSubgraph {
  renderQueue: RenderQueue | null;
  events: BillingRunDocumentsEvents;
}

/** Starts the documents subgraph (and, with a queue, its render worker); used by main.ts and by tests. */
export async function startDocumentsServer(options: DocumentsServerOptions): Promise<RunningDocuments> {
  const logger = options.logger ?? createLogger('documents');
  let publisher: Redis | null = null;
  let renderQueue: RenderQueue | null = null;
  let worker: RunningRenderWorker | null = null;
  let events = NO_BILLING_RUN_DOCUMENTS_EVENTS;
  const closeQueue = async () => {
    await worker?.close();
    await renderQueue?.close();
    publisher?.disconnect();
  };
  let server: RunningSubgraph;
  try {
    if (options.queue) {
      const { redisUrl, prefix } = options.queue;
      publisher = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
      publisher.on('error', (error) => logger.warn({ err: error }, 'documents Redis publisher'));
      events = createBillingRunDocumentsEvents(publisher);
      renderQueue = createRenderQueue({ redisUrl, prefix }, (error) =>
        logger.warn({ err: error }, 'documents render queue'),
      );
      if (options.queue.worker !== false) {
        worker = await startRenderWorker({
          queue: { redisUrl, prefix },
          concurrency:
            typeof options.queue.worker === 'object'
              ? options.queue.worker.concurrency
              : options.renderer.concurrencyLimit,
          database: options.database,
          storage: options.storage,
          renderer: options.renderer,
          events,
          logger: logger.child({ component: 'render-worker' }),
        });
      }
    }
    const context = { renderQueue, events };
    server = await listenSubgraph<DocumentsContext>({
      name: 'documents',
      schema: await buildDocumentsSchema(),
      port: options.port,
      jwtSecret: options.settings.jwtSecret,
      logger,
      introspection: options.introspection ?? false,
      extendContext: (base) => ({
        ...base,
        database: options.database,
        settings: options.settings,
        storage: options.storage,
        renderer: options.renderer,
        ...context,
      }),
      readiness: async () => {
        await options.database.sql`select 1`;
        await options.storage.ping();
        return true;
      },
    });
  } catch (error) {
    await closeQueue();
    throw error;
  }
  return {
    ...server,
    renderQueue,
    events,
    async stop() {
      await server.stop();
      await closeQueue();
    },
  };
}

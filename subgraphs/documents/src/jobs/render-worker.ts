import type { DatabaseLike } from '@ciro/db';
import {
  RENDER_INVOICE_JOB,
  RENDER_QUEUE_NAME,
  type Logger,
  type RenderInvoiceJobData,
  type RenderQueueSettings,
} from '@ciro/subgraph-common';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { BillingRunDocumentsEvents } from '../events/billing-run-documents.events';
import type { PdfRenderer } from '../pdf/pdf-renderer';
import type { InvoiceBlobStore } from '../storage/invoice-blob-store';
import {
  InvoiceNotFoundForRenderError,
  renderInvoiceDocument,
  type RenderInvoiceDocumentResult,
} from './render-invoice-document.job';

export interface RenderWorkerOptions {
  queue: Pick<RenderQueueSettings, 'redisUrl' | 'prefix'>;
  /** Renders at once (PDF_CONCURRENCY); the renderer's own limit is the same. */
  concurrency: number;
  database: DatabaseLike;
  storage: InvoiceBlobStore;
  renderer: PdfRenderer;
  events: BillingRunDocumentsEvents;
  logger: Logger;
}

export interface RunningRenderWorker {
  close(): Promise<void>;
}

/** One attempt of a render job: earlier attempts leave the invoice PENDING and throw; the last records FAILED. */
export async function processRenderJob(
  options: Omit<RenderWorkerOptions, 'queue' | 'concurrency'>,
  job: Pick<Job<RenderInvoiceJobData>, 'data' | 'attemptsMade' | 'opts' | 'id'>,
): Promise<RenderInvoiceDocumentResult> {
  const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  try {
    const result = await renderInvoiceDocument(options.database, options.storage, options.renderer, job.data, {
      onFailure: last ? 'record' : 'retry',
      skipIfReady: !job.data.force,
      events: options.events,
      onEventError: (error) => options.logger.warn({ err: error, jobId: job.id }, 'could not announce the render'),
    });
    if (result.status === 'FAILED') throw new UnrecoverableError(`PDF render failed: ${result.error ?? 'unknown'}`);
    return result;
  } catch (error) {
    if (error instanceof InvoiceNotFoundForRenderError) throw new UnrecoverableError(error.message);
    throw error;
  }
}

/**
 * The BullMQ consumer of `documents-render`: renders each issued invoice with the shared browser, retries with
 * backoff, and records the last failure on the invoice. Runs in the documents process (default) or alone (worker.ts).
 */
export async function startRenderWorker(options: RenderWorkerOptions): Promise<RunningRenderWorker> {
  const { logger } = options;
  const worker = new Worker<RenderInvoiceJobData, RenderInvoiceDocumentResult>(
    RENDER_QUEUE_NAME,
    async (job) => {
      if (job.name !== RENDER_INVOICE_JOB) throw new UnrecoverableError(`Unknown documents job ${job.name}`);
      return processRenderJob(options, job);
    },
    {
      connection: { url: options.queue.redisUrl, maxRetriesPerRequest: null },
      prefix: options.queue.prefix,
      concurrency: options.concurrency,
    },
  );
  worker.on('failed', (job, error) =>
    logger.warn({ err: error, jobId: job?.id, attempts: job?.attemptsMade }, 'invoice render attempt failed'),
  );
  worker.on('error', (error) => logger.error({ err: error }, 'documents render worker error'));
  await worker.waitUntilReady();
  return { close: () => worker.close() };
}

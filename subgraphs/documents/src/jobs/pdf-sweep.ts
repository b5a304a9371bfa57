import type { DatabaseLike } from '@ciro/db';
import type { Logger, RenderQueue } from '@ciro/subgraph-common';
import type { BillingRunDocumentsEvents } from '../events/billing-run-documents.events';
import type { PdfRenderer } from '../pdf/pdf-renderer';
import type { InvoiceBlobStore } from '../storage/invoice-blob-store';
import { enqueuePendingInvoices, renderPendingInvoices } from './render-pending-invoices.job';

export interface PdfSweep {
  stop(): void;
}

/**
 * Every `intervalMs`, issued invoices without a PDF go on the render queue; when Redis does not answer (or there is
 * no queue) this process renders them itself. Never two sweeps at once.
 */
export function startPdfSweep(options: {
  intervalMs: number;
  database: DatabaseLike;
  storage: InvoiceBlobStore;
  renderer: PdfRenderer;
  queue: RenderQueue | null;
  events: BillingRunDocumentsEvents;
  logger: Logger;
}): PdfSweep {
  const { logger } = options;
  let sweeping = false;
  const sweep = async () => {
    if (sweeping) return;
    sweeping = true;
    try {
      if (options.queue) {
        try {
          const queued = await enqueuePendingInvoices(options.database, options.queue);
          if (queued > 0) logger.info({ queued }, 'invoice PDFs queued by the sweep');
          return;
        } catch (error) {
          logger.warn({ err: error }, 'render queue unavailable: the sweep renders the invoices itself');
        }
      }
      const results = await renderPendingInvoices(options.database, options.storage, options.renderer, {
        events: options.events,
      });
      if (results.length > 0) {
        logger.info(
          { rendered: results.filter((r) => r.status === 'READY').length, total: results.length },
          'invoice PDFs rendered by the sweep',
        );
      }
    } catch (error) {
      logger.error({ err: error }, 'invoice PDF sweep failed');
    } finally {
      sweeping = false;
    }
  };
  const timer = options.intervalMs > 0 ? setInterval(() => void sweep(), options.intervalMs) : null;
  timer?.unref();
  return {
    stop: () => {
      if (timer) clearInterval(timer);
    },
  };
}

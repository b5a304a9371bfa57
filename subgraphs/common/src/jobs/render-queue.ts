import { Queue, type JobsOptions } from 'bullmq';

/**
 * "Invoices issued" → "render their PDF": billing produces, documents consumes. Both import this module, so neither
 * subgraph depends on the other. BullMQ refuses `:` in queue names, so the queue is `documents-render` (its Redis keys
 * are `<prefix>:documents-render:*`).
 */
export const RENDER_QUEUE_NAME = 'documents-render';
export const RENDER_INVOICE_JOB = 'render-invoice-pdf';
/** BullMQ key prefix when nothing says otherwise (DOCUMENTS_QUEUE_PREFIX). */
export const DEFAULT_RENDER_QUEUE_PREFIX = 'ciro';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** One render job: raw uuids, never global ids. */
export interface RenderInvoiceJobData {
  clientId: string;
  invoiceId: string;
  /** The billing run the invoice came from, when it did (its progress is published after the render). */
  billingRunId: string | null;
  /** Render again even when a PDF is READY (regenerateInvoicePdf). */
  force?: boolean;
}

/** `render:<clientId>:<invoiceId>`: a second enqueue of a waiting or active render is a no-op. */
export function renderJobIdOf(job: { clientId: string; invoiceId: string }): string {
  return `render:${job.clientId}:${job.invoiceId}`;
}

/** Three attempts, 2 s then 4 s apart; the last failure is recorded on the invoice (pdf_status FAILED). */
export const RENDER_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
};

export interface RenderQueueSettings {
  redisUrl: string;
  /** BullMQ key prefix; producer and consumer must agree (tests use their own). */
  prefix: string;
  /** How long an enqueue may take before the caller gives up (default 2000 ms); Redis down must not block issuing. */
  timeoutMs?: number;
}

export interface RenderQueue {
  readonly settings: RenderQueueSettings;
  /**
   * Adds one job per invoice (idempotent by job id). With `force`, a finished job of the same invoice is removed
   * first so the render runs again; a render already waiting is left to run. Rejects when Redis does not answer in
   * time.
   */
  enqueue(jobs: RenderInvoiceJobData[]): Promise<number>;
  close(): Promise<void>;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer from Redis within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function createRenderQueue(
  settings: RenderQueueSettings,
  onError: (error: Error) => void = () => {},
): RenderQueue {
  const queue = new Queue<RenderInvoiceJobData>(RENDER_QUEUE_NAME, {
    connection: { url: settings.redisUrl, enableOfflineQueue: false, maxRetriesPerRequest: 1 },
    prefix: settings.prefix,
    defaultJobOptions: RENDER_JOB_OPTIONS,
  });
  queue.on('error', onError);
  const timeoutMs = settings.timeoutMs ?? 2000;

  async function addOne(data: RenderInvoiceJobData): Promise<void> {
    const jobId = renderJobIdOf(data);
    if (data.force) {
      const existing = await queue.getJob(jobId);
      if (existing) {
        const state = await existing.getState();
        if (state === 'completed' || state === 'failed') {
          await existing.remove().catch(() => undefined);
        } else if (state === 'active') {
          // The running render may predate what the caller changed: queue one more under its own id.
          await queue.add(RENDER_INVOICE_JOB, data, {
            jobId: `rerender-${Date.now()}:${data.clientId}:${data.invoiceId}`,
          });
          return;
        } else {
          return; // waiting or delayed: it has not rendered yet
        }
      }
    }
    await queue.add(RENDER_INVOICE_JOB, data, { jobId });
  }

  return {
    settings,
    async enqueue(jobs) {
      if (jobs.length === 0) return 0;
      await withTimeout(
        (async () => {
          await queue.waitUntilReady();
          for (const job of jobs) await addOne(job);
        })(),
        timeoutMs,
        `enqueue ${jobs.length} invoice render(s)`,
      );
      return jobs.length;
    },
    close: () => queue.close(),
  };
}

/**
 * The render queue of this process for producers that have no queue of their own (billing's issueInvoices):
 * `configureRenderQueue` wins, otherwise REDIS_URL + DOCUMENTS_QUEUE_PREFIX. Under NODE_ENV=test nothing is enqueued
 * unless the test configures a queue: test files share one Redis and each runs its own workers under its own prefix.
 * RENDER_QUEUE=off disables it (the documents sweep still renders the invoices).
 */
export function renderQueueSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): RenderQueueSettings | null {
  if (env.RENDER_QUEUE === 'off' || env.NODE_ENV === 'test') return null;
  return {
    redisUrl: env.REDIS_URL ?? DEFAULT_REDIS_URL,
    prefix: env.DOCUMENTS_QUEUE_PREFIX ?? DEFAULT_RENDER_QUEUE_PREFIX,
  };
}

let processQueue: RenderQueue | null | undefined;
let lastError: { message: string; at: number } | null = null;

/** Sets (or, with null, disables) the queue publishInvoicesIssued uses; closes the one it replaces. */
export async function configureRenderQueue(settings: RenderQueueSettings | null): Promise<void> {
  const previous = processQueue;
  processQueue = settings ? createRenderQueue(settings, rememberError) : null;
  await previous?.close().catch(() => undefined);
}

function rememberError(error: Error): void {
  lastError = { message: error.message, at: Date.now() };
}

function currentQueue(): RenderQueue | null {
  if (processQueue === undefined) {
    const settings = renderQueueSettingsFromEnv();
    processQueue = settings ? createRenderQueue(settings, rememberError) : null;
  }
  return processQueue;
}

export interface InvoicesIssuedOutcome {
  enqueued: number;
  /** Why nothing was enqueued (Redis down, no queue configured); the documents sweep renders those invoices later. */
  error: string | null;
}

/**
 * Publishes "invoices issued" as one render job per invoice. Never throws: an invoice whose job could not be queued
 * keeps pdf_status PENDING and the documents sweep picks it up.
 */
export async function publishInvoicesIssued(jobs: RenderInvoiceJobData[]): Promise<InvoicesIssuedOutcome> {
  const queue = currentQueue();
  if (!queue) return { enqueued: 0, error: 'no render queue configured' };
  try {
    return { enqueued: await queue.enqueue(jobs), error: null };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const recent = lastError && Date.now() - lastError.at < 10_000 ? ` (${lastError.message})` : '';
    return { enqueued: 0, error: `${message}${recent}` };
  }
}

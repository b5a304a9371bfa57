import { asSystem, createDb } from '@ciro/db';
import { createLogger, runServiceProcess, type Logger } from '@ciro/subgraph-common';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { readBillingEnv } from '../env';
import { createBillingRunEvents } from '../runs/billing-run-events';
import { listUnfinishedRuns } from '../runs/billing-run.repository';
import { resumeRun, type BillingRunDeps } from '../runs/billing-run.steps';
import { createPricingPool } from '../runs/pricing-pool';
import { RunScopeCache } from '../runs/run-scope-cache';
import { BILL_CUSTOMER_JOB, handleBillCustomer } from './bill-customer.job';
import { FINISH_BILLING_RUN_JOB, handleFinishBillingRun, markBillingRunFailed } from './finish-billing-run.job';
import { BILLING_QUEUE, createBillingRunQueue, type QueueSettings } from './queue';

export interface BillingWorkerOptions extends QueueSettings {
  /** `queue` must be a queue on the same Redis and prefix (a resume re-enqueues through it). */
  deps: BillingRunDeps;
  concurrency?: number;
  /**
   * Resume every unfinished run (QUEUED/RUNNING) of the database when the worker starts: runs whose parent job is
   * still queued are left alone, the others get a child for each customer without an outcome. Default false: only a
   * deployment's workers (one Redis prefix per database) should, never a test's private queue.
   */
  resumeOnStart?: boolean;
}

export interface RunningWorker {
  close(): Promise<void>;
}

/** Resumes the unfinished runs of every client (or of one); one run's failure does not stop the others. */
export async function resumeUnfinishedRuns(deps: BillingRunDeps, filter: { clientId?: string } = {}): Promise<number> {
  const runs = await asSystem(deps.database, 'billing worker: resume unfinished runs', (tx) =>
    listUnfinishedRuns(tx, filter.clientId),
  );
  let resumed = 0;
  for (const run of runs) {
    try {
      if ((await resumeRun(deps, { clientId: run.clientId, runId: run.id })) === 'RESUMED') resumed += 1;
    } catch (error) {
      deps.logger.error({ err: error, runId: run.id }, 'could not resume a billing run');
    }
  }
  return resumed;
}

/**
 * The BullMQ consumer of the billing queue. Lifecycle only: each job goes to its handler (a plain function). Runs
 * inside the subgraph process (dev, tests) or alone.
 */
export async function startBillingWorker(options: BillingWorkerOptions): Promise<RunningWorker> {
  const { deps } = options;
  const logger: Logger = deps.logger;
  const worker = new Worker(
    BILLING_QUEUE,
    async (job) => {
      if (job.name === BILL_CUSTOMER_JOB) {
        return handleBillCustomer(deps, job.data, { lastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) });
      }
      if (job.name === FINISH_BILLING_RUN_JOB) return handleFinishBillingRun(deps, job.data);
      throw new Error(`Unknown billing job ${job.name}`);
    },
    {
      connection: { url: options.redisUrl, maxRetriesPerRequest: null },
      prefix: options.prefix,
      concurrency: options.concurrency ?? 2,
    },
  );
  worker.on('failed', (job, error) => {
    logger.error({ err: error, jobId: job?.id, attempts: job?.attemptsMade }, 'billing job failed');
    if (job && job.name === FINISH_BILLING_RUN_JOB && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      markBillingRunFailed(deps, job.data, error.message).catch((err: unknown) =>
        logger.error({ err, jobId: job.id }, 'could not mark the billing run FAILED'),
      );
    }
  });
  worker.on('error', (error) => logger.error({ err: error }, 'billing worker error'));
  await worker.waitUntilReady();
  if (options.resumeOnStart) {
    const resumed = await resumeUnfinishedRuns(deps);
    if (resumed > 0) logger.info({ resumed }, 'billing runs resumed');
  }
  return { close: () => worker.close() };
}

if (require.main === module) {
  runServiceProcess('billing worker', () => {
    const env = readBillingEnv();
    const logger = createLogger('billing-worker', env.LOG_LEVEL);
    return {
      logger,
      start: async () => {
        const database = createDb({
          url: env.DATABASE_URL,
          max: env.DATABASE_POOL_MAX,
          applicationName: 'billing-worker',
        });
        const publisher = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 3 });
        const settings = { redisUrl: env.REDIS_URL, prefix: env.BILLING_QUEUE_PREFIX };
        const queue = createBillingRunQueue(settings);
        const pricing = createPricingPool(env.BILLING_ENGINE_THREADS);
        const worker = await startBillingWorker({
          ...settings,
          concurrency: env.BILLING_WORKER_CONCURRENCY,
          resumeOnStart: true,
          deps: {
            database,
            events: createBillingRunEvents(publisher),
            logger,
            queue,
            scopes: new RunScopeCache(),
            pricing,
          },
        });
        return {
          url: `queue ${BILLING_QUEUE}`,
          close: async () => {
            await worker.close();
            await queue.close();
            await pricing.close();
            publisher.disconnect();
            await database.close();
          },
        };
      },
    };
  });
}

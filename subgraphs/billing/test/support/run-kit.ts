/**
 * Billing runs in tests: a private BullMQ prefix with the real queue and worker in this process, progress events on
 * the real Redis, and helpers that queue a run and wait until it reaches a final status.
 */
import { randomBytes } from 'node:crypto';
import type { Database } from '@ciro/db';
import { createLogger, toGlobalId, type Caller } from '@ciro/subgraph-common';
import { Redis } from 'ioredis';
import { createBillingRunQueue } from '../../src/jobs/queue';
import { startBillingWorker, type RunningWorker } from '../../src/jobs/worker';
import { createBillingRunEvents, NO_BILLING_RUN_EVENTS } from '../../src/runs/billing-run-events';
import { getBillingRunOrThrow, queueBillingRun } from '../../src/runs/billing-run.service';
import type { BillingRunDeps } from '../../src/runs/billing-run.steps';
import type { BillingRun } from '../../src/runs/billing-run.type';
import type { PricingPool } from '../../src/runs/pricing-pool';
import { RunScopeCache } from '../../src/runs/run-scope-cache';

export const TERMINAL = ['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED'];

export function redisUrl(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

export interface RunKit {
  deps: BillingRunDeps;
  prefix: string;
  /** Starts the worker (started by default). */
  startWorker(options?: { concurrency?: number }): Promise<void>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

/** The queue (and, unless `worker: false`, a worker) on a prefix of its own. */
export async function startRunKit(
  database: Database,
  options: { worker?: boolean; events?: boolean; prefix?: string; pricing?: PricingPool } = {},
): Promise<RunKit> {
  const prefix = options.prefix ?? `test-billing-${randomBytes(4).toString('hex')}`;
  const publisher = options.events ? new Redis(redisUrl(), { maxRetriesPerRequest: 3 }) : null;
  const queue = createBillingRunQueue({ redisUrl: redisUrl(), prefix });
  const deps: BillingRunDeps = {
    database,
    events: publisher ? createBillingRunEvents(publisher) : NO_BILLING_RUN_EVENTS,
    logger: createLogger('billing-test', 'silent'),
    queue,
    scopes: new RunScopeCache(),
    pricing: options.pricing,
  };
  let worker: RunningWorker | null = null;
  const kit: RunKit = {
    deps,
    prefix,
    async startWorker(workerOptions = {}) {
      worker ??= await startBillingWorker({
        redisUrl: redisUrl(),
        prefix,
        concurrency: workerOptions.concurrency ?? 2,
        deps,
      });
    },
    async stopWorker() {
      await worker?.close();
      worker = null;
    },
    async close() {
      await kit.stopWorker();
      await queue.close();
      publisher?.disconnect();
    },
  };
  if (options.worker !== false) await kit.startWorker();
  return kit;
}

/** Polls `getBillingRunOrThrow` until the run's status is final; fails after `timeoutMs`. */
export async function waitForRun(caller: Caller, runGlobalId: string, timeoutMs = 60_000): Promise<BillingRun> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await getBillingRunOrThrow(caller, runGlobalId);
    if (TERMINAL.includes(run.status)) return run;
    if (Date.now() > deadline) {
      throw new Error(
        `billing run ${runGlobalId} still ${run.status} after ${timeoutMs} ms (${run.customersDone}/${run.customersTotal})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Queues a billing run of the client's period and waits for its final status. */
export async function runAndWait(kit: RunKit, caller: Caller, clientId: string, period: string): Promise<BillingRun> {
  const queued = await queueBillingRun(
    caller,
    { clientId: toGlobalId('Client', clientId, clientId), period },
    kit.deps,
  );
  return waitForRun(caller, queued.id);
}

import { randomBytes } from 'node:crypto';
import type { Database } from '@ciro/db';
import { RedisEventBus, createLogger, listenSubgraph, type Logger, type RunningSubgraph } from '@ciro/subgraph-common';
import { Redis } from 'ioredis';
import type { BillingContext, BillingSettings } from './context';
import { createBillingRunQueue } from './jobs/queue';
import { startBillingWorker, type RunningWorker } from './jobs/worker';
import { createBillingRunEvents } from './runs/billing-run-events';
import type { BillingRunDeps } from './runs/billing-run.steps';
import { INLINE_PRICING, createPricingPool } from './runs/pricing-pool';
import { RunScopeCache } from './runs/run-scope-cache';
import { buildBillingSchema } from './schema';

export interface BillingRedisOptions {
  /** Default redis://127.0.0.1:6379. */
  url?: string;
  /**
   * BullMQ key prefix. main.ts passes BILLING_QUEUE_PREFIX (`ciro`); without one the server takes a private prefix,
   * so a test's runs are never picked up by another process's worker (which may serve another database).
   */
  queuePrefix?: string;
}

export interface BillingServerOptions {
  database: Database;
  settings: BillingSettings;
  port: number;
  redis?: BillingRedisOptions;
  logger?: Logger;
  introspection?: boolean;
  /**
   * Run the billing run worker in this process (default true: dev and tests). `resumeOnStart`: resume the
   * database's unfinished runs once the worker is up (main.ts does; tests do not). `engineThreads`: threads the
   * engine runs in (default 0: inline; main.ts passes BILLING_ENGINE_THREADS).
   */
  worker?: boolean | { concurrency?: number; resumeOnStart?: boolean; engineThreads?: number };
}

export interface RunningBilling extends RunningSubgraph {
  runs: BillingRunDeps;
}

/** Starts the billing subgraph (and, unless told otherwise, its worker); used by main.ts and by tests. */
export async function startBillingServer(options: BillingServerOptions): Promise<RunningBilling> {
  const logger = options.logger ?? createLogger('billing');
  const redisUrl = options.redis?.url ?? 'redis://127.0.0.1:6379';
  const prefix = options.redis?.queuePrefix ?? `billing-${process.pid}-${randomBytes(4).toString('hex')}`;
  const publisher = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  const queue = createBillingRunQueue({ redisUrl, prefix });
  const runs: BillingRunDeps = {
    database: options.database,
    events: createBillingRunEvents(publisher),
    logger: logger.child({ component: 'runs' }),
    queue,
    scopes: new RunScopeCache(),
  };
  const eventBus = new RedisEventBus(redisUrl);

  const workerOptions = typeof options.worker === 'object' ? options.worker : {};
  const pricing = options.worker === false ? INLINE_PRICING : createPricingPool(workerOptions.engineThreads ?? 0);
  runs.pricing = pricing;
  let worker: RunningWorker | null = null;
  let server: RunningSubgraph;
  try {
    if (options.worker !== false) {
      worker = await startBillingWorker({
        redisUrl,
        prefix,
        concurrency: workerOptions.concurrency,
        resumeOnStart: workerOptions.resumeOnStart ?? false,
        deps: { ...runs, logger: logger.child({ component: 'worker' }) },
      });
    }
    server = await listenSubgraph<BillingContext>({
      name: 'billing',
      schema: await buildBillingSchema(),
      port: options.port,
      jwtSecret: options.settings.jwtSecret,
      logger,
      introspection: options.introspection ?? false,
      extendContext: (base) => ({ ...base, database: options.database, settings: options.settings, runs, eventBus }),
      readiness: async () => {
        await options.database.sql`select 1`;
        await publisher.ping();
        return true;
      },
    });
  } catch (error) {
    await worker?.close();
    await queue.close();
    await eventBus.close();
    await pricing.close();
    publisher.disconnect();
    throw error;
  }
  const running = server;
  return {
    url: running.url,
    port: running.port,
    runs,
    async stop() {
      await running.stop();
      await worker?.close();
      await queue.close();
      await eventBus.close();
      await pricing.close();
      publisher.disconnect();
    },
  };
}

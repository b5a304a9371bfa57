import { loadEnv, subgraphEnvSchema } from '@ciro/subgraph-common';
import { z } from 'zod';

/** NODE_ENV, LOG_LEVEL, JWT_SECRET, DATABASE_URL, DATABASE_POOL_MAX come from the shared schema. */
export const billingEnvSchema = subgraphEnvSchema.extend({
  BILLING_PORT: z.coerce.number().int().min(0).max(65535).default(4003),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** `in-process`: the subgraph also runs the billing run worker (dev); `off`: run `worker.js` as its own process. */
  BILLING_WORKER: z.enum(['in-process', 'off']).default('in-process'),
  /** Customers billed at once per worker (child jobs of a run). */
  BILLING_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  /** Threads the worker prices customers in (the pure engine, CPU-bound); 0: in the worker's own thread. */
  BILLING_ENGINE_THREADS: z.coerce.number().int().min(0).max(16).default(1),
  /** BullMQ key prefix in Redis, so several deployments can share one Redis. */
  BILLING_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .default('ciro'),
});

export type BillingEnv = z.infer<typeof billingEnvSchema>;

/** The only reader of process.env in the billing subgraph and its worker. */
export function readBillingEnv(source: NodeJS.ProcessEnv = process.env): BillingEnv {
  return loadEnv(billingEnvSchema, source);
}

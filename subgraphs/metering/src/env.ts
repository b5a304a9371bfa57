import { loadEnv, subgraphEnvSchema } from '@ciro/subgraph-common';
import { z } from 'zod';
import { DEFAULT_BLOB_CONNECTION_STRING } from './storage/blob-storage';

export const DEFAULT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** Heap (MB) of the thread an upload is parsed in, for its preview and again for its commit. */
export const DEFAULT_PARSE_MAX_MEMORY_MB = 1024;
const PARSE_MAX_MEMORY_MESSAGE = `must be a positive whole number of megabytes (default ${DEFAULT_PARSE_MAX_MEMORY_MB})`;

/** NODE_ENV, LOG_LEVEL, JWT_SECRET, DATABASE_URL, DATABASE_POOL_MAX come from the shared schema. */
export const meteringEnvSchema = subgraphEnvSchema.extend({
  METERING_PORT: z.coerce.number().int().min(0).max(65535).default(4002),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** Azure Blob Storage, or Azurite's development account on 127.0.0.1:10000 by default. */
  AZURE_STORAGE_CONNECTION_STRING: z.string().min(1).default(DEFAULT_BLOB_CONNECTION_STRING),
  /** Largest meter or forecast file accepted, in bytes. */
  UPLOAD_MAX_BYTES: z.coerce.number().int().positive().default(DEFAULT_MAX_UPLOAD_BYTES),
  /** `in-process`: the subgraph also runs the parse worker (dev); `off`: run `worker.js` as its own process. */
  METERING_WORKER: z.enum(['in-process', 'off']).default('in-process'),
  METERING_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  /**
   * Heap (old generation, MB) of the thread each upload is parsed in: by the worker for the preview
   * and by the subgraph for the commit. A file that needs more fails the upload (PARSE_MEMORY_LIMIT).
   * Empty means the default.
   */
  METERING_PARSE_MAX_MEMORY_MB: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.coerce
      .number({ message: PARSE_MAX_MEMORY_MESSAGE })
      .int({ message: PARSE_MAX_MEMORY_MESSAGE })
      .positive({ message: PARSE_MAX_MEMORY_MESSAGE })
      .default(DEFAULT_PARSE_MAX_MEMORY_MB),
  ),
  /** BullMQ key prefix in Redis, so several deployments can share one Redis. */
  METERING_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .default('ciro'),
});

export type MeteringEnv = z.infer<typeof meteringEnvSchema>;

/** The only reader of process.env in the metering subgraph and its worker. */
export function readMeteringEnv(source: NodeJS.ProcessEnv = process.env): MeteringEnv {
  return loadEnv(meteringEnvSchema, source);
}

import { DEFAULT_RENDER_QUEUE_PREFIX, loadEnv, subgraphEnvSchema } from '@ciro/subgraph-common';
import { z } from 'zod';
import { AZURITE_DEV_CONNECTION_STRING } from './storage/invoice-blob-store';
import { DEFAULT_CHROMIUM_PATH } from './pdf/pdf-renderer';

export const documentsEnvSchema = subgraphEnvSchema.extend({
  DOCUMENTS_PORT: z.coerce.number().int().min(0).max(65535).default(4004),
  AZURE_STORAGE_CONNECTION_STRING: z.string().min(1).default(AZURITE_DEV_CONNECTION_STRING),
  CHROMIUM_PATH: z.string().min(1).default(DEFAULT_CHROMIUM_PATH),
  PDF_RENDER_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  PDF_CONCURRENCY: z.coerce.number().int().positive().max(16).default(2),
  /**
   * How often issued invoices still without a PDF are looked for (0: never). A safety net: invoices are rendered
   * from the render queue as soon as billing issues them; the sweep catches those it could not enqueue.
   */
  PDF_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).default(300_000),
  PDF_URL_TTL_SECONDS: z.coerce.number().int().positive().max(3600).default(900),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** BullMQ key prefix of the render queue; billing (the producer) reads the same variable. */
  DOCUMENTS_QUEUE_PREFIX: z.string().min(1).default(DEFAULT_RENDER_QUEUE_PREFIX),
  /** `in-process`: the render worker runs in the subgraph process; `off`: run `npm run worker -w @ciro/documents`. */
  DOCUMENTS_WORKER: z.enum(['in-process', 'off']).default('in-process'),
});

export type DocumentsEnv = z.infer<typeof documentsEnvSchema>;

export function readDocumentsEnv(source: NodeJS.ProcessEnv = process.env): DocumentsEnv {
  return loadEnv(documentsEnvSchema, source);
}

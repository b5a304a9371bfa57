import { loadEnv, subgraphEnvSchema } from '@ciro/subgraph-common';
import { z } from 'zod';
import { AZURITE_DEV_CONNECTION_STRING } from './storage/invoice-blob-store';
import { DEFAULT_CHROMIUM_PATH } from './pdf/pdf-renderer';

export const documentsEnvSchema = subgraphEnvSchema.extend({
  DOCUMENTS_PORT: z.coerce.number().int().min(0).max(65535).default(4004),
  AZURE_STORAGE_CONNECTION_STRING: z.string().min(1).default(AZURITE_DEV_CONNECTION_STRING),
  CHROMIUM_PATH: z.string().min(1).default(DEFAULT_CHROMIUM_PATH),
  PDF_RENDER_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  PDF_CONCURRENCY: z.coerce.number().int().positive().max(16).default(2),
  /** How often issued invoices without a PDF are looked for (0: never; regenerateInvoicePdf still works). */
  PDF_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).default(5000),
  PDF_URL_TTL_SECONDS: z.coerce.number().int().positive().max(3600).default(900),
});

export type DocumentsEnv = z.infer<typeof documentsEnvSchema>;

export function readDocumentsEnv(source: NodeJS.ProcessEnv = process.env): DocumentsEnv {
  return loadEnv(documentsEnvSchema, source);
}

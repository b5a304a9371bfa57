import { loadEnv, subgraphEnvSchema } from '@ciro/subgraph-common';
import { z } from 'zod';

export const billingEnvSchema = subgraphEnvSchema.extend({
  BILLING_PORT: z.coerce.number().int().min(0).max(65535).default(4003),
});

export type BillingEnv = z.infer<typeof billingEnvSchema>;

export function readBillingEnv(source: NodeJS.ProcessEnv = process.env): BillingEnv {
  return loadEnv(billingEnvSchema, source);
}

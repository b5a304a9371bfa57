import { loadEnv, subgraphEnvSchema } from '@ciro/subgraph-common';
import { z } from 'zod';

export const tenancyEnvSchema = subgraphEnvSchema.extend({
  TENANCY_PORT: z.coerce.number().int().min(0).max(65535).default(4001),
  /** Admins must use TOTP; only a local demo may switch this off. */
  MFA_REQUIRED_FOR_ADMINS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().positive().default(30),
});

export type TenancyEnv = z.infer<typeof tenancyEnvSchema>;

export function readTenancyEnv(source: NodeJS.ProcessEnv = process.env): TenancyEnv {
  return loadEnv(tenancyEnvSchema, source);
}

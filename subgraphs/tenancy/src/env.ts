import { loadEnv, subgraphEnvSchema } from '@ciro/subgraph-common';
import { z } from 'zod';
import {
  MIN_MFA_ENCRYPTION_KEY_LENGTH,
  mfaSecretBoxFromJwtSecret,
  mfaSecretBoxFromKey,
  type SecretBox,
} from './auth/secret-box';

export const tenancyEnvSchema = subgraphEnvSchema
  .extend({
    TENANCY_PORT: z.coerce.number().int().min(0).max(65535).default(4001),
    /** Admins must use TOTP; only a local demo may switch this off. */
    MFA_REQUIRED_FOR_ADMINS: z
      .enum(['true', 'false'])
      .default('true')
      .transform((value) => value === 'true'),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().positive().default(30),
    /**
     * Encrypts the TOTP secrets at rest (AES-256-GCM key derived with HKDF).
     * Required in production; elsewhere, when unset, a key is derived from JWT_SECRET.
     */
    MFA_ENCRYPTION_KEY: z
      .string()
      .min(
        MIN_MFA_ENCRYPTION_KEY_LENGTH,
        `MFA_ENCRYPTION_KEY must be at least ${MIN_MFA_ENCRYPTION_KEY_LENGTH} characters`,
      )
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    if (env.MFA_ENCRYPTION_KEY === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['MFA_ENCRYPTION_KEY'],
        message: `MFA_ENCRYPTION_KEY is required in production (at least ${MIN_MFA_ENCRYPTION_KEY_LENGTH} characters): it encrypts the TOTP secrets at rest`,
      });
    } else if (env.MFA_ENCRYPTION_KEY === env.JWT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['MFA_ENCRYPTION_KEY'],
        message: 'MFA_ENCRYPTION_KEY must differ from JWT_SECRET',
      });
    }
  });

export type TenancyEnv = z.infer<typeof tenancyEnvSchema>;

export function readTenancyEnv(source: NodeJS.ProcessEnv = process.env): TenancyEnv {
  return loadEnv(tenancyEnvSchema, source);
}

/** The box that seals TOTP secrets: keyed by MFA_ENCRYPTION_KEY, or outside production by JWT_SECRET when unset. */
export function mfaSecretBoxFromEnv(
  env: Pick<TenancyEnv, 'NODE_ENV' | 'JWT_SECRET' | 'MFA_ENCRYPTION_KEY'>,
): SecretBox {
  if (env.MFA_ENCRYPTION_KEY !== undefined) return mfaSecretBoxFromKey(env.MFA_ENCRYPTION_KEY);
  if (env.NODE_ENV === 'production') throw new Error('MFA_ENCRYPTION_KEY is required in production');
  return mfaSecretBoxFromJwtSecret(env.JWT_SECRET);
}

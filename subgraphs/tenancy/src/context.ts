import type { Database } from '@ciro/db';
import type { RequestContext } from '@ciro/subgraph-common';
import type { SecretBox } from './auth/secret-box';

export interface TenancySettings {
  jwtSecret: string;
  mfaRequiredForAdmins: boolean;
  refreshTokenTtlDays: number;
  /** Seals the users' TOTP secrets at rest (key from MFA_ENCRYPTION_KEY; see env.ts). */
  mfaSecretBox: SecretBox;
}

/**
 * What startTenancyServer takes: without `mfaSecretBox`, the development key
 * derived from `jwtSecret` (main.ts always passes the box built from env.ts,
 * which requires MFA_ENCRYPTION_KEY in production).
 */
export type TenancySettingsInput = Omit<TenancySettings, 'mfaSecretBox'> & { mfaSecretBox?: SecretBox };

/** Dependencies shared by every request of the tenancy subgraph. */
export interface TenancyDeps {
  database: Database;
  settings: TenancySettings;
}

export interface TenancyContext extends RequestContext, TenancyDeps {}

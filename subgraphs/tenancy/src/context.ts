import type { Database } from '@ciro/db';
import type { RequestContext } from '@ciro/subgraph-common';

export interface TenancySettings {
  jwtSecret: string;
  mfaRequiredForAdmins: boolean;
  refreshTokenTtlDays: number;
}

/** Dependencies shared by every request of the tenancy subgraph. */
export interface TenancyDeps {
  database: Database;
  settings: TenancySettings;
}

export interface TenancyContext extends RequestContext, TenancyDeps {}

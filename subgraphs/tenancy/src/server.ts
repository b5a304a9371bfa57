import type { Database } from '@ciro/db';
import { createLogger, listenSubgraph, type Logger, type RunningSubgraph } from '@ciro/subgraph-common';
import { mfaSecretBoxFromJwtSecret } from './auth/secret-box';
import type { TenancyContext, TenancySettings, TenancySettingsInput } from './context';
import { buildTenancySchema } from './schema';

export interface TenancyServerOptions {
  database: Database;
  settings: TenancySettingsInput;
  port: number;
  logger?: Logger;
  introspection?: boolean;
}

/** Starts the tenancy subgraph; used by main.ts and by tests. */
export async function startTenancyServer(options: TenancyServerOptions): Promise<RunningSubgraph> {
  const logger = options.logger ?? createLogger('tenancy');
  const settings: TenancySettings = {
    ...options.settings,
    mfaSecretBox: options.settings.mfaSecretBox ?? mfaSecretBoxFromJwtSecret(options.settings.jwtSecret),
  };
  const schema = await buildTenancySchema();
  return listenSubgraph<TenancyContext>({
    name: 'tenancy',
    schema,
    port: options.port,
    jwtSecret: settings.jwtSecret,
    logger,
    introspection: options.introspection ?? false,
    extendContext: (base) => ({ ...base, database: options.database, settings }),
    readiness: async () => {
      await options.database.sql`select 1`;
      return true;
    },
  });
}

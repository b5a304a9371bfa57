import type { Database } from '@ciro/db';
import { createLogger, listenSubgraph, type Logger, type RunningSubgraph } from '@ciro/subgraph-common';
import type { BillingContext, BillingSettings } from './context';
import { buildBillingSchema } from './schema';

export interface BillingServerOptions {
  database: Database;
  settings: BillingSettings;
  port: number;
  logger?: Logger;
  introspection?: boolean;
}

/** Starts the billing subgraph; used by main.ts and by tests. */
export async function startBillingServer(options: BillingServerOptions): Promise<RunningSubgraph> {
  return listenSubgraph<BillingContext>({
    name: 'billing',
    schema: await buildBillingSchema(),
    port: options.port,
    jwtSecret: options.settings.jwtSecret,
    logger: options.logger ?? createLogger('billing'),
    introspection: options.introspection ?? false,
    extendContext: (base) => ({ ...base, database: options.database, settings: options.settings }),
    readiness: async () => {
      await options.database.sql`select 1`;
      return true;
    },
  });
}

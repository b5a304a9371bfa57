import { createDb } from '@ciro/db';
import { createLogger } from '@ciro/subgraph-common';
import { readTenancyEnv } from './env';
import { startTenancyServer } from './server';

async function main(): Promise<void> {
  const env = readTenancyEnv();
  const logger = createLogger('tenancy', env.LOG_LEVEL);
  const database = createDb({ url: env.DATABASE_URL, max: env.DATABASE_POOL_MAX });
  const server = await startTenancyServer({
    database,
    logger,
    port: env.TENANCY_PORT,
    introspection: env.NODE_ENV !== 'production',
    settings: {
      jwtSecret: env.JWT_SECRET,
      mfaRequiredForAdmins: env.MFA_REQUIRED_FOR_ADMINS,
      refreshTokenTtlDays: env.REFRESH_TOKEN_TTL_DAYS,
    },
  });
  logger.info({ url: server.url }, 'tenancy subgraph ready');
  const shutdown = async () => {
    await server.stop();
    await database.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

main().catch((error: unknown) => {
  process.stderr.write(`tenancy failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

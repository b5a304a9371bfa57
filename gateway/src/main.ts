import { createDb } from '@ciro/db';
import { createLogger } from '@ciro/subgraph-common';
import { readGatewayEnv, subgraphUrlsFromEnv } from './env';
import { startGateway } from './server';

async function main(): Promise<void> {
  const env = readGatewayEnv();
  const logger = createLogger('gateway', env.LOG_LEVEL);
  const database = createDb({ url: env.DATABASE_URL, max: env.DATABASE_POOL_MAX });
  const gateway = await startGateway({
    port: env.GATEWAY_PORT,
    host: env.GATEWAY_HOST,
    database,
    jwtSecret: env.JWT_SECRET,
    subgraphUrls: subgraphUrlsFromEnv(env),
    production: env.NODE_ENV === 'production',
    logger,
  });
  logger.info({ url: gateway.url }, 'gateway ready');
  const shutdown = async () => {
    await gateway.stop();
    await database.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

main().catch((error: unknown) => {
  process.stderr.write(`gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

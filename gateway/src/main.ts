import { createDb } from '@ciro/db';
import { createLogger, runServiceProcess } from '@ciro/subgraph-common';
import { readGatewayEnv, subgraphUrlsFromEnv } from './env';
import { startGateway } from './server';

runServiceProcess('gateway', () => {
  const env = readGatewayEnv();
  const logger = createLogger('gateway', env.LOG_LEVEL);
  return {
    logger,
    start: async () => {
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
      return {
        url: gateway.url,
        close: async () => {
          await gateway.stop();
          await database.close();
        },
      };
    },
  };
});

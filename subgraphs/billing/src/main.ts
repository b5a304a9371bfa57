import { createDb } from '@ciro/db';
import { createLogger, runServiceProcess } from '@ciro/subgraph-common';
import { readBillingEnv } from './env';
import { startBillingServer } from './server';

runServiceProcess('billing subgraph', () => {
  const env = readBillingEnv();
  const logger = createLogger('billing', env.LOG_LEVEL);
  return {
    logger,
    start: async () => {
      const database = createDb({ url: env.DATABASE_URL, max: env.DATABASE_POOL_MAX, applicationName: 'billing' });
      const server = await startBillingServer({
        database,
        logger,
        port: env.BILLING_PORT,
        introspection: env.NODE_ENV !== 'production',
        settings: { jwtSecret: env.JWT_SECRET },
        redis: { url: env.REDIS_URL, queuePrefix: env.BILLING_QUEUE_PREFIX },
        worker:
          env.BILLING_WORKER === 'in-process'
            ? {
                concurrency: env.BILLING_WORKER_CONCURRENCY,
                resumeOnStart: true,
                engineThreads: env.BILLING_ENGINE_THREADS,
              }
            : false,
      });
      return {
        url: server.url,
        close: async () => {
          await server.stop();
          await database.close();
        },
      };
    },
  };
});

import { createDb } from '@ciro/db';
import { createLogger, runServiceProcess } from '@ciro/subgraph-common';
import { readMeteringEnv } from './env';
import { startMeteringServer } from './server';

runServiceProcess('metering subgraph', () => {
  const env = readMeteringEnv();
  const logger = createLogger('metering', env.LOG_LEVEL);
  return {
    logger,
    start: async () => {
      const database = createDb({ url: env.DATABASE_URL, max: env.DATABASE_POOL_MAX, applicationName: 'metering' });
      const server = await startMeteringServer({
        database,
        logger,
        port: env.METERING_PORT,
        introspection: env.NODE_ENV !== 'production',
        settings: {
          jwtSecret: env.JWT_SECRET,
          maxUploadBytes: env.UPLOAD_MAX_BYTES,
          parseMaxMemoryMb: env.METERING_PARSE_MAX_MEMORY_MB,
        },
        redis: { url: env.REDIS_URL, queuePrefix: env.METERING_QUEUE_PREFIX },
        blob: { connectionString: env.AZURE_STORAGE_CONNECTION_STRING },
        worker: env.METERING_WORKER === 'in-process' ? { concurrency: env.METERING_WORKER_CONCURRENCY } : false,
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

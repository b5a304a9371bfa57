import { createDb } from '@ciro/db';
import { createLogger, runServiceProcess } from '@ciro/subgraph-common';
import { mfaSecretBoxFromEnv, readTenancyEnv } from './env';
import { startTenancyServer } from './server';

runServiceProcess('tenancy subgraph', () => {
  const env = readTenancyEnv();
  const logger = createLogger('tenancy', env.LOG_LEVEL);
  return {
    logger,
    start: async () => {
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
          mfaSecretBox: mfaSecretBoxFromEnv(env),
        },
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

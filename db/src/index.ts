export {
  createDb,
  type CreateDbOptions,
  type Database,
  type Db,
  type DbHandle,
  type Schema,
  type SystemAccessEvent,
  type SystemAccessHook,
  type Transaction,
  type Tx,
} from './client.js';
export {
  asSystem,
  assertTenantContext,
  TENANT_ROLES,
  TenantContextError,
  withTenant,
  type DatabaseLike,
  type TenantContext,
  type TenantRole,
} from './tenant.js';
export { noDelaySocket } from './socket.js';
export { migrate, MIGRATIONS_FOLDER, type MigrateOptions, type MigrateResult } from './migrate.js';
export { ensureDatabase, type EnsureDatabaseOptions, type EnsureDatabaseResult } from './bootstrap.js';
export { loadDbEnv, DbEnvError, type DbEnv } from './env.js';
export { describeError, isConnectionError, sqlState } from './errors.js';
export * as schema from './schema/index.js';
export * from './schema/index.js';

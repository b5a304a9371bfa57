import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index.js';
import { noDelaySocket } from './socket.js';

export type Schema = typeof schema;
/** The drizzle instance (pool-level). Application code reaches tables only through withTenant/asSystem. */
export type Db = PostgresJsDatabase<Schema>;
/** The transaction handed to withTenant/asSystem callbacks; repositories take it as first parameter. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Transaction = Tx;

export interface SystemAccessEvent {
  reason: string;
}
export type SystemAccessHook = (event: SystemAccessEvent) => void;

export interface CreateDbOptions {
  /** Connect as the application role (DATABASE_URL), never as the owner or a superuser. */
  url: string;
  /** Pool size (default 10). */
  max?: number;
  /** Called with the reason of every asSystem() on this database, before it runs. */
  onSystemAccess?: SystemAccessHook;
  applicationName?: string;
}

/** What createDb returns: the postgres-js pool, the drizzle instance over it, and close(). */
export interface Database {
  /** Raw postgres-js pool: health checks and COPY staging. Queries here run with no tenant context (RLS shows nothing). */
  sql: postgres.Sql;
  db: Db;
  close(): Promise<void>;
}
/** @deprecated use Database */
export type DbHandle = Database;

const systemAccessHooks = new WeakMap<object, SystemAccessHook>();

export function systemAccessHookFor(db: Db): SystemAccessHook | undefined {
  return systemAccessHooks.get(db);
}

export function createDb(options: CreateDbOptions): Database {
  const sql = postgres(options.url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connect_timeout: 10,
    connection: { application_name: options.applicationName ?? 'ciro' },
    socket: noDelaySocket,
  });
  const db = drizzle(sql, { schema });
  if (options.onSystemAccess) systemAccessHooks.set(db, options.onSystemAccess);
  return {
    sql,
    db,
    close: () => sql.end({ timeout: 5 }),
  };
}

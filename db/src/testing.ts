import postgres from 'postgres';
import { adminConnectionOptions, assertIdentifier, ensureRoles, grantAppAccess } from './bootstrap.js';
import { deriveUrl, loadDbEnv } from './env.js';
import { migrate } from './migrate.js';

/**
 * Helpers for integration tests (any workspace): a throw-away database with the
 * real roles, grants, migrations and RLS. Import from '@ciro/db/testing'.
 */

export interface TestDatabase {
  database: string;
  /** Superuser on this database: for fixtures that must bypass everything (rarely). */
  adminUrl: string;
  /** Owner role: migrations; subject to FORCE RLS like everyone else. */
  ownerUrl: string;
  /** App role: what code under test should connect with. */
  appUrl: string;
}

export interface CreateTestDatabaseOptions {
  /** Clone this (already migrated) database instead of migrating: much faster per test file. */
  template?: string;
  /** Defaults to process.env (DATABASE_ADMIN_URL, DATABASE_OWNER_URL, DATABASE_URL). */
  env?: NodeJS.ProcessEnv;
}

async function withAdmin<T>(adminUrl: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(adminUrl, adminConnectionOptions);
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Drops `name` if it exists (disconnecting its sessions), creates it owned by the
 * owner role, grants the app role and migrates it (or clones `template`).
 */
export async function createTestDatabase(name: string, options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  assertIdentifier('database', name);
  if (options.template !== undefined) assertIdentifier('template database', options.template);
  const env = loadDbEnv(options.env);
  const roles = { ownerRole: env.ownerRole, appRole: env.appRole };

  await withAdmin(env.adminUrl, async (sql) => {
    await ensureRoles(sql, { ...roles, ownerPassword: env.ownerPassword, appPassword: env.appPassword });
    await sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    const template = options.template !== undefined ? ` TEMPLATE "${options.template}"` : '';
    await sql.unsafe(`CREATE DATABASE "${name}" OWNER "${env.ownerRole}"${template}`);
  });

  const result: TestDatabase = {
    database: name,
    adminUrl: deriveUrl(env.adminUrl, { database: name }),
    ownerUrl: deriveUrl(env.ownerUrl, { database: name }),
    appUrl: deriveUrl(env.appUrl, { database: name }),
  };
  await withAdmin(result.adminUrl, (sql) => grantAppAccess(sql, { database: name, ...roles }));
  if (options.template === undefined) await migrate({ ownerUrl: result.ownerUrl, appRole: env.appRole });
  return result;
}

export async function dropTestDatabase(name: string, options: { env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  assertIdentifier('database', name);
  const env = loadDbEnv(options.env);
  await withAdmin(env.adminUrl, (sql) => sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

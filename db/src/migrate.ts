import path from 'node:path';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate as drizzleMigrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { assertIdentifier } from './bootstrap.js';

/** db/migrations, from both src/ (tests) and dist/ (built). */
export const MIGRATIONS_FOLDER = path.resolve(__dirname, '..', 'migrations');

export interface MigrateOptions {
  /** URL of the owner role: migrations create objects it owns. */
  ownerUrl: string;
  /**
   * When given, the owner also grants this role DML on every table it owns (and by
   * default on future ones), so migrating works without a superuser bootstrap.
   */
  appRole?: string;
  migrationsFolder?: string;
}

export interface MigrateResult {
  /** Migrations applied by this call. */
  applied: number;
  /** Migrations recorded in the database after this call. */
  total: number;
}

// Serialises concurrent migrators (parallel test workers, two replicas starting).
const LOCK_CLASS = 0x4349524f; // "CIRO"
const LOCK_ID = 1;

async function countApplied(sql: postgres.Sql): Promise<number> {
  const [table] = await sql<{ exists: boolean }[]>`
    select to_regclass('drizzle.__drizzle_migrations') is not null as exists`;
  if (!table?.exists) return 0;
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
  return row?.n ?? 0;
}

/** Applies pending migrations in order, as the owner role. */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  if (options.appRole !== undefined) assertIdentifier('app role', options.appRole);
  // One connection: the advisory lock and the migrator's transaction share it.
  const sql = postgres(options.ownerUrl, {
    max: 1,
    onnotice: () => {},
    connect_timeout: 10,
    connection: { application_name: 'ciro-db-migrate' },
  });
  try {
    await sql`select pg_advisory_lock(${LOCK_CLASS}, ${LOCK_ID})`;
    try {
      const before = await countApplied(sql);
      await drizzleMigrate(drizzle(sql), { migrationsFolder: options.migrationsFolder ?? MIGRATIONS_FOLDER });
      if (options.appRole !== undefined) await grantFromOwner(sql, options.appRole);
      const total = await countApplied(sql);
      return { applied: total - before, total };
    } finally {
      await sql`select pg_advisory_unlock(${LOCK_CLASS}, ${LOCK_ID})`;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function grantFromOwner(sql: postgres.Sql, appRole: string): Promise<void> {
  const app = `"${appRole}"`; // validated identifier
  await sql.unsafe(`GRANT USAGE ON SCHEMA public TO ${app}`);
  await sql.unsafe(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${app}`);
  await sql.unsafe(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${app}`);
  await sql.unsafe(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ${app}`);
  await sql.unsafe(
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app}`,
  );
  await sql.unsafe(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${app}`);
  await sql.unsafe(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO ${app}`);
}

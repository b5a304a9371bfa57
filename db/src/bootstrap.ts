import postgres from 'postgres';
import { IDENTIFIER, deriveUrl } from './env.js';
import { sqlState } from './errors.js';

export interface EnsureDatabaseOptions {
  /** Superuser URL (any database on the server, usually /postgres). */
  adminUrl: string;
  database: string;
  /** Owns the schema and runs migrations. Default `ciro_owner`. */
  ownerRole?: string;
  /** What the application connects as: LOGIN, no superuser, no BYPASSRLS, owns nothing. Default `ciro_app`. */
  appRole?: string;
  /** Set when given (e.g. from the URL in the environment); local trust auth needs none. */
  ownerPassword?: string | undefined;
  appPassword?: string | undefined;
}

export interface EnsureDatabaseResult {
  createdRoles: string[];
  createdDatabase: boolean;
}

type Sql = postgres.Sql;

export const adminConnectionOptions = {
  max: 1,
  onnotice: () => {},
  connect_timeout: 10,
  connection: { application_name: 'ciro-db-bootstrap' },
} as const;

export function assertIdentifier(what: string, name: string): void {
  if (!IDENTIFIER.test(name)) throw new Error(`Invalid ${what} name "${name}": must match ${IDENTIFIER.source}`);
}

/** Builds a DDL statement server-side with format() (%I identifiers, %L literals), then runs it. */
async function ddl(sql: Sql, template: string, ...args: string[]): Promise<void> {
  const placeholders = args.map((_, i) => `, $${i + 2}::text`).join('');
  const [built] = await sql.unsafe<{ stmt: string }[]>(`select format($1::text${placeholders}) as stmt`, [
    template,
    ...args,
  ]);
  if (!built) throw new Error('format() returned nothing');
  await sql.unsafe(built.stmt);
}

/**
 * Creates the owner and app roles when missing and re-asserts the properties the
 * row-level security design depends on (no superuser, no BYPASSRLS, the app role
 * not a member of the owner role). Idempotent; safe to run concurrently.
 */
export async function ensureRoles(
  sql: Sql,
  roles: { ownerRole: string; appRole: string; ownerPassword?: string | undefined; appPassword?: string | undefined },
): Promise<string[]> {
  assertIdentifier('owner role', roles.ownerRole);
  assertIdentifier('app role', roles.appRole);
  if (roles.ownerRole === roles.appRole) throw new Error('The owner and app roles must differ');
  const created: string[] = [];
  for (const [role, password] of [
    [roles.ownerRole, roles.ownerPassword],
    [roles.appRole, roles.appPassword],
  ] as const) {
    const [existing] = await sql<{ rolsuper: boolean; rolbypassrls: boolean; rolcanlogin: boolean }[]>`
      select rolsuper, rolbypassrls, rolcanlogin from pg_roles where rolname = ${role}`;
    if (!existing) {
      try {
        await ddl(sql, 'CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', role);
        created.push(role);
      } catch (error) {
        if (sqlState(error) !== '42710') throw error; // created concurrently
      }
    } else if (existing.rolsuper || existing.rolbypassrls || !existing.rolcanlogin) {
      await ddl(sql, 'ALTER ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS', role);
    }
    if (password) await ddl(sql, 'ALTER ROLE %I PASSWORD %L', role, password);
  }
  // Membership in the owner role would hand the app the owner's rights.
  const [member] = await sql`
    select 1 from pg_auth_members m
    join pg_roles r on r.oid = m.roleid join pg_roles u on u.oid = m.member
    where r.rolname = ${roles.ownerRole} and u.rolname = ${roles.appRole}`;
  if (member) await ddl(sql, 'REVOKE %I FROM %I', roles.ownerRole, roles.appRole);
  return created;
}

/**
 * Run while connected to the target database as a superuser: the owner owns the
 * public schema, nobody else may create in it, and the app role gets DML (never
 * TRUNCATE, which ignores RLS) on every table the owner creates now or later.
 */
export async function grantAppAccess(
  sqlOnDatabase: Sql,
  opts: { database: string; ownerRole: string; appRole: string },
): Promise<void> {
  assertIdentifier('database', opts.database);
  const { database, ownerRole: owner, appRole: app } = opts;
  const s = sqlOnDatabase;
  await ddl(s, 'ALTER SCHEMA public OWNER TO %I', owner);
  await s.unsafe('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
  await ddl(s, 'GRANT USAGE ON SCHEMA public TO %I', app);
  await ddl(s, 'GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', database, app);
  await ddl(
    s,
    'ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I',
    owner,
    app,
  );
  await ddl(
    s,
    'ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO %I',
    owner,
    app,
  );
  await ddl(s, 'ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO %I', owner, app);
  await ddl(s, 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', app);
  await ddl(s, 'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', app);
  await ddl(s, 'GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO %I', app);
}

/**
 * With a superuser URL: creates the owner and app roles and the database (owned by
 * the owner) when missing, and sets up the app role's privileges. Does not migrate.
 */
export async function ensureDatabase(options: EnsureDatabaseOptions): Promise<EnsureDatabaseResult> {
  const ownerRole = options.ownerRole ?? 'ciro_owner';
  const appRole = options.appRole ?? 'ciro_app';
  const { database } = options;
  assertIdentifier('database', database);

  const admin = postgres(options.adminUrl, adminConnectionOptions);
  let createdRoles: string[];
  let createdDatabase = false;
  try {
    createdRoles = await ensureRoles(admin, {
      ownerRole,
      appRole,
      ownerPassword: options.ownerPassword,
      appPassword: options.appPassword,
    });
    const [existing] = await admin<{ owner: string }[]>`
      select pg_get_userbyid(datdba) as owner from pg_database where datname = ${database}`;
    if (!existing) {
      try {
        await ddl(admin, 'CREATE DATABASE %I OWNER %I', database, ownerRole);
        createdDatabase = true;
      } catch (error) {
        if (sqlState(error) !== '42P04') throw error; // created concurrently
      }
    } else if (existing.owner !== ownerRole) {
      await ddl(admin, 'ALTER DATABASE %I OWNER TO %I', database, ownerRole);
    }
  } finally {
    await admin.end({ timeout: 5 });
  }

  const onDatabase = postgres(deriveUrl(options.adminUrl, { database }), adminConnectionOptions);
  try {
    await grantAppAccess(onDatabase, { database, ownerRole, appRole });
  } finally {
    await onDatabase.end({ timeout: 5 });
  }
  return { createdRoles, createdDatabase };
}

import { z } from 'zod';

/** The only reader of process.env in @ciro/db. */

export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_OWNER_URL = 'postgres://ciro_owner@127.0.0.1:5432/ciro';
export const DEFAULT_APP_URL = 'postgres://ciro_app@127.0.0.1:5432/ciro';
export const DEFAULT_OWNER_ROLE = 'ciro_owner';
export const DEFAULT_ADMIN_ROLE = 'postgres';

/** Role and database names we interpolate into DDL (always quoted as identifiers too). */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export interface DbEnv {
  /** Superuser (or CREATEROLE + CREATEDB) URL used to create roles and the database. */
  adminUrl: string;
  /** Schema owner; runs migrations. */
  ownerUrl: string;
  /** Application role; every request and worker connects with it. */
  appUrl: string;
  database: string;
  ownerRole: string;
  appRole: string;
  ownerPassword: string | undefined;
  appPassword: string | undefined;
}

export class DbEnvError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid database configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'DbEnvError';
  }
}

export interface ParsedPgUrl {
  user: string;
  password: string | undefined;
  host: string;
  port: string;
  database: string;
}

export function parsePgUrl(raw: string): ParsedPgUrl | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return null;
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const user = decodeURIComponent(url.username);
  if (!user || !database || !url.hostname) return null;
  return {
    user,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    host: url.hostname,
    port: url.port || '5432',
    database,
  };
}

/** "host:port" of a PostgreSQL URL, for messages (never includes credentials). */
export function hostPort(raw: string): string {
  const parsed = parsePgUrl(raw);
  return parsed ? `${parsed.host}:${parsed.port}` : '(invalid URL)';
}

/** The same server and options, another user (without password) and/or database. */
export function deriveUrl(raw: string, change: { user?: string; database?: string }): string {
  const url = new URL(raw);
  if (change.user !== undefined) {
    url.username = encodeURIComponent(change.user);
    url.password = '';
  }
  if (change.database !== undefined) url.pathname = `/${encodeURIComponent(change.database)}`;
  return url.toString();
}

const optionalUrl = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
  z
    .string()
    .trim()
    .refine((v) => parsePgUrl(v) !== null, {
      message: 'must look like postgres://user[:password]@host[:port]/database',
    })
    .optional(),
);

const EnvSchema = z.object({
  DATABASE_URL: optionalUrl,
  DATABASE_OWNER_URL: optionalUrl,
  DATABASE_ADMIN_URL: optionalUrl,
});

/**
 * Reads DATABASE_URL (app role), DATABASE_OWNER_URL and DATABASE_ADMIN_URL.
 * When only DATABASE_URL is set, the owner and admin URLs default to the same
 * server (owner: same database as `ciro_owner`; admin: `postgres`/postgres), so
 * pointing everything at another server takes one variable. Reports every problem
 * at once.
 */
export function loadDbEnv(env: NodeJS.ProcessEnv = process.env): DbEnv {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new DbEnvError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const appUrl = parsed.data.DATABASE_URL ?? DEFAULT_APP_URL;
  const ownerUrl =
    parsed.data.DATABASE_OWNER_URL ??
    (parsed.data.DATABASE_URL ? deriveUrl(appUrl, { user: DEFAULT_OWNER_ROLE }) : DEFAULT_OWNER_URL);
  const adminUrl =
    parsed.data.DATABASE_ADMIN_URL ??
    (parsed.data.DATABASE_URL
      ? deriveUrl(appUrl, { user: DEFAULT_ADMIN_ROLE, database: 'postgres' })
      : DEFAULT_ADMIN_URL);

  // Non-null: every URL above was validated or is a constant.
  const app = parsePgUrl(appUrl) as ParsedPgUrl;
  const owner = parsePgUrl(ownerUrl) as ParsedPgUrl;
  const issues: string[] = [];
  if (app.database !== owner.database) {
    issues.push(`DATABASE_URL and DATABASE_OWNER_URL name different databases (${app.database} vs ${owner.database})`);
  }
  if (app.user === owner.user) {
    issues.push(`DATABASE_URL must use its own role, not the owner role ${owner.user} (the app role owns nothing)`);
  }
  for (const [what, name] of [
    ['database', app.database],
    ['owner role', owner.user],
    ['app role', app.user],
  ] as const) {
    if (!IDENTIFIER.test(name)) issues.push(`${what} "${name}" must match ${IDENTIFIER.source}`);
  }
  if (issues.length > 0) throw new DbEnvError(issues);

  return {
    adminUrl,
    ownerUrl,
    appUrl,
    database: app.database,
    ownerRole: owner.user,
    appRole: app.user,
    ownerPassword: owner.password,
    appPassword: app.password,
  };
}

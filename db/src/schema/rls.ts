import { sql } from 'drizzle-orm';
import { pgPolicy, type PgPolicy } from 'drizzle-orm/pg-core';

/**
 * Row-level security policy builders. Policies live beside their tables (in the
 * table's extra config) so drizzle-kit generates them with the table; FORCE ROW
 * LEVEL SECURITY, which drizzle-kit cannot express, is added by a custom migration.
 *
 * Context variables are transaction-local settings written by withTenant/asSystem.
 * NULLIF(..., '') turns "never set" and "reset at commit" into NULL, so an unset
 * context matches no row.
 */
export const ctx = {
  // Each read is a scalar subquery, which PostgreSQL evaluates once per statement (an InitPlan)
  // instead of once per row: a policy costs the same for one row as for a month of readings.
  clientId: `(SELECT NULLIF(current_setting('app.client_id', true), '')::uuid)`,
  customerId: `(SELECT NULLIF(current_setting('app.customer_id', true), '')::uuid)`,
  userId: `(SELECT NULLIF(current_setting('app.user_id', true), '')::uuid)`,
  role: `(SELECT current_setting('app.role', true))`,
} as const;

/** Trusted workers (asSystem) and platform operators: used on global (non-tenant) tables. */
export const isSystem = `${ctx.role} IN ('SYSTEM', 'SYSTEM_ADMIN')`;
const isClientAdmin = `${ctx.role} = 'CLIENT_ADMIN'`;
const isCustomerUser = `${ctx.role} = 'CUSTOMER_USER'`;

/**
 * On tenant tables: SYSTEM (asSystem) sees every client; a SYSTEM_ADMIN sees every
 * client unless its context names one, in which case it is narrowed to that client
 * like an admin of it, so a request acting on one client cannot touch another by
 * accident.
 */
const isUnscopedSystem = `${ctx.role} = 'SYSTEM' OR (${ctx.role} = 'SYSTEM_ADMIN' AND ${ctx.clientId} IS NULL)`;
const isAdminOfClient = `${ctx.role} IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')`;

/**
 * What a CUSTOMER_USER may read in a tenant table:
 * - 'all': every row of its client (reference data: tariffs, holidays…);
 * - 'none': nothing (uploads, billing runs, audit log…);
 * - 'own': rows whose customer_id is the user's customer;
 * - any other string: a SQL predicate on the row.
 */
export type CustomerRead = 'all' | 'none' | 'own' | { predicate: string };

function customerPredicate(read: CustomerRead): string {
  if (read === 'all') return 'true';
  if (read === 'none') return 'false';
  if (read === 'own') return `customer_id = ${ctx.customerId}`;
  return read.predicate;
}

/** SQL a tenant row must satisfy to be read in the current context. */
export function tenantReadPredicate(read: CustomerRead, clientColumn = 'client_id'): string {
  return (
    `(${isUnscopedSystem}) OR (${clientColumn} = ${ctx.clientId} AND ` +
    `(${isAdminOfClient} OR (${isCustomerUser} AND (${customerPredicate(read)}))))`
  );
}

/** SQL a tenant row must satisfy to be written: only admins of its client, or system. */
export function tenantWritePredicate(clientColumn = 'client_id'): string {
  return `(${isUnscopedSystem}) OR (${clientColumn} = ${ctx.clientId} AND ${isAdminOfClient})`;
}

/** Platform-only writes on a tenant row (e.g. creating a client): system, or a system admin scoped to it. */
export function tenantSystemPredicate(clientColumn = 'client_id'): string {
  return `(${isUnscopedSystem}) OR (${clientColumn} = ${ctx.clientId} AND ${ctx.role} = 'SYSTEM_ADMIN')`;
}

/**
 * The standard four policies of a tenant table: one SELECT policy (customer users
 * narrowed by `read`) and INSERT/UPDATE/DELETE policies for admins and system only.
 */
export function tenantPolicies(table: string, read: CustomerRead): PgPolicy[] {
  const readSql = sql.raw(tenantReadPredicate(read));
  const writeSql = sql.raw(tenantWritePredicate());
  return [
    pgPolicy(`${table}_select`, { for: 'select', using: readSql }),
    pgPolicy(`${table}_insert`, { for: 'insert', withCheck: writeSql }),
    pgPolicy(`${table}_update`, { for: 'update', using: writeSql, withCheck: writeSql }),
    pgPolicy(`${table}_delete`, { for: 'delete', using: writeSql }),
  ];
}

/** Tables only trusted workers and platform operators may touch. */
export function systemOnlyPolicies(table: string): PgPolicy[] {
  const systemSql = sql.raw(isSystem);
  return [pgPolicy(`${table}_system`, { for: 'all', using: systemSql, withCheck: systemSql })];
}

export { isClientAdmin, isCustomerUser };

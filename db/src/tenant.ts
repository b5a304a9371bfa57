import { is, sql } from 'drizzle-orm';
import { PgTransaction, type PgTransactionConfig } from 'drizzle-orm/pg-core';
import { systemAccessHookFor, type Database, type Db, type Tx } from './client.js';

export type TenantRole = 'SYSTEM_ADMIN' | 'CLIENT_ADMIN' | 'CUSTOMER_USER';
export const TENANT_ROLES: readonly TenantRole[] = ['SYSTEM_ADMIN', 'CLIENT_ADMIN', 'CUSTOMER_USER'];

/** Who is asking; becomes app.role / app.client_id / app.customer_id / app.user_id for RLS. */
export interface TenantContext {
  role: TenantRole;
  clientId: string | null;
  customerId: string | null;
  userId: string | null;
}

export class TenantContextError extends Error {
  readonly code = 'TENANT_CONTEXT_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'TenantContextError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Settings {
  role: string;
  clientId: string;
  customerId: string;
  userId: string;
  reason: string;
}

function uuidOrEmpty(name: string, value: string | null): string {
  if (value === null) return '';
  if (!UUID.test(value)) throw new TenantContextError(`${name} is not a uuid: ${JSON.stringify(value)}`);
  return value;
}

/** Throws TenantContextError when the context cannot describe a real caller. */
export function assertTenantContext(ctx: TenantContext): void {
  if (!TENANT_ROLES.includes(ctx.role)) throw new TenantContextError(`Unknown role ${JSON.stringify(ctx.role)}`);
  if (ctx.role !== 'SYSTEM_ADMIN' && ctx.clientId === null) {
    throw new TenantContextError(`${ctx.role} needs a clientId`);
  }
  if (ctx.role === 'CUSTOMER_USER' && ctx.customerId === null) {
    throw new TenantContextError('CUSTOMER_USER needs a customerId');
  }
  if (ctx.role === 'CLIENT_ADMIN' && ctx.customerId !== null) {
    throw new TenantContextError('CLIENT_ADMIN must not carry a customerId');
  }
}

/** Accepts what createDb returns or its drizzle instance. */
export type DatabaseLike = Database | Db;

function drizzleOf(database: DatabaseLike): Db {
  return 'db' in database && 'sql' in database ? database.db : database;
}

async function runInContext<T>(
  database: DatabaseLike,
  settings: Settings,
  fn: (tx: Tx) => Promise<T>,
  config: PgTransactionConfig | undefined,
): Promise<T> {
  const db = drizzleOf(database);
  // A savepoint would keep the inner context after it is released: refuse nesting.
  if (is(db, PgTransaction)) {
    throw new TenantContextError('withTenant/asSystem cannot be nested: pass the transaction you already have');
  }
  return db.transaction(async (tx) => {
    // is_local = true: the settings end with the transaction, so a pooled
    // connection never carries one request's tenant into the next.
    await tx.execute(sql`select
      set_config('app.role', ${settings.role}, true),
      set_config('app.client_id', ${settings.clientId}, true),
      set_config('app.customer_id', ${settings.customerId}, true),
      set_config('app.user_id', ${settings.userId}, true),
      set_config('app.reason', ${settings.reason}, true)`);
    return fn(tx);
  }, config);
}

/**
 * Runs fn in a transaction whose row-level security context is ctx. The only way
 * application code reaches tenant tables: without it every policy sees nothing.
 */
export async function withTenant<T>(
  db: DatabaseLike,
  ctx: TenantContext,
  fn: (tx: Tx) => Promise<T>,
  config?: PgTransactionConfig,
): Promise<T> {
  assertTenantContext(ctx);
  return runInContext(
    db,
    {
      role: ctx.role,
      clientId: uuidOrEmpty('clientId', ctx.clientId),
      customerId: uuidOrEmpty('customerId', ctx.customerId),
      userId: uuidOrEmpty('userId', ctx.userId),
      reason: '',
    },
    fn,
    config,
  );
}

/**
 * Escape hatch for trusted code that must cross tenants or read before a tenant is
 * known (login, API-key lookup, workers): app.role = 'SYSTEM' sees and writes
 * everything. The reason is reported to createDb's onSystemAccess hook (before the
 * transaction; a throwing hook stops it) and kept in app.reason for the transaction.
 */
export async function asSystem<T>(
  db: DatabaseLike,
  reason: string,
  fn: (tx: Tx) => Promise<T>,
  config?: PgTransactionConfig,
): Promise<T> {
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw new TenantContextError('asSystem needs a reason');
  }
  systemAccessHookFor(drizzleOf(db))?.({ reason });
  return runInContext(db, { role: 'SYSTEM', clientId: '', customerId: '', userId: '', reason }, fn, config);
}

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, customers, withTenant, type Database } from '../src/index';
import { seedClient, sorted, type SeededClient } from './support/seed';

/**
 * One pooled connection serves tenant A, then B, then a query with no context:
 * the transaction-local settings must not survive the transaction that set them.
 */

let seeding: Database;
let pool: Database;
let a: SeededClient;
let b: SeededClient;

const contextOnConnection = async (database: Database) => {
  const [row] = await database.sql<{ pid: number; client_id: string; role: string; customer_id: string }[]>`
    select pg_backend_pid() as pid,
           coalesce(current_setting('app.client_id', true), '') as client_id,
           coalesce(current_setting('app.customer_id', true), '') as customer_id,
           coalesce(current_setting('app.role', true), '') as role`;
  return row;
};

beforeAll(async () => {
  seeding = createDb({ url: inject('databaseUrl'), max: 2 });
  a = await seedClient(seeding, 'leak-a');
  b = await seedClient(seeding, 'leak-b');
  pool = createDb({ url: inject('databaseUrl'), max: 1 });
});

afterAll(async () => {
  await pool?.close();
  await seeding?.close();
});

describe('a pool of one connection', () => {
  it('does not carry tenant A into a plain query or into tenant B on the same connection', async () => {
    const underA = await withTenant(pool, a.admin, async (tx) => {
      const rows = await tx.select({ id: customers.id, clientId: customers.clientId }).from(customers);
      const [backend] = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
      return { rows, pid: backend.pid };
    });
    expect(sorted(underA.rows.map((r) => r.id))).toEqual(sorted(a.customers.map((c) => c.customerId)));

    // Same backend, no context left behind.
    expect(await contextOnConnection(pool)).toEqual({ pid: underA.pid, client_id: '', customer_id: '', role: '' });
    expect(await pool.db.select().from(customers)).toEqual([]);

    const underB = await withTenant(pool, b.admin, async (tx) => {
      const rows = await tx.select({ id: customers.id, clientId: customers.clientId }).from(customers);
      const [backend] = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
      return { rows, pid: backend.pid };
    });
    expect(underB.pid).toBe(underA.pid);
    expect(underB.rows.map((r) => r.clientId)).toEqual(b.customers.map(() => b.clientId));
    expect(underB.rows.filter((r) => r.clientId === a.clientId)).toEqual([]);
  });

  it('clears the context after a transaction that failed', async () => {
    const failure = withTenant(pool, a.customers[0].user, async (tx) => {
      await tx.select().from(customers);
      throw new Error('boom');
    });
    await expect(failure).rejects.toThrow('boom');
    expect(await contextOnConnection(pool)).toMatchObject({ client_id: '', customer_id: '', role: '' });
    expect(await pool.db.select().from(customers)).toEqual([]);
  });

  it('serves interleaved tenants from one connection without mixing their rows', async () => {
    const results = await Promise.all(
      [a, b, a, b, a, b].map((tenant) =>
        withTenant(pool, tenant.admin, async (tx) => ({
          tenant: tenant.clientId,
          seen: [
            ...new Set((await tx.select({ clientId: customers.clientId }).from(customers)).map((r) => r.clientId)),
          ],
        })),
      ),
    );
    for (const result of results) expect(result.seen).toEqual([result.tenant]);
  });
});

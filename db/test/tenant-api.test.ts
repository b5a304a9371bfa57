import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  asSystem,
  createDb,
  customers,
  TenantContextError,
  withTenant,
  type Database,
  type SystemAccessEvent,
} from '../src/index';
import { seedClient, type SeededClient } from './support/seed';

let database: Database;
const systemAccess: SystemAccessEvent[] = [];
let a: SeededClient;

beforeAll(async () => {
  database = createDb({ url: inject('databaseUrl'), max: 2, onSystemAccess: (event) => systemAccess.push(event) });
  a = await seedClient(database, 'api');
});

afterAll(async () => {
  await database?.close();
});

describe('withTenant / asSystem', () => {
  it('sets every context variable for the transaction only', async () => {
    const me = a.customers[0];
    const [inside] = await withTenant(database, me.user, (tx) =>
      tx.execute<{ role: string; client_id: string; customer_id: string; user_id: string }>(sql`
        select current_setting('app.role', true) as role, current_setting('app.client_id', true) as client_id,
               current_setting('app.customer_id', true) as customer_id, current_setting('app.user_id', true) as user_id`),
    );
    expect(inside).toEqual({
      role: 'CUSTOMER_USER',
      client_id: a.clientId,
      customer_id: me.customerId,
      user_id: me.userId,
    });
  });

  it('reports the reason of each asSystem to the hook and keeps it in app.reason', async () => {
    systemAccess.length = 0;
    const [row] = await asSystem(database, 'login: find user by email', (tx) =>
      tx.execute<{ role: string; reason: string }>(
        sql`select current_setting('app.role', true) as role, current_setting('app.reason', true) as reason`,
      ),
    );
    expect(row).toEqual({ role: 'SYSTEM', reason: 'login: find user by email' });
    expect(systemAccess).toEqual([{ reason: 'login: find user by email' }]);
  });

  it('refuses asSystem without a reason', async () => {
    await expect(asSystem(database, '  ', () => Promise.resolve(1))).rejects.toThrow(TenantContextError);
  });

  it('refuses to nest: the inner context would outlive its savepoint', async () => {
    const nested = withTenant(database, a.admin, (tx) =>
      // Deliberately passing the transaction where a database is expected.
      withTenant(tx as unknown as Database['db'], a.customers[0].user, (inner) => inner.select().from(customers)),
    );
    await expect(nested).rejects.toThrow(/cannot be nested/);
  });

  it('rejects a malformed id before reaching the database', async () => {
    await expect(
      withTenant(database, { role: 'CLIENT_ADMIN', clientId: "x' or true --", customerId: null, userId: null }, () =>
        Promise.resolve(1),
      ),
    ).rejects.toThrow(/not a uuid/);
  });
});

import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  asSystem,
  auditLog,
  clients,
  createDb,
  customers,
  invoiceLines,
  invoices,
  meterAssignments,
  meters,
  payments,
  roleAssignments,
  tariffs,
  uploads,
  users,
  withTenant,
  type Database,
  type TenantContext,
} from '../src/index';
import { seedClient, sorted, sqlStateOf, type SeededClient } from './support/seed';

/**
 * Row-level security on its own: these queries deliberately omit any tenant filter
 * (or name the other tenant's rows) and rely on the policies alone.
 */

const RLS_VIOLATION = '42501';

let database: Database;
let a: SeededClient;
let b: SeededClient;

beforeAll(async () => {
  database = createDb({ url: inject('databaseUrl'), max: 4 });
  a = await seedClient(database, 'rls-a');
  b = await seedClient(database, 'rls-b', 1);
});

afterAll(async () => {
  await database?.close();
});

const ids = <T extends { id: string }>(rows: T[]) => sorted(rows.map((r) => r.id));
const customerIds = (client: SeededClient) => sorted(client.customers.map((c) => c.customerId));

describe('a client admin of B', () => {
  it('sees none of client A rows, even when asking for them by client id', async () => {
    const seen = await withTenant(database, b.admin, async (tx) => ({
      customersOfA: await tx.select().from(customers).where(eq(customers.clientId, a.clientId)),
      customers: await tx.select().from(customers),
      meters: await tx.select().from(meters),
      invoices: await tx.select().from(invoices),
      tariffOfA: await tx.select().from(tariffs).where(eq(tariffs.id, a.tariffId)),
      clients: await tx.select().from(clients),
    }));
    expect(seen.customersOfA).toEqual([]);
    expect(ids(seen.customers)).toEqual(customerIds(b));
    expect(ids(seen.meters)).toEqual(sorted(b.customers.map((c) => c.meterId)));
    expect(ids(seen.invoices)).toEqual(sorted(b.customers.map((c) => c.invoiceId)));
    expect(seen.tariffOfA).toEqual([]);
    expect(ids(seen.clients)).toEqual([b.clientId]);
  });

  it('updates and deletes 0 of client A rows, which stay unchanged', async () => {
    const touched = await withTenant(database, b.admin, async (tx) => ({
      updated: await tx
        .update(customers)
        .set({ name: 'hijacked' })
        .where(eq(customers.clientId, a.clientId))
        .returning({ id: customers.id }),
      deletedLines: await tx
        .delete(invoiceLines)
        .where(eq(invoiceLines.clientId, a.clientId))
        .returning({ id: invoiceLines.invoiceId }),
      deletedPayments: await tx
        .delete(payments)
        .where(eq(payments.clientId, a.clientId))
        .returning({ id: payments.id }),
    }));
    expect(touched).toEqual({ updated: [], deletedLines: [], deletedPayments: [] });

    const after = await asSystem(database, 'test: check A untouched', async (tx) => ({
      names: (await tx.select({ name: customers.name }).from(customers).where(eq(customers.clientId, a.clientId))).map(
        (r) => r.name,
      ),
      lines: (await tx.select().from(invoiceLines).where(eq(invoiceLines.clientId, a.clientId))).length,
      payments: (await tx.select().from(payments).where(eq(payments.clientId, a.clientId))).length,
    }));
    expect(after.names.filter((n) => n === 'hijacked')).toEqual([]);
    expect(after.names).toHaveLength(a.customers.length);
    expect(after.lines).toBe(a.customers.length);
    expect(after.payments).toBe(a.customers.length);
  });

  it('cannot insert a row carrying client A id: row-level security violation', async () => {
    const state = await sqlStateOf(
      withTenant(database, b.admin, (tx) =>
        tx.insert(customers).values({ clientId: a.clientId, code: `X-${randomUUID()}`, name: 'planted' }),
      ),
    );
    expect(state).toBe(RLS_VIOLATION);
    const meterState = await sqlStateOf(
      withTenant(database, b.admin, (tx) => tx.insert(meters).values({ clientId: a.clientId, serial: randomUUID() })),
    );
    expect(meterState).toBe(RLS_VIOLATION);
  });

  it('cannot move its own row into client A by UPDATE', async () => {
    const state = await sqlStateOf(
      withTenant(database, b.admin, (tx) =>
        tx.update(tariffs).set({ clientId: a.clientId }).where(eq(tariffs.id, b.tariffId)),
      ),
    );
    expect(state).toBe(RLS_VIOLATION);
  });

  it('cannot point its own rows at client A rows: composite foreign keys fail', async () => {
    const state = await sqlStateOf(
      withTenant(database, b.admin, (tx) =>
        tx
          .insert(customers)
          .values({ clientId: b.clientId, code: `X-${randomUUID()}`, name: 'x', tariffId: a.tariffId }),
      ),
    );
    expect(state).toBe('23503');
  });
});

describe('a client admin of A', () => {
  it('reads and writes its own client', async () => {
    const code = `NEW-${randomUUID().slice(0, 8)}`;
    const result = await withTenant(database, a.admin, async (tx) => {
      const [created] = await tx
        .insert(customers)
        .values({ clientId: a.clientId, code, name: 'New customer' })
        .returning({ id: customers.id });
      const renamed = await tx
        .update(customers)
        .set({ name: 'Renamed' })
        .where(eq(customers.id, created.id))
        .returning({ name: customers.name });
      const all = await tx.select({ id: customers.id }).from(customers);
      await tx.delete(customers).where(eq(customers.id, created.id));
      return { renamed, count: all.length };
    });
    expect(result).toEqual({ renamed: [{ name: 'Renamed' }], count: a.customers.length + 1 });
  });

  it('sees the users that hold a role in its client and not those of client B', async () => {
    const seen = await withTenant(database, a.admin, (tx) => tx.select({ id: users.id }).from(users));
    const expected = [a.adminUserId, ...a.customers.map((c) => c.userId)];
    expect(sorted(seen.map((u) => u.id))).toEqual(sorted(expected));
  });
});

describe('a customer user of A', () => {
  let me: SeededClient['customers'][number];
  let other: SeededClient['customers'][number];
  beforeAll(() => {
    me = a.customers[0]!;
    other = a.customers[1]!;
  });

  it('sees only its own customer, meters, invoices, lines, payments and assignments', async () => {
    const seen = await withTenant(database, me.user, async (tx) => ({
      customers: ids(await tx.select().from(customers)),
      meters: ids(await tx.select().from(meters)),
      invoices: ids(await tx.select().from(invoices)),
      lines: sorted((await tx.select().from(invoiceLines)).map((l) => l.invoiceId)),
      payments: ids(await tx.select().from(payments)),
      assignments: sorted((await tx.select().from(meterAssignments)).map((m) => m.customerId)),
      roleAssignments: sorted((await tx.select().from(roleAssignments)).map((r) => r.userId)),
    }));
    expect(seen).toEqual({
      customers: [me.customerId],
      meters: [me.meterId],
      invoices: [me.invoiceId],
      lines: [me.invoiceId],
      payments: [me.paymentId],
      assignments: [me.customerId],
      roleAssignments: [me.userId],
    });
  });

  it("reads its client's reference data and the client itself, but not admin-only tables", async () => {
    const seen = await withTenant(database, me.user, async (tx) => ({
      tariffs: ids(await tx.select().from(tariffs)),
      clients: ids(await tx.select().from(clients)),
      uploads: await tx.select().from(uploads),
      audit: await tx.select().from(auditLog),
      users: sorted((await tx.select().from(users)).map((u) => u.id)),
    }));
    expect(seen).toEqual({ tariffs: [a.tariffId], clients: [a.clientId], uploads: [], audit: [], users: [me.userId] });
  });

  it('cannot read the other customer of the same client by id', async () => {
    const seen = await withTenant(database, me.user, async (tx) => ({
      customer: await tx.select().from(customers).where(eq(customers.id, other.customerId)),
      invoice: await tx.select().from(invoices).where(eq(invoices.id, other.invoiceId)),
      meter: await tx.select().from(meters).where(eq(meters.id, other.meterId)),
    }));
    expect(seen).toEqual({ customer: [], invoice: [], meter: [] });
  });

  it('cannot write: updates and deletes touch 0 rows, inserts are RLS violations', async () => {
    const touched = await withTenant(database, me.user, async (tx) => ({
      updatedCustomer: await tx
        .update(customers)
        .set({ name: 'self-edit' })
        .where(eq(customers.id, me.customerId))
        .returning({ id: customers.id }),
      updatedInvoice: await tx
        .update(invoices)
        .set({ paidAmount: '113.00' })
        .where(eq(invoices.id, me.invoiceId))
        .returning({ id: invoices.id }),
      deletedPayment: await tx.delete(payments).where(eq(payments.id, me.paymentId)).returning({ id: payments.id }),
    }));
    expect(touched).toEqual({ updatedCustomer: [], updatedInvoice: [], deletedPayment: [] });

    const insertInvoice = await sqlStateOf(
      withTenant(database, me.user, (tx) =>
        tx.insert(invoices).values({
          clientId: a.clientId,
          customerId: me.customerId,
          period: '2031-02',
          currency: 'USD',
          subtotal: '0',
          vat: '0',
          total: '0',
          vatRate: '0.13',
        }),
      ),
    );
    expect(insertInvoice).toBe(RLS_VIOLATION);
    const insertAudit = await sqlStateOf(
      withTenant(database, me.user, (tx) => tx.insert(auditLog).values({ clientId: a.clientId, action: 'x' })),
    );
    expect(insertAudit).toBe(RLS_VIOLATION);

    const after = await asSystem(database, 'test: check customer rows untouched', async (tx) => ({
      customer: (await tx.select({ name: customers.name }).from(customers).where(eq(customers.id, me.customerId)))[0]
        ?.name,
      paid: (await tx.select({ paid: invoices.paidAmount }).from(invoices).where(eq(invoices.id, me.invoiceId)))[0]
        ?.paid,
      payments: (await tx.select().from(payments).where(eq(payments.id, me.paymentId))).length,
    }));
    expect(after).toEqual({ customer: me.name, paid: '0.00', payments: 1 });
  });
});

describe('a system admin', () => {
  it('sees every client when unscoped, and only the named client when scoped', async () => {
    const unscoped: TenantContext = { role: 'SYSTEM_ADMIN', clientId: null, customerId: null, userId: null };
    const scoped: TenantContext = { ...unscoped, clientId: b.clientId };
    const tenantsSeen = async (ctx: TenantContext) =>
      withTenant(database, ctx, async (tx) => {
        const rows = await tx.select({ clientId: customers.clientId }).from(customers);
        return new Set(rows.map((r) => r.clientId));
      });
    const all = await tenantsSeen(unscoped);
    expect(all.has(a.clientId) && all.has(b.clientId)).toBe(true);
    expect([...(await tenantsSeen(scoped))]).toEqual([b.clientId]);
  });
});

describe('no tenant context', () => {
  it('sees no row in any table, outside or inside a transaction', async () => {
    const tables = await database.sql<{ name: string }[]>`
      select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`;
    expect(tables.length).toBeGreaterThan(25);
    const counts: Record<string, number> = {};
    for (const { name } of tables) {
      const [row] = await database.sql.unsafe<{ n: number }[]>(`select count(*)::int as n from public."${name}"`);
      counts[name] = row.n;
    }
    expect(Object.entries(counts).filter(([, n]) => n > 0)).toEqual([]);

    // An unknown role with a client id set is no context either.
    const spoofed = await database.db.transaction(async (tx) => {
      await tx.execute(
        sql`select set_config('app.client_id', ${a.clientId}, true), set_config('app.role', 'OWNER', true)`,
      );
      return tx.select().from(customers);
    });
    expect(spoofed).toEqual([]);
  });

  it('cannot insert anything', async () => {
    const state = await sqlStateOf(database.db.insert(tariffs).values({ clientId: a.clientId, code: 'Z', name: 'z' }));
    expect(state).toBe(RLS_VIOLATION);
  });
});

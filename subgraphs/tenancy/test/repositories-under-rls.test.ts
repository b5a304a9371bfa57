/**
 * Row-level security alone holds: the tenancy repositories called directly
 * (no resolver, no service checks) under another tenant's context see nothing
 * of the first tenant and cannot write to it.
 */
import { randomUUID } from 'node:crypto';
import { asSystem, createDb, schema, withTenant, type Database, type TenantContext } from '@ciro/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findClientById, listVisibleClients } from '../src/clients/client.repository';
import { findCustomer, insertCustomer, listCustomers, updateCustomerRow } from '../src/customers/customer.repository';
import { findMeter, listMeters } from '../src/meters/meter.repository';

let database: Database;
const a = { clientId: randomUUID(), customerId: randomUUID(), otherCustomerId: randomUUID(), meterId: randomUUID() };
const b = { clientId: randomUUID() };

const adminOf = (clientId: string): TenantContext => ({
  role: 'CLIENT_ADMIN',
  clientId,
  customerId: null,
  userId: null,
});

beforeAll(async () => {
  database = createDb({ url: process.env.DATABASE_URL!, max: 2 });
  await asSystem(database, 'test: two tenants', async (tx) => {
    const organizationId = randomUUID();
    await tx
      .insert(schema.organizations)
      .values({ id: organizationId, name: 'O', slug: `o-${organizationId.slice(0, 8)}` });
    for (const clientId of [a.clientId, b.clientId]) {
      await tx
        .insert(schema.clients)
        .values({ id: clientId, organizationId, code: `R${clientId.slice(0, 8).toUpperCase()}`, name: 'R' });
    }
    await tx.insert(schema.customers).values([
      { clientId: a.clientId, id: a.customerId, code: 'C-0001', name: 'A1' },
      { clientId: a.clientId, id: a.otherCustomerId, code: 'C-0002', name: 'A2' },
    ]);
    await tx.insert(schema.meters).values({ clientId: a.clientId, id: a.meterId, serial: '5614086', node: 'Ateos' });
    await tx.insert(schema.meterAssignments).values({
      clientId: a.clientId,
      meterId: a.meterId,
      customerId: a.customerId,
      validFrom: new Date('2020-01-01T06:00:00Z'),
    });
  });
});

afterAll(async () => {
  await database?.close();
});

describe('tenancy repositories under another tenant context', () => {
  it('reads nothing of the other client', async () => {
    const seen = await withTenant(database, adminOf(b.clientId), async (tx) => ({
      client: await findClientById(tx, a.clientId),
      clients: await listVisibleClients(tx, 100, 0),
      customer: await findCustomer(tx, a.clientId, a.customerId),
      customers: await listCustomers(tx, a.clientId, { limit: 100, offset: 0 }),
      meter: await findMeter(tx, a.clientId, a.meterId),
      meters: await listMeters(tx, a.clientId, 100, 0),
    }));
    expect(seen.client).toBeNull();
    expect(seen.clients.rows.map((r) => r.id)).toEqual([b.clientId]);
    expect(seen.customer).toBeNull();
    expect(seen.customers).toEqual({ rows: [], total: 0 });
    expect(seen.meter).toBeNull();
    expect(seen.meters).toEqual({ rows: [], total: 0 });
  });

  it('cannot update or insert into the other client', async () => {
    const updated = await withTenant(database, adminOf(b.clientId), (tx) =>
      updateCustomerRow(tx, a.clientId, a.customerId, { name: 'hijacked' }),
    );
    expect(updated).toBeNull();
    await expect(
      withTenant(database, adminOf(b.clientId), (tx) =>
        insertCustomer(tx, { clientId: a.clientId, id: randomUUID(), code: 'C-9999', name: 'planted' }),
      ),
    ).rejects.toMatchObject({ cause: { code: '42501', message: expect.stringMatching(/row-level security/) } });
    const stillThere = await withTenant(database, adminOf(a.clientId), (tx) =>
      findCustomer(tx, a.clientId, a.customerId),
    );
    expect(stillThere?.customer.name).toBe('A1');
  });

  it('shows a customer user only its own customer and meters, and refuses its writes', async () => {
    const userOfA1: TenantContext = {
      role: 'CUSTOMER_USER',
      clientId: a.clientId,
      customerId: a.customerId,
      userId: null,
    };
    const userOfA2: TenantContext = { ...userOfA1, customerId: a.otherCustomerId };
    const own = await withTenant(database, userOfA1, async (tx) => ({
      customers: await listCustomers(tx, a.clientId, { limit: 100, offset: 0 }),
      meter: await findMeter(tx, a.clientId, a.meterId),
    }));
    expect(own.customers.rows.map((r) => r.customer.id)).toEqual([a.customerId]);
    expect(own.meter?.serial).toBe('5614086');
    const other = await withTenant(database, userOfA2, async (tx) => ({
      customer: await findCustomer(tx, a.clientId, a.customerId),
      meter: await findMeter(tx, a.clientId, a.meterId),
    }));
    expect(other).toEqual({ customer: null, meter: null });
    const write = await withTenant(database, userOfA1, (tx) =>
      updateCustomerRow(tx, a.clientId, a.customerId, { name: 'self-edited' }),
    );
    expect(write).toBeNull();
  });

  it('shows nothing at all without a tenant context', async () => {
    const rows = await database.db.select().from(schema.customers);
    expect(rows).toEqual([]);
  });
});

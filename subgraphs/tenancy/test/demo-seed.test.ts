import { resolve } from 'node:path';
import { asSystem, createDb, schema, type Database } from '@ciro/db';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestDatabase, dropTestDatabase } from '@ciro/db/testing';
import { seedDemoIfEmpty } from '../src/seed/demo-seed';

const samplesDir = process.env.SAMPLES_DIR ?? resolve(__dirname, '../../../../shared/samples');

describe('demo seed', () => {
  const databaseName = `ciro_test_seed_${process.pid}`;
  let database: Database;

  beforeAll(async () => {
    // Its own empty database: the shared test database already holds other tests' tenants.
    const urls = await createTestDatabase(databaseName);
    database = createDb({ url: urls.appUrl, max: 2 });
  });
  afterAll(async () => {
    await database?.close();
    await dropTestDatabase(databaseName);
  });

  it('seeds the demo tenant from the sample workbook once, and does nothing the second time', async () => {
    const first = await seedDemoIfEmpty(database, { samplesDir, password: 'demo-password-123' });
    expect(first).not.toBeNull();
    expect(first?.warnings).toEqual([]);
    const roles = first?.logins.map((l) => l.role) ?? [];
    expect(roles.filter((r) => r === 'SYSTEM_ADMIN')).toHaveLength(1);
    expect(roles.filter((r) => r === 'CLIENT_ADMIN')).toHaveLength(2);
    expect(roles.filter((r) => r === 'CUSTOMER_USER')).toHaveLength(11);
    for (const login of first?.logins ?? []) {
      expect(login.totpSecret !== null).toBe(login.role !== 'CUSTOMER_USER');
    }

    const counts = await asSystem(database, 'test: count seeded rows', async (tx) => {
      const [eis] = await tx.select().from(schema.clients).where(eq(schema.clients.code, 'EIS'));
      const [customers] = await tx
        .select({ n: count() })
        .from(schema.customers)
        .where(eq(schema.customers.clientId, eis.id));
      const [meters] = await tx.select({ n: count() }).from(schema.meters).where(eq(schema.meters.clientId, eis.id));
      const [c5] = await tx.select().from(schema.customers).where(eq(schema.customers.code, 'C-0005'));
      const c5Meters = await tx
        .select()
        .from(schema.meterAssignments)
        .where(eq(schema.meterAssignments.customerId, c5.id));
      const [c1] = await tx.select().from(schema.customers).where(eq(schema.customers.code, 'C-0001'));
      return { customers: customers.n, meters: meters.n, c5Meters: c5Meters.length, c1 };
    });
    expect(counts.customers).toBe(10);
    expect(counts.meters).toBe(11);
    expect(counts.c5Meters).toBe(2);
    expect(counts.c1?.nit).toBe('0614-150396-102-3');
    expect(counts.c1).toMatchObject({
      department: 'La Libertad',
      municipality: 'Sacacoyo',
      contractNumber: 'EIS-MT-2019-014',
    });
    expect(counts.c1?.lossFactor).toMatch(/^0\.0235/);
    expect(counts.c1?.deviationTolerance).toMatch(/^0\.1/);

    expect(await seedDemoIfEmpty(database, { samplesDir, password: 'demo-password-123' })).toBeNull();
  });
});

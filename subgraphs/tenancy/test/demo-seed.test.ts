import { resolve } from 'node:path';
import { asSystem, createDb, schema, type Database } from '@ciro/db';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestDatabase, dropTestDatabase } from '@ciro/db/testing';
import { mfaSecretBoxFromKey, openMfaSecret } from '../src/auth/secret-box';
import { seedDemoIfEmpty } from '../src/seed/demo-seed';

const samplesDir = process.env.SAMPLES_DIR ?? resolve(__dirname, '../../../../shared/samples');
const mfaSecretBox = mfaSecretBoxFromKey('demo-seed-test-mfa-encryption-key-0123456789');

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
    const first = await seedDemoIfEmpty(database, { samplesDir, password: 'demo-password-123', mfaSecretBox });
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

    // The admins' TOTP secrets are stored sealed for their user; the logins keep the plain secret.
    const admins = (first?.logins ?? []).filter((login) => login.totpSecret !== null);
    expect(admins).toHaveLength(3);
    const rows = await asSystem(database, 'test: read seeded users', (tx) => tx.select().from(schema.users));
    for (const login of admins) {
      const row = rows.find((user) => user.email === login.email);
      expect(row?.mfaEnabledAt).toBeInstanceOf(Date);
      expect(login.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
      expect(row?.mfaSecret).toMatch(/^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]{43}$/);
      expect(row?.mfaSecret).not.toContain(login.totpSecret);
      expect(openMfaSecret(mfaSecretBox, row?.id ?? '', row?.mfaSecret ?? '')).toEqual({
        secret: login.totpSecret,
        legacy: false,
      });
    }
    expect(rows.filter((user) => user.mfaSecret !== null)).toHaveLength(3);

    expect(await seedDemoIfEmpty(database, { samplesDir, password: 'demo-password-123', mfaSecretBox })).toBeNull();
  });
});

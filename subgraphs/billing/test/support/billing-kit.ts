/**
 * Kit for the billing integration tests: a fresh tenant per test (client with the MT-H tariff of the samples, an
 * admin user), customers with meters and readings written as the app role through asSystem, and callers that act as
 * the client's admin, a customer user or another client's admin against the services.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { asSystem, createDb, schema, type Database, type Tx } from '@ciro/db';
import { ROLE_SCOPES, SLOT_MS, periodBounds, type Caller, type Identity } from '@ciro/subgraph-common';
import { sql } from 'drizzle-orm';
import { tariffFromJson, type TariffInput } from '../../src/engine';
import { insertTariff, putRateSet } from '../../src/tariffs/tariff.repository';

export const SAMPLES = process.env.SAMPLES_DIR ?? resolve(__dirname, '../../../../../shared/samples');
export const ZONE = 'America/El_Salvador';

export function testDatabase(): Database {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error('DATABASE_URL is not set: run the tests through vitest (its globalSetup creates the database)');
  return createDb({ url, max: 4, applicationName: 'billing-tests' });
}

export function sampleTariff(): TariffInput {
  return tariffFromJson(JSON.parse(readFileSync(resolve(SAMPLES, 'tariffs/MT-H.json'), 'utf8')));
}

/** Stores an engine tariff (blocks, rate sets) in the tariff tables. */
export async function insertEngineTariff(tx: Tx, clientId: string, tariff: TariffInput): Promise<string> {
  const row = await insertTariff(
    tx,
    { clientId, code: tariff.code ?? 'MT-H', name: tariff.code ?? 'MT-H' },
    tariff.blocks.map((b) => ({
      block: b.code,
      dayType: b.dayType,
      startMinute: b.startMinute,
      endMinute: b.endMinute,
    })),
  );
  for (const set of tariff.rateSets) {
    await putRateSet(tx, clientId, row.id, {
      validFrom: set.validFrom,
      demandRate: set.demand.toString(),
      ftpmsRate: set.ftpms.toString(),
      deviationRate: set.deviation.toString(),
      energyRates: Object.entries(set.energy).map(([block, rate]) => ({ block, energyRate: rate.toString() })),
    });
  }
  return row.id;
}

export interface TestCustomer {
  id: string;
  code: string;
  userId: string;
}

export interface TestMeter {
  id: string;
  serial: string;
}

export interface TestClient {
  clientId: string;
  code: string;
  tariffId: string;
  adminUserId: string;
  admin: Caller;
  system<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  customer(values?: Partial<typeof schema.customers.$inferInsert>): Promise<TestCustomer>;
  meter(customerId: string, values?: { serial?: string; multiplier?: string; from?: Date }): Promise<TestMeter>;
  readings(meterId: string, rows: { slotStart: Date; kwh: string }[]): Promise<void>;
  customerUser(customer: TestCustomer): Caller;
}

function identity(role: Identity['role'], userId: string, clientId: string, customerId: string | null): Identity {
  return {
    subject: userId,
    userId,
    apiKeyId: null,
    role,
    orgId: null,
    clientId,
    customerId,
    scopes: ROLE_SCOPES[role],
  };
}

export const callerFor = (database: Database, who: Identity): Caller => ({
  database,
  identity: who,
  requestId: `test-${randomUUID()}`,
});

const short = () => randomUUID().slice(0, 8).toUpperCase();

/** A new organization and client (time zone El Salvador, VAT 13 %) with an admin and the sample MT-H tariff. */
export async function seedBillingClient(database: Database, tariff: TariffInput = sampleTariff()): Promise<TestClient> {
  const suffix = short();
  const system = <T>(fn: (tx: Tx) => Promise<T>) => asSystem(database, `billing test ${suffix}`, fn);
  const { clientId, code, tariffId, adminUserId } = await system(async (tx) => {
    const [org] = await tx
      .insert(schema.organizations)
      .values({ name: `Org ${suffix}`, slug: `org-${suffix.toLowerCase()}` })
      .returning();
    const code = `E${suffix}`;
    const [client] = await tx
      .insert(schema.clients)
      .values({ organizationId: org.id, code, name: `Client ${suffix}`, timeZone: ZONE, vatRate: '0.13' })
      .returning();
    const [admin] = await tx
      .insert(schema.users)
      .values({ email: `admin-${suffix.toLowerCase()}-${randomUUID()}@test.example` })
      .returning();
    await tx.insert(schema.roleAssignments).values({ clientId: client.id, userId: admin.id, role: 'CLIENT_ADMIN' });
    const tariffId = await insertEngineTariff(tx, client.id, tariff);
    return { clientId: client.id, code, tariffId, adminUserId: admin.id };
  });

  return {
    clientId,
    code,
    tariffId,
    adminUserId,
    admin: callerFor(database, identity('CLIENT_ADMIN', adminUserId, clientId, null)),
    system,
    customer: (values = {}) =>
      system(async (tx) => {
        const customerCode = values.code ?? `C-${short()}`;
        const [row] = await tx
          .insert(schema.customers)
          .values({ clientId, code: customerCode, name: `Customer ${customerCode}`, tariffId, ...values })
          .returning();
        const [user] = await tx
          .insert(schema.users)
          .values({ email: `user-${randomUUID()}@test.example` })
          .returning();
        await tx
          .insert(schema.roleAssignments)
          .values({ clientId, userId: user.id, role: 'CUSTOMER_USER', customerId: row.id });
        return { id: row.id, code: customerCode, userId: user.id };
      }),
    meter: (customerId, values = {}) =>
      system(async (tx) => {
        const serial = values.serial ?? `M${short()}`;
        const [meter] = await tx
          .insert(schema.meters)
          .values({ clientId, serial, multiplier: values.multiplier ?? '1' })
          .returning();
        await tx.insert(schema.meterAssignments).values({
          clientId,
          meterId: meter.id,
          customerId,
          validFrom: values.from ?? new Date('2020-01-01T06:00:00Z'),
        });
        return { id: meter.id, serial };
      }),
    readings: (meterId, rows) =>
      system(async (tx) => {
        if (rows.length === 0) return;
        const times = rows.map((r) => r.slotStart.getTime());
        await tx.execute(
          sql`select ensure_meter_reading_partitions(${new Date(Math.min(...times)).toISOString()}::timestamptz, ${new Date(Math.max(...times)).toISOString()}::timestamptz)`,
        );
        for (let i = 0; i < rows.length; i += 2000) {
          await tx
            .insert(schema.meterReadings)
            .values(rows.slice(i, i + 2000).map((r) => ({ clientId, meterId, slotStart: r.slotStart, kwh: r.kwh })));
        }
      }),
    customerUser: (customer) => callerFor(database, identity('CUSTOMER_USER', customer.userId, clientId, customer.id)),
  };
}

/** `kwh` on every slot of the period (or of `[from, to)` when given). */
export function constantReadings(
  period: string,
  kwh: string,
  range: { from?: Date; to?: Date } = {},
): { slotStart: Date; kwh: string }[] {
  const bounds = periodBounds(period, ZONE);
  const out: { slotStart: Date; kwh: string }[] = [];
  const from = range.from ?? bounds.start;
  const to = range.to ?? bounds.end;
  for (let t = from.getTime(); t < to.getTime(); t += SLOT_MS) out.push({ slotStart: new Date(t), kwh });
  return out;
}

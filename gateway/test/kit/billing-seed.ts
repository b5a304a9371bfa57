import { asSystem, schema } from '@ciro/db';
import { and, eq } from 'drizzle-orm';
import {
  constantReadings,
  insertEngineTariff,
  sampleTariff,
} from '../../../subgraphs/billing/test/support/billing-kit';
import type { SeededClient, SeededLogin } from './seed';
import { seed } from './seed';
import type { Stack } from './stack';

export interface BillableClient {
  client: SeededClient;
  /** The client admin's access token. */
  token: string;
  /** Global ids of the billed customers. */
  customerIds: string[];
  /** A user of a customer that is INACTIVE (never billed): for customer-user refusals. */
  customerUser: SeededLogin;
}

/**
 * A client with the MT-H sample tariff and `customers` ACTIVE customers, each with one meter read every slot of
 * `period` at `kwh`, plus one INACTIVE customer with a user.
 */
export async function seedBillableClient(
  stack: Stack,
  options: { customers?: number; period?: string; kwh?: string; multiplier?: string } = {},
): Promise<BillableClient> {
  const period = options.period ?? '2025-09';
  const { client, admin } = await seed(stack).client();
  const customerIds: string[] = [];
  for (let i = 0; i < (options.customers ?? 2); i++) customerIds.push((await client.customer()).customer.globalId);
  const { customer: inactive, user } = await client.customer();
  await asSystem(stack.database, 'test seed: tariff, meters and readings', async (tx) => {
    const tariffId = await insertEngineTariff(tx, client.id, sampleTariff());
    const [year, month] = period.split('-').map(Number);
    const from = new Date(Date.UTC(year ?? 2025, (month ?? 1) - 1, 1) - 86_400_000);
    const to = new Date(Date.UTC(year ?? 2025, month ?? 1, 1) + 86_400_000);
    await tx.execute(
      `select ensure_meter_reading_partitions('${from.toISOString()}'::timestamptz, '${to.toISOString()}'::timestamptz)`,
    );
    const customers = await tx.select().from(schema.customers).where(eq(schema.customers.clientId, client.id));
    for (const [index, customer] of customers.entries()) {
      const where = and(eq(schema.customers.clientId, client.id), eq(schema.customers.id, customer.id));
      if (customer.id === inactive.id) {
        await tx.update(schema.customers).set({ status: 'INACTIVE' }).where(where);
        continue;
      }
      await tx.update(schema.customers).set({ tariffId, lossFactor: '0.0235', paymentTermsDays: 30 }).where(where);
      const [meter] = await tx
        .insert(schema.meters)
        .values({ clientId: client.id, serial: `S${index}-${customer.code}`, multiplier: options.multiplier ?? '1' })
        .returning();
      if (!meter) throw new Error('no meter');
      await tx.insert(schema.meterAssignments).values({
        clientId: client.id,
        meterId: meter.id,
        customerId: customer.id,
        validFrom: new Date('2020-01-01T06:00:00Z'),
      });
      await tx.insert(schema.meterReadings).values(
        constantReadings(period, options.kwh ?? '1.25').map((r) => ({
          clientId: client.id,
          meterId: meter.id,
          slotStart: r.slotStart,
          kwh: r.kwh,
        })),
      );
    }
  });
  return { client, token: await admin.login(), customerIds, customerUser: user };
}

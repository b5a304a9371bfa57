import { randomUUID } from 'node:crypto';
import { asSystem, createDb, schema, withTenant, type Database, type Tx } from '@ciro/db';
import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { MatchedSource } from '../../uploads/meter-preview';
import { planRollups, precomputeHours, recomputeRollups } from '../rollups.repository';
import { storeMeterReadings } from '../store-readings';
import { matchedSource, rollupRows } from './rollup-kit';

/**
 * The store path sums in memory the hours of customers whose readings over the whole window are all
 * in the batch, while the database inserts them; the SQL does the rest. Both must give exactly the
 * rollups a full recompute from meter_readings gives: several meters per customer, negative and
 * fractional multipliers, values with more decimals than the staging column keeps (rounded half
 * away from zero), no tariff, a meter handed over mid-window (left to the SQL), a DST day.
 */

const SLOT = 15 * 60_000;
let database: Database;
const clientId = randomUUID();
const admin = { role: 'CLIENT_ADMIN' as const, clientId, customerId: null, userId: null };
const customer = { single: randomUUID(), multi: randomUUID(), negative: randomUUID(), handover: randomUUID() };
const meter = {
  single: randomUUID(),
  multiA: randomUUID(),
  multiB: randomUUID(),
  negative: randomUUID(),
  handedOver: randomUUID(),
};

beforeAll(async () => {
  database = createDb({ url: process.env.DATABASE_URL ?? inject('databaseUrl'), max: 2 });
  await asSystem(database, 'precomputed rollups test seed', async (tx) => {
    const organizationId = randomUUID();
    await tx.insert(schema.organizations).values({ id: organizationId, name: 'P', slug: `p-${organizationId}` });
    await tx
      .insert(schema.clients)
      .values({ id: clientId, organizationId, code: `P${clientId.slice(0, 8)}`, name: 'P' });
    const tariffId = randomUUID();
    await tx.insert(schema.tariffs).values({ clientId, id: tariffId, code: 'TOU', name: 'TOU' });
    await tx.insert(schema.tariffBlocks).values([
      { clientId, tariffId, block: 'VALLE', dayType: 'WEEKDAY', startMinute: 0, endMinute: 300 },
      { clientId, tariffId, block: 'RESTO', dayType: 'WEEKDAY', startMinute: 300, endMinute: 1095 },
      { clientId, tariffId, block: 'PUNTA', dayType: 'WEEKDAY', startMinute: 1095, endMinute: 1395 },
      { clientId, tariffId, block: 'VALLE', dayType: 'WEEKDAY', startMinute: 1395, endMinute: 1440 },
      { clientId, tariffId, block: 'VALLE', dayType: 'WEEKEND', startMinute: 0, endMinute: 1440 },
    ]);
    await tx.insert(schema.customers).values([
      { clientId, id: customer.single, code: 'S', name: 'Single', tariffId },
      { clientId, id: customer.multi, code: 'M', name: 'Multi', tariffId },
      { clientId, id: customer.negative, code: 'N', name: 'Negative' },
      { clientId, id: customer.handover, code: 'H', name: 'Handover', tariffId },
    ]);
    await tx.insert(schema.meters).values([
      { clientId, id: meter.single, serial: 'S1', multiplier: '1.0235' },
      { clientId, id: meter.multiA, serial: 'M1', multiplier: '1.5' },
      { clientId, id: meter.multiB, serial: 'M2', multiplier: '-0.25' },
      { clientId, id: meter.negative, serial: 'N1', multiplier: '-2' },
      { clientId, id: meter.handedOver, serial: 'H1', multiplier: '3' },
    ]);
    const since = new Date('2020-01-01T06:00:00Z');
    await tx.insert(schema.meterAssignments).values([
      { clientId, meterId: meter.single, customerId: customer.single, validFrom: since },
      { clientId, meterId: meter.multiA, customerId: customer.multi, validFrom: since },
      { clientId, meterId: meter.multiB, customerId: customer.multi, validFrom: since },
      { clientId, meterId: meter.negative, customerId: customer.negative, validFrom: since },
      // Assigned from the middle of the windows below: its rollups need the SQL.
      {
        clientId,
        meterId: meter.handedOver,
        customerId: customer.handover,
        validFrom: new Date('2025-03-10T12:00:00Z'),
      },
    ]);
  });
});

afterAll(async () => {
  await database.close();
});

/** Awkward values: more decimals than numeric(18, 6), ties at the 7th decimal, zeros, negatives, large ones. */
function value(k: number, i: number): Decimal {
  const shapes = ['0.0000005', '-0.0000005', '2.9999995', '1.23456789', '0', '123456.654321', '-3.5', '0.1'];
  if (i % 11 === 0) return new Decimal(shapes[(i / 11 + k) % shapes.length] ?? '0');
  return new Decimal(((i * (k + 7)) % 997) / 13).toDecimalPlaces(9);
}

function matched(meterId: string, from: Date, to: Date, k: number): MatchedSource {
  const readings = [];
  for (let t = from.getTime(), i = 0; t < to.getTime(); t += SLOT, i += 1) {
    readings.push({ slotStart: new Date(t), kwh: value(k, i), kvarh: null, row: i + 2 });
  }
  return matchedSource(meterId, readings);
}

const rollups = (tx: Tx) => rollupRows(tx, clientId);

describe.each([
  // Two whole local days (UTC-6, no DST): a Sunday and a Monday.
  { zone: 'America/El_Salvador', from: '2025-03-09T06:00:00Z', to: '2025-03-11T06:00:00Z', hours: 48 },
  // The Sunday New York springs forward has 23 hours.
  { zone: 'America/New_York', from: '2025-03-09T05:00:00Z', to: '2025-03-11T04:00:00Z', hours: 47 },
])('rollups summed in memory ($zone)', ({ zone, from, to, hours }) => {
  const start = new Date(from);
  const end = new Date(to);
  const batch = [meter.single, meter.multiA, meter.multiB, meter.negative, meter.handedOver].map((id, k) =>
    matched(id, start, end, k),
  );

  it('are taken for the customers whose whole window is in the batch, and only for them', async () => {
    await expect(
      withTenant(database, admin, async (tx) => {
        const plan = await planRollups(tx, {
          clientId,
          zone,
          meterIds: batch.map((m) => m.meter?.id ?? ''),
          from: start,
          to: end,
          staged: true,
        });
        expect(plan?.window.start).toEqual(start);
        expect(plan?.window.end).toEqual(end);
        const series = new Map(batch.map((m) => [m.meter?.id ?? '', m.source.readings]));
        const precomputed = await precomputeHours(plan!, series);
        expect([...precomputed.customerIds].sort()).toEqual(
          [customer.single, customer.multi, customer.negative].sort(),
        );
        // At least one row per hour of the window for each of the three customers.
        expect(precomputed.rows).toBeGreaterThanOrEqual(3 * hours);
        // A meter with a reading missing is not summed in memory.
        const gappy = new Map(series);
        gappy.set(
          meter.single,
          (series.get(meter.single) ?? []).filter((_, i) => i !== 40),
        );
        const partial = await precomputeHours(plan!, gappy);
        expect(partial.customerIds.has(customer.single)).toBe(false);
        expect(partial.customerIds.has(customer.multi)).toBe(true);
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
  });

  it('equal a full recompute from meter_readings', async () => {
    await expect(
      withTenant(database, admin, async (tx) => {
        const summary = await storeMeterReadings(tx, { clientId, uploadId: null, zone, matched: batch });
        expect(summary).toMatchObject({ customers: 4, unchanged: 0, replaced: 0 });
        const stored = (await rollups(tx)) as { hourly: { customer_id: string; hour_start: string }[] };
        expect(new Set(stored.hourly.map((r) => r.customer_id)).size).toBe(4);
        // Every local hour of the window, once per block it touches (PUNTA starts at 18:15: 18:00–19:00 is two rows).
        const single = stored.hourly.filter((r) => r.customer_id === customer.single);
        expect(new Set(single.map((r) => String(r.hour_start))).size).toBe(hours);
        // A value the staging column rounds: 0.0000005 → 0.000001 (half away from zero), × 1.0235 × 4 etc. — checked
        // through the recompute below, which reads only what meter_readings holds.
        await tx.execute(sql`delete from readings_hourly where client_id = ${clientId}`);
        await tx.execute(sql`delete from readings_daily where client_id = ${clientId}`);
        await recomputeRollups(tx, {
          clientId,
          zone,
          meterIds: batch.map((m) => m.meter?.id ?? ''),
          from: start,
          to: end,
        });
        expect(await rollups(tx)).toEqual(stored);
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
  });
});

import { randomUUID } from 'node:crypto';
import { asSystem, createDb, schema, withTenant, type Database, type Tx } from '@ciro/db';
import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { recomputeRollups } from '../rollups.repository';
import { storeMeterReadings } from '../store-readings';
import { matchedSource, rollupRows } from './rollup-kit';

/**
 * The store path reads the readings it just upserted from the staging table when it rolls them
 * up (and meter_readings only around them); a full recompute from meter_readings must give the
 * same rollups: partial days, replaced values, a meter with gaps, another meter of the same
 * customer, a RECEIVED-channel meter and a meter reassigned between customers mid-window.
 */

const ZONE = 'America/El_Salvador';
const SLOT = 15 * 60_000;
let database: Database;
const clientId = randomUUID();
const admin = { role: 'CLIENT_ADMIN' as const, clientId, customerId: null, userId: null };
const ids = {
  a: randomUUID(),
  b: randomUUID(),
  m1: randomUUID(),
  m2: randomUUID(),
  m3: randomUUID(),
  m4: randomUUID(),
};

function readings(
  from: string,
  slots: number,
  value: (i: number) => number,
  skip: (i: number) => boolean = () => false,
) {
  const start = new Date(from).getTime();
  return Array.from({ length: slots }, (_, i) => i)
    .filter((i) => !skip(i))
    .map((i) => ({
      slotStart: new Date(start + i * SLOT),
      kwh: new Decimal(value(i).toFixed(4)),
      kvarh: null,
      row: i + 2,
    }));
}

const matched = matchedSource;

const rollups = (tx: Tx) => rollupRows(tx, clientId);

beforeAll(async () => {
  database = createDb({ url: process.env.DATABASE_URL ?? inject('databaseUrl'), max: 2 });
  await asSystem(database, 'rollups test seed', async (tx) => {
    const organizationId = randomUUID();
    await tx.insert(schema.organizations).values({ id: organizationId, name: 'R', slug: `r-${organizationId}` });
    await tx
      .insert(schema.clients)
      .values({ id: clientId, organizationId, code: `R${clientId.slice(0, 8)}`, name: 'R' });
    const tariffId = randomUUID();
    await tx.insert(schema.tariffs).values({ clientId, id: tariffId, code: 'T', name: 'T' });
    await tx.insert(schema.tariffBlocks).values([
      { clientId, tariffId, block: 'LOW', startMinute: 0, endMinute: 600 },
      { clientId, tariffId, block: 'HIGH', startMinute: 600, endMinute: 1440 },
    ]);
    await tx.insert(schema.customers).values([
      { clientId, id: ids.a, code: 'A', name: 'A', tariffId },
      { clientId, id: ids.b, code: 'B', name: 'B' },
    ]);
    await tx.insert(schema.meters).values([
      { clientId, id: ids.m1, serial: '1', multiplier: '1.5' },
      { clientId, id: ids.m2, serial: '2', multiplier: '2' },
      { clientId, id: ids.m3, serial: '3', multiplier: '1' },
      { clientId, id: ids.m4, serial: '4', multiplier: '3', consumptionChannel: 'RECEIVED' },
    ]);
    const since = new Date('2020-01-01T06:00:00Z');
    const handover = new Date('2025-03-02T12:00:00Z');
    await tx.insert(schema.meterAssignments).values([
      { clientId, meterId: ids.m1, customerId: ids.a, validFrom: since },
      { clientId, meterId: ids.m2, customerId: ids.a, validFrom: since },
      { clientId, meterId: ids.m3, customerId: ids.a, validFrom: since, validTo: handover },
      { clientId, meterId: ids.m3, customerId: ids.b, validFrom: handover },
      { clientId, meterId: ids.m4, customerId: ids.b, validFrom: since },
    ]);
  });
  // Three days stored for every meter first.
  await withTenant(database, admin, (tx) =>
    storeMeterReadings(tx, {
      clientId,
      uploadId: null,
      zone: ZONE,
      matched: [ids.m1, ids.m2, ids.m3, ids.m4].map((id, k) =>
        matched(
          id,
          readings('2025-03-01T06:00:00Z', 3 * 96, (i) => 1 + ((i * (k + 3)) % 17) / 7),
        ),
      ),
    }),
  );
  await withTenant(database, admin, (tx) =>
    tx.execute(sql`update meter_readings set kwh_received = kwh / 2
      where client_id = ${clientId} and meter_id = ${ids.m4} and slot_start < '2025-03-02T20:00:00Z'`),
  );
});

afterAll(async () => {
  await database.close();
});

describe('rollups of staged readings', () => {
  it('equal a full recompute from meter_readings', async () => {
    const batch = [
      // Part of a day, contiguous, one value changed: staged shortcut, stored readings around it.
      matched(
        ids.m1,
        readings('2025-03-02T16:00:00Z', 20, (i) => (i === 5 ? 42 : 1 + (((i + 40) * 3) % 17) / 7)),
      ),
      // With gaps: read from meter_readings.
      matched(
        ids.m3,
        readings(
          '2025-03-02T10:00:00Z',
          40,
          (i) => 5 + i / 10,
          (i) => i % 7 === 3,
        ),
      ),
      // RECEIVED channel: its rollups use kwh_received, which the store path never writes.
      matched(
        ids.m4,
        readings('2025-03-02T11:00:00Z', 8, () => 9),
      ),
      // A new day for one meter only.
      matched(
        ids.m2,
        readings('2025-03-04T06:00:00Z', 96, (i) => 2 + (i % 5)),
      ),
    ];
    await expect(
      withTenant(database, admin, async (tx) => {
        const summary = await storeMeterReadings(tx, { clientId, uploadId: null, zone: ZONE, matched: batch });
        expect(summary).toMatchObject({ new: 96, customers: 2 });
        expect(summary.replaced).toBeGreaterThan(0);
        const staged = await rollups(tx);
        let min = Infinity;
        let max = -Infinity;
        for (const m of batch) {
          min = Math.min(min, m.source.readings[0].slotStart.getTime());
          max = Math.max(max, m.source.readings.at(-1)!.slotStart.getTime());
        }
        await recomputeRollups(tx, {
          clientId,
          zone: ZONE,
          meterIds: batch.map((m) => m.meter!.id),
          from: new Date(min),
          to: new Date(max + SLOT),
        });
        expect(await rollups(tx)).toEqual(staged);
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
  });
});

import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asSystem, createDb, meterReadings, withTenant, type Database, type Tx } from '../src/index';
import { seedClient, sqlStateOf, type SeededClient } from './support/seed';

/**
 * meter_readings is partitioned by month (custom migration). Only this file creates
 * partitions in the test database, and it uses 2031 months, so counts are exact.
 */

let database: Database;
let a: SeededClient;
let b: SeededClient;

const ensure = (tx: Tx, from: string, to: string) =>
  tx.execute<{ created: number }>(
    sql`select ensure_meter_reading_partitions(${from}::timestamptz, ${to}::timestamptz) as created`,
  );

const whereIs = (tx: Tx, meterId: string) =>
  tx.execute<{ partition: string; slot: string; kwh: string }>(sql`
    select tableoid::regclass::text as partition, to_char(slot_start at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as slot, kwh::text as kwh
    from meter_readings where meter_id = ${meterId} order by slot_start`);

beforeAll(async () => {
  database = createDb({ url: inject('databaseUrl'), max: 2 });
  a = await seedClient(database, 'mr-a');
  b = await seedClient(database, 'mr-b', 1);
});

afterAll(async () => {
  await database?.close();
});

describe('meter_readings partitions', () => {
  it('are created by the app role through ensure_meter_reading_partitions, which restores app.role', async () => {
    const result = await withTenant(database, a.admin, async (tx) => {
      const [first] = await ensure(tx, '2031-01-15T00:00:00Z', '2031-02-10T00:00:00Z');
      const [again] = await ensure(tx, '2031-01-01T00:00:00Z', '2031-02-28T00:00:00Z');
      const [role] = await tx.execute<{ role: string }>(sql`select current_setting('app.role', true) as role`);
      return { created: first.created, again: again.created, role: role.role };
    });
    expect(result).toEqual({ created: 2, again: 0, role: 'CLIENT_ADMIN' });
  });

  it('route readings by month, park unknown months in the default partition and move them when the month is created', async () => {
    const meterId = a.customers[0].meterId;
    await withTenant(database, a.admin, async (tx) => {
      await tx.insert(meterReadings).values([
        { clientId: a.clientId, meterId, slotStart: new Date('2031-01-31T23:45:00Z'), kwh: '1.250000' },
        { clientId: a.clientId, meterId, slotStart: new Date('2031-06-10T12:00:00Z'), kwh: '2.500000' },
      ]);
    });
    const before = await withTenant(database, a.admin, (tx) => whereIs(tx, meterId));
    expect([...before]).toEqual([
      { partition: 'meter_readings_2031_01', slot: '2031-01-31 23:45', kwh: '1.250000' },
      { partition: 'meter_readings_default', slot: '2031-06-10 12:00', kwh: '2.500000' },
    ]);

    // Created by client B's admin: moving A's parked row must still work (the function runs as SYSTEM).
    const [created] = await withTenant(database, b.admin, (tx) =>
      ensure(tx, '2031-06-01T00:00:00Z', '2031-06-01T00:00:00Z'),
    );
    expect(created.created).toBe(1);
    const after = await withTenant(database, a.admin, (tx) => whereIs(tx, meterId));
    expect([...after]).toEqual([
      { partition: 'meter_readings_2031_01', slot: '2031-01-31 23:45', kwh: '1.250000' },
      { partition: 'meter_readings_2031_06', slot: '2031-06-10 12:00', kwh: '2.500000' },
    ]);
  });

  it('reject an inverted range', async () => {
    const state = await sqlStateOf(withTenant(database, a.admin, (tx) => ensure(tx, '2031-03-01', '2031-02-01')));
    expect(state).toBe('22023');
  });

  it('carry forced RLS and the parent policies, so naming a partition directly leaks nothing', async () => {
    const meterId = a.customers[0].meterId;
    const direct = await withTenant(database, b.admin, (tx) =>
      tx.execute<{ n: number }>(sql`select count(*)::int as n from meter_readings_2031_01 where meter_id = ${meterId}`),
    );
    expect(direct[0].n).toBe(0);
    const own = await withTenant(database, a.admin, (tx) =>
      tx.execute<{ n: number }>(sql`select count(*)::int as n from meter_readings_2031_01 where meter_id = ${meterId}`),
    );
    expect(own[0].n).toBe(1);
  });
});

describe('meter_readings visibility', () => {
  it('shows a customer user the readings of its meter while assigned to it, and nothing of other customers', async () => {
    const [me, other] = [a.customers[0], a.customers[1]];
    await asSystem(database, 'test: readings before the assignment and of the other meter', async (tx) => {
      await ensure(tx, '2029-12-01T00:00:00Z', '2029-12-01T00:00:00Z');
      await tx.insert(meterReadings).values([
        // Seeded assignments start 2030-01-01: this reading predates it.
        { clientId: a.clientId, meterId: me.meterId, slotStart: new Date('2029-12-31T23:45:00Z'), kwh: '9.000000' },
        { clientId: a.clientId, meterId: other.meterId, slotStart: new Date('2031-01-10T00:00:00Z'), kwh: '3.000000' },
      ]);
    });
    const seen = await withTenant(database, me.user, (tx) =>
      tx.select({ meterId: meterReadings.meterId, kwh: meterReadings.kwh }).from(meterReadings),
    );
    expect(seen.filter((r) => r.meterId !== me.meterId)).toEqual([]);
    expect(seen.map((r) => r.kwh).sort()).toEqual(['1.250000', '2.500000']);

    const otherSees = await withTenant(database, other.user, (tx) =>
      tx.select({ kwh: meterReadings.kwh }).from(meterReadings).where(eq(meterReadings.meterId, me.meterId)),
    );
    expect(otherSees).toEqual([]);
  });

  it('lets neither a customer user nor another client write readings', async () => {
    const me = a.customers[0];
    const asCustomer = await sqlStateOf(
      withTenant(database, me.user, (tx) =>
        tx
          .insert(meterReadings)
          .values({ clientId: a.clientId, meterId: me.meterId, slotStart: new Date('2031-01-01T00:00:00Z'), kwh: '1' }),
      ),
    );
    expect(asCustomer).toBe('42501');
    const updatedByB = await withTenant(database, b.admin, (tx) =>
      tx
        .update(meterReadings)
        .set({ kwh: '0' })
        .where(and(eq(meterReadings.clientId, a.clientId), eq(meterReadings.meterId, me.meterId)))
        .returning({ kwh: meterReadings.kwh }),
    );
    expect(updatedByB).toEqual([]);
  });
});

describe('meter_readings references (checked once per statement, migration 0009)', () => {
  const slot = (minute: number) => new Date(Date.UTC(2031, 2, 1, 6, minute));
  const prepare = (tx: Tx) => ensure(tx, '2031-03-01T00:00:00Z', '2031-03-31T00:00:00Z');

  it('refuses readings of a meter that does not exist, or of the other client, with a foreign key violation', async () => {
    const unknownMeter = await sqlStateOf(
      withTenant(database, a.admin, async (tx) => {
        await prepare(tx);
        await tx.insert(meterReadings).values([
          { clientId: a.clientId, meterId: a.customers[0].meterId, slotStart: slot(0), kwh: '1' },
          { clientId: a.clientId, meterId: '00000000-0000-4000-8000-000000000001', slotStart: slot(0), kwh: '1' },
        ]);
      }),
    );
    expect(unknownMeter).toBe('23503');
    const othersMeter = await sqlStateOf(
      withTenant(database, a.admin, async (tx) => {
        await prepare(tx);
        await tx
          .insert(meterReadings)
          .values({ clientId: a.clientId, meterId: b.customers[0].meterId, slotStart: slot(15), kwh: '1' });
      }),
    );
    expect(othersMeter).toBe('23503');
    const stored = await asSystem(database, 'test: nothing stored', (tx) =>
      tx.select().from(meterReadings).where(eq(meterReadings.clientId, a.clientId)),
    );
    expect(stored.filter((r) => r.slotStart.getTime() >= slot(0).getTime() && r.slotStart < slot(60))).toEqual([]);
  });

  it("refuses an upload of another client as provenance, on insert and on the upsert's update", async () => {
    const meterId = a.customers[0].meterId;
    const onInsert = await sqlStateOf(
      withTenant(database, a.admin, async (tx) => {
        await prepare(tx);
        await tx
          .insert(meterReadings)
          .values({ clientId: a.clientId, meterId, slotStart: slot(30), kwh: '1', uploadId: b.uploadId });
      }),
    );
    expect(onInsert).toBe('23503');
    await withTenant(database, a.admin, async (tx) => {
      await prepare(tx);
      await tx
        .insert(meterReadings)
        .values({ clientId: a.clientId, meterId, slotStart: slot(30), kwh: '1', uploadId: a.uploadId });
    });
    const onUpdate = await sqlStateOf(
      withTenant(database, a.admin, (tx) =>
        tx
          .insert(meterReadings)
          .values({ clientId: a.clientId, meterId, slotStart: slot(30), kwh: '2', uploadId: b.uploadId })
          .onConflictDoUpdate({
            target: [meterReadings.clientId, meterReadings.meterId, meterReadings.slotStart],
            set: { kwh: sql`excluded.kwh`, uploadId: sql`excluded.upload_id` },
          }),
      ),
    );
    expect(onUpdate).toBe('23503');
  });

  it('keeps meters and uploads that readings point at from being deleted', async () => {
    const meterId = a.customers[1].meterId;
    await withTenant(database, a.admin, async (tx) => {
      await prepare(tx);
      await tx
        .insert(meterReadings)
        .values({ clientId: a.clientId, meterId, slotStart: slot(45), kwh: '1', uploadId: a.uploadId });
    });
    const meterDeleted = await sqlStateOf(
      asSystem(database, 'test: delete a meter with readings', (tx) =>
        tx.execute(sql`delete from meters where client_id = ${a.clientId} and id = ${meterId}`),
      ),
    );
    expect(meterDeleted).toBe('23503');
    const uploadDeleted = await sqlStateOf(
      asSystem(database, 'test: delete an upload with readings', (tx) =>
        tx.execute(sql`delete from uploads where client_id = ${a.clientId} and id = ${a.uploadId}`),
      ),
    );
    expect(uploadDeleted).toBe('23503');
  });
});

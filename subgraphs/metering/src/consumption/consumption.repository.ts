import { schema, type Tx } from '@ciro/db';
import { createBlockClassifier, type TariffBlock } from '@ciro/subgraph-common';
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import { NO_TARIFF_BLOCK } from '../readings/rollups.repository';

/** A rollup or slot row: kWh and max kW as numeric text, multipliers applied. */
export interface BucketRow {
  key: string;
  block: string;
  kwh: string;
  maxKw: string | null;
  readings: number;
}

export interface CustomerInfo {
  id: string;
  code: string;
  tariffId: string | null;
  timeZone: string;
}

/** The customer (as RLS lets the caller see it) with its client's time zone; null when not visible. */
export async function findCustomerInfo(tx: Tx, clientId: string, customerId: string): Promise<CustomerInfo | null> {
  const [row] = await tx
    .select({
      id: schema.customers.id,
      code: schema.customers.code,
      tariffId: schema.customers.tariffId,
      timeZone: schema.clients.timeZone,
    })
    .from(schema.customers)
    .innerJoin(schema.clients, eq(schema.clients.id, schema.customers.clientId))
    .where(and(eq(schema.customers.clientId, clientId), eq(schema.customers.id, customerId)));
  return row ?? null;
}

/** readings_daily rows of one customer over local days `[firstDay, endDay)`, keyed by day. */
export async function dailyRows(
  tx: Tx,
  clientId: string,
  customerId: string,
  firstDay: string,
  endDay: string,
): Promise<BucketRow[]> {
  const d = schema.readingsDaily;
  return tx
    .select({
      key: sql<string>`${d.day}::text`,
      block: d.block,
      kwh: d.kwh,
      maxKw: d.maxKw,
      readings: d.slotCount,
    })
    .from(d)
    .where(and(eq(d.clientId, clientId), eq(d.customerId, customerId), gte(d.day, firstDay), lt(d.day, endDay)));
}

/** readings_daily of one customer grouped by local calendar month (`YYYY-MM`) and block. */
export async function monthlyRows(
  tx: Tx,
  clientId: string,
  customerId: string,
  firstDay: string,
  endDay: string,
): Promise<BucketRow[]> {
  const d = schema.readingsDaily;
  const month = sql<string>`to_char(${d.day}, 'YYYY-MM')`;
  return tx
    .select({
      key: month,
      block: d.block,
      kwh: sql<string>`sum(${d.kwh})::text`,
      maxKw: sql<string | null>`max(${d.maxKw})::text`,
      readings: sql<number>`sum(${d.slotCount})::int`,
    })
    .from(d)
    .where(and(eq(d.clientId, clientId), eq(d.customerId, customerId), gte(d.day, firstDay), lt(d.day, endDay)))
    .groupBy(month, d.block);
}

/** readings_hourly rows of one customer with hour start in `[start, end)`, keyed by the hour's epoch ms. */
export async function hourlyRows(
  tx: Tx,
  clientId: string,
  customerId: string,
  start: Date,
  end: Date,
): Promise<BucketRow[]> {
  const h = schema.readingsHourly;
  const rows = await tx
    .select({ hourStart: h.hourStart, block: h.block, kwh: h.kwh, maxKw: h.maxKw, readings: h.slotCount })
    .from(h)
    .where(and(eq(h.clientId, clientId), eq(h.customerId, customerId), gte(h.hourStart, start), lt(h.hourStart, end)));
  return rows.map(({ hourStart, ...r }) => ({ ...r, key: String(hourStart.getTime()) }));
}

export interface SlotRow {
  slotStart: Date;
  /** Σ raw kWh × multiplier of the customer's meters at that slot. */
  kwh: string;
  readings: number;
  /** The meter contributing the most, and every contributing meter. */
  topMeterId: string;
  meterIds: string[];
}

/**
 * Customer slot kWh from meter_readings over `[start, end)` (same rule as the rollups: meters
 * assigned at the slot, delivered channel unless the meter says RECEIVED, × multiplier).
 */
export async function customerSlots(
  tx: Tx,
  clientId: string,
  customerId: string,
  windows: readonly { start: Date; end: Date }[],
): Promise<SlotRow[]> {
  if (windows.length === 0) return [];
  const within = sql.join(
    windows.map(
      (w) =>
        sql`(r.slot_start >= ${w.start.toISOString()}::timestamptz and r.slot_start < ${w.end.toISOString()}::timestamptz)`,
    ),
    sql` or `,
  );
  const rows = await tx.execute<{
    slot_start: string | Date;
    kwh: string;
    readings: number;
    top_meter_id: string;
    meter_ids: string[];
  }>(sql`
    with v as (
      select r.slot_start, r.meter_id,
        case when m.consumption_channel = 'RECEIVED' then r.kwh_received else r.kwh end * m.multiplier as kwh
      from meter_readings r
      join meters m on m.client_id = r.client_id and m.id = r.meter_id
      join meter_assignments a on a.client_id = r.client_id and a.meter_id = r.meter_id
        and a.valid_from <= r.slot_start and (a.valid_to is null or r.slot_start < a.valid_to)
      where r.client_id = ${clientId} and a.customer_id = ${customerId} and (${within})
        and case when m.consumption_channel = 'RECEIVED' then r.kwh_received else r.kwh end is not null
    )
    select slot_start, sum(kwh)::text as kwh, count(*)::int as readings,
      (array_agg(meter_id order by kwh desc, meter_id))[1]::text as top_meter_id,
      array_agg(meter_id::text order by meter_id) as meter_ids
    from v group by slot_start order by slot_start`);
  return rows.map((r) => ({
    slotStart: new Date(r.slot_start),
    kwh: r.kwh,
    readings: Number(r.readings),
    topMeterId: r.top_meter_id,
    meterIds: r.meter_ids,
  }));
}

/** The hour (rollup row) with the highest slot demand among hours starting in `[start, end)`. */
export async function peakHour(
  tx: Tx,
  clientId: string,
  customerId: string,
  start: Date,
  end: Date,
): Promise<Date | null> {
  const h = schema.readingsHourly;
  const [row] = await tx
    .select({ hourStart: h.hourStart })
    .from(h)
    .where(
      and(
        eq(h.clientId, clientId),
        eq(h.customerId, customerId),
        gte(h.hourStart, start),
        lt(h.hourStart, end),
        sql`${h.maxKw} is not null`,
      ),
    )
    .orderBy(sql`${h.maxKw} desc`, h.hourStart)
    .limit(1);
  return row?.hourStart ?? null;
}

/** Block of a slot for a tariff (NONE without one), with the client's holidays between the given days. */
export async function blockClassifier(
  tx: Tx,
  clientId: string,
  tariffId: string | null,
  zone: string,
  firstDay: string,
  endDay: string,
): Promise<(slotStart: Date) => string> {
  if (!tariffId) return () => NO_TARIFF_BLOCK;
  const blocks = await tx
    .select()
    .from(schema.tariffBlocks)
    .where(and(eq(schema.tariffBlocks.clientId, clientId), eq(schema.tariffBlocks.tariffId, tariffId)));
  if (blocks.length === 0) return () => NO_TARIFF_BLOCK;
  const holidays = await tx
    .select({ day: schema.holidays.day })
    .from(schema.holidays)
    .where(
      and(eq(schema.holidays.clientId, clientId), gte(schema.holidays.day, firstDay), lt(schema.holidays.day, endDay)),
    );
  const own: TariffBlock[] = blocks.map((b) => ({
    code: b.block,
    dayType: b.dayType,
    startMinute: b.startMinute,
    endMinute: b.endMinute,
  }));
  return createBlockClassifier(own, zone, new Set(holidays.map((h) => h.day)));
}

export interface CustomerPeriodRow {
  customerId: string;
  block: string;
  kwh: string;
  maxKw: string | null;
  readings: number;
}

/** Every customer of the client with its code, by code. */
export async function clientCustomers(tx: Tx, clientId: string): Promise<{ id: string; code: string }[]> {
  return tx
    .select({ id: schema.customers.id, code: schema.customers.code })
    .from(schema.customers)
    .where(eq(schema.customers.clientId, clientId))
    .orderBy(schema.customers.code);
}

/** readings_daily of every customer of the client over local days `[firstDay, endDay)`, per customer and block. */
export async function clientPeriodRows(
  tx: Tx,
  clientId: string,
  firstDay: string,
  endDay: string,
): Promise<CustomerPeriodRow[]> {
  const d = schema.readingsDaily;
  return tx
    .select({
      customerId: d.customerId,
      block: d.block,
      kwh: sql<string>`sum(${d.kwh})::text`,
      maxKw: sql<string | null>`max(${d.maxKw})::text`,
      readings: sql<number>`sum(${d.slotCount})::int`,
    })
    .from(d)
    .where(and(eq(d.clientId, clientId), gte(d.day, firstDay), lt(d.day, endDay)))
    .groupBy(d.customerId, d.block);
}

/** Meter assignments of the client overlapping `[start, end)`. */
export async function clientAssignments(
  tx: Tx,
  clientId: string,
  start: Date,
  end: Date,
): Promise<{ customerId: string; meterId: string; validFrom: Date; validTo: Date | null }[]> {
  const a = schema.meterAssignments;
  return tx
    .select({ customerId: a.customerId, meterId: a.meterId, validFrom: a.validFrom, validTo: a.validTo })
    .from(a)
    .where(
      and(
        eq(a.clientId, clientId),
        lt(a.validFrom, end),
        sql`(${a.validTo} is null or ${a.validTo} > ${start.toISOString()}::timestamptz)`,
      ),
    );
}

/** Slot starts of a meter's stored readings in `[start, end)`, in order (as RLS lets the caller see them). */
export async function meterSlotStarts(
  tx: Tx,
  clientId: string,
  meterId: string,
  start: Date,
  end: Date,
): Promise<Date[]> {
  const r = schema.meterReadings;
  const rows = await tx
    .select({ slotStart: r.slotStart })
    .from(r)
    .where(and(eq(r.clientId, clientId), eq(r.meterId, meterId), gte(r.slotStart, start), lt(r.slotStart, end)))
    .orderBy(r.slotStart);
  return rows.map((row) => row.slotStart);
}

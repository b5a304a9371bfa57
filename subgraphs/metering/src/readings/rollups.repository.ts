import { schema, type Tx } from '@ciro/db';
import { createBlockClassifier, type TariffBlock } from '@ciro/subgraph-common';
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { copyInto } from './raw-sql';

const SLOT_MS = 15 * 60_000;
/** Calendar key of customers without a tariff: their consumption is rolled up under block NONE. */
const NO_TARIFF = '00000000-0000-0000-0000-000000000000';
export const NO_TARIFF_BLOCK = 'NONE';

export interface RollupScope {
  clientId: string;
  zone: string;
  /** Meters whose readings changed. */
  meterIds: string[];
  /** First changed slot start and end of the last changed slot. */
  from: Date;
  to: Date;
}

interface AffectedCustomer {
  customerId: string;
  tariffId: string | null;
}

/** Whole local days around [from, to): daily rollups are recomputed for complete days. */
export function localDayWindow(
  from: Date,
  to: Date,
  zone: string,
): { start: Date; end: Date; firstDay: string; endDay: string } {
  const start = DateTime.fromJSDate(from, { zone }).startOf('day');
  const end = DateTime.fromJSDate(new Date(to.getTime() - 1), { zone })
    .startOf('day')
    .plus({ days: 1 });
  return {
    start: start.toJSDate(),
    end: end.toJSDate(),
    firstDay: start.toISODate() ?? '',
    endDay: end.toISODate() ?? '',
  };
}

async function affectedCustomers(tx: Tx, scope: RollupScope, start: Date, end: Date): Promise<AffectedCustomer[]> {
  if (scope.meterIds.length === 0) return [];
  const rows = await tx
    .selectDistinct({ customerId: schema.meterAssignments.customerId, tariffId: schema.customers.tariffId })
    .from(schema.meterAssignments)
    .innerJoin(
      schema.customers,
      and(
        eq(schema.customers.clientId, schema.meterAssignments.clientId),
        eq(schema.customers.id, schema.meterAssignments.customerId),
      ),
    )
    .where(
      and(
        eq(schema.meterAssignments.clientId, scope.clientId),
        inArray(schema.meterAssignments.meterId, scope.meterIds),
        lt(schema.meterAssignments.validFrom, end),
        sql`(${schema.meterAssignments.validTo} is null or ${schema.meterAssignments.validTo} > ${start.toISOString()}::timestamptz)`,
      ),
    );
  return rows;
}

async function classifiers(
  tx: Tx,
  clientId: string,
  zone: string,
  tariffIds: string[],
  firstDay: string,
  endDay: string,
): Promise<Map<string, (slotStart: Date) => string>> {
  const out = new Map<string, (slotStart: Date) => string>();
  if (tariffIds.length === 0) return out;
  const blocks = await tx
    .select()
    .from(schema.tariffBlocks)
    .where(and(eq(schema.tariffBlocks.clientId, clientId), inArray(schema.tariffBlocks.tariffId, tariffIds)));
  const holidays = await tx
    .select({ day: schema.holidays.day })
    .from(schema.holidays)
    .where(
      and(eq(schema.holidays.clientId, clientId), gte(schema.holidays.day, firstDay), lt(schema.holidays.day, endDay)),
    );
  const holidaySet = new Set(holidays.map((h) => h.day));
  for (const tariffId of tariffIds) {
    const own: TariffBlock[] = blocks
      .filter((b) => b.tariffId === tariffId)
      .map((b) => ({ code: b.block, dayType: b.dayType, startMinute: b.startMinute, endMinute: b.endMinute }));
    // Tariffs are validated when saved; one that still fails here is a data fault worth failing the commit for.
    out.set(tariffId, createBlockClassifier(own, zone, holidaySet));
  }
  return out;
}

/**
 * Recomputes readings_hourly and readings_daily of every customer a changed meter counts for,
 * over the whole local days the change touches, from meter_readings: per customer, slot
 * kWh = Σ raw kWh × multiplier of the meters assigned at that slot (delivered channel unless
 * the meter says RECEIVED), then per hour/day and tariff block the sum, the max kW (kWh × 4)
 * and the number of meter readings. Runs in the caller's transaction.
 */
export async function recomputeRollups(tx: Tx, scope: RollupScope): Promise<{ customers: number }> {
  const window = localDayWindow(scope.from, scope.to, scope.zone);
  const customers = await affectedCustomers(tx, scope, window.start, window.end);
  if (customers.length === 0) return { customers: 0 };
  const tariffIds = [...new Set(customers.flatMap((c) => (c.tariffId ? [c.tariffId] : [])))];
  const byTariff = await classifiers(tx, scope.clientId, scope.zone, tariffIds, window.firstDay, window.endDay);
  const tariffKeys = [...byTariff.keys()];
  if (customers.some((c) => c.tariffId === null)) tariffKeys.push(NO_TARIFF);

  await tx.execute(
    sql.raw(`create temporary table rollup_calendar (
      tariff_id uuid not null,
      slot_start timestamptz not null,
      hour_start timestamptz not null,
      day date not null,
      block text not null,
      primary key (tariff_id, slot_start)
    ) on commit drop`),
  );
  const zone = scope.zone;
  function* calendar(): Generator<string[]> {
    for (let t = window.start.getTime(); t < window.end.getTime(); t += SLOT_MS) {
      const slot = new Date(t);
      const local = DateTime.fromMillis(t, { zone });
      const hourStart = new Date(t - (local.minute * 60 + local.second) * 1000 - local.millisecond);
      const day = local.toISODate() ?? '';
      for (const key of tariffKeys) {
        const block = key === NO_TARIFF ? NO_TARIFF_BLOCK : (byTariff.get(key)?.(slot) ?? NO_TARIFF_BLOCK);
        yield [key, slot.toISOString(), hourStart.toISOString(), day, block];
      }
    }
  }
  await copyInto(tx, 'copy rollup_calendar (tariff_id, slot_start, hour_start, day, block) from stdin', calendar());

  const customerIds = customers.map((c) => c.customerId);
  const ids = sql`array[${sql.join(
    customerIds.map((id) => sql`${id}`),
    sql`, `,
  )}]::uuid[]`;
  const start = window.start.toISOString();
  const end = window.end.toISOString();
  await tx.execute(sql`delete from readings_hourly
    where client_id = ${scope.clientId} and customer_id = any(${ids})
      and hour_start >= ${start}::timestamptz and hour_start < ${end}::timestamptz`);
  await tx.execute(sql`delete from readings_daily
    where client_id = ${scope.clientId} and customer_id = any(${ids})
      and day >= ${window.firstDay}::date and day < ${window.endDay}::date`);

  const slots = sql`
    select a.customer_id, r.slot_start,
      sum(case when m.consumption_channel = 'RECEIVED' then r.kwh_received else r.kwh end * m.multiplier) as kwh,
      count(*) as readings
    from meter_readings r
    join meters m on m.client_id = r.client_id and m.id = r.meter_id
    join meter_assignments a on a.client_id = r.client_id and a.meter_id = r.meter_id
      and a.valid_from <= r.slot_start and (a.valid_to is null or r.slot_start < a.valid_to)
    where r.client_id = ${scope.clientId} and a.customer_id = any(${ids})
      and r.slot_start >= ${start}::timestamptz and r.slot_start < ${end}::timestamptz
      and case when m.consumption_channel = 'RECEIVED' then r.kwh_received else r.kwh end is not null
    group by a.customer_id, r.slot_start`;
  const classified = sql`
    select s.customer_id, k.hour_start, k.day, k.block, s.kwh, s.readings
    from (${slots}) s
    join customers c on c.client_id = ${scope.clientId} and c.id = s.customer_id
    join rollup_calendar k on k.tariff_id = coalesce(c.tariff_id, ${NO_TARIFF}::uuid) and k.slot_start = s.slot_start`;
  // Materialised once: both rollups read the same classified customer slots.
  await tx.execute(
    sql.raw(`create temporary table rollup_slots (
      customer_id uuid not null, hour_start timestamptz not null, day date not null,
      block text not null, kwh numeric not null, readings bigint not null
    ) on commit drop`),
  );
  await tx.execute(sql`insert into rollup_slots ${classified}`);
  await tx.execute(sql`
    insert into readings_hourly (client_id, customer_id, hour_start, block, kwh, max_kw, slot_count)
    select ${scope.clientId}, x.customer_id, x.hour_start, x.block, sum(x.kwh), max(x.kwh) * 4, sum(x.readings)
    from rollup_slots x
    group by x.customer_id, x.hour_start, x.block`);
  await tx.execute(sql`
    insert into readings_daily (client_id, customer_id, day, block, kwh, max_kw, slot_count)
    select ${scope.clientId}, x.customer_id, x.day, x.block, sum(x.kwh), max(x.kwh) * 4, sum(x.readings)
    from rollup_slots x
    group by x.customer_id, x.day, x.block`);
  return { customers: customers.length };
}

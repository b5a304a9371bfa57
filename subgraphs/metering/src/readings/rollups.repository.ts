import { schema, type Tx } from '@ciro/db';
import { createBlockClassifier, localPartsOf, type TariffBlock } from '@ciro/subgraph-common';
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type Decimal from 'decimal.js';
import { DateTime } from 'luxon';
import { BinaryCopyWriter, uuidBytes } from './copy-binary';
import { customerHours, type HourBucket, type SlotCalendar } from './customer-hours';
import { copyChunks, copyInto } from './raw-sql';

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
  /**
   * The changed readings are still in the transaction's staging table (staged_meter_readings)
   * and were just upserted: the rollups read them from there instead of from meter_readings.
   */
  staged?: boolean;
  /**
   * With `staged`: each staged meter's range and whether it is contiguous, when the caller knows them
   * (otherwise read from the staging table).
   */
  stagedMeters?: readonly { meterId: string; lo: Date; hi: Date; contiguous: boolean }[];
}

/** A temporary table dropped at commit; a second call in the same transaction starts it afresh. */
async function createTempTable(tx: Tx, name: string, columns: string): Promise<void> {
  await tx.execute(sql.raw(`drop table if exists pg_temp.${name}`));
  await tx.execute(sql.raw(`create temporary table ${name} (${columns}) on commit drop`));
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

/** A customer's meter in the window, as the rollups weigh it. */
interface RollupAssignment {
  meterId: string;
  customerId: string;
  /** The customer's tariff, or NO_TARIFF. */
  tariffKey: string;
  validFrom: Date;
  validTo: Date | null;
  /** numeric text, exact. */
  multiplier: string;
  received: boolean;
}

/** What recomputing the rollups of a change needs from the database, read before the readings are written. */
export interface RollupPlan {
  scope: RollupScope;
  window: ReturnType<typeof localDayWindow>;
  customers: AffectedCustomer[];
  assignments: RollupAssignment[];
  /** Per tariff key: the window's slots in their local hours and tariff blocks. */
  calendars: Map<string, SlotCalendar>;
}

/** Hourly rows computed in memory (customerHours) for some customers; the SQL computes the others. */
export interface PrecomputedHours {
  customerIds: ReadonlySet<string>;
  /** Hourly rows computed. */
  rows: number;
  /**
   * The rows as binary COPY data for rollup_hours, written while the readings were being inserted (about
   * 80 bytes a row, where the decimals themselves would take kilobytes: a month of 1,000 meters is ~55 MB).
   */
  copyData: readonly Buffer[];
}

function slotCalendars(
  window: RollupPlan['window'],
  zone: string,
  tariffKeys: readonly string[],
  byTariff: ReadonlyMap<string, (slotStart: Date) => string>,
): Map<string, SlotCalendar> {
  const slots = Math.round((window.end.getTime() - window.start.getTime()) / SLOT_MS);
  const built = tariffKeys.map((key) => ({
    key,
    buckets: [] as HourBucket[],
    index: new Map<string, number>(),
    bucketOfSlot: new Int32Array(slots),
  }));
  for (let i = 0; i < slots; i += 1) {
    const slot = new Date(window.start.getTime() + i * SLOT_MS);
    const local = localPartsOf(slot, zone);
    const hour = local.hourStart.getTime();
    for (const calendar of built) {
      const block =
        calendar.key === NO_TARIFF ? NO_TARIFF_BLOCK : (byTariff.get(calendar.key)?.(slot) ?? NO_TARIFF_BLOCK);
      const id = `${hour}|${block}`;
      let bucket = calendar.index.get(id);
      if (bucket === undefined) {
        bucket = calendar.buckets.length;
        calendar.buckets.push({ hourStart: local.hourStart, day: local.date, block });
        calendar.index.set(id, bucket);
      }
      calendar.bucketOfSlot[i] = bucket;
    }
  }
  return new Map(built.map((c) => [c.key, { buckets: c.buckets, bucketOfSlot: c.bucketOfSlot }]));
}

/**
 * Reads what recomputing the rollups of a change needs: the customers a changed meter counts for
 * over the whole local days the change touches, their meters (with multiplier and channel) and the
 * window's calendar of local hours and tariff blocks. Null when no customer is affected.
 */
export async function planRollups(tx: Tx, scope: RollupScope): Promise<RollupPlan | null> {
  const window = localDayWindow(scope.from, scope.to, scope.zone);
  const customers = await affectedCustomers(tx, scope, window.start, window.end);
  if (customers.length === 0) return null;
  const tariffIds = [...new Set(customers.flatMap((c) => (c.tariffId ? [c.tariffId] : [])))];
  const byTariff = await classifiers(tx, scope.clientId, scope.zone, tariffIds, window.firstDay, window.endDay);
  const tariffKeys = [...byTariff.keys()];
  if (customers.some((c) => c.tariffId === null)) tariffKeys.push(NO_TARIFF);
  const customerIds = customers.map((c) => c.customerId);
  const rows = await tx.execute<{
    meter_id: string;
    customer_id: string;
    tariff_key: string;
    valid_from: string;
    valid_to: string | null;
    multiplier: string;
    received: boolean;
  }>(sql`
    select a.meter_id, a.customer_id, coalesce(c.tariff_id, ${NO_TARIFF}::uuid) as tariff_key,
      a.valid_from::text, a.valid_to::text, m.multiplier::text, m.consumption_channel = 'RECEIVED' as received
    from meter_assignments a
    join meters m on m.client_id = a.client_id and m.id = a.meter_id
    join customers c on c.client_id = a.client_id and c.id = a.customer_id
    where a.client_id = ${scope.clientId} and a.customer_id = any(${uuidArray(customerIds)})
      and a.valid_from < ${window.end.toISOString()}::timestamptz
      and (a.valid_to is null or a.valid_to > ${window.start.toISOString()}::timestamptz)`);
  return {
    scope,
    window,
    customers,
    assignments: rows.map((r) => ({
      meterId: r.meter_id,
      customerId: r.customer_id,
      tariffKey: r.tariff_key,
      validFrom: new Date(r.valid_from),
      validTo: r.valid_to === null ? null : new Date(r.valid_to),
      multiplier: r.multiplier,
      received: r.received,
    })),
    calendars: slotCalendars(window, scope.zone, tariffKeys, byTariff),
  };
}

function uuidArray(ids: readonly string[]) {
  return sql`${`{${ids.join(',')}}`}::uuid[]`;
}

/** Gives the event loop a turn, so statements awaiting their results move on while this computes. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The hourly rows of the customers whose readings over the whole window are all in memory: every
 * assignment covers the window, and each of their meters (delivered channel) has exactly one
 * reading per slot of the window in `series`. Meant to run while the readings are inserted (it
 * yields between customers); the others are left to the SQL.
 */
export async function precomputeHours(
  plan: RollupPlan,
  series: ReadonlyMap<string, readonly { slotStart: Date; kwh: Decimal }[]>,
): Promise<PrecomputedHours> {
  const start = plan.window.start.getTime();
  const end = plan.window.end.getTime();
  const slots = Math.round((end - start) / SLOT_MS);
  const whole = (meterId: string): readonly Decimal[] | null => {
    const readings = series.get(meterId);
    if (!readings || readings.length !== slots) return null;
    for (let i = 0; i < slots; i += 1) {
      if (readings[i]?.slotStart.getTime() !== start + i * SLOT_MS) return null;
    }
    return readings.map((r) => r.kwh);
  };
  const byCustomer = new Map<string, RollupAssignment[]>();
  for (const a of plan.assignments) byCustomer.set(a.customerId, [...(byCustomer.get(a.customerId) ?? []), a]);
  const customerIds = new Set<string>();
  let rows = 0;
  const writer = new BinaryCopyWriter();
  const copyData: Buffer[] = [];
  for (const [customerId, assignments] of byCustomer) {
    const calendar = plan.calendars.get(assignments[0]?.tariffKey ?? '');
    const covered = assignments.every(
      (a) => !a.received && a.validFrom.getTime() <= start && (a.validTo === null || a.validTo.getTime() >= end),
    );
    if (!calendar || !covered) continue;
    const meters = assignments.map((a) => ({ multiplier: a.multiplier, values: whole(a.meterId) }));
    if (meters.some((m) => m.values === null)) continue;
    const own = customerHours(
      customerId,
      calendar,
      meters.map((m) => ({ multiplier: m.multiplier, values: m.values ?? [] })),
    );
    const customer = uuidBytes(customerId);
    for (const h of own) {
      const full = writer.row(7);
      if (full) copyData.push(full);
      writer.uuid(customer);
      writer.timestamptz(h.hourStart.getTime());
      writer.date(h.day);
      writer.text(h.block);
      writer.numeric(h.kwh.toFixed());
      writer.numeric(h.maxKw.toFixed());
      writer.int64(h.readings);
    }
    rows += own.length;
    customerIds.add(customerId);
    await turn();
  }
  copyData.push(writer.end());
  return { customerIds, rows, copyData };
}

/**
 * Recomputes readings_hourly and readings_daily of every customer a changed meter counts for,
 * over the whole local days the change touches, from meter_readings: per customer, slot
 * kWh = Σ raw kWh × multiplier of the meters assigned at that slot (delivered channel unless
 * the meter says RECEIVED), then per hour/day and tariff block the sum, the max kW (kWh × 4)
 * and the number of meter readings. Runs in the caller's transaction.
 */
export async function recomputeRollups(tx: Tx, scope: RollupScope): Promise<{ customers: number }> {
  const plan = await planRollups(tx, scope);
  return plan ? applyRollups(tx, plan) : { customers: 0 };
}

/**
 * Writes the rollups a plan describes. Set-based: the assignments, meters and calendar are put in
 * temporary tables once, and with `scope.staged` the readings just upserted are read from the
 * staging table, so meter_readings is only read around them (the rest of the first and last local
 * day) and for the affected customers' other meters. Customers in `precomputed` take its rows
 * instead of the SQL's (the same sums, computed in memory while the readings were inserted).
 */
export async function applyRollups(
  tx: Tx,
  plan: RollupPlan,
  precomputed?: PrecomputedHours,
): Promise<{ customers: number }> {
  const { scope, window } = plan;
  const done = precomputed?.customerIds ?? new Set<string>();
  const customerIds = plan.customers.map((c) => c.customerId);
  const ids = uuidArray(customerIds);
  const start = window.start.toISOString();
  const end = window.end.toISOString();
  await tx.execute(sql`delete from readings_hourly
    where client_id = ${scope.clientId} and customer_id = any(${ids})
      and hour_start >= ${start}::timestamptz and hour_start < ${end}::timestamptz`);
  await tx.execute(sql`delete from readings_daily
    where client_id = ${scope.clientId} and customer_id = any(${ids})
      and day >= ${window.firstDay}::date and day < ${window.endDay}::date`);

  // Enough memory for the groupings of a month of a few hundred meters to stay in memory (spilling
  // to disk doubled their time); put back before returning.
  const [memory] = await tx.execute<{ work_mem: string }>(sql`select current_setting('work_mem') as work_mem`);
  await tx.execute(sql`select set_config('work_mem', '256MB', true)`);
  // Customer hours, materialised once (unrounded): readings_hourly is them; readings_daily sums
  // them per local day (a local hour lies within one local day), the max of the hours' max kW
  // being the max of the day's slots.
  await createTempTable(
    tx,
    'rollup_hours',
    `customer_id uuid not null, hour_start timestamptz not null, day date not null, block text not null,
     kwh numeric not null, max_kw numeric not null, readings bigint not null`,
  );
  if (precomputed && precomputed.rows > 0) {
    await copyChunks(
      tx,
      'copy rollup_hours (customer_id, hour_start, day, block, kwh, max_kw, readings) from stdin (format binary)',
      precomputed.copyData,
    );
  }
  const rest = plan.assignments.filter((a) => !done.has(a.customerId));
  if (rest.length > 0) await rollUpInSql(tx, plan, rest);
  await tx.execute(sql`
    insert into readings_hourly (client_id, customer_id, hour_start, block, kwh, max_kw, slot_count)
    select ${scope.clientId}, x.customer_id, x.hour_start, x.block, x.kwh, x.max_kw, x.readings
    from rollup_hours x`);
  await tx.execute(sql`
    insert into readings_daily (client_id, customer_id, day, block, kwh, max_kw, slot_count)
    select ${scope.clientId}, x.customer_id, x.day, x.block, sum(x.kwh), max(x.max_kw), sum(x.readings)
    from rollup_hours x
    group by x.customer_id, x.day, x.block`);
  await tx.execute(sql`select set_config('work_mem', ${memory?.work_mem ?? '4MB'}, true)`);
  return { customers: plan.customers.length };
}

/** The rollup_hours rows of the customers of `assignments`, computed from the staging table and meter_readings. */
async function rollUpInSql(tx: Tx, plan: RollupPlan, assignments: readonly RollupAssignment[]): Promise<void> {
  const { scope, window } = plan;
  const start = window.start.toISOString();
  const end = window.end.toISOString();
  await createTempTable(
    tx,
    'rollup_calendar',
    `tariff_id uuid not null, slot_start timestamptz not null, hour_start timestamptz not null,
     day date not null, block text not null`,
  );
  const tariffKeys = new Set(assignments.map((a) => a.tariffKey));
  function* calendarRows(): Generator<string[]> {
    for (const [key, calendar] of plan.calendars) {
      if (!tariffKeys.has(key)) continue;
      for (const [i, b] of calendar.bucketOfSlot.entries()) {
        const bucket = calendar.buckets[b];
        if (!bucket) continue;
        const slot = new Date(window.start.getTime() + i * SLOT_MS);
        yield [key, slot.toISOString(), bucket.hourStart.toISOString(), bucket.day, bucket.block];
      }
    }
  }
  await copyInto(tx, 'copy rollup_calendar (tariff_id, slot_start, hour_start, day, block) from stdin', calendarRows());

  // The small RLS tables were read once (under the caller's policies); their rows go into temporary
  // tables, so the large statements below join only meter_readings, the staging table and these.
  await createTempTable(
    tx,
    'rollup_assignments',
    `meter_id uuid not null, customer_id uuid not null, tariff_key uuid not null,
     valid_from timestamptz not null, valid_to timestamptz, multiplier numeric not null, received boolean not null,
     single boolean not null`,
  );
  const perCustomer = new Map<string, number>();
  for (const a of assignments) perCustomer.set(a.customerId, (perCustomer.get(a.customerId) ?? 0) + 1);
  await tx.execute(sql`
    insert into rollup_assignments
    select * from unnest(
      ${uuidArray(assignments.map((a) => a.meterId))},
      ${uuidArray(assignments.map((a) => a.customerId))},
      ${uuidArray(assignments.map((a) => a.tariffKey))},
      ${`{${assignments.map((a) => `"${a.validFrom.toISOString()}"`).join(',')}}`}::timestamptz[],
      ${`{${assignments.map((a) => (a.validTo ? `"${a.validTo.toISOString()}"` : 'NULL')).join(',')}}`}::timestamptz[],
      ${`{${assignments.map((a) => a.multiplier).join(',')}}`}::numeric[],
      ${`{${assignments.map((a) => a.received).join(',')}}`}::boolean[],
      ${`{${assignments.map((a) => perCustomer.get(a.customerId) === 1).join(',')}}`}::boolean[]
    )`);
  // Per meter, the slots [lo, hi] whose stored values are exactly the staged ones: a staged meter
  // (delivered channel) whose staged slots are every aligned slot from its first to its last.
  // Its readings there come from the staging table; all others from meter_readings.
  await createTempTable(
    tx,
    'rollup_meters',
    'meter_id uuid primary key, received boolean not null, lo timestamptz, hi timestamptz',
  );
  const contiguous = scope.stagedMeters?.filter((m) => m.contiguous);
  const covered = !scope.staged
    ? sql`left join (select null::uuid as meter_id, null::timestamptz as lo, null::timestamptz as hi) cov on false`
    : contiguous
      ? sql`left join unnest(
          ${uuidArray(contiguous.map((m) => m.meterId))},
          ${`{${contiguous.map((m) => `"${m.lo.toISOString()}"`).join(',')}}`}::timestamptz[],
          ${`{${contiguous.map((m) => `"${m.hi.toISOString()}"`).join(',')}}`}::timestamptz[]
        ) as cov(meter_id, lo, hi) on cov.meter_id = x.meter_id and not x.received`
      : sql`left join (
        select meter_id, min(slot_start) as lo, max(slot_start) as hi
        from staged_meter_readings
        group by meter_id
        having bool_and(extract(epoch from slot_start)::numeric % 900 = 0)
          and count(*) = extract(epoch from max(slot_start) - min(slot_start))::numeric / 900 + 1
      ) cov on cov.meter_id = x.meter_id and not x.received`;
  await tx.execute(sql`
    insert into rollup_meters
    select x.meter_id, x.received, cov.lo, cov.hi
    from (select distinct meter_id, received from rollup_assignments) x
    ${covered}`);
  await tx.execute(sql.raw('analyze rollup_calendar, rollup_assignments, rollup_meters'));

  const stagedPart = scope.staged
    ? sql`select s.meter_id, s.slot_start, s.kwh as value
      from staged_meter_readings s join rollup_meters m on m.meter_id = s.meter_id and m.lo is not null
      union all `
    : sql``;
  const readings = sql`
    ${stagedPart}
    select m.meter_id, r.slot_start, r.value
    from rollup_meters m
    cross join lateral (
      select r.slot_start, case when m.received then r.kwh_received else r.kwh end as value
      from meter_readings r
      where r.client_id = ${scope.clientId} and r.meter_id = m.meter_id
        and r.slot_start >= ${start}::timestamptz and r.slot_start < least(${end}::timestamptz, m.lo)
      union all
      select r.slot_start, case when m.received then r.kwh_received else r.kwh end
      from meter_readings r
      where m.hi is not null and r.client_id = ${scope.clientId} and r.meter_id = m.meter_id
        and r.slot_start > m.hi and r.slot_start < ${end}::timestamptz
    ) r
    where r.value is not null`;
  // A customer with one assignment in the window (one meter, the usual case) needs no per-slot grouping: its
  // hour is Σ value × multiplier = (Σ value) × multiplier, exactly (numeric), and its largest slot the largest
  // value × multiplier (the smallest, should a multiplier be negative).
  if ([...perCustomer.values()].some((n) => n === 1)) {
    await tx.execute(sql`
      insert into rollup_hours
      select a.customer_id, k.hour_start, k.day, k.block, sum(v.value) * a.multiplier,
        (case when a.multiplier >= 0 then max(v.value) else min(v.value) end) * a.multiplier * 4, count(*)
      from (${readings}) v
      join rollup_assignments a on a.meter_id = v.meter_id and a.single
        and a.valid_from <= v.slot_start and (a.valid_to is null or v.slot_start < a.valid_to)
      join rollup_calendar k on k.tariff_id = a.tariff_key and k.slot_start = v.slot_start
      group by a.customer_id, a.multiplier, k.hour_start, k.day, k.block`);
  }
  // Customers with several meters: per slot, Σ value × multiplier of the meters assigned at that slot.
  if ([...perCustomer.values()].some((n) => n > 1)) {
    await tx.execute(sql`
      insert into rollup_hours
      select s.customer_id, k.hour_start, k.day, k.block, sum(s.kwh), max(s.kwh) * 4, sum(s.readings)
      from (
        select a.customer_id, a.tariff_key, v.slot_start, sum(v.value * a.multiplier) as kwh, count(*) as readings
        from (${readings}) v
        join rollup_assignments a on a.meter_id = v.meter_id and not a.single
          and a.valid_from <= v.slot_start and (a.valid_to is null or v.slot_start < a.valid_to)
        group by a.customer_id, a.tariff_key, v.slot_start
      ) s
      join rollup_calendar k on k.tariff_id = s.tariff_key and k.slot_start = s.slot_start
      group by s.customer_id, k.hour_start, k.day, k.block`);
  }
}

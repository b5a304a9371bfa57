import { withTenant, type Tx } from '@ciro/db';
import {
  BadUserInputError,
  ForbiddenError,
  NotFoundError,
  SLOT_MS,
  assertClientAdmin,
  assertCustomerAccess,
  fromTenantIdOrThrow,
  hasAnyScope,
  periodBounds,
  tenantContextFor,
  toGlobalId,
  toLocalIso,
} from '@ciro/subgraph-common';
import Decimal from 'decimal.js';
import { DateTime } from 'luxon';
import type { Caller } from '../caller';
import { findClientTimeZone } from '../readings/meter-lookup.repository';
import { bucketWindow, instantKey, type Bucket, type Granularity } from './buckets';
import {
  blockClassifier,
  clientAssignments,
  clientCustomers,
  clientPeriodRows,
  customerSlots,
  dailyRows,
  findCustomerInfo,
  hourlyRows,
  monthlyRows,
  peakHour,
  type BucketRow,
  type CustomerInfo,
} from './consumption.repository';
import {
  ConsumptionGranularity,
  type BlockConsumption,
  type ClientConsumptionSummary,
  type ConsumptionPoint,
  type CustomerConsumption,
  type CustomerConsumptionTotal,
  type PeakDemand,
} from './consumption.type';

const CONSUMPTION_SCOPES = ['consumption:read', 'consumption:read:own'] as const;
/** peakDemand looks at most this far (it reads hourly rollups, then at most a few hours of readings). */
const MAX_PEAK_RANGE_DAYS = 366;
export const MAX_SUMMARY_TOP = 1000;
export const DEFAULT_SUMMARY_TOP = 20;

export interface ConsumptionArgs {
  from: Date;
  to: Date;
  granularity: Granularity | ConsumptionGranularity;
  byBlock?: boolean;
}

function requireScopes(caller: Caller, scopes: readonly string[]): void {
  if (!hasAnyScope(caller.identity.scopes, scopes)) {
    throw new ForbiddenError(`This needs one of the scopes: ${scopes.join(', ')}`);
  }
}

/**
 * Decodes a Customer id and checks the caller may read its consumption: another client's id is
 * FORBIDDEN, another customer's id is FORBIDDEN for a customer user (or a key holding only
 * `consumption:read:own`).
 */
function customerIdsOrThrow(caller: Caller, customerGlobalId: string): { clientId: string; customerId: string } {
  requireScopes(caller, CONSUMPTION_SCOPES);
  const { clientId, id: customerId } = fromTenantIdOrThrow('Customer', customerGlobalId);
  assertCustomerAccess(caller.identity, clientId, customerId);
  if (!hasAnyScope(caller.identity.scopes, ['consumption:read']) && caller.identity.customerId !== customerId) {
    throw new ForbiddenError('This caller may read only its own customer’s consumption');
  }
  return { clientId, customerId };
}

function rangeOrThrow(from: Date, to: Date, field: string): void {
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) {
    throw new BadUserInputError(field, `${field} needs valid instants`);
  }
  if (!(from < to)) throw new BadUserInputError(`${field}.to`, '`to` must be after `from`');
}

/** Runs `fn` in the caller's tenant context with the customer, or throws NOT_FOUND (FORBIDDEN for customer users). */
function withCustomer<T>(
  caller: Caller,
  ids: { clientId: string; customerId: string },
  customerGlobalId: string,
  fn: (tx: Tx, customer: CustomerInfo) => Promise<T>,
): Promise<T> {
  return withTenant(caller.database, tenantContextFor(caller.identity, ids.clientId), async (tx) => {
    const customer = await findCustomerInfo(tx, ids.clientId, ids.customerId);
    if (!customer) {
      if (caller.identity.role === 'CUSTOMER_USER') throw new ForbiddenError('This customer is not yours');
      throw new NotFoundError('Customer', customerGlobalId);
    }
    return fn(tx, customer);
  });
}

function byBlockList(blocks: ReadonlyMap<string, Decimal>): BlockConsumption[] {
  return [...blocks.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([block, kwh]) => ({ block, kwh }));
}

function addTo(map: Map<string, Decimal>, key: string, value: Decimal): void {
  map.set(key, (map.get(key) ?? new Decimal(0)).plus(value));
}

interface Accumulator {
  kwh: Decimal;
  maxKw: Decimal | null;
  readings: number;
  blocks: Map<string, Decimal>;
}

/** Folds rollup (or slot) rows into the buckets; every bucket is returned, empty ones with 0 kWh. */
export function foldBuckets(
  buckets: readonly Bucket[],
  rows: readonly BucketRow[],
  byBlock: boolean,
): Pick<CustomerConsumption, 'points' | 'total' | 'totalByBlock' | 'readings'> {
  const acc = new Map<string, Accumulator>();
  for (const b of buckets) acc.set(b.key, { kwh: new Decimal(0), maxKw: null, readings: 0, blocks: new Map() });
  const totalByBlock = new Map<string, Decimal>();
  let total = new Decimal(0);
  let readings = 0;
  for (const row of rows) {
    const a = acc.get(row.key);
    if (!a) continue;
    const kwh = new Decimal(row.kwh);
    a.kwh = a.kwh.plus(kwh);
    a.readings += Number(row.readings);
    if (row.maxKw !== null) {
      const maxKw = new Decimal(row.maxKw);
      if (a.maxKw === null || maxKw.greaterThan(a.maxKw)) a.maxKw = maxKw;
    }
    addTo(a.blocks, row.block, kwh);
    addTo(totalByBlock, row.block, kwh);
    total = total.plus(kwh);
    readings += Number(row.readings);
  }
  const points: ConsumptionPoint[] = buckets.map((b) => {
    const a = acc.get(b.key) as Accumulator;
    return {
      start: b.start,
      end: b.end,
      localStart: b.localStart,
      kwh: a.kwh,
      maxKw: a.readings > 0 ? a.maxKw : null,
      readings: a.readings,
      blocks: byBlock ? byBlockList(a.blocks) : null,
    };
  });
  return { points, total, totalByBlock: byBlockList(totalByBlock), readings };
}

async function bucketRows(
  tx: Tx,
  clientId: string,
  customer: CustomerInfo,
  granularity: Granularity,
  window: { start: Date; end: Date; firstDay: string; endDay: string },
): Promise<BucketRow[]> {
  switch (granularity) {
    case 'DAY':
      return dailyRows(tx, clientId, customer.id, window.firstDay, window.endDay);
    case 'MONTH':
      return monthlyRows(tx, clientId, customer.id, window.firstDay, window.endDay);
    case 'HOUR':
      return hourlyRows(tx, clientId, customer.id, window.start, window.end);
    case 'SLOT': {
      const slots = await customerSlots(tx, clientId, customer.id, [window]);
      const classify = await blockClassifier(
        tx,
        clientId,
        customer.tariffId,
        customer.timeZone,
        DateTime.fromJSDate(window.start, { zone: customer.timeZone }).toISODate() ?? '',
        DateTime.fromJSDate(window.end, { zone: customer.timeZone }).plus({ days: 1 }).toISODate() ?? '',
      );
      return slots.map((s) => ({
        key: instantKey(s.slotStart),
        block: classify(s.slotStart),
        kwh: s.kwh,
        maxKw: new Decimal(s.kwh).times(4).toFixed(),
        readings: s.readings,
      }));
    }
  }
}

/**
 * `Customer.consumption`: the customer's kWh (multipliers applied) in buckets of the client's
 * time zone over `[from, to)` widened to whole buckets. DAY and MONTH read readings_daily, HOUR
 * readings_hourly, SLOT the readings themselves. Tenant-checked (scopes, client, customer, RLS).
 * Exported for the dashboard benchmark, which calls it directly.
 */
export async function customerConsumption(
  caller: Caller,
  customerGlobalId: string,
  args: ConsumptionArgs,
): Promise<CustomerConsumption> {
  const ids = customerIdsOrThrow(caller, customerGlobalId);
  rangeOrThrow(args.from, args.to, 'range');
  const granularity = args.granularity;
  return withCustomer(caller, ids, customerGlobalId, async (tx, customer) => {
    const bucketed = bucketWindow(args.from, args.to, granularity, customer.timeZone);
    if (!bucketed.ok) throw new BadUserInputError(`range.${bucketed.field}`, bucketed.message);
    const { window } = bucketed;
    const rows = await bucketRows(tx, ids.clientId, customer, granularity, window);
    return {
      granularity: ConsumptionGranularity[granularity],
      from: window.start,
      to: window.end,
      timeZone: customer.timeZone,
      unit: 'kWh',
      ...foldBuckets(window.buckets, rows, args.byBlock ?? false),
    };
  });
}

function startOfLocalHourAtOrAfter(instant: Date, zone: string): Date {
  const floor = DateTime.fromJSDate(instant, { zone }).startOf('hour').toJSDate();
  return floor.getTime() === instant.getTime() ? floor : new Date(floor.getTime() + 3_600_000);
}

/**
 * `Customer.peakDemand`: the slot with the highest kW (slot kWh × 4, multipliers applied) whose
 * start lies in `[from, to)`; null without readings. The hourly rollups name the best whole
 * hour, so only that hour and the partial hours at the edges are read from meter_readings.
 */
export async function customerPeakDemand(
  caller: Caller,
  customerGlobalId: string,
  range: { from: Date; to: Date },
): Promise<PeakDemand | null> {
  const ids = customerIdsOrThrow(caller, customerGlobalId);
  rangeOrThrow(range.from, range.to, 'range');
  if (range.to.getTime() - range.from.getTime() > MAX_PEAK_RANGE_DAYS * 86_400_000) {
    throw new BadUserInputError('range.to', `peakDemand looks at most ${MAX_PEAK_RANGE_DAYS} days at once`);
  }
  return withCustomer(caller, ids, customerGlobalId, async (tx, customer) => {
    const zone = customer.timeZone;
    const start = new Date(Math.ceil(range.from.getTime() / SLOT_MS) * SLOT_MS);
    const end = new Date(Math.ceil(range.to.getTime() / SLOT_MS) * SLOT_MS);
    const innerStart = startOfLocalHourAtOrAfter(start, zone);
    const innerEnd = DateTime.fromJSDate(end, { zone }).startOf('hour').toJSDate();
    const windows: { start: Date; end: Date }[] = [];
    if (innerStart < innerEnd) {
      if (start < innerStart) windows.push({ start, end: innerStart });
      const best = await peakHour(tx, ids.clientId, customer.id, innerStart, innerEnd);
      if (best) windows.push({ start: best, end: new Date(best.getTime() + 3_600_000) });
      if (innerEnd < end) windows.push({ start: innerEnd, end });
    } else if (start < end) {
      windows.push({ start, end });
    }
    const slots = await customerSlots(tx, ids.clientId, customer.id, windows);
    let peak: (typeof slots)[number] | null = null;
    for (const s of slots) {
      if (!peak || new Decimal(s.kwh).greaterThan(peak.kwh)) peak = s;
    }
    if (!peak) return null;
    const day = DateTime.fromJSDate(peak.slotStart, { zone });
    const classify = await blockClassifier(
      tx,
      ids.clientId,
      customer.tariffId,
      zone,
      day.toISODate() ?? '',
      day.plus({ days: 1 }).toISODate() ?? '',
    );
    const kwh = new Decimal(peak.kwh);
    const meter = (meterId: string) => ({
      id: toGlobalId('Meter', ids.clientId, meterId),
      rawClientId: ids.clientId,
      rawMeterId: meterId,
    });
    return {
      kw: kwh.times(4),
      kwh,
      slotStart: peak.slotStart,
      localSlotStart: toLocalIso(peak.slotStart, zone),
      block: classify(peak.slotStart),
      meter: meter(peak.topMeterId),
      meters: peak.meterIds.map(meter),
    };
  });
}

/** Slot starts (multiples of 15 minutes) in `[start, end)`. */
function slotsBetween(start: number, end: number): number {
  if (end <= start) return 0;
  return Math.floor((end - 1) / SLOT_MS) - Math.ceil(start / SLOT_MS) + 1;
}

function nextPeriodDay(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
}

/**
 * `Client.consumptionSummary`: kWh of every customer of the client over a billing period
 * (readings_daily), totals per block, the `top` customers by kWh, and the customers with fewer
 * readings than their meters' assignments call for. Client administrators only.
 */
export async function clientConsumptionSummary(
  caller: Caller,
  clientGlobalId: string,
  period: string,
  top: number = DEFAULT_SUMMARY_TOP,
): Promise<ClientConsumptionSummary> {
  requireScopes(caller, ['consumption:read']);
  const { clientId } = fromTenantIdOrThrow('Client', clientGlobalId);
  assertClientAdmin(caller.identity, clientId);
  if (!Number.isInteger(top) || top < 1 || top > MAX_SUMMARY_TOP) {
    throw new BadUserInputError('top', `top must be between 1 and ${MAX_SUMMARY_TOP}`);
  }
  return withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    const zone = await findClientTimeZone(tx, clientId);
    if (!zone) throw new NotFoundError('Client', clientGlobalId);
    const bounds = periodBounds(period, zone);
    const [customers, rows, assignments] = [
      await clientCustomers(tx, clientId),
      await clientPeriodRows(tx, clientId, `${period}-01`, nextPeriodDay(period)),
      await clientAssignments(tx, clientId, bounds.start, bounds.end),
    ];
    const expected = new Map<string, number>();
    for (const a of assignments) {
      const from = Math.max(a.validFrom.getTime(), bounds.start.getTime());
      const to = Math.min(a.validTo?.getTime() ?? Infinity, bounds.end.getTime());
      expected.set(a.customerId, (expected.get(a.customerId) ?? 0) + slotsBetween(from, to));
    }
    const perCustomer = new Map<string, { blocks: Map<string, Decimal>; maxKw: Decimal | null; readings: number }>();
    const totalByBlock = new Map<string, Decimal>();
    for (const row of rows) {
      const c = perCustomer.get(row.customerId) ?? { blocks: new Map(), maxKw: null, readings: 0 };
      perCustomer.set(row.customerId, c);
      const kwh = new Decimal(row.kwh);
      addTo(c.blocks, row.block, kwh);
      addTo(totalByBlock, row.block, kwh);
      c.readings += Number(row.readings);
      if (row.maxKw !== null && (c.maxKw === null || new Decimal(row.maxKw).greaterThan(c.maxKw))) {
        c.maxKw = new Decimal(row.maxKw);
      }
    }
    const totals: CustomerConsumptionTotal[] = customers.map((customer) => {
      const c = perCustomer.get(customer.id);
      const expectedReadings = expected.get(customer.id) ?? 0;
      const readings = c?.readings ?? 0;
      return {
        customer: { id: toGlobalId('Customer', clientId, customer.id) },
        customerCode: customer.code,
        kwh: [...(c?.blocks.values() ?? [])].reduce((sum, v) => sum.plus(v), new Decimal(0)),
        byBlock: c ? byBlockList(c.blocks) : [],
        maxKw: c?.maxKw ?? null,
        readings,
        expectedReadings,
        complete: readings >= expectedReadings,
      };
    });
    const byKwh = [...totals].sort((a, b) => b.kwh.comparedTo(a.kwh) || (a.customerCode < b.customerCode ? -1 : 1));
    return {
      period,
      timeZone: zone,
      unit: 'kWh',
      total: [...totalByBlock.values()].reduce((sum, v) => sum.plus(v), new Decimal(0)),
      totalByBlock: byBlockList(totalByBlock),
      customerCount: customers.length,
      customers: byKwh.slice(0, top),
      incompleteCustomers: totals.filter((t) => !t.complete),
    };
  });
}

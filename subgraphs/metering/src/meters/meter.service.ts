import { withTenant } from '@ciro/db';
import {
  BadUserInputError,
  ForbiddenError,
  NotFoundError,
  SLOT_MS,
  expectedSlots,
  fromTenantIdOrThrow,
  hasAnyScope,
  listPeriodSlotStarts,
  periodBounds,
  slotRanges,
  tenantContextFor,
  toGlobalId,
  toLocalIso,
  type Page,
} from '@ciro/subgraph-common';
import Decimal from 'decimal.js';
import type { Caller } from '../caller';
import { meterSlotStarts } from '../consumption/consumption.repository';
import type { MeterDataCompleteness } from '../consumption/consumption.type';
import { findClientTimeZone } from '../readings/meter-lookup.repository';
import { findVisibleMeter, listReadings } from './meter-readings.repository';
import { MAX_READINGS_PAGE, type Meter, type MeterReading } from './meter.type';

/** At most a year of 15-minute slots per request. */
const MAX_RANGE_MS = 366 * 24 * 3600_000;

function meterIdsOrThrow(caller: Caller, globalId: string): { clientId: string; meterId: string } {
  const { clientId, id } = fromTenantIdOrThrow('Meter', globalId);
  tenantContextFor(caller.identity, clientId);
  return { clientId, meterId: id };
}

/**
 * Federation entry point for Meter (type-graphql guards do not run here): tenant and scope
 * checked, and a customer user may only reach meters that count for its customer (RLS hides
 * the others, which is FORBIDDEN rather than an empty success).
 */
export async function getMeterReferenceOrThrow(caller: Caller, globalId: string): Promise<Meter> {
  if (!hasAnyScope(caller.identity.scopes, ['readings:read', 'meters:read:own', 'meters:read'])) {
    throw new ForbiddenError('This needs one of the scopes: readings:read, meters:read:own');
  }
  const { clientId, meterId } = meterIdsOrThrow(caller, globalId);
  const found = await withTenant(caller.database, tenantContextFor(caller.identity, clientId), (tx) =>
    findVisibleMeter(tx, clientId, meterId),
  );
  if (!found) {
    if (caller.identity.role === 'CUSTOMER_USER') throw new ForbiddenError('This meter belongs to another customer');
    throw new NotFoundError('Meter', globalId);
  }
  return { id: globalId, rawClientId: clientId, rawMeterId: meterId };
}

export async function listMeterReadings(
  caller: Caller,
  meter: Meter,
  range: { from: Date; to: Date },
  page: Page,
): Promise<{ rows: MeterReading[]; total: number }> {
  const { clientId, meterId } = meterIdsOrThrow(caller, meter.id);
  if (!(range.from < range.to)) throw new BadUserInputError('to', '`to` must be after `from`');
  if (range.to.getTime() - range.from.getTime() > MAX_RANGE_MS) {
    throw new BadUserInputError('to', 'Ask for at most 366 days of readings at once');
  }
  if (page.limit > MAX_READINGS_PAGE)
    throw new BadUserInputError('first', `first must be at most ${MAX_READINGS_PAGE}`);
  return withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    if (!(await findVisibleMeter(tx, clientId, meterId))) {
      if (caller.identity.role === 'CUSTOMER_USER') throw new ForbiddenError('This meter belongs to another customer');
      throw new NotFoundError('Meter', meter.id);
    }
    const { rows, total } = await listReadings(tx, clientId, meterId, range.from, range.to, page.limit, page.offset);
    return {
      total,
      rows: rows.map((r) => ({
        slotStart: r.slotStart,
        kwh: new Decimal(r.kwh),
        kvarh: r.kvarh === null ? null : new Decimal(r.kvarh),
        uploadId: r.uploadId ? toGlobalId('Upload', clientId, r.uploadId) : null,
      })),
    };
  });
}

/**
 * `Meter.dataCompleteness`: the slots of the local month (DST-aware) against the readings stored
 * (as RLS lets the caller see them), with the missing slots as ranges.
 */
export async function meterDataCompleteness(
  caller: Caller,
  meter: Meter,
  period: string,
): Promise<MeterDataCompleteness> {
  const { clientId, meterId } = meterIdsOrThrow(caller, meter.id);
  return withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    if (!(await findVisibleMeter(tx, clientId, meterId))) {
      if (caller.identity.role === 'CUSTOMER_USER') throw new ForbiddenError('This meter belongs to another customer');
      throw new NotFoundError('Meter', meter.id);
    }
    const zone = await findClientTimeZone(tx, clientId);
    if (!zone) throw new NotFoundError('Meter', meter.id);
    const { start, end } = periodBounds(period, zone);
    const present = new Set((await meterSlotStarts(tx, clientId, meterId, start, end)).map((d) => d.getTime()));
    const expected = listPeriodSlotStarts(period, zone);
    const missing = expected.filter((slot) => !present.has(slot.getTime()));
    const presentSlots = expected.length - missing.length;
    return {
      period,
      timeZone: zone,
      expectedSlots: expectedSlots(period, zone),
      presentSlots,
      missingSlots: missing.length,
      percent: new Decimal(presentSlots).times(100).dividedBy(expected.length).toDecimalPlaces(2, Decimal.ROUND_DOWN),
      gaps: slotRanges(missing).map((r) => ({
        from: r.from,
        to: r.to,
        localFrom: toLocalIso(r.from, zone),
        localTo: toLocalIso(r.to, zone),
        slots: Math.round((r.to.getTime() - r.from.getTime()) / SLOT_MS),
      })),
    };
  });
}

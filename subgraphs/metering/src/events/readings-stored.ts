import { withTenant, type TenantContext } from '@ciro/db';
import type { Logger } from '@ciro/subgraph-common';
import Decimal from 'decimal.js';
import type { MeteringDeps } from '../context';
import { listMeterAssignments } from '../readings/meter-lookup.repository';
import type { ReadingSource, ReadingsStoredEvent } from './reading-events';

/** The readings stored for one meter, raw register values sorted by slot. */
export interface StoredMeterReadings {
  meterId: string;
  serial: string;
  multiplier: string;
  readings: readonly { slotStart: Date; kwh: Decimal }[];
}

/** One `readings.stored` message per meter with at least one reading. */
export function readingsStoredEvents(
  meters: readonly StoredMeterReadings[],
  context: {
    source: ReadingSource;
    uploadId: string | null;
    at: Date;
    /** Customer of a meter at an instant (null: counts for none). */
    customerAt: (meterId: string, instant: Date) => string | null;
  },
): ReadingsStoredEvent[] {
  const events: ReadingsStoredEvent[] = [];
  for (const meter of meters) {
    const first = meter.readings[0];
    const last = meter.readings.at(-1);
    if (!first || !last) continue;
    const multiplier = new Decimal(meter.multiplier);
    let total = new Decimal(0);
    for (const r of meter.readings) total = total.plus(r.kwh);
    events.push({
      type: 'readings.stored',
      at: context.at.toISOString(),
      customerId: context.customerAt(meter.meterId, last.slotStart),
      meterId: meter.meterId,
      meterSerial: meter.serial,
      source: context.source,
      uploadId: context.uploadId,
      slots: meter.readings.length,
      firstSlotStart: first.slotStart.toISOString(),
      lastSlotStart: last.slotStart.toISOString(),
      lastSlotKwh: last.kwh.times(multiplier).toFixed(),
      totalKwh: total.times(multiplier).toFixed(),
    });
  }
  return events;
}

/**
 * After readings were committed: looks up which customer each meter counts for and publishes
 * one message per meter on `readings:<clientId>`. Never throws (the readings are stored; a lost
 * live-metrics message is logged, not reported to the caller).
 */
export async function publishReadingsStored(
  deps: Pick<MeteringDeps, 'database' | 'readingEvents'> & { logger: Logger },
  tenant: TenantContext & { clientId: string },
  meters: readonly StoredMeterReadings[],
  context: { source: ReadingSource; uploadId: string | null; at?: Date },
): Promise<void> {
  const events = deps.readingEvents;
  if (!events || meters.length === 0) return;
  try {
    const assignments = await withTenant(deps.database, tenant, (tx) =>
      listMeterAssignments(
        tx,
        tenant.clientId,
        meters.map((m) => m.meterId),
      ),
    );
    const customerAt = (meterId: string, instant: Date): string | null =>
      assignments.find(
        (a) => a.meterId === meterId && a.validFrom <= instant && (a.validTo === null || instant < a.validTo),
      )?.customerId ?? null;
    await events.publish(
      tenant.clientId,
      readingsStoredEvents(meters, {
        ...context,
        uploadId: context.uploadId,
        at: context.at ?? new Date(),
        customerAt,
      }),
    );
  } catch (error) {
    deps.logger.warn({ err: error, clientId: tenant.clientId }, 'could not publish readings.stored events');
  }
}

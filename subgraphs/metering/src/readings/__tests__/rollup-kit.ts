import type { Tx } from '@ciro/db';
import type Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import type { MeterSource } from '../../parsing';
import type { MatchedSource } from '../../uploads/meter-preview';

/** Readings of one meter as the upload commit hands them to the store path (matched, delivered channel). */
export function matchedSource(
  meterId: string,
  readings: readonly { slotStart: Date; kwh: Decimal; kvarh: Decimal | null; row: number }[],
): MatchedSource {
  return {
    match: 'MATCHED',
    meter: { id: meterId, serial: meterId.slice(0, 8), multiplier: '1', channel: 'DELIVERED', columnMapping: null },
    source: { readings } as unknown as MeterSource,
  };
}

/** A client's hourly and daily rollups, values as text, in a stable order: for comparing two ways of computing them. */
export async function rollupRows(tx: Tx, clientId: string): Promise<{ hourly: unknown[]; daily: unknown[] }> {
  const hourly = await tx.execute(sql`select customer_id, hour_start, block, kwh::text, max_kw::text, slot_count
    from readings_hourly where client_id = ${clientId} order by 1, 2, 3`);
  const daily = await tx.execute(sql`select customer_id, day::text, block, kwh::text, max_kw::text, slot_count
    from readings_daily where client_id = ${clientId} order by 1, 2, 3`);
  return { hourly: [...hourly], daily: [...daily] };
}

import type { Tx } from '@ciro/db';
import { sql } from 'drizzle-orm';

export interface LatestMeterReading {
  meterId: string;
  meterSerial: string;
  multiplier: string;
  slotStart: Date | null;
  kwh: string | null;
  uploadId: string | null;
}

/** Whether the customer exists for the tenant in `tx` (RLS narrows what is visible). */
export async function customerExists(tx: Tx, clientId: string, customerId: string): Promise<boolean> {
  const rows = await tx.execute<{ found: number }>(
    sql`select 1 as found from customers where client_id = ${clientId} and id = ${customerId}`,
  );
  return rows.length > 0;
}

/**
 * Each meter counting for the customer now, with its latest stored slot while
 * it counts for the customer (null when it has none yet).
 */
export async function latestReadingsOfCustomer(
  tx: Tx,
  clientId: string,
  customerId: string,
): Promise<LatestMeterReading[]> {
  const rows = await tx.execute<{
    meter_id: string;
    serial: string;
    multiplier: string;
    slot_start: Date | string | null;
    kwh: string | null;
    upload_id: string | null;
  }>(sql`
    select m.id as meter_id, m.serial, m.multiplier::text as multiplier,
           r.slot_start, r.kwh::text as kwh, r.upload_id
      from meter_assignments ma
      join meters m on m.client_id = ma.client_id and m.id = ma.meter_id
      left join lateral (
        select slot_start, kwh, upload_id
          from meter_readings r
         where r.client_id = m.client_id and r.meter_id = m.id
           and r.slot_start >= ma.valid_from and (ma.valid_to is null or r.slot_start < ma.valid_to)
         order by r.slot_start desc
         limit 1
      ) r on true
     where ma.client_id = ${clientId} and ma.customer_id = ${customerId}
       and ma.valid_from <= now() and (ma.valid_to is null or ma.valid_to > now())
     order by m.serial`);
  return rows.map((row) => ({
    meterId: row.meter_id,
    meterSerial: row.serial,
    multiplier: row.multiplier,
    slotStart: row.slot_start === null ? null : new Date(row.slot_start),
    kwh: row.kwh,
    uploadId: row.upload_id,
  }));
}

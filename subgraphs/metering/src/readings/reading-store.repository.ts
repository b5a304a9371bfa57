import type { Tx } from '@ciro/db';
import { sql } from 'drizzle-orm';
import { copyInto } from './raw-sql';

/** One reading to store: raw register values (the multiplier is applied in the rollups). */
export interface StagedReading {
  meterId: string;
  slotStart: Date;
  kwh: string;
  kvarh: string | null;
}

export interface UpsertSummary {
  new: number;
  unchanged: number;
  replaced: number;
}

/** Creates the monthly partitions of meter_readings covering [from, to]. */
export async function ensureReadingPartitions(tx: Tx, from: Date, to: Date): Promise<void> {
  await tx.execute(
    sql`select ensure_meter_reading_partitions(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz)`,
  );
}

/**
 * COPY does not run on RLS tables: readings go into a temporary table first (dropped at
 * commit), from which one INSERT … SELECT … ON CONFLICT moves them under the policies.
 */
export async function stageReadings(tx: Tx, readings: Iterable<StagedReading>): Promise<number> {
  await tx.execute(
    sql.raw(`create temporary table staged_meter_readings (
      meter_id uuid not null,
      slot_start timestamptz not null,
      kwh numeric(18, 6) not null,
      kvarh numeric(18, 6),
      primary key (meter_id, slot_start)
    ) on commit drop`),
  );
  function* rows(): Generator<(string | null)[]> {
    for (const r of readings) yield [r.meterId, r.slotStart.toISOString(), r.kwh, r.kvarh];
  }
  const count = await copyInto(tx, 'copy staged_meter_readings (meter_id, slot_start, kwh, kvarh) from stdin', rows());
  await tx.execute(sql.raw('analyze staged_meter_readings'));
  return count;
}

/** How the staged readings compare with what is stored: new slots, same values, different values. */
export async function summarizeStaged(tx: Tx, clientId: string): Promise<UpsertSummary> {
  const rows = await tx.execute<{ new: string; unchanged: string; replaced: string }>(sql`
    select
      count(*) filter (where m.slot_start is null) as new,
      count(*) filter (where m.slot_start is not null and m.kwh = s.kwh and m.kvarh is not distinct from s.kvarh) as unchanged,
      count(*) filter (where m.slot_start is not null and (m.kwh <> s.kwh or m.kvarh is distinct from s.kvarh)) as replaced
    from staged_meter_readings s
    left join meter_readings m
      on m.client_id = ${clientId} and m.meter_id = s.meter_id and m.slot_start = s.slot_start`);
  const row = rows[0];
  return { new: Number(row?.new ?? 0), unchanged: Number(row?.unchanged ?? 0), replaced: Number(row?.replaced ?? 0) };
}

/**
 * Moves the staged readings into meter_readings: new slots are inserted, slots whose values
 * differ are replaced and take this upload as their provenance, identical ones are left alone.
 */
export async function upsertStaged(tx: Tx, clientId: string, uploadId: string | null): Promise<number> {
  const result = await tx.execute(sql`
    insert into meter_readings (client_id, meter_id, slot_start, kwh, kvarh, upload_id, updated_at)
    select ${clientId}, s.meter_id, s.slot_start, s.kwh, s.kvarh, ${uploadId}::uuid, now()
    from staged_meter_readings s
    on conflict (client_id, meter_id, slot_start) do update
      set kwh = excluded.kwh, kvarh = excluded.kvarh, upload_id = excluded.upload_id, updated_at = excluded.updated_at
      where (meter_readings.kwh, meter_readings.kvarh) is distinct from (excluded.kwh, excluded.kvarh)`);
  return result.count;
}

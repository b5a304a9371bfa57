import type { Tx } from '@ciro/db';
import type Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import { BinaryCopyWriter, uuidBytes } from './copy-binary';
import { copyChunks } from './raw-sql';

/** The readings of one meter to store: raw register values (the multiplier is applied in the rollups). */
export interface StagedSeries {
  meterId: string;
  readings: readonly { slotStart: Date; kwh: Decimal; kvarh: Decimal | null }[];
}

/** What the caller already knows of the staged readings of one meter (saves a pass over the staging table). */
export interface StagedMeter {
  meterId: string;
  /** First and last staged slot start. */
  lo: Date;
  hi: Date;
  count: number;
  /** Every 15-minute slot from lo to hi is staged, once. */
  contiguous: boolean;
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
 * No key on the staging table: the parser yields one reading per meter and slot, and a
 * duplicate would still fail the upsert ("cannot affect row a second time").
 */
export async function stageReadings(tx: Tx, series: Iterable<StagedSeries>): Promise<number> {
  await tx.execute(sql.raw('drop table if exists pg_temp.staged_meter_readings'));
  await tx.execute(
    sql.raw(`create temporary table staged_meter_readings (
      meter_id uuid not null,
      slot_start timestamptz not null,
      kwh numeric(18, 6) not null,
      kvarh numeric(18, 6)
    ) on commit drop`),
  );
  // Binary COPY: the server takes instants and decimals as they are, instead of parsing their text.
  let count = 0;
  function* chunks(): Generator<Buffer> {
    const writer = new BinaryCopyWriter();
    for (const { meterId, readings } of series) {
      const meter = uuidBytes(meterId);
      for (const r of readings) {
        const full = writer.row(4);
        if (full) yield full;
        writer.uuid(meter);
        writer.timestamptz(r.slotStart.getTime());
        writer.numeric(r.kwh.toFixed());
        writer.numeric(r.kvarh === null ? null : r.kvarh.toFixed());
      }
      count += readings.length;
    }
    yield writer.end();
  }
  await copyChunks(
    tx,
    'copy staged_meter_readings (meter_id, slot_start, kwh, kvarh) from stdin (format binary)',
    chunks(),
  );
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

/** Inserts the staged readings, all for slots with nothing stored yet. */
async function insertStaged(tx: Tx, clientId: string, uploadId: string | null): Promise<void> {
  await tx.execute(sql`
    insert into meter_readings (client_id, meter_id, slot_start, kwh, kvarh, upload_id, updated_at)
    select ${clientId}, s.meter_id, s.slot_start, s.kwh, s.kvarh, ${uploadId}::uuid, now()
    from staged_meter_readings s`);
}

/**
 * summarizeStaged then upsertStaged, with a fast path for the common case of readings for
 * slots nothing is stored for yet (a new month): one index probe per staged meter over its
 * staged range finds no stored reading, so every staged reading is new and the comparison
 * join is skipped. The counts are the same as summarizeStaged's.
 */
export async function upsertStagedCounting(
  tx: Tx,
  clientId: string,
  uploadId: string | null,
  meters?: readonly StagedMeter[],
): Promise<UpsertSummary> {
  // Per staged meter: its range and count, from the caller when it knows them, else from the staging table.
  const staged = meters
    ? sql`select * from unnest(
        ${`{${meters.map((m) => m.meterId).join(',')}}`}::uuid[],
        ${`{${meters.map((m) => `"${m.lo.toISOString()}"`).join(',')}}`}::timestamptz[],
        ${`{${meters.map((m) => `"${m.hi.toISOString()}"`).join(',')}}`}::timestamptz[],
        ${`{${meters.map((m) => m.count).join(',')}}`}::bigint[]
      ) as p(meter_id, lo, hi, n)`
    : sql`select meter_id, min(slot_start) as lo, max(slot_start) as hi, count(*) as n
      from staged_meter_readings group by meter_id`;
  // Stores of the same meter wait for each other (in meter order, so two stores cannot deadlock): what the
  // probe finds stays true until this transaction commits.
  await tx.execute(sql`
    select pg_advisory_xact_lock(hashtextextended('meter-readings:' || ${clientId}::text || ':' || m.meter_id::text, 0))
    from (select distinct meter_id from (${staged}) s order by meter_id) m`);
  const rows = await tx.execute<{ staged: string | null; stored: boolean | null }>(sql`
    select sum(p.n)::text as staged,
      bool_or(exists (
        select 1 from meter_readings m
        where m.client_id = ${clientId} and m.meter_id = p.meter_id and m.slot_start >= p.lo and m.slot_start <= p.hi
      )) as stored
    from (${staged}) p`);
  const probe = rows[0];
  if (probe?.stored === false) {
    // Nothing stored in these ranges (and nobody else storing these meters): a plain INSERT, without the
    // speculative insertion ON CONFLICT costs on every row.
    await insertStaged(tx, clientId, uploadId);
    return { new: Number(probe.staged ?? 0), unchanged: 0, replaced: 0 };
  }
  // Comparing with what is stored joins the whole staging table: worth its statistics. (The fast path above
  // and the rollups plan well on the row count alone, and skipping ANALYZE there saves a pass.)
  await tx.execute(sql.raw('analyze staged_meter_readings'));
  const counts = await summarizeStaged(tx, clientId);
  await upsertStaged(tx, clientId, uploadId);
  return counts;
}

import type { Tx } from '@ciro/db';
import { sql } from 'drizzle-orm';
import type { MatchedSource } from '../uploads/meter-preview';
import type { CommitSummary } from '../uploads/upload.model';
import {
  ensureReadingPartitions,
  stageReadings,
  upsertStagedCounting,
  type StagedMeter,
} from './reading-store.repository';
import { applyRollups, planRollups, precomputeHours } from './rollups.repository';

const SLOT_MS = 15 * 60_000;

/**
 * Each meter's staged range, count and whether it covers every slot of that range once, read off the
 * parsed readings (in slot order, as the parsers yield them) instead of another pass over the staging
 * table. A meter in several sources, or out of order, is simply not contiguous.
 */
function stagedMeters(sources: readonly MatchedSource[]): StagedMeter[] {
  const byMeter = new Map<string, StagedMeter>();
  for (const m of sources) {
    const meterId = m.meter?.id ?? '';
    const readings = m.source.readings;
    const first = readings[0]?.slotStart;
    const last = readings.at(-1)?.slotStart;
    if (!first || !last) continue;
    let contiguous =
      first.getTime() % SLOT_MS === 0 && last.getTime() - first.getTime() === (readings.length - 1) * SLOT_MS;
    for (let i = 1; contiguous && i < readings.length; i += 1) {
      contiguous =
        (readings[i]?.slotStart.getTime() ?? NaN) - (readings[i - 1]?.slotStart.getTime() ?? NaN) === SLOT_MS;
    }
    const seen = byMeter.get(meterId);
    byMeter.set(
      meterId,
      seen
        ? {
            meterId,
            lo: seen.lo < first ? seen.lo : first,
            hi: seen.hi > last ? seen.hi : last,
            count: seen.count + readings.length,
            contiguous: false,
          }
        : { meterId, lo: first, hi: last, count: readings.length, contiguous },
    );
  }
  return [...byMeter.values()];
}

/**
 * Upserts the readings of the matched sources into meter_readings (staging table + one
 * INSERT … ON CONFLICT, provenance = this upload) and recomputes the rollups of the customers
 * they count for, in the caller's transaction: a failure anywhere leaves nothing behind.
 */
export async function storeMeterReadings(
  tx: Tx,
  input: { clientId: string; uploadId: string | null; zone: string; matched: readonly MatchedSource[] },
): Promise<CommitSummary> {
  const sources = input.matched.filter((m) => m.match === 'MATCHED' && m.meter && m.source.readings.length > 0);
  if (sources.length === 0) return { new: 0, unchanged: 0, replaced: 0, customers: 0 };
  let min = Infinity;
  let max = -Infinity;
  for (const m of sources) {
    min = Math.min(min, m.source.readings[0]?.slotStart.getTime() ?? Infinity);
    max = Math.max(max, m.source.readings.at(-1)?.slotStart.getTime() ?? -Infinity);
  }
  // The reference-check triggers keep the statement's rows in a tuplestore: with the default 4MB it would
  // spill to disk. Local to the transaction, and put back by the rollups.
  await tx.execute(sql`select set_config('work_mem', '256MB', true)`);
  await ensureReadingPartitions(tx, new Date(min), new Date(max));
  await stageReadings(
    tx,
    sources.map((m) => ({ meterId: m.meter?.id ?? '', readings: m.source.readings })),
  );
  const meters = stagedMeters(sources);
  const plan = await planRollups(tx, {
    clientId: input.clientId,
    zone: input.zone,
    meterIds: [...new Set(sources.map((m) => m.meter?.id ?? ''))],
    from: new Date(min),
    to: new Date(max + SLOT_MS),
    staged: true,
    stagedMeters: meters,
  });
  // The INSERT of the readings keeps the database busy and this process idle: meanwhile the hours of the
  // customers whose readings are all in this batch are summed here (a meter in two sources is left to the SQL).
  const contiguous = new Set(meters.filter((m) => m.contiguous).map((m) => m.meterId));
  const series = new Map<string, MatchedSource['source']['readings']>();
  for (const m of sources) {
    const meterId = m.meter?.id ?? '';
    if (contiguous.has(meterId)) series.set(meterId, m.source.readings);
  }
  const [counts, precomputed] = await Promise.all([
    upsertStagedCounting(tx, input.clientId, input.uploadId, meters),
    plan ? precomputeHours(plan, series) : undefined,
  ]);
  const rollups = plan ? await applyRollups(tx, plan, precomputed) : { customers: 0 };
  return { ...counts, customers: rollups.customers };
}

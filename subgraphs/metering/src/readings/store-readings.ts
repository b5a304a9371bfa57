import type { Tx } from '@ciro/db';
import type { MatchedSource } from '../uploads/meter-preview';
import type { CommitSummary } from '../uploads/upload.model';
import {
  ensureReadingPartitions,
  stageReadings,
  upsertStagedCounting,
  type StagedReading,
} from './reading-store.repository';
import { recomputeRollups } from './rollups.repository';

const SLOT_MS = 15 * 60_000;

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
  function* readings(): Generator<StagedReading> {
    for (const m of sources) {
      const meterId = m.meter?.id ?? '';
      for (const r of m.source.readings) {
        yield { meterId, slotStart: r.slotStart, kwh: r.kwh.toFixed(), kvarh: r.kvarh?.toFixed() ?? null };
      }
    }
  }
  await ensureReadingPartitions(tx, new Date(min), new Date(max));
  await stageReadings(tx, readings());
  const counts = await upsertStagedCounting(tx, input.clientId, input.uploadId);
  const rollups = await recomputeRollups(tx, {
    clientId: input.clientId,
    zone: input.zone,
    meterIds: [...new Set(sources.map((m) => m.meter?.id ?? ''))],
    from: new Date(min),
    to: new Date(max + SLOT_MS),
    staged: true,
  });
  return { ...counts, customers: rollups.customers };
}

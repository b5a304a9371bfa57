import { SLOT_MS, slotRanges } from '@ciro/subgraph-common';
import type Decimal from 'decimal.js';
import type { StampFact } from './convention';
import type { PeriodBounds } from './periods';
import { show, type ProblemSink } from './problems';
import { formatLocal } from './timestamps';
import type { CellValue, CoveredPeriod, ProblemColumn, Reading } from './types';

/** A row that passed the cell checks, before it becomes a reading. */
export interface RowFact {
  row: number;
  stamp: StampFact;
  kwh: Decimal;
  kvarh: Decimal | null;
  stampValue: CellValue;
  kwhValue: CellValue;
  kvarhValue: CellValue;
}

/** The most common step between consecutive distinct stamps, in ms (null with fewer than 3 stamps). */
export function typicalStep(facts: readonly RowFact[]): number | null {
  const times = [...new Set(facts.map((f) => f.stamp.instant.getTime()))].sort((a, b) => a - b);
  if (times.length < 3) return null;
  const counts = new Map<number, number>();
  for (let i = 1; i < times.length; i++)
    counts.set(times[i] - times[i - 1], (counts.get(times[i] - times[i - 1]) ?? 0) + 1);
  let best = SLOT_MS;
  let bestCount = 0;
  for (const [step, count] of counts) {
    if (count > bestCount) {
      best = step;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Slot starts → readings: drops (and reports) slots outside the period, sorts, collapses identical duplicates and
 * reports conflicting ones (the first row is kept).
 */
export function buildReadings(input: {
  facts: readonly RowFact[];
  slotOf: (f: RowFact) => Date;
  period: PeriodBounds | null;
  zone: string;
  sink: ProblemSink;
  columns: { stamp: ProblemColumn; kwh: ProblemColumn; kvarh: ProblemColumn | null };
}): { readings: Reading[]; collapsed: number; outside: number; conflicts: number } {
  const { sink, zone } = input;
  const stampColumn = input.columns.stamp;
  const kwhColumn = input.columns.kwh;
  let conflicts = 0;
  let outside = 0;
  const inside: { fact: RowFact; slot: Date }[] = [];
  for (const fact of input.facts) {
    const slot = input.slotOf(fact);
    const p = input.period;
    if (p && (slot < p.start || slot >= p.end)) {
      outside++;
      sink.add({
        code: 'OUTSIDE_PERIOD',
        row: fact.row,
        column: stampColumn,
        value: fact.stampValue,
        expected: `a slot of ${p.label} (${formatLocal(p.start, zone)} to ${formatLocal(new Date(p.end.getTime() - SLOT_MS), zone)})`,
        message: `${show(fact.stampValue)} is the slot starting ${formatLocal(slot, zone)}, outside period ${p.label}; not imported`,
      });
      continue;
    }
    inside.push({ fact, slot });
  }
  inside.sort((a, b) => a.slot.getTime() - b.slot.getTime() || a.fact.row - b.fact.row);
  const readings: Reading[] = [];
  let collapsed = 0;
  for (const { fact, slot } of inside) {
    const prev = readings[readings.length - 1];
    if (prev && prev.slotStart.getTime() === slot.getTime()) {
      const sameKvarh = prev.kvarh === null ? fact.kvarh === null : fact.kvarh !== null && prev.kvarh.eq(fact.kvarh);
      if (prev.kwh.eq(fact.kwh) && sameKvarh) {
        collapsed++;
        continue;
      }
      conflicts++;
      const kwhDiffers = !prev.kwh.eq(fact.kwh);
      const column = kwhDiffers || input.columns.kvarh === null ? kwhColumn : input.columns.kvarh;
      const [mine, theirs] = kwhDiffers ? [fact.kwh, prev.kwh] : [fact.kvarh, prev.kvarh];
      sink.add({
        code: 'DUPLICATE_CONFLICT',
        row: fact.row,
        column,
        value: kwhDiffers ? fact.kwhValue : fact.kvarhValue,
        expected: `the same value as row ${prev.row} (${theirs?.toFixed() ?? 'blank'}), or no second row for this slot`,
        message: `The slot starting ${formatLocal(slot, zone)} is already on row ${prev.row} with ${column.header} ${theirs?.toFixed() ?? '(blank)'}; this row has ${mine?.toFixed() ?? '(blank)'}. Row ${prev.row} is kept.`,
      });
      continue;
    }
    readings.push({ slotStart: slot, kwh: fact.kwh, kvarh: fact.kvarh, row: fact.row });
  }
  return { readings, collapsed, outside, conflicts };
}

/** Reports the slots of `period` without a reading as GAP ranges; returns how many are missing. */
export function reportGaps(
  readings: readonly Reading[],
  period: CoveredPeriod,
  zone: string,
  sink: ProblemSink,
): number {
  const present = new Set(readings.map((r) => r.slotStart.getTime()));
  const absent: Date[] = [];
  for (let t = period.from.getTime(); t < period.to.getTime(); t += SLOT_MS)
    if (!present.has(t)) absent.push(new Date(t));
  for (const range of slotRanges(absent)) {
    const slots = (range.to.getTime() - range.from.getTime()) / SLOT_MS;
    sink.add({
      code: 'GAP',
      value: null,
      expected: 'a reading every 15 minutes',
      message: `${slots} slot${slots === 1 ? '' : 's'} missing from ${formatLocal(range.from, zone)} to ${formatLocal(range.to, zone)}${period.basis === 'DATA' ? '' : ` (period ${period.label ?? 'of the file'})`}`,
      range: { from: range.from, to: range.to, slots },
    });
  }
  return absent.length;
}

import { slotRanges } from '@ciro/subgraph-common';
import type Decimal from 'decimal.js';
import { dec } from './decimal';
import { invalidInput } from './errors';
import { slotIndexOf, type PeriodCalendar } from './period-calendar';
import { decimalField } from './rates';
import type { MeterInput, MissingRange } from './types';

export interface SlotEnergy {
  /** Customer kWh per slot index (Σ meters, raw × multiplier); undefined = no meter read that slot. */
  kwh: Array<Decimal | undefined>;
  /** Slot indexes where at least one meter was assigned. */
  expected: boolean[];
  expectedSlots: number;
  presentSlots: number;
  missingRanges: MissingRange[];
  ignoredReadings: number;
}

/** Combines the meters' readings into customer kWh per slot and reports expected, present and missing slots. */
export function aggregateReadings(cal: PeriodCalendar, meters: readonly MeterInput[]): SlotEnergy {
  const n = cal.slotMs.length;
  const out: SlotEnergy = {
    kwh: new Array<Decimal | undefined>(n).fill(undefined),
    expected: new Array<boolean>(n).fill(false),
    expectedSlots: 0,
    presentSlots: 0,
    missingRanges: [],
    ignoredReadings: 0,
  };
  const ids = new Set<string>();
  for (const meter of meters) {
    if (ids.has(meter.id)) throw invalidInput(`meter ${meter.id}: listed twice`);
    ids.add(meter.id);
    const multiplier = decimalField(`meter ${meter.id} multiplier`, meter.multiplier ?? '1');
    const assigned = assignedSlots(cal, meter);
    const seen = new Array<boolean>(n).fill(false);

    for (const r of meter.readings) {
      const t = r.slotStart.getTime();
      if (Number.isNaN(t)) throw invalidInput(`meter ${meter.id}: reading with an invalid slot start`);
      if (t < cal.startMs || t >= cal.endMs) {
        out.ignoredReadings++;
        continue;
      }
      const i = slotIndexOf(cal, t);
      if (i === null) {
        throw invalidInput(`meter ${meter.id}: reading at ${r.slotStart.toISOString()} is not on the 15-minute grid`);
      }
      if (!assigned[i]) {
        out.ignoredReadings++;
        continue;
      }
      if (seen[i]) throw invalidInput(`meter ${meter.id}: two readings for slot ${r.slotStart.toISOString()}`);
      seen[i] = true;
      const kwh = decimalField(`meter ${meter.id} reading ${r.slotStart.toISOString()}`, r.kwh, {
        allowNegative: true,
      }).times(multiplier);
      const prev = out.kwh[i];
      out.kwh[i] = prev === undefined ? dec(kwh) : prev.plus(kwh);
    }

    const missing: Date[] = [];
    for (let i = 0; i < n; i++) {
      if (!assigned[i]) continue;
      out.expected[i] = true;
      out.expectedSlots++;
      if (seen[i]) out.presentSlots++;
      else missing.push(new Date(cal.slotMs[i]));
    }
    for (const range of slotRanges(missing)) out.missingRanges.push({ meterId: meter.id, ...range });
  }
  return out;
}

function assignedSlots(cal: PeriodCalendar, meter: MeterInput): boolean[] {
  if (meter.assignments.length === 0) throw invalidInput(`meter ${meter.id}: no assignment to the customer`);
  const ranges = meter.assignments.map((a) => {
    const from = a.from.getTime();
    const to = a.to === null ? Infinity : a.to.getTime();
    if (Number.isNaN(from) || Number.isNaN(to) || to <= from) {
      throw invalidInput(`meter ${meter.id}: assignment must have a valid start before its end`);
    }
    return { from, to };
  });
  return cal.slotMs.map((t) => ranges.some((r) => t >= r.from && t < r.to));
}

import { createBlockClassifier, localPartsOf, periodBounds, SLOT_MS, type TariffBlock } from '@ciro/subgraph-common';

/** Everything the engine needs to know about each 15-minute slot of a period, computed once per period and zone. */
export interface PeriodCalendar {
  period: string;
  zone: string;
  startMs: number;
  endMs: number;
  /** Per slot index (0 = first slot of the period). */
  slotMs: number[];
  date: string[];
  hourStartMs: number[];
  block: string[];
  /** The period's local dates, in order. */
  dates: string[];
  lastDate: string;
}

const cache = new Map<string, PeriodCalendar>();
const CACHE_SIZE = 32;

/**
 * The calendar of a period for a tariff's blocks. Memoised (a billing run prices many customers on the same
 * calendar); callers must treat the result as read-only.
 */
export function buildPeriodCalendar(
  period: string,
  zone: string,
  blocks: readonly TariffBlock[],
  holidays: ReadonlySet<string>,
): PeriodCalendar {
  const key = JSON.stringify([period, zone, blocks, [...holidays].sort()]);
  const cached = cache.get(key);
  if (cached) return cached;
  const cal = computeCalendar(period, zone, blocks, holidays);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, cal);
  return cal;
}

function computeCalendar(
  period: string,
  zone: string,
  blocks: readonly TariffBlock[],
  holidays: ReadonlySet<string>,
): PeriodCalendar {
  const { start, end } = periodBounds(period, zone);
  const classify = createBlockClassifier(blocks, zone, holidays);
  const cal: PeriodCalendar = {
    period,
    zone,
    startMs: start.getTime(),
    endMs: end.getTime(),
    slotMs: [],
    date: [],
    hourStartMs: [],
    block: [],
    dates: [],
    lastDate: '',
  };
  for (let t = cal.startMs; t < cal.endMs; t += SLOT_MS) {
    const at = new Date(t);
    const parts = localPartsOf(at, zone);
    cal.slotMs.push(t);
    cal.date.push(parts.date);
    cal.hourStartMs.push(parts.hourStart.getTime());
    cal.block.push(classify(at));
    if (cal.dates[cal.dates.length - 1] !== parts.date) cal.dates.push(parts.date);
  }
  cal.lastDate = cal.dates[cal.dates.length - 1];
  return cal;
}

/** Slot index of an instant, or null when it is outside the period or not on the 15-minute grid. */
export function slotIndexOf(cal: PeriodCalendar, t: number): number | null {
  if (t < cal.startMs || t >= cal.endMs) return null;
  const offset = t - cal.startMs;
  return offset % SLOT_MS === 0 ? offset / SLOT_MS : null;
}

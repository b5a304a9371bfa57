import { IANAZone } from 'luxon';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Offsets are sampled this far apart; real zones never change offset twice within a week. */
const SAMPLE_MS = 7 * DAY_MS;

interface Transition {
  /** First instant (epoch ms) with `offset`. */
  at: number;
  /** UTC offset in ms. */
  offset: number;
}

/** Epoch ms of January 1st 00:00 UTC of a year (`Date.UTC` would read years 0–99 as 1900–1999). */
function utcYearStart(year: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, 0, 1);
  return d.getTime();
}

/** Offset transitions of a zone over one UTC year (± 2 days), found by sampling and bisection. */
function yearTransitions(zone: IANAZone, year: number): Transition[] {
  const start = utcYearStart(year) - 2 * DAY_MS;
  const end = utcYearStart(year + 1) + 2 * DAY_MS;
  const offsetAt = (t: number): number => zone.offset(t) * MINUTE_MS;
  let previous = start;
  let previousOffset = offsetAt(start);
  const out: Transition[] = [{ at: -Infinity, offset: previousOffset }];
  while (previous < end) {
    const next = Math.min(previous + SAMPLE_MS, end);
    const offset = offsetAt(next);
    if (offset !== previousOffset) {
      let lo = previous;
      let hi = next;
      while (hi - lo > MINUTE_MS) {
        const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
        if (offsetAt(mid) === previousOffset) lo = mid;
        else hi = mid;
      }
      out.push({ at: hi, offset });
    }
    previous = next;
    previousOffset = offset;
  }
  return out;
}

const cache = new Map<string, Transition[]>();
/** Zone-years kept (a few transitions each): every zone of a deployment over decades. */
const CACHE_LIMIT = 2048;

function transitionsOf(zone: string, year: number): Transition[] {
  const key = `${zone}|${year}`;
  let found = cache.get(key);
  if (!found) {
    const z = IANAZone.create(zone);
    if (!z.isValid) throw new Error(`Unknown time zone "${zone}"`);
    found = yearTransitions(z, year);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(key, found);
  }
  return found;
}

/**
 * Fast local-time arithmetic for one zone: the offset transitions are found once per zone and
 * year (a few dozen Intl look-ups, cached), then every conversion is plain arithmetic. Luxon
 * costs microseconds per operation, too much for a series of hundreds of buckets or a calendar
 * of thousands of slots.
 *
 * A clock remembers the UTC year and the stretch of constant offset of its last look-up, so a
 * run of nearby instants (a slot series) costs two comparisons each. Not shared across threads;
 * its methods are synchronous, so sharing one clock between async tasks is fine.
 */
export class ZoneClock {
  /** Offset in force over `[segmentStart, segmentEnd)`, within one UTC year (empty until the first look-up). */
  private segmentStart = 0;
  private segmentEnd = 0;
  private segmentOffset = 0;
  /** The UTC year `[yearStart, yearEnd)` of the last look-up and its transitions. */
  private yearStart = 0;
  private yearEnd = 0;
  private transitions: readonly Transition[] = [];

  /** Throws `Unknown time zone "…"` for a zone luxon does not know. */
  constructor(readonly zone: string) {
    this.useYear(new Date().getUTCFullYear());
  }

  /** UTC offset (ms) in force at an instant (`NaN` for `NaN`). */
  offsetAt(instant: number): number {
    if (instant >= this.segmentStart && instant < this.segmentEnd) return this.segmentOffset;
    return this.lookUp(instant);
  }

  /** Wall time (epoch ms read as UTC fields) of an instant. */
  wallOf(instant: number): number {
    return instant + this.offsetAt(instant);
  }

  /**
   * The instant of a wall time: in a DST fold the earlier instant; in a DST gap it moves forward
   * by the gap, like luxon (a local midnight lost to a gap becomes the instant the clock jumps,
   * the first instant of that day, as in `periodBounds`).
   */
  instantOf(wall: number): number {
    const candidates = new Set([this.offsetAt(wall - DAY_MS), this.offsetAt(wall), this.offsetAt(wall + DAY_MS)]);
    let best = Infinity;
    for (const offset of candidates) {
      const instant = wall - offset;
      if (this.offsetAt(instant) === offset && instant < best) best = instant;
    }
    return best === Infinity ? wall - this.offsetAt(wall - DAY_MS) : best;
  }

  private useYear(year: number): void {
    this.transitions = transitionsOf(this.zone, year);
    this.yearStart = utcYearStart(year);
    this.yearEnd = utcYearStart(year + 1);
  }

  private lookUp(instant: number): number {
    if (!(instant >= this.yearStart && instant < this.yearEnd)) {
      const year = new Date(instant).getUTCFullYear();
      if (Number.isNaN(year)) return NaN;
      this.useYear(year);
    }
    // A handful of transitions per year: a linear scan beats a binary search.
    const list = this.transitions;
    let i = 0;
    while (i + 1 < list.length && list[i + 1].at <= instant) i++;
    this.segmentStart = Math.max(list[i].at, this.yearStart);
    this.segmentEnd = i + 1 < list.length ? Math.min(list[i + 1].at, this.yearEnd) : this.yearEnd;
    this.segmentOffset = list[i].offset;
    return this.segmentOffset;
  }
}

/** `YYYY-MM-DDTHH:mm:ss` of a wall time. */
export function formatWall(wall: number): string {
  return new Date(wall).toISOString().slice(0, 19);
}

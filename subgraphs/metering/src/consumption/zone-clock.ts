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

/** Offset transitions of a zone over one UTC year (± 2 days), found by sampling and bisection. */
function yearTransitions(zone: IANAZone, year: number): Transition[] {
  const start = Date.UTC(year, 0, 1) - 2 * DAY_MS;
  const end = Date.UTC(year + 1, 0, 1) + 2 * DAY_MS;
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
const CACHE_LIMIT = 256;

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
 * costs tens of microseconds per operation, too much for a series of hundreds of buckets.
 */
export class ZoneClock {
  constructor(readonly zone: string) {
    transitionsOf(zone, new Date().getUTCFullYear());
  }

  /** UTC offset (ms) in force at an instant. */
  offsetAt(instant: number): number {
    const list = transitionsOf(this.zone, new Date(instant).getUTCFullYear());
    let offset = list[0]?.offset ?? 0;
    for (const t of list) {
      if (t.at > instant) break;
      offset = t.offset;
    }
    return offset;
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
}

/** `YYYY-MM-DDTHH:mm:ss` of a wall time. */
export function formatWall(wall: number): string {
  return new Date(wall).toISOString().slice(0, 19);
}

import { SLOT_MS, ZoneClock, formatWall } from '@ciro/subgraph-common';

export type Granularity = 'SLOT' | 'HOUR' | 'DAY' | 'MONTH';

/** A bucket of a consumption series: `[start, end)`, and the key rollup rows are grouped under. */
export interface Bucket {
  key: string;
  start: Date;
  end: Date;
  localStart: string;
}

export interface BucketWindow {
  /** Requested range widened to whole buckets. */
  start: Date;
  end: Date;
  buckets: Bucket[];
  /** Local calendar days `[firstDay, endDay)` covering the window. */
  firstDay: string;
  endDay: string;
}

/** Largest range per request, by granularity, in local calendar units. */
export const RANGE_LIMITS: Readonly<Record<Granularity, { days?: number; months?: number; text: string }>> = {
  SLOT: { days: 31, text: '31 days' },
  HOUR: { days: 366, text: '366 days' },
  DAY: { days: 731, text: '731 days' },
  MONTH: { months: 120, text: '120 months' },
};

const HOUR_MS = 3_600_000;

/** Local calendar day `YYYY-MM-DD` of a wall time. */
function dayOf(wall: number): string {
  return formatWall(wall).slice(0, 10);
}

/** Floors an instant to the start of its bucket. */
function floorTo(clock: ZoneClock, instant: number, granularity: Granularity): number {
  switch (granularity) {
    case 'SLOT':
      return Math.floor(instant / SLOT_MS) * SLOT_MS;
    case 'HOUR': {
      // Subtract the local minutes (re-resolving HH:00 would be ambiguous in a DST fold).
      const wall = clock.wallOf(instant);
      return instant - (wall - Math.floor(wall / HOUR_MS) * HOUR_MS);
    }
    case 'DAY': {
      const d = new Date(clock.wallOf(instant));
      return clock.instantOf(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
    }
    case 'MONTH': {
      const d = new Date(clock.wallOf(instant));
      return clock.instantOf(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
    }
  }
}

/** Start of the bucket after the one starting at `start`. */
function nextStart(clock: ZoneClock, start: number, granularity: Granularity): number {
  switch (granularity) {
    case 'SLOT':
      return start + SLOT_MS;
    // Absolute hours: every local hour start, also across a DST change.
    case 'HOUR':
      return start + HOUR_MS;
    case 'DAY': {
      // Noon of the bucket's day is unambiguous; the next day's midnight follows it.
      const d = new Date(clock.wallOf(start + 12 * HOUR_MS));
      return clock.instantOf(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1));
    }
    case 'MONTH': {
      const d = new Date(clock.wallOf(start + 12 * HOUR_MS));
      return clock.instantOf(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
    }
  }
}

function keyOf(clock: ZoneClock, start: number, granularity: Granularity): string {
  switch (granularity) {
    case 'SLOT':
    case 'HOUR':
      return String(start);
    case 'DAY':
      return dayOf(clock.wallOf(start + 12 * HOUR_MS));
    case 'MONTH':
      return dayOf(clock.wallOf(start + 12 * HOUR_MS)).slice(0, 7);
  }
}

/** Rollup key of an instant (SLOT/HOUR rows are keyed by their start instant). */
export function instantKey(instant: Date): string {
  return String(instant.getTime());
}

function ceilingOf(clock: ZoneClock, first: number, granularity: Granularity): number {
  const limit = RANGE_LIMITS[granularity];
  const d = new Date(clock.wallOf(first));
  const wall = limit.months
    ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + limit.months, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes())
    : Date.UTC(
        d.getUTCFullYear(),
        d.getUTCMonth(),
        d.getUTCDate() + (limit.days ?? 0),
        d.getUTCHours(),
        d.getUTCMinutes(),
      );
  return clock.instantOf(wall);
}

/**
 * The buckets of `[from, to)` in `zone`: the range is widened to whole buckets (a DAY range
 * starts at local midnight), and refused when longer than the granularity allows.
 * Returns a problem text instead of throwing so the caller can name the field.
 */
export function bucketWindow(
  from: Date,
  to: Date,
  granularity: Granularity,
  zone: string,
): { ok: true; window: BucketWindow } | { ok: false; field: 'to'; message: string } {
  const clock = new ZoneClock(zone);
  const first = floorTo(clock, from.getTime(), granularity);
  const last = nextStart(clock, floorTo(clock, to.getTime() - 1, granularity), granularity);
  if (last > ceilingOf(clock, first, granularity)) {
    const limit = RANGE_LIMITS[granularity];
    return {
      ok: false,
      field: 'to',
      message: `A ${granularity} consumption series covers at most ${limit.text}; ask for a shorter range or a coarser granularity`,
    };
  }
  const buckets: Bucket[] = [];
  for (let start = first; start < last;) {
    const end = nextStart(clock, start, granularity);
    buckets.push({
      key: keyOf(clock, start, granularity),
      start: new Date(start),
      end: new Date(end),
      localStart: formatWall(clock.wallOf(start)),
    });
    start = end;
  }
  return {
    ok: true,
    window: {
      start: new Date(first),
      end: new Date(last),
      buckets,
      firstDay: dayOf(clock.wallOf(first)),
      // The day after the last instant's day: [firstDay, endDay) covers every local day touched.
      endDay: dayOf(clock.wallOf(last - 1) + 86_400_000),
    },
  };
}

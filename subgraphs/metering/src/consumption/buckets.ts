import { SLOT_MS, toLocalIso } from '@ciro/subgraph-common';
import { DateTime } from 'luxon';

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
  /** Local calendar days `[firstDay, endDay)` covering the window (DAY, MONTH). */
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

type Unit = 'hour' | 'day' | 'month';
const UNIT: Record<Exclude<Granularity, 'SLOT'>, Unit> = { HOUR: 'hour', DAY: 'day', MONTH: 'month' };

function floorTo(instant: Date, granularity: Granularity, zone: string): DateTime {
  if (granularity === 'SLOT') {
    return DateTime.fromMillis(Math.floor(instant.getTime() / SLOT_MS) * SLOT_MS, { zone });
  }
  return DateTime.fromJSDate(instant, { zone }).startOf(UNIT[granularity]);
}

function next(dt: DateTime, granularity: Granularity): DateTime {
  switch (granularity) {
    case 'SLOT':
      return dt.plus({ milliseconds: SLOT_MS });
    // Absolute hours: every local hour start, also across a DST change.
    case 'HOUR':
      return DateTime.fromMillis(dt.toMillis() + 3_600_000, { zone: dt.zone });
    case 'DAY':
      return dt.plus({ days: 1 }).startOf('day');
    case 'MONTH':
      return dt.plus({ months: 1 }).startOf('month');
  }
}

function keyOf(dt: DateTime, granularity: Granularity): string {
  switch (granularity) {
    case 'SLOT':
    case 'HOUR':
      return String(dt.toMillis());
    case 'DAY':
      return dt.toISODate() ?? '';
    case 'MONTH':
      return dt.toFormat('yyyy-MM');
  }
}

/** Rollup key of an instant (SLOT/HOUR rows are keyed by their start instant). */
export function instantKey(instant: Date): string {
  return String(instant.getTime());
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
  const first = floorTo(from, granularity, zone);
  let last = floorTo(new Date(to.getTime() - 1), granularity, zone);
  last = next(last, granularity);
  const limit = RANGE_LIMITS[granularity];
  const ceiling = limit.months ? first.plus({ months: limit.months }) : first.plus({ days: limit.days ?? 0 });
  if (last.toMillis() > ceiling.toMillis()) {
    return {
      ok: false,
      field: 'to',
      message: `A ${granularity} consumption series covers at most ${limit.text}; ask for a shorter range or a coarser granularity`,
    };
  }
  const buckets: Bucket[] = [];
  for (let dt = first; dt.toMillis() < last.toMillis();) {
    const end = next(dt, granularity);
    const start = dt.toJSDate();
    buckets.push({ key: keyOf(dt, granularity), start, end: end.toJSDate(), localStart: toLocalIso(start, zone) });
    dt = end;
  }
  return {
    ok: true,
    window: {
      start: first.toJSDate(),
      end: last.toJSDate(),
      buckets,
      firstDay: first.setZone(zone).toISODate() ?? '',
      // The day after the last instant: [firstDay, endDay) covers every local day touched.
      endDay:
        DateTime.fromMillis(last.toMillis() - 1, { zone })
          .plus({ days: 1 })
          .toISODate() ?? '',
    },
  };
}

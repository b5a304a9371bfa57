import { localPartsOf, localToInstant, type LocalDateTime } from '@ciro/subgraph-common';

const DAY_MS = 86_400_000;

/** Throws a RangeError for a zone the time helpers do not know (an option error, not a file problem). */
export function assertKnownZone(zone: string): void {
  try {
    localPartsOf(new Date(0), zone);
  } catch {
    throw new RangeError(`Unknown time zone "${zone}"; expected an IANA zone like America/El_Salvador`);
  }
}

/** UTC offset (ms, local − UTC) of `zone` at an instant. */
function offsetAt(ms: number, zone: string): number {
  const parts = localPartsOf(new Date(ms), zone);
  const [y, m, d] = parts.date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) + parts.minuteOfDay * 60_000 - (ms - (ms % 60_000));
}

/**
 * `localToInstant` for many wall times of the same zone. A file holds ~100 stamps per local day; when the zone's
 * offset is the same two days either side of a date (no DST change near it), its wall times map with that fixed
 * offset. Days near a change go through `localToInstant` itself, with its gap rule (a wall time that does not exist
 * throws). A wall time that occurs twice (DST fold) is the earlier instant, or, given `near` (ms), the one closer to
 * it: a file stamps the repeated hour twice, and the row before tells which pass a stamp belongs to.
 */
export function createWallResolver(zone: string): (wall: LocalDateTime, near?: number) => Date {
  const fixedOffset = new Map<number, number | null>();
  return (wall, near) => {
    const key = wall.year * 10_000 + wall.month * 100 + wall.day;
    let offset = fixedOffset.get(key);
    if (offset === undefined) {
      const midnight = Date.UTC(wall.year, wall.month - 1, wall.day);
      const before = offsetAt(midnight - 2 * DAY_MS, zone);
      const after = offsetAt(midnight + 3 * DAY_MS, zone);
      offset = before === after ? before : null;
      fixedOffset.set(key, offset);
    }
    if (
      offset === null ||
      wall.hour < 0 ||
      wall.hour > 24 ||
      wall.minute < 0 ||
      wall.minute > 59 ||
      (wall.hour === 24 && wall.minute !== 0)
    ) {
      const earlier = localToInstant(wall, zone);
      if (near === undefined) return earlier;
      const later = localToInstant(wall, zone, { fold: 'later' });
      return Math.abs(later.getTime() - near) < Math.abs(earlier.getTime() - near) ? later : earlier;
    }
    return new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute) - offset);
  };
}

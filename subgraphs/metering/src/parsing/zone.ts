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
 * offset. Days near a change go through `localToInstant` itself, with its gap/fold rules.
 */
export function createWallResolver(zone: string): (wall: LocalDateTime) => Date {
  const fixedOffset = new Map<number, number | null>();
  return (wall) => {
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
      return localToInstant(wall, zone);
    }
    return new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute) - offset);
  };
}

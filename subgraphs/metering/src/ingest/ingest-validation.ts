import { SLOT_MS, instantFromIso, type FieldProblem } from '@ciro/subgraph-common';
import Decimal from 'decimal.js';
import { DateTime } from 'luxon';

export type Convention = 'INTERVAL_START' | 'INTERVAL_END';

export interface RawIngestReading {
  slotStart: string;
  kwh: Decimal;
  kvarh?: Decimal | null;
}

export interface ValidReading {
  slotStart: Date;
  kwh: Decimal;
  kvarh: Decimal | null;
  /** Index in the input (first occurrence). */
  index: number;
}

/** numeric(18, 6): at most 12 integer digits and 6 decimals. */
const MAX_VALUE = new Decimal('1e12');
const MAX_DECIMALS = 6;

const LOCAL_24 = /^(\d{4}-\d{2}-\d{2})T24:00(:00(\.0+)?)?$/;

/** A stamp as an instant: with an offset as is; without one a wall time in `zone` (`T24:00`: next day's 00:00). */
function stampToInstant(text: string, zone: string): Date {
  const trimmed = text.trim();
  const h24 = LOCAL_24.exec(trimmed);
  if (h24) {
    const day = DateTime.fromISO(h24[1] ?? '', { zone });
    if (!day.isValid) throw new Error(`Invalid date in "${text}"`);
    return day.plus({ days: 1 }).startOf('day').toJSDate();
  }
  return instantFromIso(trimmed, zone);
}

function valueProblem(value: Decimal, field: string): FieldProblem | null {
  if (value.isNegative()) return { field, message: `must not be negative; got ${value.toFixed()}` };
  if (value.decimalPlaces() > MAX_DECIMALS) {
    return { field, message: `has more than ${MAX_DECIMALS} decimals; got ${value.toFixed()}` };
  }
  if (value.greaterThanOrEqualTo(MAX_VALUE)) return { field, message: `is too large; got ${value.toFixed()}` };
  return null;
}

/**
 * Checks the readings of an ingestReadings call and converts their stamps to slot starts: every
 * problem names `readings.<index>.<field>`. Identical duplicates collapse; a duplicate slot with
 * another value is a problem. Returns the readings sorted by slot.
 */
export function validateIngestReadings(
  readings: readonly RawIngestReading[],
  options: { zone: string; convention: Convention; now: Date; max: number },
): { readings: ValidReading[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  if (readings.length === 0)
    return { readings: [], problems: [{ field: 'readings', message: 'send at least one reading' }] };
  if (readings.length > options.max) {
    return {
      readings: [],
      problems: [
        {
          field: 'readings',
          message: `send at most ${options.max} readings per call; got ${readings.length} (split them into several calls)`,
        },
      ],
    };
  }
  const bySlot = new Map<number, ValidReading>();
  readings.forEach((r, index) => {
    const at = `readings.${index}`;
    let slotStart: Date | null = null;
    try {
      const stamp = stampToInstant(r.slotStart, options.zone);
      slotStart = options.convention === 'INTERVAL_END' ? new Date(stamp.getTime() - SLOT_MS) : stamp;
    } catch (error) {
      problems.push({
        field: `${at}.slotStart`,
        message: `is not a date-time: ${(error as Error).message} (write an ISO-8601 instant such as 2025-09-01T06:00:00Z, or a local wall time such as 2025-09-01T00:00)`,
      });
    }
    if (slotStart && slotStart.getTime() % SLOT_MS !== 0) {
      problems.push({
        field: `${at}.slotStart`,
        message: `${r.slotStart} is not on a 15-minute boundary (:00, :15, :30 or :45, no seconds)`,
      });
      slotStart = null;
    }
    if (slotStart && slotStart.getTime() > options.now.getTime()) {
      problems.push({ field: `${at}.slotStart`, message: `${r.slotStart} is a slot that has not started yet` });
      slotStart = null;
    }
    const kwhProblem = valueProblem(r.kwh, `${at}.kwh`);
    if (kwhProblem) problems.push(kwhProblem);
    const kvarh = r.kvarh ?? null;
    const kvarhProblem = kvarh === null ? null : valueProblem(kvarh, `${at}.kvarh`);
    if (kvarhProblem) problems.push(kvarhProblem);
    if (!slotStart || kwhProblem || kvarhProblem) return;
    const earlier = bySlot.get(slotStart.getTime());
    if (earlier) {
      const same = earlier.kwh.equals(r.kwh) && (earlier.kvarh?.toFixed() ?? null) === (kvarh?.toFixed() ?? null);
      if (!same) {
        problems.push({
          field: `${at}.slotStart`,
          message: `is the same slot as readings.${earlier.index} (${slotStart.toISOString()}) with a different value`,
        });
      }
      return;
    }
    bySlot.set(slotStart.getTime(), { slotStart, kwh: r.kwh, kvarh, index });
  });
  const sorted = [...bySlot.values()].sort((a, b) => a.slotStart.getTime() - b.slotStart.getTime());
  return { readings: problems.length > 0 ? [] : sorted, problems };
}

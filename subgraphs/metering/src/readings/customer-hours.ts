import Decimal from 'decimal.js';

/**
 * A customer's hourly rollup rows computed from readings held in memory, exactly as the SQL of
 * recomputeRollups computes them from meter_readings: per slot Σ kWh × multiplier of the
 * customer's meters, then per local hour and tariff block the sum, the largest slot × 4 (kW) and
 * the number of meter readings. Pure: the store path runs it while the database inserts the
 * readings, for customers whose meters' readings over the whole window are all in the upload.
 */

/** Sums of products of numeric(18, 6) values and numeric(14, 6) multipliers stay far below 80 digits: exact. */
const Exact = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_UP });
/** The staging table's kwh column is numeric(18, 6): what the SQL sums is the value rounded so, half away from zero. */
const STAGED_SCALE = 6;

/** One local hour and tariff block of the window. */
export interface HourBucket {
  hourStart: Date;
  /** Local date of the hour, `YYYY-MM-DD`. */
  day: string;
  block: string;
}

/** A window's 15-minute slots, each in the hour bucket its local hour and tariff block give it. */
export interface SlotCalendar {
  buckets: readonly HourBucket[];
  /** Per slot of the window (in order), the index of its bucket. */
  bucketOfSlot: Int32Array;
}

export interface MeterValues {
  multiplier: string;
  /** Raw register kWh of every slot of the window, in order. */
  values: readonly Decimal[];
}

export interface CustomerHour extends HourBucket {
  customerId: string;
  /** Unrounded: readings_hourly rounds it to its scale as the SQL's sums are. */
  kwh: Decimal;
  maxKw: Decimal;
  readings: number;
}

function staged(value: Decimal): Decimal {
  return value.decimalPlaces() <= STAGED_SCALE ? value : value.toDecimalPlaces(STAGED_SCALE, Decimal.ROUND_HALF_UP);
}

/** The hourly rows of one customer whose meters all have a reading in every slot of the calendar's window. */
export function customerHours(
  customerId: string,
  calendar: SlotCalendar,
  meters: readonly MeterValues[],
): CustomerHour[] {
  const slots = calendar.bucketOfSlot.length;
  for (const meter of meters) {
    if (meter.values.length !== slots)
      throw new Error(`A meter of ${customerId} has ${meter.values.length} of ${slots} slots`);
  }
  const count = calendar.buckets.length;
  const sums = new Array<Decimal | undefined>(count);
  const highs = new Array<Decimal | undefined>(count);
  const lows = new Array<Decimal | undefined>(count);
  const readings = new Int32Array(count);
  const only = meters.length === 1 ? meters[0] : undefined;
  if (only) {
    // One meter: Σ value × m = (Σ value) × m, and the largest value × m is the largest (or, for m < 0, smallest) value × m.
    for (let i = 0; i < slots; i += 1) {
      const b = calendar.bucketOfSlot[i] ?? 0;
      const value = staged(only.values[i]);
      const sum = sums[b];
      sums[b] = sum ? sum.plus(value) : new Exact(value);
      const high = highs[b];
      if (!high || value.gt(high)) highs[b] = value;
      const low = lows[b];
      if (!low || value.lt(low)) lows[b] = value;
      readings[b] = (readings[b] ?? 0) + 1;
    }
  } else {
    const multipliers = meters.map((m) => new Exact(m.multiplier));
    for (let i = 0; i < slots; i += 1) {
      const b = calendar.bucketOfSlot[i] ?? 0;
      let slot = new Exact(0);
      for (const [k, meter] of meters.entries()) {
        slot = slot.plus(staged(meter.values[i]).times(multipliers[k]));
      }
      const sum = sums[b];
      sums[b] = sum ? sum.plus(slot) : slot;
      const high = highs[b];
      if (!high || slot.gt(high)) highs[b] = slot;
      readings[b] = (readings[b] ?? 0) + meters.length;
    }
  }
  const multiplier = only ? new Exact(only.multiplier) : new Exact(1);
  const out: CustomerHour[] = [];
  for (let b = 0; b < count; b += 1) {
    const bucket = calendar.buckets[b];
    const sum = sums[b];
    const largest = multiplier.isNegative() ? lows[b] : highs[b];
    if (!bucket || !sum || !largest) continue;
    out.push({
      customerId,
      ...bucket,
      kwh: sum.times(multiplier),
      maxKw: new Exact(largest).times(multiplier).times(4),
      readings: readings[b] ?? 0,
    });
  }
  return out;
}

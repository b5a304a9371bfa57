import type Decimal from 'decimal.js';
import { dec, ZERO } from './decimal';
import { BillingEngineError, invalidInput } from './errors';
import type { DecimalInput } from './decimal';
import type { RateSetInput, RateSplitPart } from './types';

export interface RateSet {
  validFrom: string;
  energy: ReadonlyMap<string, Decimal>;
  demand: Decimal;
  ftpms: Decimal;
  deviation: Decimal;
}

const LOCAL_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Parses a decimal field, naming it in the error; rejects negatives unless allowed. */
export function decimalField(field: string, value: DecimalInput, opts: { allowNegative?: boolean } = {}): Decimal {
  let d: Decimal;
  try {
    d = dec(value);
  } catch {
    throw invalidInput(`${field}: "${String(value)}" is not a decimal number`);
  }
  if (!d.isFinite()) throw invalidInput(`${field}: "${String(value)}" is not a finite number`);
  if (!opts.allowNegative && d.isNegative() && !d.isZero()) throw invalidInput(`${field}: must not be negative`);
  return d;
}

/** Validates and sorts rate sets; every set needs an energy rate for every block code. */
export function normalizeRateSets(sets: readonly RateSetInput[], blockCodes: readonly string[]): RateSet[] {
  if (sets.length === 0) throw invalidInput('tariff: no rate sets');
  const out = sets.map((s, i): RateSet => {
    const label = `rate set #${i + 1} (validFrom ${s.validFrom})`;
    if (!LOCAL_DATE.test(s.validFrom)) throw invalidInput(`${label}: validFrom must be a local date YYYY-MM-DD`);
    const energy = new Map<string, Decimal>();
    for (const code of blockCodes) {
      const rate = s.energy[code];
      if (rate === undefined) throw invalidInput(`${label}: no energy rate for block ${code}`);
      energy.set(code, decimalField(`${label} energy.${code}`, rate));
    }
    return {
      validFrom: s.validFrom,
      energy,
      demand: decimalField(`${label} demand`, s.demand),
      ftpms: decimalField(`${label} ftpms`, s.ftpms),
      deviation: decimalField(`${label} deviation`, s.deviation),
    };
  });
  out.sort((a, b) => (a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : 0));
  for (let i = 1; i < out.length; i++) {
    if (out[i].validFrom === out[i - 1].validFrom) {
      throw invalidInput(`tariff: two rate sets valid from ${out[i].validFrom}`);
    }
  }
  return out;
}

export interface Segment {
  /** First and last local date (inclusive) of the run. */
  from: string;
  to: string;
  rate: Decimal;
}

/** Consecutive period dates that share one rate of a given kind. */
export interface Segmentation {
  segments: Segment[];
  indexOfDate: ReadonlyMap<string, number>;
}

/** The rate set in force on each local date of the period. */
export class RateCalendar {
  private readonly byDate = new Map<string, RateSet>();

  /** `dates`: the period's local dates in order. Throws NO_RATE_IN_FORCE when a date precedes every set. */
  constructor(
    sets: readonly RateSet[],
    private readonly dates: readonly string[],
  ) {
    for (const date of dates) {
      let found: RateSet | undefined;
      for (const s of sets) if (s.validFrom <= date) found = s;
      if (!found) throw new BillingEngineError('NO_RATE_IN_FORCE', `No rate set in force on ${date}`);
      this.byDate.set(date, found);
    }
  }

  setOn(date: string): RateSet {
    const set = this.byDate.get(date);
    if (!set) throw new Error(`Date ${date} is outside the billing period`);
    return set;
  }

  /** Runs of dates with equal `pick(rateSet)`; identical consecutive rate sets merge into one run. */
  segmentation(pick: (s: RateSet) => Decimal): Segmentation {
    const segments: Segment[] = [];
    const indexOfDate = new Map<string, number>();
    for (const date of this.dates) {
      const rate = pick(this.setOn(date));
      const last = segments[segments.length - 1];
      if (last && last.rate.equals(rate)) last.to = date;
      else segments.push({ from: date, to: date, rate });
      indexOfDate.set(date, segments.length - 1);
    }
    return { segments, indexOfDate };
  }
}

/** Sums quantity and quantity × rate per rate segment of one line (or one block of a line). */
export class SegmentedSum {
  private readonly quantities: Decimal[];
  private readonly amounts: Decimal[];

  constructor(
    private readonly segmentation: Segmentation,
    private readonly block?: string,
  ) {
    this.quantities = segmentation.segments.map(() => ZERO);
    this.amounts = segmentation.segments.map(() => ZERO);
  }

  add(date: string, quantity: Decimal): void {
    const i = this.segmentation.indexOfDate.get(date);
    if (i === undefined) throw new Error(`Date ${date} is outside the billing period`);
    this.quantities[i] = this.quantities[i].plus(quantity);
    this.amounts[i] = this.amounts[i].plus(quantity.times(this.segmentation.segments[i].rate));
  }

  parts(): RateSplitPart[] {
    return this.segmentation.segments.map((seg, i) => ({
      ...(this.block === undefined ? {} : { block: this.block }),
      rate: seg.rate,
      quantity: this.quantities[i],
      amount: this.amounts[i],
      from: seg.from,
      to: seg.to,
    }));
  }
}

import Decimal from 'decimal.js';
import { DateTime } from 'luxon';
import type { TariffBlock } from '@ciro/subgraph-common';
import type { BillingInput, DecimalInput, InvoiceDraft } from '../index';

/**
 * An independent reference implementation of BILLING.md, written from the document only (not from the engine's
 * code), for the differential tests of `oracle.test.ts`. It is deliberately plain: one pass over the slots of the
 * month with luxon for the local calendar and decimal.js at a precision far above anything a bill needs. Every step
 * names the section of BILLING.md it implements.
 *
 * Readings of BILLING.md that the document leaves open are marked READING below; the report of the oracle work
 * lists them.
 */

/** Plenty of digits: 4-decimal kWh × multiplier × 4-decimal factor × 6-decimal rate summed over a month stays exact. */
const D = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_DOWN });
type Dec = InstanceType<typeof D>;
const Z = new D(0);

/** §5 "each line's amount is rounded to cents once, half away from zero (like spreadsheet ROUND)". Written out. */
export function roundCents(x: Decimal): Dec {
  const v = new D(x);
  const abs = v.abs().times(100);
  const whole = abs.floor();
  const up = abs.minus(whole).greaterThanOrEqualTo('0.5') ? whole.plus(1) : whole;
  const cents = up.div(100);
  return v.isNegative() ? cents.negated() : cents;
}

/**
 * §5 loss factor: a fraction (0.0235), written in the workbook as `2.35%`, `2,35%`, `0.0235` or a multiplier `1.0235`
 * (any value ≥ 1 is a multiplier: subtract 1).
 */
export function lossFactorFromWorkbook(text: string): Dec {
  let t = text.trim();
  const isPercent = t.endsWith('%');
  if (isPercent) t = t.slice(0, -1).trim();
  const v = new D(t.replace(',', '.'));
  if (isPercent) return v.div(100);
  return v.greaterThanOrEqualTo(1) ? v.minus(1) : v;
}

export interface OracleLine {
  kind: string;
  quantity: string;
  /** The single rate applied, `variable` when several applied, `none` for lines without a rate or without use. */
  rate: string;
  amount: string;
}

export interface OracleInvoice {
  status: 'DRAFT' | 'NO_READINGS';
  lines: OracleLine[];
  subtotal: string;
  vat: string;
  total: string;
  expectedSlots: number;
  presentSlots: number;
  missingSlots: number;
  missingForecastHours: number;
  maxDemandAt: string | null;
}

interface Slot {
  ms: number;
  date: string;
  minute: number;
  weekday: number;
  localIso: string;
  /** Instant of the start of the local hour holding the slot (§5 deviation "per local hour"). */
  hourMs: number;
}

const calendars = new Map<string, Slot[]>();

/** §1: the billing period is the local calendar month [1st 00:00, next 1st 00:00) in 15-minute slots. */
export function monthSlots(period: string, zone: string): Slot[] {
  const key = `${period}|${zone}`;
  const cached = calendars.get(key);
  if (cached) return cached;
  const [y, m] = period.split('-').map(Number);
  const start = DateTime.fromObject({ year: y, month: m, day: 1 }, { zone });
  const end = start.plus({ months: 1 });
  const out: Slot[] = [];
  for (let ms = start.toMillis(); ms < end.toMillis(); ms += 15 * 60_000) {
    const dt = DateTime.fromMillis(ms, { zone });
    out.push({
      ms,
      date: dt.toISODate()!,
      minute: dt.hour * 60 + dt.minute,
      weekday: dt.weekday,
      localIso: dt.toFormat("yyyy-MM-dd'T'HH:mm:ss"),
      hourMs: ms - dt.minute * 60_000,
    });
  }
  calendars.set(key, out);
  return out;
}

/**
 * §3: the block of a slot from its local start time. Day types: READING — a date in the holiday list takes the
 * HOLIDAY blocks when the tariff has them; otherwise Saturday and Sunday take WEEKEND blocks and other days WEEKDAY
 * blocks when the tariff has them; anything not configured falls back to the day-type-less (ALL) blocks.
 */
function blockOf(blocks: readonly TariffBlock[], holidays: ReadonlySet<string>, s: Slot): string {
  const has = (t: string) => blocks.some((b) => b.dayType === t);
  let dayType = 'ALL';
  if (holidays.has(s.date) && has('HOLIDAY')) dayType = 'HOLIDAY';
  else if (s.weekday >= 6 && has('WEEKEND')) dayType = 'WEEKEND';
  else if (s.weekday <= 5 && has('WEEKDAY')) dayType = 'WEEKDAY';
  for (const b of blocks) {
    if (b.dayType !== dayType) continue;
    const inside =
      b.startMinute < b.endMinute
        ? s.minute >= b.startMinute && s.minute < b.endMinute
        : s.minute >= b.startMinute || s.minute < b.endMinute; // wraps midnight (VALLE 23:00–05:00)
    if (inside) return b.code;
  }
  throw new Error(`oracle: no block at ${s.localIso}`);
}

/** A rate per line kind: several distinct rates applied → `variable` (§5 "variable when several rates applied"). */
class RateTracker {
  private readonly seen = new Set<string>();
  note(rate: Dec, quantity: Dec): void {
    if (!quantity.isZero()) this.seen.add(rate.toFixed());
  }
  shown(): string {
    if (this.seen.size === 0) return 'none';
    return this.seen.size === 1 ? [...this.seen][0] : 'variable';
  }
}

export function oracleInvoice(input: BillingInput): OracleInvoice {
  const slots = monthSlots(input.period, input.zone);
  const holidays = input.holidays ?? new Set<string>();
  const d = (x: DecimalInput) => new D(x);

  // §4: the rate set in force on a local date is the one with the latest validFrom on or before it.
  const sets = [...input.tariff.rateSets].sort((a, b) => a.validFrom.localeCompare(b.validFrom));
  const setOn = (date: string) => {
    const inForce = sets.filter((s) => s.validFrom <= date);
    if (inForce.length === 0) throw new Error(`oracle: no rate on ${date}`);
    return inForce[inForce.length - 1];
  };

  // §2: kWh(slot) = Σ over meters whose assignment holds the slot start of raw × multiplier (default 1). READING:
  // an assignment is [start, end) so a swap at X gives X to the new meter only.
  const kwh = new Map<number, Dec>();
  const assigned = new Set<number>();
  let expectedSlots = 0;
  let presentSlots = 0;
  for (const m of input.meters) {
    const multiplier = d(m.multiplier ?? '1');
    const inside = (ms: number) =>
      m.assignments.some((a) => ms >= a.from.getTime() && (a.to === null || ms < a.to.getTime()));
    const byMs = new Map<number, DecimalInput>();
    for (const r of m.readings) byMs.set(r.slotStart.getTime(), r.kwh);
    for (const s of slots) {
      if (!inside(s.ms)) continue;
      assigned.add(s.ms);
      expectedSlots++;
      const raw = byMs.get(s.ms);
      if (raw === undefined) continue; // §2 missing slots are not invented
      presentSlots++;
      kwh.set(s.ms, (kwh.get(s.ms) ?? Z).plus(d(raw).times(multiplier)));
    }
  }

  const blockCodes: string[] = [];
  for (const b of input.tariff.blocks) if (!blockCodes.includes(b.code)) blockCodes.push(b.code);
  const lossFactor = d(input.customer.lossFactor);

  const energyQty = new Map(blockCodes.map((c) => [c, Z]));
  const energyAmt = new Map(blockCodes.map((c) => [c, Z]));
  const energyRate = new Map(blockCodes.map((c) => [c, new RateTracker()]));
  let lossQty = Z;
  let lossAmt = Z;
  const lossRate = new RateTracker();
  let ftpmsQty = Z;
  let ftpmsAmt = Z;
  const ftpmsRate = new RateTracker();
  let maxKw: Dec | null = null;
  let maxAt: string | null = null;
  const hours = new Map<number, { date: string; actual: Dec }>();

  for (const s of slots) {
    if (assigned.has(s.ms)) {
      // §5 deviation: actual(h) = Σ of the hour's slots (missing ones add nothing). READING: only hours in which the
      // customer has a meter assigned are priced (and can miss a forecast).
      const h = hours.get(s.hourMs) ?? { date: s.date, actual: Z };
      h.actual = h.actual.plus(kwh.get(s.ms) ?? Z);
      hours.set(s.hourMs, h);
    }
    const e = kwh.get(s.ms);
    if (e === undefined) continue;
    const set = setOn(s.date); // §4 every slot takes the rate in force on its own local date
    const block = blockOf(input.tariff.blocks, holidays, s); // §3
    const rate = d(set.energy[block]);
    // §5 ENERGY_<block>: Σ kWh in the block; Σ kWh × energyRate(block, slot date).
    energyQty.set(block, energyQty.get(block)!.plus(e));
    energyAmt.set(block, energyAmt.get(block)!.plus(e.times(rate)));
    energyRate.get(block)!.note(rate, e);
    // §5 LOSSES: Σ kWh × lossFactor; Σ kWh × lossFactor × energyRate(block, slot date).
    lossQty = lossQty.plus(e.times(lossFactor));
    lossAmt = lossAmt.plus(e.times(lossFactor).times(rate));
    lossRate.note(rate, e.times(lossFactor));
    // §5 FTPMS: Σ kWh; Σ kWh × ftpmsRate(slot date).
    ftpmsQty = ftpmsQty.plus(e);
    ftpmsAmt = ftpmsAmt.plus(e.times(d(set.ftpms)));
    ftpmsRate.note(d(set.ftpms), e);
    // §2 kW = kWh × 4; §5 DEMAND: max kW over the period, any block (READING: earliest slot on a tie).
    const kw = e.times(4);
    if (maxKw === null || kw.greaterThan(maxKw)) {
      maxKw = kw;
      maxAt = s.localIso;
    }
  }

  // §5 deviation (only with a tolerance): chargeable(h) = max(0, |actual − forecast| − tolerance × forecast) at the
  // deviation rate of the hour's date; a missing forecast counts as 0 and is flagged.
  const tolerance = input.customer.deviationTolerance === null ? null : d(input.customer.deviationTolerance);
  let devQty = Z;
  let devAmt = Z;
  const devRate = new RateTracker();
  let missingForecastHours = 0;
  if (tolerance !== null) {
    const forecasts = new Map<number, Dec>();
    for (const [key, value] of input.forecasts ?? new Map<string, DecimalInput>()) {
      // Keys: an ISO instant with offset, or a local wall time read in the client's zone (§1).
      forecasts.set(DateTime.fromISO(key, { zone: input.zone }).toMillis(), d(value));
    }
    for (const [hourMs, h] of hours) {
      let forecast = forecasts.get(hourMs);
      if (forecast === undefined) {
        missingForecastHours++;
        forecast = Z;
      }
      const over = h.actual.minus(forecast).abs().minus(tolerance.times(forecast));
      const chargeable = over.greaterThan(0) ? over : Z;
      const rate = d(setOn(h.date).deviation);
      devQty = devQty.plus(chargeable);
      devAmt = devAmt.plus(chargeable.times(rate));
      devRate.note(rate, chargeable);
    }
  }

  const quality = {
    expectedSlots,
    presentSlots,
    missingSlots: expectedSlots - presentSlots,
    missingForecastHours,
    maxDemandAt: maxAt,
  };
  // §2: a customer with no reading at all in the period gets no invoice.
  if (maxKw === null) return { status: 'NO_READINGS', lines: [], subtotal: '', vat: '', total: '', ...quality };

  const lines: Array<OracleLine & { value: Dec }> = [];
  const push = (kind: string, quantity: Dec, rate: string, amount: Dec) =>
    lines.push({ kind, quantity: quantity.toFixed(), rate, amount: amount.toFixed(2), value: amount });

  for (const c of blockCodes)
    push(`ENERGY_${c}`, energyQty.get(c)!, energyRate.get(c)!.shown(), roundCents(energyAmt.get(c)!));
  const energyRounded = lines.reduce((acc, l) => acc.plus(l.value), Z);
  // §5 DEMAND: maxKW × the demand rate in force on the last day of the period.
  const demandRate = d(setOn(slots[slots.length - 1].date).demand);
  push('DEMAND', maxKw, demandRate.toFixed(), roundCents(maxKw.times(demandRate)));
  push('LOSSES', lossQty, lossRate.shown(), roundCents(lossAmt));
  push('FTPMS', ftpmsQty, ftpmsRate.shown(), roundCents(ftpmsAmt));
  if (tolerance !== null) push('DEVIATION', devQty, devRate.shown(), roundCents(devAmt));
  // §5 DISCOUNT: −(discount × Σ of the rounded ENERGY amounts), rounded once. READING: no line when the discount is 0
  // (the expected invoices omit it), and every ENERGY line (also a holiday block's) is in the base.
  const discount = d(input.customer.discount);
  if (!discount.isZero()) push('DISCOUNT', discount, 'none', roundCents(discount.times(energyRounded).negated()));
  // §5 ADJUSTMENT: the admin's amounts, each its own line (rounded to cents like every line).
  for (const a of input.adjustments ?? []) push('ADJUSTMENT', new D(1), 'none', roundCents(d(a.amount)));

  // §5 subtotal = Σ rounded lines; VAT = round(subtotal × vatRate); total = subtotal + VAT.
  const subtotal = lines.reduce((acc, l) => acc.plus(l.value), Z);
  const vat = roundCents(subtotal.times(d(input.vatRate)));
  return {
    status: 'DRAFT',
    lines: lines.map(({ value: _value, ...l }) => l),
    subtotal: subtotal.toFixed(2),
    vat: vat.toFixed(2),
    total: subtotal.plus(vat).toFixed(2),
    ...quality,
  };
}

/** The engine's draft in the oracle's shape (quantities canonical, amounts in cents, rates as shown). */
export function engineView(draft: InvoiceDraft | null, dq: InvoiceDraft['dataQuality']): OracleInvoice {
  const quality = {
    expectedSlots: dq.expectedSlots,
    presentSlots: dq.presentSlots,
    missingSlots: dq.missingSlots,
    missingForecastHours: dq.missingForecastHours,
    maxDemandAt: dq.maxDemandAt,
  };
  if (draft === null) return { status: 'NO_READINGS', lines: [], subtotal: '', vat: '', total: '', ...quality };
  return {
    status: 'DRAFT',
    lines: draft.lines.map((l) => ({
      kind: l.kind,
      quantity: l.quantity.toFixed(),
      rate: l.rate !== null ? l.rate.toFixed() : l.rateSplit ? 'variable' : 'none',
      amount: l.amount.toFixed(2),
    })),
    subtotal: draft.subtotal.toFixed(2),
    vat: draft.vat.toFixed(2),
    total: draft.total.toFixed(2),
    ...quality,
  };
}

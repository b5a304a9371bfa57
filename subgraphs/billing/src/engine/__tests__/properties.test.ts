import { periodBounds, SLOT_MS } from '@ciro/subgraph-common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeInvoice } from '../compute-invoice';
import type { BillingInput, BillingOutcome, InvoiceDraft, MeterReading } from '../types';
import { ALWAYS, MT_H, RATES_MAY, RATES_OCT15, SV } from './fixtures';

const PERIOD = '2025-10';
const { start } = periodBounds(PERIOD, SV);
const SLOTS = 2976;
const RUNS = { numRuns: 40 };

/** kWh with up to 4 decimals, as meters report them. */
const kwhArb = fc.integer({ min: 0, max: 20_000_000 }).map((n) => (n / 10_000).toFixed(4));
const centsArb = (max: number) => fc.integer({ min: -max, max }).map((n) => (n / 100).toFixed(2));

/** Sparse readings: distinct slots of the period, each with a kWh value. */
const readingsArb = fc
  .uniqueArray(fc.tuple(fc.integer({ min: 0, max: SLOTS - 1 }), kwhArb), {
    minLength: 1,
    maxLength: 60,
    selector: ([i]) => i,
  })
  .map((pairs): MeterReading[] =>
    pairs.map(([i, kwh]) => ({ slotStart: new Date(start.getTime() + i * SLOT_MS), kwh })),
  );

const customerArb = fc.record({
  code: fc.constant('C-PROP'),
  lossFactor: fc.integer({ min: 0, max: 500 }).map((n) => (n / 10_000).toFixed(4)),
  discount: fc.integer({ min: 0, max: 50 }).map((n) => (n / 1000).toFixed(3)),
  deviationTolerance: fc.option(
    fc.integer({ min: 0, max: 20 }).map((n) => (n / 100).toFixed(2)),
    { nil: null },
  ),
});

const forecastsArb = fc
  .uniqueArray(fc.tuple(fc.integer({ min: 0, max: SLOTS / 4 - 1 }), kwhArb), { maxLength: 30, selector: ([h]) => h })
  .map((pairs) => new Map(pairs.map(([h, kwh]) => [new Date(start.getTime() + h * 4 * SLOT_MS).toISOString(), kwh])));

const inputArb = fc.record({
  customer: customerArb,
  meterA: readingsArb,
  meterB: readingsArb,
  forecasts: forecastsArb,
  adjustments: fc.array(fc.record({ description: fc.constant('Ajuste'), amount: centsArb(50_000) }), { maxLength: 3 }),
  vatRate: fc.constantFrom('0.13', '0', '0.15', '0.075'),
});

type Generated = typeof inputArb extends fc.Arbitrary<infer T> ? T : never;

function toInput(g: Generated): BillingInput {
  return {
    customer: g.customer,
    meters: [
      { id: 'A', multiplier: '40', assignments: ALWAYS, readings: g.meterA },
      { id: 'B', multiplier: '1', assignments: ALWAYS, readings: g.meterB },
    ],
    tariff: MT_H,
    forecasts: g.forecasts,
    adjustments: g.adjustments,
    period: PERIOD,
    zone: SV,
    vatRate: g.vatRate,
  };
}

/** Draft with a negative total allowed, so every generated case yields one. */
function draftOf(input: BillingInput): InvoiceDraft {
  const outcome: BillingOutcome = computeInvoice(input, { creditNote: true });
  if (outcome.status !== 'DRAFT') throw new Error(`unexpected ${outcome.status}`);
  return outcome.draft;
}

/** Canonical text of a draft (Decimals and Dates as strings) for equality checks. */
const canonical = (d: InvoiceDraft) => JSON.stringify(d);

describe('billing engine properties', () => {
  it('splitting a rate set into two identical ones changes nothing', () => {
    const splitDate = fc.integer({ min: 0, max: 30 }).map((d) => `2025-10-${String(d + 1).padStart(2, '0')}`);
    fc.assert(
      fc.property(inputArb, splitDate, (g, date) => {
        fc.pre(date !== RATES_OCT15.validFrom);
        const input = toInput(g);
        const base = draftOf(input);
        // A copy of the set in force on `date`, starting on `date`.
        const extra = { ...(date < RATES_OCT15.validFrom ? RATES_MAY : RATES_OCT15), validFrom: date };
        const split = draftOf({ ...input, tariff: { ...MT_H, rateSets: [RATES_MAY, RATES_OCT15, extra] } });
        expect(canonical(split)).toBe(canonical(base));
      }),
      RUNS,
    );
  });

  it('total = subtotal + VAT, VAT = round(subtotal × rate), subtotal = Σ rounded lines', () => {
    fc.assert(
      fc.property(inputArb, (g) => {
        const d = draftOf(toInput(g));
        const subtotal = d.lines.reduce((acc, l) => acc.plus(l.amount), d.subtotal.minus(d.subtotal));
        expect(d.subtotal.equals(subtotal)).toBe(true);
        expect(d.vat.equals(d.subtotal.times(g.vatRate).toDecimalPlaces(2, 4))).toBe(true);
        expect(d.total.equals(d.subtotal.plus(d.vat))).toBe(true);
        for (const l of d.lines) expect(l.amount.decimalPlaces()).toBeLessThanOrEqual(2);
      }),
      RUNS,
    );
  });

  it('reordering readings (and meters) changes nothing', () => {
    fc.assert(
      fc.property(inputArb, fc.integer(), (g, seed) => {
        const input = toInput(g);
        const shuffled = (readings: readonly MeterReading[]) => {
          const copy = [...readings];
          let s = seed;
          for (let i = copy.length - 1; i > 0; i--) {
            s = (s * 1103515245 + 12345) & 0x7fffffff;
            const j = s % (i + 1);
            [copy[i], copy[j]] = [copy[j], copy[i]];
          }
          return copy;
        };
        const reordered: BillingInput = {
          ...input,
          meters: [...input.meters].reverse().map((m) => ({ ...m, readings: shuffled(m.readings) })),
        };
        const a = draftOf(input);
        const b = draftOf(reordered);
        // Missing ranges are listed per meter in input order; everything else must be identical.
        const strip = (d: InvoiceDraft) => ({
          ...d,
          dataQuality: {
            ...d.dataQuality,
            missingRanges: [...d.dataQuality.missingRanges].sort((x, y) => x.meterId.localeCompare(y.meterId)),
          },
        });
        expect(JSON.stringify(strip(b))).toBe(JSON.stringify(strip(a)));
      }),
      RUNS,
    );
  });
});

import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { computeInvoice, computeInvoiceDraftOrThrow } from '../compute-invoice';
import { BillingEngineError } from '../errors';
import type { BillingInput, InvoiceDraft, InvoiceLineDraft, LineKind } from '../types';
import { at, baseInput, constantReadings, meter, MT_H, NY, RATES_MAY, SV } from './fixtures';

function draftOf(input: BillingInput): InvoiceDraft {
  return computeInvoiceDraftOrThrow(input);
}

function line(draft: InvoiceDraft, kind: LineKind): InvoiceLineDraft {
  const found = draft.lines.find((l) => l.kind === kind);
  if (!found) throw new Error(`no ${kind} line in ${draft.lines.map((l) => l.kind).join(', ')}`);
  return found;
}

/** Line amounts as strings, for compact comparisons. */
function amounts(draft: InvoiceDraft): Record<string, string> {
  return Object.fromEntries(draft.lines.map((l) => [l.kind, l.amount.toFixed(2)]));
}

describe('a month at 1 kWh per slot (hand-computed, MT-H September rates)', () => {
  const draft = draftOf(baseInput());

  it('prices every block at its rate and rounds each line once', () => {
    // VALLE 30 × 24 slots, RESTO 30 × 52, PUNTA 30 × 20.
    expect(line(draft, 'ENERGY_VALLE').quantity.toFixed()).toBe('720');
    expect(line(draft, 'ENERGY_RESTO').quantity.toFixed()).toBe('1560');
    expect(line(draft, 'ENERGY_PUNTA').quantity.toFixed()).toBe('600');
    expect(amounts(draft)).toEqual({
      ENERGY_VALLE: '114.06', // 720 × 0.158412 = 114.05664
      ENERGY_RESTO: '267.13', // 1560 × 0.171237 = 267.12972
      ENERGY_PUNTA: '113.79', // 600 × 0.189654 = 113.7924
      DEMAND: '39.50', // 4 kW × 9.875
      LOSSES: '11.63', // 0.0235 × 494.97876 = 11.63200086
      FTPMS: '12.12', // 2880 × 0.00421 = 12.1248
    });
  });

  it('sums rounded lines into subtotal, VAT and total', () => {
    expect(draft.subtotal.toFixed(2)).toBe('558.23');
    expect(draft.vat.toFixed(2)).toBe('72.57'); // 558.23 × 0.13 = 72.5699
    expect(draft.total.toFixed(2)).toBe('630.80');
  });

  it('describes quantities, units and single rates', () => {
    const valle = line(draft, 'ENERGY_VALLE');
    expect(valle).toMatchObject({ unit: 'kWh', description: 'Energía VALLE' });
    expect(valle.rate?.toFixed()).toBe('0.158412');
    expect(valle.rateSplit).toBeUndefined();
    const demand = line(draft, 'DEMAND');
    expect(demand.quantity.toFixed()).toBe('4');
    expect(demand).toMatchObject({ unit: 'kW', description: 'Demanda máxima' });
    expect(demand.rate?.toFixed()).toBe('9.875');
    expect(line(draft, 'FTPMS').rate?.toFixed()).toBe('0.00421');
  });

  it('gives LOSSES the loss kWh and a split by block (three energy rates applied)', () => {
    const losses = line(draft, 'LOSSES');
    expect(losses.quantity.toFixed()).toBe('67.68');
    expect(losses.description).toBe('Ajuste por pérdidas (2.35 %)');
    expect(losses.rate).toBeNull();
    expect(losses.rateSplit?.map((p) => [p.block, p.rate.toFixed(), p.quantity.toFixed(), p.amount.toFixed()])).toEqual(
      [
        ['VALLE', '0.158412', '16.92', '2.68033104'],
        ['RESTO', '0.171237', '36.66', '6.27754842'],
        ['PUNTA', '0.189654', '14.1', '2.6741214'],
      ],
    );
  });

  it('omits DEVIATION without tolerance and DISCOUNT without discount', () => {
    expect(draft.lines.map((l) => l.kind)).toEqual([
      'ENERGY_VALLE',
      'ENERGY_RESTO',
      'ENERGY_PUNTA',
      'DEMAND',
      'LOSSES',
      'FTPMS',
    ]);
  });

  it('reports complete data and the earliest slot of the maximum demand', () => {
    expect(draft.dataQuality).toMatchObject({
      expectedSlots: 2880,
      presentSlots: 2880,
      missingSlots: 0,
      missingRanges: [],
      ignoredReadings: 0,
      missingForecastHours: 0,
      maxDemandAt: '2025-09-01T00:00:00',
    });
    expect(draft.creditNote).toBe(false);
    expect(draft.customerCode).toBe('C-TEST');
    expect(draft.period).toBe('2025-09');
  });
});

describe('slot edges (readings stamped by interval end, BILLING.md §1 and §3)', () => {
  // Interval end → kWh; the slot starts 15 minutes before the stamp.
  const stamps: Array<[number, number, string]> = [
    [5, 0, '1'], // slot 04:45 VALLE
    [5, 15, '10'], // slot 05:00 RESTO
    [18, 0, '100'], // slot 17:45 RESTO
    [18, 15, '1000'], // slot 18:00 PUNTA
    [23, 0, '10000'], // slot 22:45 PUNTA
    [23, 15, '100000'], // slot 23:00 VALLE
  ];
  const readings = stamps.map(([h, m, kwh]) => ({
    slotStart: new Date(at(SV, 2025, 9, 10, h, m).getTime() - 15 * 60_000),
    kwh,
  }));
  // "24:00" of 30/09 is the slot 23:45 of 30/09: VALLE, September.
  readings.push({ slotStart: new Date(at(SV, 2025, 9, 30, 24, 0).getTime() - 15 * 60_000), kwh: '0.5' });
  const draft = draftOf(baseInput({ meters: [meter('M1', readings)] }));

  it('assigns each slot to the block of its local start', () => {
    expect(line(draft, 'ENERGY_VALLE').quantity.toFixed()).toBe('100001.5');
    expect(line(draft, 'ENERGY_RESTO').quantity.toFixed()).toBe('110');
    expect(line(draft, 'ENERGY_PUNTA').quantity.toFixed()).toBe('11000');
  });

  it('finds the maximum demand at the slot start in local time', () => {
    expect(line(draft, 'DEMAND').quantity.toFixed()).toBe('400000');
    expect(draft.dataQuality.maxDemandAt).toBe('2025-09-10T23:00:00');
  });

  it('counts the slots of the period that have no reading', () => {
    expect(draft.dataQuality.presentSlots).toBe(7);
    expect(draft.dataQuality.missingSlots).toBe(2873);
    expect(draft.dataQuality.missingRanges[0]).toEqual({
      meterId: 'M1',
      from: at(SV, 2025, 9, 1, 0, 0),
      to: at(SV, 2025, 9, 10, 4, 45),
    });
  });
});

describe('a month straddling two rate sets (MT-H changes on 2025-10-15)', () => {
  const draft = draftOf(baseInput({ period: '2025-10', meters: [meter('M1', constantReadings('2025-10', SV, '1'))] }));

  it('prices each slot at the rate in force on its local date', () => {
    expect(amounts(draft)).toMatchObject({
      ENERGY_VALLE: '118.95', // 336 × 0.158412 + 408 × 0.161085 = 118.949112
      ENERGY_RESTO: '279.27', // 728 × 0.171237 + 884 × 0.174902 = 279.273904
      ENERGY_PUNTA: '118.83', // 280 × 0.189654 + 340 × 0.193318 = 118.83124
      LOSSES: '12.15', // 0.0235 × 517.054256 = 12.150775016
      FTPMS: '12.81', // 1344 × 0.00421 + 1632 × 0.00438 = 12.8064
    });
  });

  it('shows "variable" (null rate) with the split by date range', () => {
    const valle = line(draft, 'ENERGY_VALLE');
    expect(valle.rate).toBeNull();
    expect(
      valle.rateSplit?.map((p) => [p.from, p.to, p.rate.toFixed(), p.quantity.toFixed(), p.amount.toFixed()]),
    ).toEqual([
      ['2025-10-01', '2025-10-14', '0.158412', '336', '53.226432'],
      ['2025-10-15', '2025-10-31', '0.161085', '408', '65.72268'],
    ]);
    expect(line(draft, 'FTPMS').rateSplit).toHaveLength(2);
    expect(line(draft, 'LOSSES').rateSplit).toHaveLength(6);
  });

  it('takes the demand rate in force on the last day of the period', () => {
    const demand = line(draft, 'DEMAND');
    expect(demand.rate?.toFixed()).toBe('10.125');
    expect(demand.amount.toFixed(2)).toBe('40.50');
    expect(draft.dataQuality.expectedSlots).toBe(2976);
  });

  it('uses the local date, not the UTC date: 14/10 23:45 local is 15/10 in UTC but takes the old rate', () => {
    const slot = at(SV, 2025, 10, 14, 23, 45);
    expect(slot.toISOString()).toBe('2025-10-15T05:45:00.000Z');
    const d = draftOf(baseInput({ period: '2025-10', meters: [meter('M1', [{ slotStart: slot, kwh: '10' }])] }));
    const valle = line(d, 'ENERGY_VALLE');
    expect(valle.rate?.toFixed()).toBe('0.158412'); // only the old rate applied
    expect(valle.amount.toFixed(2)).toBe('1.58');
    const next = draftOf(
      baseInput({ period: '2025-10', meters: [meter('M1', [{ slotStart: at(SV, 2025, 10, 15, 0, 0), kwh: '10' }])] }),
    );
    expect(line(next, 'ENERGY_VALLE').rate?.toFixed()).toBe('0.161085');
  });

  it('shows one rate, not "variable", when a rate set returns to the rates used before it (BILLING.md §5)', () => {
    // 1–9 Oct at the May rates, 10–19 Oct at other rates, from 20 Oct the May rates again; consumption only on the
    // 2nd and the 25th, so one rate applied to each line, in two date ranges.
    const other = { ...RATES_MAY, validFrom: '2025-10-10', energy: { VALLE: '0.2', RESTO: '0.2', PUNTA: '0.2' } };
    const d = draftOf(
      baseInput({
        period: '2025-10',
        tariff: { ...MT_H, rateSets: [RATES_MAY, other, { ...RATES_MAY, validFrom: '2025-10-20' }] },
        meters: [
          meter('M1', [
            { slotStart: at(SV, 2025, 10, 2, 12, 0), kwh: '1' },
            { slotStart: at(SV, 2025, 10, 25, 12, 0), kwh: '2' },
          ]),
        ],
      }),
    );
    const resto = line(d, 'ENERGY_RESTO');
    expect(resto.rate?.toFixed()).toBe('0.171237');
    expect(resto.rateSplit).toBeUndefined();
    expect(resto.amount.toFixed(2)).toBe('0.51'); // 3 × 0.171237 = 0.513711
    expect(line(d, 'FTPMS').rate?.toFixed()).toBe('0.00421');
  });

  it('shows the rate in force at the end of the period on a block without consumption', () => {
    const d = draftOf(
      baseInput({ period: '2025-10', meters: [meter('M1', [{ slotStart: at(SV, 2025, 10, 2, 12, 0), kwh: '1' }])] }),
    );
    const punta = line(d, 'ENERGY_PUNTA');
    expect(punta.quantity.isZero()).toBe(true);
    expect(punta.rate?.toFixed()).toBe('0.193318');
    expect(punta.amount.toFixed(2)).toBe('0.00');
  });
});

describe('meters', () => {
  it('multiplies raw values by each meter multiplier and sums the meters per slot', () => {
    const slot = at(SV, 2025, 9, 5, 10, 0);
    const d = draftOf(
      baseInput({
        meters: [
          meter('A', [{ slotStart: slot, kwh: '0.5' }], { multiplier: '40' }),
          meter('B', [{ slotStart: slot, kwh: '0.25' }], { multiplier: '80' }),
        ],
      }),
    );
    expect(line(d, 'ENERGY_RESTO').quantity.toFixed()).toBe('40'); // 0.5 × 40 + 0.25 × 80
    expect(line(d, 'DEMAND').quantity.toFixed()).toBe('160');
    expect(d.dataQuality.expectedSlots).toBe(5760);
    expect(d.dataQuality.presentSlots).toBe(2);
    expect(d.dataQuality.missingRanges.map((r) => r.meterId)).toEqual(['A', 'A', 'B', 'B']);
  });

  it('defaults the multiplier to 1', () => {
    const d = draftOf(
      baseInput({
        meters: [
          {
            id: 'X',
            assignments: [{ from: new Date(0), to: null }],
            readings: [{ slotStart: at(SV, 2025, 9, 5, 10, 0), kwh: '3' }],
          },
        ],
      }),
    );
    expect(line(d, 'ENERGY_RESTO').quantity.toFixed()).toBe('3');
  });

  it('counts a meter only for slots whose start lies inside its assignment', () => {
    const swap = at(SV, 2025, 9, 16, 0, 0);
    const d = draftOf(
      baseInput({
        meters: [
          meter('OLD', constantReadings('2025-09', SV, '1'), { assignments: [{ from: new Date(0), to: swap }] }),
          meter('NEW', constantReadings('2025-09', SV, '2'), { assignments: [{ from: swap, to: null }] }),
        ],
      }),
    );
    // 15 days at 1 kWh + 15 days at 2 kWh.
    expect(line(d, 'FTPMS').quantity.toFixed()).toBe(String(15 * 96 + 15 * 96 * 2));
    expect(d.dataQuality).toMatchObject({
      expectedSlots: 2880,
      presentSlots: 2880,
      missingSlots: 0,
      ignoredReadings: 2880,
    });
    expect(d.dataQuality.maxDemandAt).toBe('2025-09-16T00:00:00');
  });

  it('reports missing slots per meter as ranges within the assignment', () => {
    const from = at(SV, 2025, 9, 10, 0, 0);
    const to = at(SV, 2025, 9, 20, 0, 0);
    const hole = [at(SV, 2025, 9, 12, 8, 0).getTime(), at(SV, 2025, 9, 12, 8, 15).getTime()];
    const readings = constantReadings('2025-09', SV, '1').filter((r) => !hole.includes(r.slotStart.getTime()));
    const d = draftOf(baseInput({ meters: [meter('M1', readings, { assignments: [{ from, to }] })] }));
    expect(d.dataQuality.expectedSlots).toBe(10 * 96);
    expect(d.dataQuality.presentSlots).toBe(10 * 96 - 2);
    expect(d.dataQuality.missingRanges).toEqual([
      { meterId: 'M1', from: at(SV, 2025, 9, 12, 8, 0), to: at(SV, 2025, 9, 12, 8, 30) },
    ]);
    expect(d.dataQuality.ignoredReadings).toBe(2880 - 2 - (10 * 96 - 2));
  });

  it('ignores readings outside the period', () => {
    const d = draftOf(
      baseInput({
        meters: [
          meter('M1', [
            { slotStart: at(SV, 2025, 8, 31, 23, 45), kwh: '5' },
            { slotStart: at(SV, 2025, 9, 1, 0, 0), kwh: '1' },
            { slotStart: at(SV, 2025, 10, 1, 0, 0), kwh: '5' },
          ]),
        ],
      }),
    );
    expect(line(d, 'FTPMS').quantity.toFixed()).toBe('1');
    expect(d.dataQuality.ignoredReadings).toBe(2);
  });
});

describe('loss factor', () => {
  it.each([
    ['0', '0', '0.00'],
    ['0.0235', '67.68', '11.63'],
    ['0.0125', '36', '6.19'], // 494.97876 × 0.0125 = 6.1872345
  ])('lossFactor %s → LOSSES quantity %s, amount %s', (lossFactor, quantity, amount) => {
    const d = draftOf(baseInput({ customer: { code: 'C', lossFactor, discount: '0', deviationTolerance: null } }));
    expect(line(d, 'LOSSES').quantity.toFixed()).toBe(quantity);
    expect(line(d, 'LOSSES').amount.toFixed(2)).toBe(amount);
  });

  it('rejects a multiplier given where a fraction is expected', () => {
    expect(() =>
      draftOf(baseInput({ customer: { code: 'C', lossFactor: '1.0235', discount: '0', deviationTolerance: null } })),
    ).toThrow(/lossFactor: must be a fraction below 1/);
  });
});

describe('discount and adjustments', () => {
  it('discounts the rounded energy amounts: −round(0.02 × 494.98) = −9.90', () => {
    const d = draftOf(
      baseInput({ customer: { code: 'C', lossFactor: '0.0235', discount: '0.02', deviationTolerance: null } }),
    );
    const discount = line(d, 'DISCOUNT');
    expect(discount).toMatchObject({ unit: 'fraction', rate: null, description: 'Descuento (2 %)' });
    expect(discount.quantity.toFixed()).toBe('0.02');
    expect(discount.amount.toFixed(2)).toBe('-9.90');
    expect(d.subtotal.toFixed(2)).toBe('548.33');
    expect(d.lines.at(-1)?.kind).toBe('DISCOUNT');
  });

  it('adds adjustments as their own lines, rounded half away from zero', () => {
    const d = draftOf(
      baseInput({
        adjustments: [
          { description: 'Recargo por reconexión', amount: '25' },
          { description: 'Crédito por corte', amount: new Decimal('-10.005') },
        ],
      }),
    );
    const adj = d.lines.filter((l) => l.kind === 'ADJUSTMENT');
    expect(adj.map((l) => [l.description, l.amount.toFixed(2), l.quantity.toFixed(), l.unit, l.rate])).toEqual([
      ['Recargo por reconexión', '25.00', '1', null, null],
      ['Crédito por corte', '-10.01', '1', null, null],
    ]);
    expect(d.subtotal.toFixed(2)).toBe('573.22'); // 558.23 + 25 − 10.01
    expect(d.vat.toFixed(2)).toBe('74.52'); // 74.5186
  });
});

describe('negative totals', () => {
  const credit = { description: 'Nota de crédito por facturación duplicada', amount: '-1000' };

  it('rejects a negative total on an invoice', () => {
    const outcome = computeInvoice(baseInput({ adjustments: [credit] }));
    expect(outcome.status).toBe('NEGATIVE_TOTAL');
    expect(() => computeInvoiceDraftOrThrow(baseInput({ adjustments: [credit] }))).toThrow(
      expect.objectContaining({ code: 'NEGATIVE_TOTAL' }) as Error,
    );
  });

  it('accepts it on a credit note, with negative VAT', () => {
    const d = computeInvoiceDraftOrThrow(baseInput({ adjustments: [credit] }), { creditNote: true });
    expect(d.creditNote).toBe(true);
    expect(d.subtotal.toFixed(2)).toBe('-441.77');
    expect(d.vat.toFixed(2)).toBe('-57.43'); // −57.4301
    expect(d.total.toFixed(2)).toBe('-499.20');
  });

  it('accepts a zero total', () => {
    const d = computeInvoiceDraftOrThrow(baseInput({ adjustments: [{ description: 'Cortesía', amount: '-558.23' }] }));
    expect(d.total.toFixed(2)).toBe('0.00');
  });
});

describe('no readings', () => {
  it('returns NO_READINGS (no invoice) with the data-quality report', () => {
    const outcome = computeInvoice(baseInput({ meters: [meter('M1', [])] }));
    expect(outcome.status).toBe('NO_READINGS');
    if (outcome.status !== 'NO_READINGS') return;
    expect(outcome.dataQuality).toMatchObject({
      expectedSlots: 2880,
      presentSlots: 0,
      missingSlots: 2880,
      maxDemandAt: null,
    });
    expect(outcome.dataQuality.missingRanges).toEqual([
      { meterId: 'M1', from: at(SV, 2025, 9, 1, 0, 0), to: at(SV, 2025, 10, 1, 0, 0) },
    ]);
    try {
      computeInvoiceDraftOrThrow(baseInput({ meters: [] }));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(BillingEngineError);
      expect((e as BillingEngineError).code).toBe('NO_READINGS');
      expect((e as Error).message).toMatch(/C-TEST has no reading in 2025-09/);
    }
  });
});

describe('a month in a DST zone (America/New_York)', () => {
  it('bills the repeated hour of November: 2,884 slots, VALLE gets 4 more', () => {
    const d = draftOf(
      baseInput({ zone: NY, period: '2025-11', meters: [meter('M1', constantReadings('2025-11', NY, '1'))] }),
    );
    expect(d.dataQuality.expectedSlots).toBe(2884);
    expect(line(d, 'ENERGY_VALLE').quantity.toFixed()).toBe('724');
    expect(line(d, 'ENERGY_RESTO').quantity.toFixed()).toBe('1560');
    expect(line(d, 'ENERGY_PUNTA').quantity.toFixed()).toBe('600');
    expect(d.dataQuality.maxDemandAt).toBe('2025-11-01T00:00:00');
  });

  it('bills the lost hour of March: 2,972 slots, VALLE gets 4 fewer', () => {
    const d = draftOf(
      baseInput({
        zone: NY,
        period: '2025-03',
        tariff: { ...MT_H, rateSets: [{ ...RATES_MAY, validFrom: '2025-01-01' }] },
        meters: [meter('M1', constantReadings('2025-03', NY, '1'))],
      }),
    );
    expect(d.dataQuality.expectedSlots).toBe(2972);
    expect(line(d, 'ENERGY_VALLE').quantity.toFixed()).toBe(String(31 * 24 - 4));
    expect(line(d, 'ENERGY_PUNTA').quantity.toFixed()).toBe(String(31 * 20));
  });
});

describe('day types and holidays', () => {
  it('bills holiday blocks as their own ENERGY line', () => {
    const tariff = {
      ...MT_H,
      blocks: [...MT_H.blocks, { code: 'FERIADO', dayType: 'HOLIDAY' as const, startMinute: 0, endMinute: 1440 }],
      rateSets: [{ ...RATES_MAY, energy: { ...RATES_MAY.energy, FERIADO: '0.1' } }],
    };
    const d = draftOf(
      baseInput({
        tariff,
        holidays: new Set(['2025-09-15']),
        meters: [
          meter('M1', [
            { slotStart: at(SV, 2025, 9, 15, 19, 0), kwh: '10' },
            { slotStart: at(SV, 2025, 9, 16, 19, 0), kwh: '1' },
          ]),
        ],
      }),
    );
    expect(d.lines.slice(0, 4).map((l) => [l.kind, l.quantity.toFixed(), l.amount.toFixed(2)])).toEqual([
      ['ENERGY_VALLE', '0', '0.00'],
      ['ENERGY_RESTO', '0', '0.00'],
      ['ENERGY_PUNTA', '1', '0.19'],
      ['ENERGY_FERIADO', '10', '1.00'],
    ]);
    // The discount base is every ENERGY line.
    const withDiscount = draftOf(
      baseInput({
        tariff,
        holidays: new Set(['2025-09-15']),
        customer: { code: 'C', lossFactor: '0', discount: '0.5', deviationTolerance: null },
        meters: [meter('M1', [{ slotStart: at(SV, 2025, 9, 15, 19, 0), kwh: '10' }])],
      }),
    );
    expect(line(withDiscount, 'DISCOUNT').amount.toFixed(2)).toBe('-0.50');
  });
});

describe('decimal precision', () => {
  it('keeps full precision even when inputs come from a low-precision Decimal', () => {
    const Low = Decimal.clone({ precision: 3 });
    const d = draftOf(
      baseInput({
        customer: { code: 'C', lossFactor: new Low('0.0235'), discount: new Low('0'), deviationTolerance: null },
        meters: [
          meter('M1', [{ slotStart: at(SV, 2025, 9, 5, 10, 0), kwh: new Low('123.4567') }], {
            multiplier: new Low('40'),
          }),
        ],
      }),
    );
    expect(line(d, 'ENERGY_RESTO').quantity.toFixed()).toBe('4938.268');
    expect(line(d, 'LOSSES').quantity.toFixed()).toBe('116.049298');
    expect(line(d, 'ENERGY_RESTO').amount.toFixed(2)).toBe('845.61'); // 4938.268 × 0.171237 = 845.614197516
  });
});

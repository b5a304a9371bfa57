import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { computeInvoiceDraftOrThrow } from '../compute-invoice';
import { BillingEngineError } from '../errors';
import { RateCalendar, SegmentedSum, normalizeRateSets } from '../rates';
import { tariffFromJson } from '../tariff-json';
import type { BillingInput } from '../types';
import { at, baseInput, meter, MT_H, RATES_MAY, SV } from './fixtures';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof BillingEngineError) return `${e.code}: ${e.message}`;
    throw e;
  }
  throw new Error('expected a BillingEngineError');
}

const run = (overrides: Partial<BillingInput>) => codeOf(() => computeInvoiceDraftOrThrow(baseInput(overrides)));
const slot = at(SV, 2025, 9, 5, 10, 0);

describe('tariffFromJson', () => {
  const json = {
    code: 'MT-H',
    blocks: [
      { code: 'VALLE', start: '23:00', end: '05:00' },
      { code: 'RESTO', start: '05:00', end: '18:00' },
      { code: 'PUNTA', start: '18:00', end: '23:00', dayType: 'ALL' },
    ],
    rates: [RATES_MAY],
  };

  it('reads the sample tariff shape', () => {
    const t = tariffFromJson(json);
    expect(t.code).toBe('MT-H');
    expect(t.blocks).toEqual(MT_H.blocks);
    expect(t.rateSets).toEqual([RATES_MAY]);
  });

  it.each([
    [null, /expected an object/],
    [{ ...json, code: '' }, /tariff code: expected a non-empty string/],
    [{ ...json, blocks: {} }, /tariff blocks: expected an array/],
    [{ ...json, rates: 'x' }, /tariff rates: expected an array/],
    [{ ...json, blocks: [1] }, /blocks\[0\]: expected an object/],
    [{ ...json, blocks: [{ code: 'A', start: '00:00', end: '24:00', dayType: 'SOMETIMES' }] }, /dayType: unknown/],
    [{ ...json, blocks: [{ code: 'A', start: '0:0', end: '24:00' }] }, /blocks\[0\]: Invalid clock time/],
    [{ ...json, rates: [null] }, /rates\[0\]: expected an object/],
    [{ ...json, rates: [{ ...RATES_MAY, energy: [] }] }, /rates\[0\]\.energy: expected an object/],
    [{ ...json, rates: [{ ...RATES_MAY, demand: 9.875 }] }, /rates\[0\]\.demand: expected a non-empty string/],
  ])('rejects %j', (bad, message) => {
    expect(() => tariffFromJson(bad)).toThrow(message);
  });
});

describe('invalid billing input', () => {
  it('names the customer field that is wrong', () => {
    expect(run({ customer: { code: 'C', lossFactor: 'x', discount: '0', deviationTolerance: null } })).toBe(
      'INVALID_INPUT: customer C lossFactor: "x" is not a decimal number',
    );
    expect(run({ customer: { code: 'C', lossFactor: '0', discount: '1', deviationTolerance: null } })).toMatch(
      /discount: must be a fraction below 1/,
    );
    expect(run({ customer: { code: 'C', lossFactor: '0', discount: '-0.1', deviationTolerance: null } })).toMatch(
      /discount: must not be negative/,
    );
    expect(run({ customer: { code: 'C', lossFactor: '0', discount: '0', deviationTolerance: 'NaN' } })).toMatch(
      /deviationTolerance: "NaN" is not a finite number/,
    );
    expect(run({ vatRate: 'trece' })).toMatch(/vatRate/);
  });

  it('rejects a bad period, zone or block set', () => {
    expect(run({ period: '2025-9' })).toMatch(/INVALID_INPUT: Invalid billing period/);
    expect(run({ zone: 'Nowhere/City' })).toMatch(/INVALID_INPUT: Unknown time zone/);
    expect(run({ tariff: { ...MT_H, blocks: MT_H.blocks.slice(0, 2) } })).toMatch(
      /INVALID_INPUT: Invalid tariff blocks: ALL: 18:00–23:00 is not covered/,
    );
  });

  it('rejects rate sets that are missing, incomplete, duplicated or badly dated', () => {
    expect(run({ tariff: { ...MT_H, rateSets: [] } })).toBe('INVALID_INPUT: tariff: no rate sets');
    const { PUNTA: _punta, ...twoBlocks } = RATES_MAY.energy;
    expect(run({ tariff: { ...MT_H, rateSets: [{ ...RATES_MAY, energy: twoBlocks }] } })).toMatch(
      /no energy rate for block PUNTA/,
    );
    expect(run({ tariff: { ...MT_H, rateSets: [RATES_MAY, { ...RATES_MAY }] } })).toMatch(
      /two rate sets valid from 2025-05-01/,
    );
    expect(run({ tariff: { ...MT_H, rateSets: [{ ...RATES_MAY, validFrom: '2025-5-1' }] } })).toMatch(
      /validFrom must be a local date/,
    );
    expect(run({ tariff: { ...MT_H, rateSets: [{ ...RATES_MAY, demand: '-1' }] } })).toMatch(
      /demand: must not be negative/,
    );
  });

  it('requires a rate set in force on every day of the period', () => {
    expect(run({ tariff: { ...MT_H, rateSets: [{ ...RATES_MAY, validFrom: '2025-09-02' }] } })).toBe(
      'NO_RATE_IN_FORCE: No rate set in force on 2025-09-01',
    );
  });

  it('rejects inconsistent meters and readings', () => {
    expect(run({ meters: [meter('A', []), meter('A', [])] })).toMatch(/meter A: listed twice/);
    expect(run({ meters: [meter('A', [], { assignments: [] })] })).toMatch(/meter A: no assignment/);
    expect(run({ meters: [meter('A', [], { assignments: [{ from: slot, to: slot }] })] })).toMatch(
      /assignment must have a valid start before its end/,
    );
    expect(run({ meters: [meter('A', [], { assignments: [{ from: new Date('x'), to: null }] })] })).toMatch(
      /assignment must have a valid start/,
    );
    expect(run({ meters: [meter('A', [{ slotStart: new Date('x'), kwh: '1' }])] })).toMatch(/invalid slot start/);
    expect(run({ meters: [meter('A', [{ slotStart: new Date(slot.getTime() + 60_000), kwh: '1' }])] })).toMatch(
      /not on the 15-minute grid/,
    );
    expect(
      run({
        meters: [
          meter('A', [
            { slotStart: slot, kwh: '1' },
            { slotStart: new Date(slot), kwh: '2' },
          ]),
        ],
      }),
    ).toMatch(/meter A: two readings for slot/);
    expect(run({ meters: [meter('A', [{ slotStart: slot, kwh: 'n/a' }])] })).toMatch(/reading .* is not a decimal/);
    expect(run({ meters: [meter('A', [{ slotStart: slot, kwh: '1' }], { multiplier: '-40' })] })).toMatch(
      /multiplier: must not be negative/,
    );
  });

  it('requires a description on each adjustment', () => {
    expect(run({ adjustments: [{ description: '  ', amount: '1' }] })).toBe(
      'INVALID_INPUT: adjustment #1: description is empty',
    );
  });
});

describe('rate calendar internals', () => {
  const sets = normalizeRateSets([RATES_MAY], ['VALLE', 'RESTO', 'PUNTA']);
  const cal = new RateCalendar(sets, ['2025-09-01', '2025-09-02']);

  it('refuses dates outside the period it was built for', () => {
    expect(() => cal.setOn('2025-10-01')).toThrow(/outside the billing period/);
    const sum = new SegmentedSum(cal.segmentation((s) => s.ftpms));
    expect(() => sum.add('2025-10-01', new Decimal(1))).toThrow(/outside the billing period/);
  });

  it('sorts rate sets by validFrom', () => {
    const sorted = normalizeRateSets(
      [{ ...RATES_MAY, validFrom: '2025-10-15' }, RATES_MAY, { ...RATES_MAY, validFrom: '2025-06-01' }],
      ['VALLE'],
    );
    expect(sorted.map((s) => s.validFrom)).toEqual(['2025-05-01', '2025-06-01', '2025-10-15']);
  });
});

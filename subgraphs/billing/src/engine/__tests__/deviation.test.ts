import { describe, expect, it } from 'vitest';
import { computeInvoiceDraftOrThrow } from '../compute-invoice';
import type { BillingInput, InvoiceLineDraft } from '../types';
import { at, baseInput, constantReadings, hourlyForecasts, meter, NY, SV } from './fixtures';

const withTolerance = (tolerance: string, overrides: Partial<BillingInput> = {}): BillingInput =>
  baseInput({
    customer: { code: 'C-DEV', lossFactor: '0.0235', discount: '0', deviationTolerance: tolerance },
    ...overrides,
  });

function deviationLine(input: BillingInput): InvoiceLineDraft {
  const line = computeInvoiceDraftOrThrow(input).lines.find((l) => l.kind === 'DEVIATION');
  if (!line) throw new Error('no DEVIATION line');
  return line;
}

// 1 kWh per slot: every hour's actual is 4 kWh.
const special: Record<string, string | undefined> = {
  '2025-09-03T10:00:00': '3', // |4 − 3| − 0.3 = 0.7
  '2025-09-03T11:00:00': '5', // |4 − 5| − 0.5 = 0.5
  '2025-09-03T12:00:00': '3.7', // 0.3 within the 0.37 tolerance → 0
  '2025-09-04T18:00:00': undefined, // missing: forecast 0 → 4, flagged
};
const septemberForecast = (local: string) => (local in special ? special[local] : '4');

describe('deviation (BILLING.md §5)', () => {
  it('charges max(0, |actual − forecast| − tolerance × forecast) per local hour', () => {
    const input = withTolerance('0.1', { forecasts: hourlyForecasts('2025-09', SV, septemberForecast) });
    const draft = computeInvoiceDraftOrThrow(input);
    const line = draft.lines.find((l) => l.kind === 'DEVIATION')!;
    expect(line.quantity.toFixed()).toBe('5.2');
    expect(line.rate?.toFixed()).toBe('0.14442');
    expect(line.amount.toFixed(2)).toBe('0.75'); // 5.2 × 0.14442 = 0.750984
    expect(line).toMatchObject({ unit: 'kWh', description: 'Cargo por desvío (tolerancia 10 %)' });
    expect(draft.dataQuality.missingForecastHours).toBe(1);
    expect(draft.dataQuality.missingForecastHourStarts).toEqual([at(SV, 2025, 9, 4, 18, 0)]);
    expect(draft.lines.map((l) => l.kind).slice(-1)).toEqual(['DEVIATION']);
  });

  it('accepts forecasts keyed by UTC instants as well as local wall times', () => {
    const local = deviationLine(withTolerance('0.1', { forecasts: hourlyForecasts('2025-09', SV, septemberForecast) }));
    const utc = deviationLine(
      withTolerance('0.1', { forecasts: hourlyForecasts('2025-09', SV, septemberForecast, 'instant') }),
    );
    expect(utc.quantity.toFixed()).toBe(local.quantity.toFixed());
    expect(utc.amount.toFixed(2)).toBe(local.amount.toFixed(2));
  });

  it('shows a zero DEVIATION line when the customer has a tolerance and stays within it', () => {
    const line = deviationLine(withTolerance('0', { forecasts: hourlyForecasts('2025-09', SV, () => '4') }));
    expect(line.quantity.isZero()).toBe(true);
    expect(line.amount.toFixed(2)).toBe('0.00');
  });

  it('counts an hour without readings as actual 0 against its forecast', () => {
    const hole = [0, 15, 30, 45].map((m) => at(SV, 2025, 9, 8, 9, m).getTime());
    const readings = constantReadings('2025-09', SV, '1').filter((r) => !hole.includes(r.slotStart.getTime()));
    const line = deviationLine(
      withTolerance('0.1', { meters: [meter('M1', readings)], forecasts: hourlyForecasts('2025-09', SV, () => '4') }),
    );
    expect(line.quantity.toFixed()).toBe('3.6'); // |0 − 4| − 0.4
  });

  it('only considers hours in which a meter is assigned', () => {
    const draft = computeInvoiceDraftOrThrow(
      withTolerance('0.1', {
        meters: [
          meter('M1', constantReadings('2025-09', SV, '1'), {
            assignments: [{ from: at(SV, 2025, 9, 16, 0, 0), to: null }],
          }),
        ],
      }),
    );
    expect(draft.dataQuality.missingForecastHours).toBe(15 * 24);
    expect(draft.lines.find((l) => l.kind === 'DEVIATION')?.quantity.toFixed()).toBe(String(15 * 24 * 4));
  });

  it('prices each hour at the deviation rate of its local date across a rate change', () => {
    const line = deviationLine(
      withTolerance('0.1', { period: '2025-10', meters: [meter('M1', constantReadings('2025-10', SV, '1'))] }),
    );
    // No forecast at all: 4 kWh chargeable every hour; 14 days at 0.14442, 17 days at 0.15173.
    expect(line.quantity.toFixed()).toBe(String(31 * 24 * 4));
    expect(line.rate).toBeNull();
    expect(line.rateSplit?.map((p) => [p.from, p.to, p.rate.toFixed(), p.quantity.toFixed()])).toEqual([
      ['2025-10-01', '2025-10-14', '0.14442', '1344'],
      ['2025-10-15', '2025-10-31', '0.15173', '1632'],
    ]);
    expect(line.amount.toFixed(2)).toBe('441.72'); // 194.10048 + 247.62336
  });

  it('keeps the two 01:00 hours of a DST fold apart', () => {
    const draft = computeInvoiceDraftOrThrow(
      withTolerance('0.1', {
        zone: NY,
        period: '2025-11',
        meters: [meter('M1', constantReadings('2025-11', NY, '1'))],
      }),
    );
    expect(draft.dataQuality.missingForecastHours).toBe(30 * 24 + 1);
    expect(draft.lines.find((l) => l.kind === 'DEVIATION')?.quantity.toFixed()).toBe(String((30 * 24 + 1) * 4));
  });

  it('rejects two forecasts for the same hour and unreadable ones', () => {
    const twice = new Map([
      ['2025-09-01T00:00:00', '1'],
      ['2025-09-01T06:00:00.000Z', '1'],
    ]);
    expect(() => computeInvoiceDraftOrThrow(withTolerance('0.1', { forecasts: twice }))).toThrow(/second forecast/);
    expect(() => computeInvoiceDraftOrThrow(withTolerance('0.1', { forecasts: new Map([['someday', '1']]) }))).toThrow(
      /forecast "someday": Invalid ISO/,
    );
    expect(() =>
      computeInvoiceDraftOrThrow(withTolerance('0.1', { forecasts: new Map([['2025-09-01T00:00:00', '-1']]) })),
    ).toThrow(/must not be negative/);
  });

  it('ignores forecasts when the customer has no tolerance', () => {
    const draft = computeInvoiceDraftOrThrow(baseInput({ forecasts: new Map([['garbage', 'x']]) }));
    expect(draft.lines.some((l) => l.kind === 'DEVIATION')).toBe(false);
    expect(draft.dataQuality.missingForecastHours).toBe(0);
  });
});

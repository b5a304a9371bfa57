import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { validateIngestReadings, type RawIngestReading } from '../ingest-validation';

const NOW = new Date('2026-01-01T00:00:00Z');
const d = (value: string) => new Decimal(value);
const check = (
  readings: RawIngestReading[],
  zone = 'America/El_Salvador',
  convention: 'INTERVAL_START' | 'INTERVAL_END' = 'INTERVAL_START',
) => validateIngestReadings(readings, { zone, convention, now: NOW, max: 5 });

describe('validateIngestReadings', () => {
  it('reads instants and local wall times, converts interval ends to slot starts and sorts by slot', () => {
    const result = check(
      [
        { slotStart: '2025-09-01T00:30', kwh: d('3') },
        { slotStart: '2025-09-01T00:15', kwh: d('2'), kvarh: d('0.5') },
        { slotStart: '2025-09-01T06:45:00Z', kwh: d('1') },
        { slotStart: '2025-09-01T24:00', kwh: d('4') },
      ],
      'America/El_Salvador',
      'INTERVAL_END',
    );
    expect(result.problems).toEqual([]);
    expect(
      result.readings.map((r) => [r.slotStart.toISOString(), r.kwh.toFixed(), r.kvarh?.toFixed() ?? null, r.index]),
    ).toEqual([
      ['2025-09-01T06:00:00.000Z', '2', '0.5', 1],
      ['2025-09-01T06:15:00.000Z', '3', null, 0],
      ['2025-09-01T06:30:00.000Z', '1', null, 2],
      ['2025-09-02T05:45:00.000Z', '4', null, 3],
    ]);
  });

  it('collapses identical duplicates and names a conflicting one with the index it repeats', () => {
    const same = check([
      { slotStart: '2025-09-01T06:00:00Z', kwh: d('1.5') },
      { slotStart: '2025-09-01T00:00', kwh: d('1.50') },
    ]);
    expect(same.problems).toEqual([]);
    expect(same.readings).toHaveLength(1);
    const conflict = check([
      { slotStart: '2025-09-01T06:00:00Z', kwh: d('1.5') },
      { slotStart: '2025-09-01T00:00', kwh: d('1.6') },
    ]);
    expect(conflict.readings).toEqual([]);
    expect(conflict.problems).toEqual([
      { field: 'readings.1.slotStart', message: expect.stringContaining('same slot as readings.0') },
    ]);
  });

  it('refuses negative, over-precise and oversized values, off-grid, future and unreadable stamps', () => {
    const result = check([
      { slotStart: '2025-09-01T06:00:00Z', kwh: d('-1') },
      { slotStart: '2025-09-01T06:15:00Z', kwh: d('1'), kvarh: d('-0.1') },
      { slotStart: '2025-09-01T06:30:00Z', kwh: d('0.0000001') },
      { slotStart: '2025-09-01T06:45:00Z', kwh: d('1000000000000') },
      { slotStart: '2025-09-01T06:50:00Z', kwh: d('1') },
    ]);
    expect(result.problems.map((p) => p.field)).toEqual([
      'readings.0.kwh',
      'readings.1.kvarh',
      'readings.2.kwh',
      'readings.3.kwh',
      'readings.4.slotStart',
    ]);
    const stamps = check([
      { slotStart: '2026-01-01T00:15:00Z', kwh: d('1') },
      { slotStart: 'not a date', kwh: d('1') },
      { slotStart: '2025-09-01T06:00:30Z', kwh: d('1') },
    ]);
    expect(stamps.problems.map((p) => [p.field, p.message.slice(0, 30)])).toEqual([
      ['readings.0.slotStart', '2026-01-01T00:15:00Z is a slot'],
      ['readings.1.slotStart', 'is not a date-time: Invalid IS'],
      ['readings.2.slotStart', '2025-09-01T06:00:30Z is not on'],
    ]);
  });

  it('reports a wall time lost to a DST gap and takes the earlier instant of a repeated one', () => {
    const gap = check([{ slotStart: '2025-03-09T02:30', kwh: d('1') }], 'America/New_York');
    expect(gap.problems).toEqual([
      { field: 'readings.0.slotStart', message: expect.stringContaining('daylight-saving') },
    ]);
    const fold = check([{ slotStart: '2025-11-02T01:30', kwh: d('1') }], 'America/New_York');
    expect(fold.readings[0]?.slotStart.toISOString()).toBe('2025-11-02T05:30:00.000Z');
  });

  it('needs between one and `max` readings', () => {
    expect(check([]).problems).toEqual([{ field: 'readings', message: 'send at least one reading' }]);
    const six = Array.from({ length: 6 }, (_, i) => ({
      slotStart: new Date(Date.UTC(2025, 8, 1, 6) + i * 900_000).toISOString(),
      kwh: d('1'),
    }));
    expect(check(six).problems).toEqual([{ field: 'readings', message: expect.stringContaining('at most 5') }]);
  });
});

import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { MeterFileResult, MeterSource } from '../../parsing';
import type { MeterInfo } from '../../readings/meter-lookup.repository';
import { blockersOf, buildMeterPreview, matchSources, serialKey } from '../meter-preview';

const meter = (id: string, serial: string): MeterInfo => ({
  id,
  serial,
  multiplier: '1',
  channel: 'DELIVERED',
  columnMapping: null,
});

function source(sheet: string, serial: string | null, firstSlot: string, slots: number): MeterSource {
  const start = new Date(firstSlot).getTime();
  const readings = Array.from({ length: slots }, (_, i) => ({
    slotStart: new Date(start + i * 15 * 60_000),
    kwh: new Decimal(i),
    kvarh: null,
    row: 7 + i,
  }));
  const column = { header: 'kWh Entregada', letter: 'C', index: 2 };
  return {
    source: { kind: 'XLSX_SHEET', sheet, fileName: 'f.xlsx' },
    serial,
    serialFrom: serial ? 'SHEET_NAME' : null,
    node: null,
    headerRow: 6,
    headers: ['Fecha', 'Hora', 'kWh Entregada'],
    metadata: [],
    mapping: {
      timestamp: ['Fecha', 'Hora'],
      consumption: 'kWh Entregada',
      convention: 'INTERVAL_END',
      columns: { timestamp: [], consumption: column },
      confidence: { columns: 'HIGH', convention: 'HIGH' },
      reasons: [],
    },
    period: null,
    readings,
    counts: {
      rows: slots,
      readings: slots,
      duplicatesCollapsed: 0,
      rejected: 0,
      outsidePeriod: 0,
      expectedSlots: null,
      missingSlots: 0,
    },
    firstRows: [],
    problems: [],
  };
}

const file = (...sources: MeterSource[]): MeterFileResult => ({ format: 'XLSX', sources, problems: [] });

describe('meter preview', () => {
  it('compares serials ignoring spaces, leading zeros and case', () => {
    expect(serialKey(' 05614086 ')).toBe('5614086');
    expect(serialKey('ab-12')).toBe('AB-12');
    expect(serialKey('0')).toBe('0');
  });

  it('matches sheets to meters, tells unknown serials from those of another client', () => {
    const matched = matchSources(
      file(
        source('A', '5614086', '2025-09-01T06:00:00Z', 4),
        source('B', '777', '2025-09-01T06:00:00Z', 4),
        source('C', '888', '2025-09-01T06:00:00Z', 4),
        source('D', null, '2025-09-01T06:00:00Z', 4),
      ),
      {
        meters: [meter('m1', '05614086')],
        assignments: [],
        foreignSerials: new Set(['888']),
      },
    );
    expect(matched.map((m) => [m.source.source.sheet, m.match, m.meter?.id ?? null])).toEqual([
      ['A', 'MATCHED', 'm1'],
      ['B', 'UNKNOWN_METER', null],
      ['C', 'OTHER_CLIENT_METER', null],
      ['D', 'NO_SERIAL', null],
    ]);
  });

  it('accepts two sheets of one meter that split the period, refuses two that overlap', () => {
    const ctx = { meters: [meter('m1', '1')], assignments: [], foreignSerials: new Set<string>() };
    const split = matchSources(
      file(source('A', '1', '2025-09-01T06:00:00Z', 4), source('B', '1', '2025-09-01T07:00:00Z', 4)),
      ctx,
    );
    expect(split.map((m) => m.match)).toEqual(['MATCHED', 'MATCHED']);
    const overlap = matchSources(
      file(source('A', '1', '2025-09-01T06:00:00Z', 4), source('B', '1', '2025-09-01T06:45:00Z', 4)),
      ctx,
    );
    expect(overlap.map((m) => m.match)).toEqual(['MATCHED', 'DUPLICATE_METER']);
  });

  it('blocks the commit of a preview with an unmatched sheet or an error, and warns about unassigned meters', () => {
    const ctx = { meters: [meter('m1', '1')], assignments: [], foreignSerials: new Set<string>() };
    const preview = buildMeterPreview(
      file(source('A', '1', '2025-09-01T06:00:00Z', 4), source('B', '2', '2025-09-01T06:00:00Z', 4)),
      ctx,
    );
    expect(preview.committable).toBe(false);
    expect(preview.blockers).toEqual([
      'Sheet "B" is not matched to a meter of this client (UNKNOWN_METER)',
      'Sheet "B" has 1 error(s)',
    ]);
    expect(preview.sources[0]?.problems.map((p) => [p.code, p.severity])).toEqual([['METER_NOT_ASSIGNED', 'WARNING']]);
    expect(blockersOf({ sources: [], problems: [], readings: 0 })).toEqual(['The file holds no meter readings']);
  });

  it('refuses values the numeric(18, 6) column cannot hold once rounded, naming the column that holds them', () => {
    const ctx = { meters: [meter('m1', '1')], assignments: [], foreignSerials: new Set<string>() };
    const big = source('A', '1', '2025-09-01T06:00:00Z', 4);
    const kvarhColumn = { header: 'kVArh', letter: 'D', index: 3 };
    big.mapping.columns.kvarh = kvarhColumn;
    big.readings = big.readings.map((r, i) => ({
      ...r,
      // Row 7: fits. Row 8: below 10^12, but 10^12 after rounding to 6 decimals. Row 9: a kVArh too large.
      kwh: new Decimal(['999999999999.9999994', '999999999999.9999995', '1', '2'][i] ?? '0'),
      kvarh: i === 2 ? new Decimal('-1e12') : null,
    }));
    const preview = buildMeterPreview(file(big), ctx);
    const tooLarge = preview.sources[0]?.problems.filter((p) => p.code === 'VALUE_TOO_LARGE');
    expect(tooLarge?.map((p) => [p.row, p.column?.letter, p.value, p.severity])).toEqual([
      [8, 'C', '999999999999.9999995', 'ERROR'],
      [9, 'D', '-1000000000000', 'ERROR'],
    ]);
    expect(preview.committable).toBe(false);
  });
});

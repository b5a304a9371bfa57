import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { MeterSource } from '../../parsing';
import type { ParsedUpload } from '../../uploads/upload-parsing';
import { packParsedUpload, unpackParsedUpload } from '../parse-transfer';

/** What postMessage does to a packed parse: a structured clone that moves the listed buffers. */
function postMessage<T>(value: T, transfer: ArrayBuffer[]): T {
  return structuredClone(value, { transfer });
}

const preview = {
  format: 'CSV',
  sources: [],
  forecastCustomers: [],
  forecastMapping: null,
  problems: [],
  readings: 4,
  errorCount: 0,
  warningCount: 0,
  committable: true,
  blockers: [],
};

function source(readings: MeterSource['readings'], sheet: string): MeterSource {
  return {
    source: { kind: 'XLSX_SHEET', sheet },
    serial: '5614086',
    serialFrom: 'SHEET_NAME',
    node: 'Ateos',
    headerRow: 6,
    headers: ['Fecha', 'Hora', 'kWh Entregada'],
    metadata: ['Medidor: 5614086'],
    mapping: {
      timestamp: ['Fecha', 'Hora'],
      consumption: 'kWh Entregada',
      convention: 'INTERVAL_END',
      columns: {
        timestamp: [
          { header: 'Fecha', letter: 'A', index: 0 },
          { header: 'Hora', letter: 'B', index: 1 },
        ],
        consumption: { header: 'kWh Entregada', letter: 'C', index: 2 },
      },
      confidence: { columns: 'HIGH', convention: 'MEDIUM' },
      reasons: ['header'],
    },
    period: {
      from: new Date('2025-09-01T06:00:00Z'),
      to: new Date('2025-10-01T06:00:00Z'),
      label: null,
      basis: 'DATA',
    },
    readings,
    counts: {
      rows: readings.length,
      readings: readings.length,
      duplicatesCollapsed: 0,
      rejected: 0,
      outsidePeriod: 0,
      expectedSlots: 2880,
      missingSlots: 2880 - readings.length,
    },
    firstRows: [{ row: 7, values: ['45901', '00:15', 246.7056, null, true] }],
    problems: [
      {
        code: 'GAP',
        severity: 'WARNING',
        fileName: null,
        sheet,
        row: null,
        column: null,
        value: null,
        expected: null,
        message: 'gap',
        range: { from: new Date('2025-09-02T06:00:00Z'), to: new Date('2025-10-01T06:00:00Z'), slots: 2780 },
      },
    ],
  };
}

const at = (minutes: number) => new Date(Date.UTC(2025, 8, 1, 6, minutes));

describe('a parse packed for the commit thread', () => {
  it('comes back exactly: Decimals rebuilt with their digits and sign, Dates, nulls and plain data as they were', () => {
    const parsed: ParsedUpload = {
      kind: 'METER_READINGS',
      preview,
      failure: null,
      explicitMappings: { 'Nodo Ateos 5614086': { kvarh: null } },
      matched: [
        {
          match: 'MATCHED',
          meter: { id: 'm-1', serial: '5614086', multiplier: '40', channel: 'DELIVERED', columnMapping: null },
          source: source(
            [
              { slotStart: at(0), kwh: new Decimal('246.7056'), kvarh: new Decimal('77.3898'), row: 7 },
              { slotStart: at(15), kwh: new Decimal('-0'), kvarh: null, row: 8 },
              { slotStart: at(30), kwh: new Decimal('1e+30'), kvarh: new Decimal('0.000000001'), row: 9 },
              {
                slotStart: at(45),
                kwh: new Decimal('123456789012345678901234567890.123456789'),
                kvarh: new Decimal('0'),
                row: 1_048_576,
              },
            ],
            'Nodo Ateos 5614086',
          ),
        },
        { match: 'UNKNOWN_METER', meter: null, source: source([], 'Vacía') },
        {
          match: 'MATCHED',
          meter: { id: 'm-2', serial: '5614087', multiplier: '1', channel: 'RECEIVED', columnMapping: null },
          source: source([{ slotStart: at(0), kwh: new Decimal('12.50'), kvarh: null, row: 7 }], 'Sin kVArh'),
        },
      ],
    };
    const { packed, transfer } = packParsedUpload(parsed);
    // Two typed arrays per series, moved to the receiver rather than copied.
    expect(transfer).toHaveLength(6);
    const received = unpackParsedUpload(postMessage(packed, transfer));
    expect(transfer.every((buffer) => buffer.byteLength === 0)).toBe(true);

    expect(received).toEqual(parsed);
    if (received.kind !== 'METER_READINGS') throw new Error('kind');
    const readings = received.matched[0]?.source.readings ?? [];
    expect(readings.every((r) => r.kwh instanceof Decimal)).toBe(true);
    expect(readings.map((r) => r.kwh.toFixed())).toEqual([
      '246.7056',
      '0',
      '1000000000000000000000000000000',
      '123456789012345678901234567890.123456789',
    ]);
    expect(readings[1]?.kwh.isNegative()).toBe(true);
    expect(readings.map((r) => r.kvarh?.toFixed() ?? null)).toEqual(['77.3898', null, '0.000000001', '0']);
    expect(readings.map((r) => r.slotStart.toISOString())).toEqual([
      '2025-09-01T06:00:00.000Z',
      '2025-09-01T06:15:00.000Z',
      '2025-09-01T06:30:00.000Z',
      '2025-09-01T06:45:00.000Z',
    ]);
    expect(readings.map((r) => r.row)).toEqual([7, 8, 9, 1_048_576]);
    expect(received.matched[2]?.source.readings[0]?.kvarh).toBeNull();
    expect(received.matched[0]?.source.period?.from).toEqual(new Date('2025-09-01T06:00:00Z'));
  });

  it('packs forecasts the same way', () => {
    const parsed: ParsedUpload = {
      kind: 'FORECASTS',
      preview: { ...preview, format: 'XLSX' },
      failure: null,
      result: {
        format: 'XLSX',
        sheets: ['Pronóstico'],
        mapping: null,
        counts: { rows: 3, hours: 3, duplicatesCollapsed: 0, rejected: 0 },
        problems: [],
        customers: [
          {
            customerCode: 'C-0001',
            hours: [
              { hourStart: at(0), kwh: new Decimal('1500.25'), row: 2 },
              { hourStart: at(60), kwh: new Decimal('0'), row: 3 },
            ],
          },
          { customerCode: 'C-0002', hours: [{ hourStart: at(0), kwh: new Decimal('7'), row: 4 }] },
        ],
      },
    };
    const { packed, transfer } = packParsedUpload(parsed);
    const received = unpackParsedUpload(postMessage(packed, transfer));
    expect(received).toEqual(parsed);
    if (received.kind !== 'FORECASTS') throw new Error('kind');
    expect(received.result.customers[0]?.hours.map((h) => [h.hourStart.toISOString(), h.kwh.toFixed(), h.row])).toEqual(
      [
        ['2025-09-01T06:00:00.000Z', '1500.25', 2],
        ['2025-09-01T07:00:00.000Z', '0', 3],
      ],
    );
  });

  it('refuses a series whose values do not match its instants', () => {
    const { packed } = packParsedUpload({
      kind: 'FORECASTS',
      preview,
      failure: null,
      result: {
        format: 'XLSX',
        sheets: [],
        mapping: null,
        counts: { rows: 1, hours: 1, duplicatesCollapsed: 0, rejected: 0 },
        problems: [],
        customers: [{ customerCode: 'C-0001', hours: [{ hourStart: at(0), kwh: new Decimal('1'), row: 2 }] }],
      },
    });
    if (packed.kind !== 'FORECASTS') throw new Error('kind');
    const hours = packed.result.customers[0].hours;
    hours.values = '1,2';
    expect(() => unpackParsedUpload(packed)).toThrow('packed series holds 2 values for 1 instants');
  });
});

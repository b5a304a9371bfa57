import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { allProblems, parseMeterFile } from '..';
import type { MeterFileOptions } from '../types';
import {
  codes,
  FIRST_DATA_ROW,
  meterSheet,
  only,
  septemberRows,
  serial,
  where,
  workbookBytes,
  ZONE,
  type Row,
} from './kit';

const SHEET = 'Nodo Prueba 9000001';
const options: MeterFileOptions = { fileName: 'prueba.xlsx', zone: ZONE, period: '2025-09' };

function parseRows(rows: Row[], extra: Partial<MeterFileOptions> = {}) {
  return parseMeterFile(workbookBytes({ [SHEET]: meterSheet('9000001', rows) }), { ...options, ...extra });
}

/** Excel row of the i-th data row (0-based). */
const rowOf = (i: number): number => FIRST_DATA_ROW + i;
const KWH = { header: 'kWh Entregada', letter: 'C' };

describe('row problems in a meter sheet', () => {
  it('reports text in a number cell with sheet, row, column header and letter, and skips the row', () => {
    const rows = septemberRows();
    rows[3][2] = 'N/D';
    const source = only(parseRows(rows).sources);
    expect(source.problems.map(where)).toEqual([
      { code: 'TEXT_IN_NUMBER', sheet: SHEET, row: rowOf(3), column: KWH, value: 'N/D' },
      { code: 'GAP', sheet: SHEET, row: null, column: null, value: null },
    ]);
    expect(source.problems[0].expected).toBe('a number of kWh like 246.7056');
    expect(source.problems[0].severity).toBe('ERROR');
    expect(source.counts).toMatchObject({ rows: 2880, readings: 2879, rejected: 1, missingSlots: 1 });
    // The missing slot is the one row 10 (01/09 01:00) stood for: 00:45–01:00.
    expect(source.problems[1].range).toEqual({
      from: new Date('2025-09-01T06:45:00.000Z'),
      to: new Date('2025-09-01T07:00:00.000Z'),
      slots: 1,
    });
  });

  it('reports a negative value', () => {
    const rows = septemberRows();
    rows[100][2] = -5.5;
    const source = only(parseRows(rows).sources);
    expect(where(source.problems[0])).toEqual({
      code: 'NEGATIVE_VALUE',
      sheet: SHEET,
      row: rowOf(100),
      column: KWH,
      value: -5.5,
    });
    expect(source.counts.readings).toBe(2879);
  });

  it('reports the same slot twice with different values on the second row, and keeps the first', () => {
    const rows = septemberRows();
    // Row 18 is 01/09 03:00; a second 03:00 row right below it says 999.
    rows.splice(12, 0, [serial(2025, 9, 1), '03:00', 999, 0, 30, 0]);
    const source = only(parseRows(rows).sources);
    expect(source.problems.map(where)).toEqual([
      { code: 'DUPLICATE_CONFLICT', sheet: SHEET, row: 19, column: KWH, value: 999 },
    ]);
    expect(source.problems[0].message).toBe(
      'The slot starting 2025-09-01 02:45 is already on row 18 with kWh Entregada 100.11; this row has 999. Row 18 is kept.',
    );
    const slot = source.readings.find((r) => r.slotStart.getTime() === new Date('2025-09-01T08:45:00.000Z').getTime());
    expect(slot?.row).toBe(18);
    expect(slot?.kwh.toFixed()).toBe('100.11');
    expect(source.counts).toMatchObject({ rows: 2881, readings: 2880, rejected: 1, duplicatesCollapsed: 0 });
  });

  it('collapses identical duplicates (24:00 and next-day 00:00 of the same slot too) and counts them', () => {
    const rows = septemberRows();
    rows.push([...rows[95]]);
    rows.push([serial(2025, 9, 2), '00:00', rows[95][2], 0, 30, 0]);
    const source = only(parseRows(rows).sources);
    expect(source.problems).toEqual([]);
    expect(source.counts).toMatchObject({ rows: 2882, readings: 2880, duplicatesCollapsed: 2, rejected: 0 });
  });

  it('reports missing slots as ranges within the period', () => {
    const rows = septemberRows().filter((_, i) => i < 200 || i >= 208);
    const source = only(parseRows(rows).sources);
    expect(source.problems.map(where)).toEqual([{ code: 'GAP', sheet: SHEET, row: null, column: null, value: null }]);
    expect(source.problems[0]).toMatchObject({
      severity: 'WARNING',
      range: { from: new Date('2025-09-03T08:00:00.000Z'), to: new Date('2025-09-03T10:00:00.000Z'), slots: 8 },
      message: '8 slots missing from 2025-09-03 02:00 to 2025-09-03 04:00 (period 2025-09)',
    });
    expect(source.counts).toMatchObject({ readings: 2872, expectedSlots: 2880, missingSlots: 8 });
  });

  it('reports readings outside the period option and leaves them out', () => {
    const rows = septemberRows();
    rows.push([serial(2025, 10, 1), '00:15', 1, 0, 0, 0]);
    const source = only(parseRows(rows).sources);
    expect(source.problems.map(where)).toEqual([
      {
        code: 'OUTSIDE_PERIOD',
        sheet: SHEET,
        row: rowOf(2880),
        column: { header: 'Fecha', letter: 'A' },
        value: serial(2025, 10, 1),
      },
    ]);
    expect(source.counts).toMatchObject({ readings: 2880, outsidePeriod: 1 });
  });

  it('reports a bad date and a bad time in their own columns', () => {
    const rows = septemberRows();
    rows[0][0] = 'ayer';
    rows[1][1] = '25:00';
    rows[2][1] = '00:50';
    const source = only(parseRows(rows).sources);
    expect(source.problems.filter((p) => p.code === 'BAD_TIMESTAMP').map(where)).toEqual([
      { code: 'BAD_TIMESTAMP', sheet: SHEET, row: rowOf(0), column: { header: 'Fecha', letter: 'A' }, value: 'ayer' },
      { code: 'BAD_TIMESTAMP', sheet: SHEET, row: rowOf(1), column: { header: 'Hora', letter: 'B' }, value: '25:00' },
      { code: 'BAD_TIMESTAMP', sheet: SHEET, row: rowOf(2), column: { header: 'Hora', letter: 'B' }, value: '00:50' },
    ]);
  });

  it('reads the cached value of a formula cell, never the formula', () => {
    const rows = septemberRows();
    rows[0][2] = { t: 'n', v: 123.4567, f: 'SUM(D7:F7)+123.4567' };
    const bytes = workbookBytes({ [SHEET]: meterSheet('9000001', rows) });
    expect(bytes.includes(Buffer.from('<f>SUM(D7:F7)+123.4567</f>'))).toBe(true);
    const source = only(parseMeterFile(bytes, options).sources);
    expect(source.problems).toEqual([]);
    expect(source.readings[0].kwh.toFixed()).toBe('123.4567');
  });

  it('treats a blank kWh cell as a missing slot (warning) and reports an Excel error value as text', () => {
    const rows = septemberRows();
    rows[5][2] = null;
    rows[6][2] = { t: 'e', v: 0x2a };
    const source = only(parseRows(rows).sources);
    expect(source.problems.slice(0, 2).map((p) => [p.code, p.severity, p.row, p.value])).toEqual([
      ['MISSING_VALUE', 'WARNING', rowOf(5), null],
      ['TEXT_IN_NUMBER', 'ERROR', rowOf(6), '#N/A'],
    ]);
    expect(source.problems[1].message).toBe('"kWh Entregada" "#N/A" holds the Excel error #N/A');
    expect(source.counts.missingSlots).toBe(2);
  });

  it('sums up problems past the per-code limit in one', () => {
    const rows = septemberRows();
    for (let i = 0; i < 30; i++) rows[i][2] = 'x';
    const source = only(parseRows(rows, { limits: { maxProblemsPerCode: 10 } }).sources);
    const text = source.problems.filter((p) => p.code === 'TEXT_IN_NUMBER');
    expect(text).toHaveLength(11);
    expect(text[10]).toMatchObject({
      row: null,
      message: `20 more TEXT_IN_NUMBER problems not listed (rows ${rowOf(10)}–${rowOf(29)})`,
    });
  });

  it('reads text numbers with a decimal comma in a workbook', () => {
    const rows = septemberRows(1);
    rows[0][2] = '12,5';
    const source = only(parseRows(rows, { period: undefined }).sources);
    expect(source.mapping.decimalSeparator).toBe(',');
    expect(source.readings[0].kwh.toFixed()).toBe('12.5');
    expect(source.readings[1].kwh.toFixed()).toBe('100.01');
  });
});

describe('sheets and meters', () => {
  it('reports a sheet not named "Nodo <node> <serial>" with its name, still parsed for the preview', () => {
    const ws = XLSX.utils.aoa_to_sheet([
      ['Fecha', 'Hora', 'kWh Entregada'],
      ...septemberRows(1).map((r) => r.slice(0, 3)),
    ]);
    const result = parseMeterFile(workbookBytes({ Hoja1: ws }), { fileName: 'x.xlsx', zone: ZONE });
    const source = only(result.sources);
    expect(source.serial).toBeNull();
    expect(source.counts.readings).toBe(96);
    expect(source.problems.map(where)).toEqual([
      { code: 'UNKNOWN_SHEET', sheet: 'Hoja1', row: null, column: null, value: 'Hoja1' },
    ]);

    const mapped = parseMeterFile(workbookBytes({ Hoja1: ws }), {
      fileName: 'x.xlsx',
      zone: ZONE,
      sheetSerials: { Hoja1: '5614999' },
    });
    expect(only(mapped.sources)).toMatchObject({ serial: '5614999', serialFrom: 'OVERRIDE', problems: [] });
  });

  it('takes the serial from a "Medidor:" line when the sheet name has none, and flags a disagreement', () => {
    const byLine = parseMeterFile(workbookBytes({ Datos: meterSheet('7000007', septemberRows()) }), {
      fileName: 'x.xlsx',
      zone: ZONE,
    });
    expect(only(byLine.sources)).toMatchObject({
      serial: '7000007',
      serialFrom: 'METADATA',
      node: 'Prueba',
      problems: [],
    });

    const clash = parseMeterFile(workbookBytes({ 'Nodo Sur 7000008': meterSheet('7000007', septemberRows()) }), {
      fileName: 'x.xlsx',
      zone: ZONE,
    });
    const source = only(clash.sources);
    expect(source).toMatchObject({ serial: '7000008', serialFrom: 'SHEET_NAME', node: 'Sur' });
    expect(source.problems.map((p) => [p.code, p.severity, p.value])).toEqual([
      ['SERIAL_MISMATCH', 'WARNING', '7000007'],
    ]);
  });

  it('skips a sheet without readings with a warning naming it, and reports a meter sheet without a header', () => {
    const result = parseMeterFile(
      workbookBytes({
        Resumen: XLSX.utils.aoa_to_sheet([['Total kWh', 123]]),
        'Nodo Vacío 7000009': XLSX.utils.aoa_to_sheet([['Sin datos']]),
        [SHEET]: meterSheet('9000001', septemberRows()),
      }),
      options,
    );
    expect(result.sources.map((s) => s.serial)).toEqual(['9000001']);
    expect(result.problems.map((p) => [p.code, p.severity, p.sheet])).toEqual([
      ['UNKNOWN_SHEET', 'WARNING', 'Resumen'],
      ['NO_HEADER', 'ERROR', 'Nodo Vacío 7000009'],
    ]);
    expect(allProblems(result)).toHaveLength(2);
  });

  it('warns about a sheet chosen in sheetSerials that the file does not have', () => {
    const result = parseRows(septemberRows(), { sheetSerials: { 'Nodo Otro 1': '1' } });
    expect(result.problems.map((p) => [p.code, p.severity, p.value])).toEqual([
      ['BAD_MAPPING', 'WARNING', 'Nodo Otro 1'],
    ]);
  });

  it('throws for an unknown zone or a malformed period (option errors, not file problems)', () => {
    const bytes = workbookBytes({ [SHEET]: meterSheet('9000001', septemberRows(1)) });
    expect(() => parseMeterFile(bytes, { fileName: 'x.xlsx', zone: 'Mars/Olympus' })).toThrow(/Unknown time zone/);
    expect(() => parseMeterFile(bytes, { fileName: 'x.xlsx', zone: ZONE, period: '2025-9' })).toThrow(/YYYY-MM/);
  });

  it('reads a legacy .xls workbook the same way', () => {
    const bytes = workbookBytes({ [SHEET]: meterSheet('9000001', septemberRows()) }, 'biff8');
    const result = parseMeterFile(bytes, { ...options, fileName: 'x.xls' });
    expect(result.format).toBe('XLS');
    expect(codes(allProblems(result))).toEqual([]);
    expect(only(result.sources).counts.readings).toBe(2880);
  });
});

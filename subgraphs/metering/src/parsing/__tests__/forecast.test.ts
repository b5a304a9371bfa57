import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { parseForecastWorkbook } from '..';
import { serial, where, workbookBytes, ZONE } from './kit';

const HEADER = ['Código cliente', 'Fecha', 'Hora inicio', 'kWh pronosticado'];

function forecastRows(code: string, days: number): (string | number)[][] {
  const rows: (string | number)[][] = [];
  for (let day = 1; day <= days; day++)
    for (let h = 0; h < 24; h++) rows.push([code, serial(2025, 9, day), `${String(h).padStart(2, '0')}:00`, 100 + h]);
  return rows;
}

function parse(rows: (string | number | null)[][], period?: string) {
  const ws = XLSX.utils.aoa_to_sheet([HEADER, ...rows]);
  return parseForecastWorkbook(workbookBytes({ Pronósticos: ws }), { zone: ZONE, fileName: 'p.xlsx', period });
}

describe('forecast workbook problems', () => {
  it('reports text, negative and blank-code rows with sheet, row and column', () => {
    const rows = forecastRows('C-0001', 1);
    rows[2][3] = 'mucho';
    rows[3][3] = -4;
    rows[4][0] = '';
    const result = parse(rows);
    expect(result.problems.map(where)).toEqual([
      {
        code: 'TEXT_IN_NUMBER',
        sheet: 'Pronósticos',
        row: 4,
        column: { header: 'kWh pronosticado', letter: 'D' },
        value: 'mucho',
      },
      {
        code: 'NEGATIVE_VALUE',
        sheet: 'Pronósticos',
        row: 5,
        column: { header: 'kWh pronosticado', letter: 'D' },
        value: -4,
      },
      {
        code: 'MISSING_VALUE',
        sheet: 'Pronósticos',
        row: 6,
        column: { header: 'Código cliente', letter: 'A' },
        value: null,
      },
    ]);
    expect(result.counts).toEqual({ rows: 24, hours: 21, duplicatesCollapsed: 0, rejected: 3 });
  });

  it('rejects an hour that is not whole, and reports conflicting and collapses identical duplicates', () => {
    const rows = forecastRows('C-0001', 1);
    rows[1][2] = '01:30';
    rows.push(['C-0001', serial(2025, 9, 1), '05:00', 105]);
    rows.push(['C-0001', serial(2025, 9, 1), '06:00', 1]);
    const result = parse(rows);
    expect(result.problems.map(where)).toEqual([
      {
        code: 'BAD_TIMESTAMP',
        sheet: 'Pronósticos',
        row: 3,
        column: { header: 'Hora inicio', letter: 'C' },
        value: '01:30',
      },
      {
        code: 'DUPLICATE_CONFLICT',
        sheet: 'Pronósticos',
        row: 27,
        column: { header: 'kWh pronosticado', letter: 'D' },
        value: 1,
      },
    ]);
    expect(result.counts).toMatchObject({ duplicatesCollapsed: 1, rejected: 2 });
  });

  it('reports hours outside the period and the hours missing in it, per customer', () => {
    const rows = forecastRows('C-0009', 30).filter((r) => !(r[1] === serial(2025, 9, 2) && r[2] === '10:00'));
    rows.push(['C-0009', serial(2025, 10, 1), '00:00', 5]);
    const result = parse(rows, '2025-09');
    expect(result.problems.map((p) => [p.code, p.row, p.value])).toEqual([
      ['OUTSIDE_PERIOD', 721, '00:00'],
      ['GAP', null, 'C-0009'],
    ]);
    expect(result.problems[1]).toMatchObject({
      message: 'Customer C-0009 has no forecast for 1 hour from 2025-09-02 10:00 to 2025-09-02 11:00',
      range: { from: new Date('2025-09-02T16:00:00.000Z'), to: new Date('2025-09-02T17:00:00.000Z'), slots: 4 },
    });
    expect(result.customers[0].hours).toHaveLength(719);
  });

  it('reports a workbook without a forecast header', () => {
    const result = parseForecastWorkbook(workbookBytes({ Hoja1: XLSX.utils.aoa_to_sheet([['Nada']]) }), { zone: ZONE });
    expect(result.problems.map((p) => p.code)).toEqual(['NO_HEADER']);
  });

  it('reads a CSV with whole-hour numbers and a decimal comma', () => {
    const csv = ['Cliente;Fecha;Hora;kWh', 'C-0001;01/09/2025;0;10,5', 'C-0001;01/09/2025;23;11,25'].join('\n');
    const result = parseForecastWorkbook(Buffer.from(csv), { zone: ZONE });
    expect(result.problems).toEqual([]);
    expect(result.customers[0].hours.map((h) => [h.hourStart.toISOString(), h.kwh.toFixed()])).toEqual([
      ['2025-09-01T06:00:00.000Z', '10.5'],
      ['2025-09-02T05:00:00.000Z', '11.25'],
    ]);
  });
});

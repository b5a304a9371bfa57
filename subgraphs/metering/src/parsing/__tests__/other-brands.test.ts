import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { parseMeterFile } from '..';
import { only, serial, workbookBytes, ZONE } from './kit';

const SEPT_START = new Date('2025-09-01T06:00:00.000Z');
const pad = (n: number): string => String(n).padStart(2, '0');
const hm = (m: number): string => `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;

/** Slot starts of September 2025 as [day, minuteOfDay]. */
function septemberSlots(days = 30): [number, number][] {
  const out: [number, number][] = [];
  for (let day = 1; day <= days; day++) for (let m = 0; m < 1440; m += 15) out.push([day, m]);
  return out;
}

describe('other brands: one date-time column, English headers, interval starts', () => {
  it('detects "Interval Start" (Excel date-times), Import kWh and the meter column, and keeps stamps as slot starts', () => {
    const rows = septemberSlots().map(([day, m], i) => [
      '4455667',
      serial(2025, 9, day) + m / 1440,
      50 + (i % 7),
      0,
      12.5,
    ]);
    const ws = XLSX.utils.aoa_to_sheet([
      ['Meter ID', 'Interval Start', 'Import kWh', 'Export kWh', 'Import kVArh'],
      ...rows,
    ]);
    const source = only(parseMeterFile(workbookBytes({ Data: ws }), { fileName: 'brand-x.xlsx', zone: ZONE }).sources);
    expect(source.problems).toEqual([]);
    expect(source).toMatchObject({ serial: '4455667', serialFrom: 'COLUMN', headerRow: 1 });
    expect(source.mapping).toMatchObject({
      timestamp: ['Interval Start'],
      consumption: 'Import kWh',
      kvarh: 'Import kVArh',
      serial: 'Meter ID',
      convention: 'INTERVAL_START',
      confidence: { columns: 'HIGH', convention: 'HIGH' },
    });
    expect(source.mapping.reasons).toContain(
      'interval start: the column is named "Interval Start"; the first stamp is 2025-09-01 00:00 (row 2), a day\'s first interval start; the last stamp is 2025-09-30 23:45 (row 2881), a day\'s last interval start',
    );
    expect(source.counts).toMatchObject({ rows: 2880, readings: 2880, missingSlots: 0 });
    expect(source.period).toMatchObject({ basis: 'DATA', label: '2025-09' });
    expect(source.readings[0]).toMatchObject({ slotStart: SEPT_START, row: 2 });
    expect(source.readings[0].kwh.toFixed()).toBe('50');
    expect(source.readings[2879].slotStart).toEqual(new Date('2025-10-01T05:45:00.000Z'));
  });

  it('tells interval starts from the data alone: comma CSV, dot decimals, ISO text, serial from the file name', () => {
    const lines = ['Date/Time,kWh del,kWh rec'];
    for (const [day, m] of septemberSlots(2))
      lines.push(`2025-09-${pad(day)}T${hm(m)},${(1.25 + m / 1000).toFixed(3)},0.000`);
    const source = only(
      parseMeterFile(Buffer.from(lines.join('\n')), { fileName: 'meter-7788990 export.csv', zone: ZONE }).sources,
    );
    expect(source.problems).toEqual([]);
    expect(source).toMatchObject({ serial: '7788990', serialFrom: 'FILE_NAME' });
    expect(source.mapping).toMatchObject({
      timestamp: ['Date/Time'],
      consumption: 'kWh del',
      convention: 'INTERVAL_START',
      decimalSeparator: '.',
      delimiter: ',',
      dateOrder: 'YMD',
      confidence: { convention: 'HIGH' },
    });
    expect(source.counts).toMatchObject({ readings: 192, expectedSlots: 192, missingSlots: 0 });
    expect(source.readings[0].slotStart).toEqual(SEPT_START);
    expect(source.readings[1].kwh.toFixed()).toBe('1.265');
  });

  it('reads month-first 12-hour text stamps as interval ends ("Delivered (kWh)")', () => {
    const lines = ['Read Date\tDelivered (kWh)\tReceived (kWh)'];
    const clock = (m: number): string => {
      const h = Math.floor(m / 60) % 24;
      return `${h % 12 === 0 ? 12 : h % 12}:${pad(m % 60)} ${h < 12 ? 'AM' : 'PM'}`;
    };
    for (const [day, m] of septemberSlots(14)) {
      const end = m + 15;
      const d = end === 1440 ? day + 1 : day;
      lines.push(`09/${pad(d)}/2025 ${clock(end % 1440)}\t${(2 + m / 10000).toFixed(4)}\t0`);
    }
    const source = only(
      parseMeterFile(Buffer.from(lines.join('\r\n')), { fileName: 'lecturas.txt', zone: ZONE }).sources,
    );
    expect(source.mapping).toMatchObject({
      timestamp: ['Read Date'],
      consumption: 'Delivered (kWh)',
      convention: 'INTERVAL_END',
      delimiter: '\t',
      dateOrder: 'MDY',
    });
    expect(source.counts).toMatchObject({ readings: 14 * 96, missingSlots: 0 });
    expect(source.readings[0].slotStart).toEqual(SEPT_START);
    expect(source.readings.at(-1)?.slotStart).toEqual(new Date('2025-09-15T05:45:00.000Z'));
    expect(source.problems.map((p) => p.code)).toEqual(['UNKNOWN_METER']);
  });

  it('takes stamps with a UTC offset as instants', () => {
    const csv = [
      'Timestamp;Energia activa entregada (kWh)',
      '2025-09-01T00:15:00-06:00;1,5',
      '2025-09-01T06:30:00Z;2,5',
    ].join('\n');
    const source = only(parseMeterFile(Buffer.from(csv), { fileName: 'Medidor 123456.csv', zone: ZONE }).sources);
    expect(source.readings.map((r) => [r.slotStart.toISOString(), r.kwh.toFixed()])).toEqual([
      ['2025-09-01T06:00:00.000Z', '1.5'],
      ['2025-09-01T06:15:00.000Z', '2.5'],
    ]);
  });

  it('splits a CSV naming several meters into one source per meter', () => {
    const lines = ['Medidor;Fecha;Hora;kWh Entregada'];
    for (const meter of ['111111', '222222'])
      for (let q = 1; q <= 96; q++) lines.push(`${meter};01/09/2025;${hm(q * 15)};1,${q}`);
    const result = parseMeterFile(Buffer.from(lines.join('\n')), { fileName: 'varios.csv', zone: ZONE });
    expect(result.sources.map((s) => [s.serial, s.counts.readings, s.problems.length])).toEqual([
      ['111111', 96, 0],
      ['222222', 96, 0],
    ]);
    expect(result.sources[1].firstRows[0].row).toBe(98);
  });

  it('carries a serial written on the first row only down to the rows below', () => {
    const csv = [
      'Medidor;Fecha/Hora;kWh Del',
      '333333;01/09/2025 00:15;1',
      ';01/09/2025 00:30;2',
      ';01/09/2025 00:45;3',
    ].join('\n');
    const source = only(parseMeterFile(Buffer.from(csv), { fileName: 'x.csv', zone: ZONE }).sources);
    expect(source).toMatchObject({ serial: '333333', serialFrom: 'COLUMN', counts: { readings: 3 } });
  });

  it('reads a Windows-1252 CSV with thousands separators', () => {
    const text = 'Fecha;Hora;Energía Entregada kWh\r\n01/09/2025;00:15;1.234,5\r\n01/09/2025;00:30;12,25\r\n';
    const source = only(
      parseMeterFile(Buffer.from(text, 'latin1'), { fileName: 'Medidor 5555555.csv', zone: ZONE }).sources,
    );
    expect(source.mapping.consumption).toBe('Energía Entregada kWh');
    expect(source.mapping.reasons[0]).toBe('text file, windows-1252');
    expect(source.readings.map((r) => r.kwh.toFixed())).toEqual(['1234.5', '12.25']);
  });
});

describe('markup saved as a spreadsheet', () => {
  it('reads an HTML table saved as .xls with its text as written (decimal commas, day-first dates)', () => {
    const cells = (row: string[]) => `<tr>${row.map((c) => `<td>${c}</td>`).join('')}</tr>`;
    const rows = [['Fecha/Hora', 'kWh Del'], ...[1, 2, 3].map((q) => [`01/09/2025 00:${pad(q * 15)}`, `1,${q}5`])];
    const html = `<html><body><table>${rows.map(cells).join('')}</table></body></html>`;
    const result = parseMeterFile(Buffer.from(html), { fileName: 'Medidor 5614112 2025-09.xls', zone: ZONE });
    expect(result.format).toBe('HTML');
    const source = only(result.sources);
    expect(source).toMatchObject({ serial: '5614112', serialFrom: 'FILE_NAME' });
    // Gaps are measured over whole local days of the data: the rest of 1 September is missing.
    expect(source.problems.map((p) => [p.code, p.range?.slots])).toEqual([['GAP', 93]]);
    expect(source.mapping.decimalSeparator).toBe(',');
    expect(source.readings.map((r) => [r.slotStart.toISOString(), r.kwh.toFixed()])).toEqual([
      ['2025-09-01T06:00:00.000Z', '1.15'],
      ['2025-09-01T06:15:00.000Z', '1.25'],
      ['2025-09-01T06:30:00.000Z', '1.35'],
    ]);
  });

  it('reads an Excel 2003 XML spreadsheet, and refuses other XML', () => {
    const xml = `<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Nodo Ateos 5614086"><Table><Row><Cell><Data ss:Type="String">Fecha/Hora</Data></Cell><Cell><Data ss:Type="String">kWh Entregada</Data></Cell></Row><Row><Cell><Data ss:Type="DateTime">2025-09-01T00:15:00.000</Data></Cell><Cell><Data ss:Type="Number">1.5</Data></Cell></Row></Table></Worksheet></Workbook>`;
    const result = parseMeterFile(Buffer.from(xml), { fileName: 'x.xml', zone: ZONE });
    expect(result.format).toBe('XML');
    expect(only(result.sources)).toMatchObject({ serial: '5614086', readings: [{ slotStart: SEPT_START, row: 2 }] });
    const other = parseMeterFile(Buffer.from('<?xml version="1.0"?><factura/>'), { fileName: 'x.xml', zone: ZONE });
    expect(other.problems.map((p) => p.code)).toEqual(['UNSUPPORTED_FORMAT']);
  });
});

describe('mapping override', () => {
  const rows = [
    ['Col1', 'Col2', 'Col3'],
    ...septemberSlots(1).map(([day, m], i) => [`${pad(day)}/09/2025 ${hm(m)}`, 'x', `${i},5`]),
  ];
  const csv = Buffer.from(rows.map((r) => r.join(';')).join('\n'));

  it('finds unnamed columns by content with low confidence', () => {
    const source = only(parseMeterFile(csv, { fileName: 'Medidor 999999.csv', zone: ZONE }).sources);
    expect(source.mapping).toMatchObject({ timestamp: ['Col1'], consumption: 'Col3', confidence: { columns: 'LOW' } });
  });

  it('uses the columns and convention the admin chose (by header or letter)', () => {
    const source = only(
      parseMeterFile(csv, {
        fileName: 'Medidor 999999.csv',
        zone: ZONE,
        mapping: { timestamp: ['col1'], consumption: 'C', convention: 'INTERVAL_END', decimalSeparator: ',' },
      }).sources,
    );
    expect(source.mapping).toMatchObject({
      timestamp: ['Col1'],
      consumption: 'Col3',
      convention: 'INTERVAL_END',
      confidence: { convention: 'HIGH' },
    });
    expect(source.mapping.reasons).toEqual(
      expect.arrayContaining(['timestamp: "Col1" (given)', 'consumption: "Col3" (given)', 'interval end (given)']),
    );
    // 01/09 00:00 as an interval end is the last slot of 31 August.
    expect(source.readings[0].slotStart).toEqual(new Date('2025-09-01T05:45:00.000Z'));
  });

  it('reports a mapping naming a column the file does not have', () => {
    const result = parseMeterFile(csv, { fileName: 'Medidor 999999.csv', zone: ZONE, mapping: { consumption: 'kWh' } });
    expect(result.sources).toEqual([]);
    expect(result.problems.map((p) => [p.code, p.value])).toEqual([['BAD_MAPPING', 'kWh']]);
  });
});

import { toLocalIso } from '@ciro/subgraph-common';
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { parseForecastWorkbook, parseMeterFile } from '..';
import { detectDateOrder } from '../timestamps';
import type { DateOrder, MeterFileOptions, MeterSource } from '../types';
import { createWallResolver } from '../zone';
import { only, sourceOf, serial, where, workbookBytes, ZONE } from './kit';

/**
 * Inputs the samples do not show: other months (leap February, 31-day months, a year change), other layouts and
 * dialects, a client in a daylight-saving zone, and odd values. Files are built in memory; every expectation is
 * what an energy-billing user needs: every slot once, as a slot start in the client's zone, problems by row/column.
 */

const NY = 'America/New_York';
const SLOT = 15 * 60_000;
const pad = (n: number): string => String(n).padStart(2, '0');
const hm = (minutes: number): string => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
const iso = (d: Date | undefined): string | undefined => d?.toISOString();

/** Every slot start in `[from, to)` (UTC instants), 15 minutes apart. */
function slotStarts(from: string, to: string): Date[] {
  const out: Date[] = [];
  for (let t = Date.parse(from); t < Date.parse(to); t += SLOT) out.push(new Date(t));
  return out;
}

/** `dd/mm/yyyy HH:MM` of an instant's wall time in `zone` (a local midnight is the next day's 00:00). */
function dmyWall(instant: Date, zone: string): string {
  const [date, time] = toLocalIso(instant, zone).split('T');
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y} ${time.slice(0, 5)}`;
}

function parse(bytes: Buffer, options: Partial<MeterFileOptions> & { fileName: string }) {
  return parseMeterFile(bytes, { zone: ZONE, ...options });
}

/** Slot starts one step apart (15 min), none twice. */
function expectContiguous(source: MeterSource): void {
  const steps = new Set<number>();
  for (let i = 1; i < source.readings.length; i++)
    steps.add(source.readings[i].slotStart.getTime() - source.readings[i - 1].slotStart.getTime());
  expect([...steps]).toEqual([SLOT]);
}

/** Meter workbook rows for the days of a month: Fecha (Excel date), Hora `HH:MM` interval END (`00:15` … `24:00`). */
function endRows(year: number, month: number, days: number, kwh: (i: number) => number): (string | number)[][] {
  const rows: (string | number)[][] = [];
  for (let day = 1; day <= days; day++)
    for (let q = 1; q <= 96; q++) rows.push([serial(year, month, day), hm(q * 15), kwh((day - 1) * 96 + q - 1), 0]);
  return rows;
}

function meterWorkbook(sheet: string, header: string[], rows: (string | number)[][], metadata: string[][] = []) {
  return workbookBytes({ [sheet]: XLSX.utils.aoa_to_sheet([...metadata, header, ...rows]) });
}

describe('months the samples do not show', () => {
  it('leap February 2024 in the workbook layout: interval ends up to 29/02 24:00, 2,784 slots', () => {
    const bytes = meterWorkbook(
      'Nodo Norte 5614200',
      ['Fecha', 'Hora', 'kWh Entregada', 'kWh Recibida'],
      endRows(2024, 2, 29, (i) => 10 + i / 1000),
      [['Medidor: 5614200'], ['Periodo: 01/02/2024 - 29/02/2024'], []],
    );
    const source = only(parse(bytes, { fileName: 'Descargas 2024-02.xlsx', period: '2024-02' }).sources);
    expect(source.problems).toEqual([]);
    expect(source).toMatchObject({ serial: '5614200', headerRow: 4 });
    expect(source.mapping).toMatchObject({ convention: 'INTERVAL_END', confidence: { convention: 'HIGH' } });
    expect(source.counts).toMatchObject({ rows: 2784, readings: 2784, expectedSlots: 2784, missingSlots: 0 });
    expect(iso(source.readings[0].slotStart)).toBe('2024-02-01T06:00:00.000Z');
    // Row of 29/02 24:00: the slot starting 29/02 23:45 local.
    expect(source.readings.at(-1)).toMatchObject({ row: 4 + 2784, slotStart: new Date('2024-03-01T05:45:00.000Z') });
    // 29/02 00:15, the end of 29 February's first slot, is the 28 × 96 + 1st data row (data from row 5).
    expect(source.readings.find((r) => r.slotStart.getTime() === Date.parse('2024-02-29T06:00:00.000Z'))?.row).toBe(
      5 + 28 * 96,
    );
    expectContiguous(source);
  });

  it('leap February 2024 as interval starts in one Excel date-time column (00:00 … 23:45)', () => {
    const rows = slotStarts('2024-02-01T06:00:00Z', '2024-03-01T06:00:00Z').map((t, i) => [
      serial(2024, 2, 1) + (t.getTime() - Date.parse('2024-02-01T06:00:00Z')) / 86_400_000,
      (i % 96) / 4,
    ]);
    const bytes = meterWorkbook('Nodo Norte 5614200', ['Fecha y hora', 'kWh Del'], rows);
    const source = only(parse(bytes, { fileName: 'x.xlsx', period: '2024-02' }).sources);
    expect(source.problems).toEqual([]);
    expect(source.mapping).toMatchObject({
      timestamp: ['Fecha y hora'],
      consumption: 'kWh Del',
      convention: 'INTERVAL_START',
      confidence: { convention: 'HIGH' },
    });
    expect(source.counts).toMatchObject({ readings: 2784, missingSlots: 0 });
    expect(iso(source.readings[0].slotStart)).toBe('2024-02-01T06:00:00.000Z');
    expect(iso(source.readings.at(-1)?.slotStart)).toBe('2024-03-01T05:45:00.000Z');
    expect(source.readings.at(-1)?.kwh.toFixed()).toBe('23.75');
    expectContiguous(source);
  });

  it('a 31-day month across a year change as a CSV: interval ends, midnight as next day 00:00 (01/01/2026 00:00)', () => {
    const lines = ['Medidor;Fecha/Hora;kWh Entregada;kWh Recibida'];
    for (const t of slotStarts('2025-12-01T06:00:00Z', '2026-01-01T06:00:00Z'))
      lines.push(`5614112;${dmyWall(new Date(t.getTime() + SLOT), ZONE)};1,5;0`);
    const source = only(parse(Buffer.from(lines.join('\r\n')), { fileName: 'dic.csv', period: '2025-12' }).sources);
    expect(source.problems).toEqual([]);
    expect(source.mapping).toMatchObject({ convention: 'INTERVAL_END', dateOrder: 'DMY', decimalSeparator: ',' });
    expect(source.counts).toMatchObject({ readings: 2976, expectedSlots: 2976, missingSlots: 0, outsidePeriod: 0 });
    expect(iso(source.readings[0].slotStart)).toBe('2025-12-01T06:00:00.000Z');
    expect(source.readings.at(-1)).toMatchObject({ row: 2977, slotStart: new Date('2026-01-01T05:45:00.000Z') });
  });

  it('a 31-day month as interval starts: the same file shifted by one stamp fills the same 2,976 slots', () => {
    const lines = ['Medidor;Fecha/Hora;kWh Entregada'];
    for (const t of slotStarts('2025-10-01T06:00:00Z', '2025-11-01T06:00:00Z'))
      lines.push(`5614112;${dmyWall(t, ZONE)};2`);
    const source = only(parse(Buffer.from(lines.join('\n')), { fileName: 'oct.csv', period: '2025-10' }).sources);
    expect(source.problems).toEqual([]);
    expect(source.mapping.convention).toBe('INTERVAL_START');
    expect(source.counts).toMatchObject({ readings: 2976, missingSlots: 0 });
    expect(iso(source.readings[0].slotStart)).toBe('2025-10-01T06:00:00.000Z');
    expect(iso(source.readings.at(-1)?.slotStart)).toBe('2025-11-01T05:45:00.000Z');
  });

  it('an export writing the end of each day as 00:00 of the same date (after 23:45) is read as 24:00', () => {
    // Before the fix: read as interval starts with HIGH confidence and no problem, every value one slot late
    // (the slot starting 00:00 took the value of 23:45–24:00).
    const rows = endRows(2025, 9, 30, (i) => (i % 96) + 1).map(([date, time, kwh, rec]) => [
      date,
      time === '24:00' ? '00:00' : time,
      kwh,
      rec,
    ]);
    const bytes = meterWorkbook('Nodo Sur 5614301', ['Fecha', 'Hora', 'kWh Entregada', 'kWh Recibida'], rows);
    const source = only(parse(bytes, { fileName: 'x.xlsx', period: '2025-09' }).sources);
    expect(source.problems).toEqual([]);
    expect(source.mapping).toMatchObject({ convention: 'INTERVAL_END', confidence: { convention: 'HIGH' } });
    expect(source.mapping.reasons).toContain(
      '30 rows stamped 00:00 right after 23:45 of the same date read as 24:00, the end of that day (first: row 97)',
    );
    expect(source.counts).toMatchObject({ readings: 2880, missingSlots: 0 });
    expect(source.readings.slice(0, 2).map((r) => [r.row, iso(r.slotStart), r.kwh.toFixed()])).toEqual([
      [2, '2025-09-01T06:00:00.000Z', '1'],
      [3, '2025-09-01T06:15:00.000Z', '2'],
    ]);
    expect(source.readings.at(-1)).toMatchObject({ row: 2881, slotStart: new Date('2025-10-01T05:45:00.000Z') });
    expect(source.readings.at(-1)?.kwh.toFixed()).toBe('96');
  });

  it("one day of two meters as interval starts: meter B's 00:00 after meter A's 23:45 is not a 24:00", () => {
    const lines = ['Medidor;Fecha;Hora;kWh Entregada'];
    for (const meter of ['5614016', '5614017'])
      for (let q = 0; q < 96; q++) lines.push(`${meter};13/10/2025;${hm(q * 15)};${q}`);
    const result = parse(Buffer.from(lines.join('\n')), { fileName: 'dia.csv' });
    expect(result.sources.map((s) => [s.serial, s.mapping.convention, s.counts.readings, s.problems])).toEqual([
      ['5614016', 'INTERVAL_START', 96, []],
      ['5614017', 'INTERVAL_START', 96, []],
    ]);
    expect(result.sources[1].readings[0]).toMatchObject({ row: 98, slotStart: new Date('2025-10-13T06:00:00.000Z') });
    expect(result.sources[1].mapping.reasons.join(' | ')).not.toContain('read as 24:00');
  });

  it('a file from 00:00 to 24:00: the 24:00 makes it interval ends, so the 00:00 row is the last slot of the month before', () => {
    const rows = [[serial(2025, 10, 1), '00:00', 7, 0], ...endRows(2025, 10, 31, () => 1)];
    const sheet = 'Nodo Sur 5614300';
    const result = parse(meterWorkbook(sheet, ['Fecha', 'Hora', 'kWh Entregada', 'kWh Recibida'], rows), {
      fileName: 'x.xlsx',
      period: '2025-10',
    });
    const source = only(result.sources);
    expect(source.mapping.convention).toBe('INTERVAL_END');
    expect(source.problems.map(where)).toEqual([
      { code: 'OUTSIDE_PERIOD', sheet, row: 2, column: { header: 'Fecha', letter: 'A' }, value: serial(2025, 10, 1) },
    ]);
    expect(source.problems[0].message).toBe(
      '45931 is the slot starting 2025-09-30 23:45, outside period 2025-10; not imported',
    );
    expect(source.counts).toMatchObject({ rows: 2977, readings: 2976, outsidePeriod: 1, missingSlots: 0 });
  });
});

describe('the period the file declares', () => {
  it('reports and leaves out stamps outside the "Periodo:" line when no period is given', () => {
    // Before the fix: both extra rows were imported silently (2,882 readings for a 2,880-slot month).
    const sheet = 'Nodo Prueba 5614012';
    const rows = endRows(2025, 9, 30, () => 1);
    rows.unshift([serial(2025, 8, 31), '12:00', 5, 0]);
    rows.push([serial(2025, 10, 1), '00:30', 5, 0]);
    const bytes = meterWorkbook(sheet, ['Fecha', 'Hora', 'kWh Entregada', 'kWh Recibida'], rows, [
      ['Periodo: 01/09/2025 - 30/09/2025'],
      [],
    ]);
    const source = only(parse(bytes, { fileName: 'x.xlsx' }).sources);
    const fecha = { header: 'Fecha', letter: 'A' };
    expect(source.problems.map(where)).toEqual([
      { code: 'OUTSIDE_PERIOD', sheet, row: 4, column: fecha, value: serial(2025, 8, 31) },
      { code: 'OUTSIDE_PERIOD', sheet, row: 2885, column: fecha, value: serial(2025, 10, 1) },
    ]);
    expect(source.problems.map((p) => [p.severity, p.message])).toEqual([
      [
        'WARNING',
        '45900 is the slot starting 2025-08-31 11:45, outside period 2025-09 declared in the file; not imported',
      ],
      [
        'WARNING',
        '45931 is the slot starting 2025-10-01 00:15, outside period 2025-09 declared in the file; not imported',
      ],
    ]);
    expect(source.period).toMatchObject({ basis: 'METADATA', label: '2025-09' });
    expect(source.counts).toMatchObject({ rows: 2882, readings: 2880, outsidePeriod: 2, missingSlots: 0 });
    expect(iso(source.readings.at(-1)?.slotStart)).toBe('2025-10-01T05:45:00.000Z');
  });

  it('ignores a period line that most stamps miss (a month-first "10/01/2025 - 10/05/2025" read day first)', () => {
    const sheet = 'Nodo Tres 5614014';
    const bytes = meterWorkbook(
      sheet,
      ['Date', 'Time', 'kWh Delivered'],
      endRows(2025, 10, 5, () => 1),
      [['Period: 10/01/2025 - 10/05/2025'], []],
    );
    const source = only(parse(bytes, { fileName: 'x.xlsx' }).sources);
    expect(source.problems).toEqual([]);
    expect(source.mapping.reasons).toContain(
      "the file's period (10/01/2025–10/05/2025 declared in the file) does not match most of its stamps; ignored",
    );
    expect(source.period).toMatchObject({ basis: 'DATA', from: new Date('2025-10-01T06:00:00.000Z') });
    expect(source.counts).toMatchObject({ readings: 480, outsidePeriod: 0, expectedSlots: 480, missingSlots: 0 });
  });
});

describe('the convention is decided per sheet', () => {
  it('one workbook, one sheet of interval ends (00:15 … 24:00) and one of interval starts (00:00 … 23:45)', () => {
    const header = ['Fecha', 'Hora', 'kWh Entregada', 'kWh Recibida'];
    const starts = endRows(2025, 10, 31, (i) => i).map(([date, , kwh], i) => [date, hm((i % 96) * 15), kwh, 0]);
    const bytes = workbookBytes({
      'Nodo Este 5614010': XLSX.utils.aoa_to_sheet([header, ...endRows(2025, 10, 31, (i) => i)]),
      'Nodo Oeste 5614011': XLSX.utils.aoa_to_sheet([header, ...starts]),
    });
    const result = parse(bytes, { fileName: 'x.xlsx', period: '2025-10' });
    expect(result.problems).toEqual([]);
    for (const [sheet, convention] of [
      ['Nodo Este 5614010', 'INTERVAL_END'],
      ['Nodo Oeste 5614011', 'INTERVAL_START'],
    ] as const) {
      const source = sourceOf(result, sheet);
      expect(source.problems).toEqual([]);
      expect(source.mapping.convention).toBe(convention);
      expect(source.counts).toMatchObject({ readings: 2976, missingSlots: 0 });
      // Same row, same slot: row 2 of each sheet is the slot starting 1 October 00:00.
      expect(source.readings[0]).toMatchObject({ row: 2, slotStart: new Date('2025-10-01T06:00:00.000Z') });
      expect(iso(source.readings.at(-1)?.slotStart)).toBe('2025-11-01T05:45:00.000Z');
    }
  });
});

describe('one date-time column in other forms', () => {
  interface Wall {
    y: number;
    m: number;
    d: number;
    time: string;
  }
  const octoberEnds = (format: (wall: Wall) => string): string[] => {
    const out: string[] = [];
    for (const t of slotStarts('2025-10-01T06:00:00Z', '2025-10-03T06:00:00Z')) {
      const [date, time] = toLocalIso(new Date(t.getTime() + SLOT), ZONE).split('T');
      const [y, m, d] = date.split('-').map(Number);
      out.push(format({ y, m, d, time: time.slice(0, 5) }));
    }
    return out;
  };

  const forms: [string, (w: Wall) => string, DateOrder][] = [
    ['text yyyy-mm-dd HH:MM', ({ y, m, d, time }) => `${y}-${pad(m)}-${pad(d)} ${time}`, 'YMD'],
    ['text dd/mm/yyyy HH:MM:SS', ({ y, m, d, time }) => `${pad(d)}/${pad(m)}/${y} ${time}:00`, 'DMY'],
    ['text dd-mm-yyyy HH:MM', ({ y, m, d, time }) => `${pad(d)}-${pad(m)}-${y} ${time}`, 'DMY'],
  ];
  it.each(forms)('reads %s (interval ends) in a workbook and in a CSV', (_, format, dateOrder) => {
    const stamps = octoberEnds(format);
    const ws = XLSX.utils.aoa_to_sheet([['Fecha/Hora', 'kWh Entregada'], ...stamps.map((s, i) => [s, i])]);
    const csv = Buffer.from(['Fecha/Hora,kWh Entregada', ...stamps.map((s, i) => `${s},${i}.5`)].join('\n'));
    for (const result of [
      parse(workbookBytes({ 'Nodo Uno 5614001': ws }), { fileName: 'x.xlsx' }),
      parse(csv, { fileName: 'Medidor 5614001.csv' }),
    ]) {
      const source = only(result.sources);
      expect(source.problems).toEqual([]);
      expect(source.mapping).toMatchObject({ timestamp: ['Fecha/Hora'], convention: 'INTERVAL_END', dateOrder });
      expect(source.counts).toMatchObject({ readings: 192, missingSlots: 0 });
      expect(iso(source.readings[0].slotStart)).toBe('2025-10-01T06:00:00.000Z');
      expect(iso(source.readings.at(-1)?.slotStart)).toBe('2025-10-03T05:45:00.000Z');
    }
  });

  const firstTwelveDays = (write: (d: number, time: string) => string): string[] => {
    const out: string[] = [];
    for (let day = 1; day <= 11; day++)
      for (let q = 1; q <= 96; q++) out.push(q === 96 ? write(day + 1, '00:00') : write(day, hm(q * 15)));
    return out;
  };

  it('day/month ambiguous (no day above 12), written day first: 1–11 October, told by consecutive days', () => {
    const stamps = firstTwelveDays((d, time) => `${pad(d)}/10/2025 ${time}`);
    const csv = ['Fecha/Hora;kWh Entregada', ...stamps.map((s) => `${s};1`)].join('\n');
    const source = only(parse(Buffer.from(csv), { fileName: 'Medidor 5614002.csv' }).sources);
    expect(source.problems).toEqual([]);
    expect(source.mapping.dateOrder).toBe('DMY');
    expect(source.mapping.reasons).toContain(
      'dates day first (dd/mm/yyyy): no day is above 12, but consecutive dates run one day apart only read so ("01/10/2025" → "02/10/2025")',
    );
    expect(source.counts).toMatchObject({ readings: 1056, expectedSlots: 1056, missingSlots: 0 });
    expect(iso(source.readings.at(-1)?.slotStart)).toBe('2025-10-12T05:45:00.000Z');
  });

  it('day/month ambiguous, written month first (a US export): 1–11 October, not the 10th of eleven months', () => {
    // Before the fix: read day first as 10 January … 10 November, with 31,008 slots of GAP and no error.
    const stamps = firstTwelveDays((d, time) => `10/${pad(d)}/2025 ${time}`);
    const csv = ['Date Time,kWh Delivered', ...stamps.map((s) => `${s},1.25`)].join('\n');
    const source = only(parse(Buffer.from(csv), { fileName: 'Medidor 5614003.csv' }).sources);
    expect(source.problems).toEqual([]);
    expect(source.mapping).toMatchObject({ dateOrder: 'MDY', confidence: { columns: 'HIGH' } });
    expect(source.counts).toMatchObject({ readings: 1056, expectedSlots: 1056, missingSlots: 0 });
    expect(iso(source.readings[0].slotStart)).toBe('2025-10-01T06:00:00.000Z');
    expect(iso(source.readings.at(-1)?.slotStart)).toBe('2025-10-12T05:45:00.000Z');
  });

  it('one ambiguous day cannot be told apart: read day first, said so, and the column choice marked for review', () => {
    const csv = [
      'Fecha/Hora;kWh Entregada',
      ...Array.from({ length: 95 }, (_, q) => `05/10/2025 ${hm((q + 1) * 15)};1`),
    ];
    const source = only(parse(Buffer.from(csv.join('\n')), { fileName: 'Medidor 5614004.csv' }).sources);
    expect(source.mapping).toMatchObject({ dateOrder: 'DMY', confidence: { columns: 'MEDIUM' } });
    expect(source.mapping.reasons).toContain(
      'dates read day first (dd/mm/yyyy): no day above 12 tells the order apart',
    );
    expect(iso(source.readings[0].slotStart)).toBe('2025-10-05T06:00:00.000Z');
    // The admin can say otherwise in the preview.
    const mdy = only(
      parse(Buffer.from(csv.join('\n')), { fileName: 'Medidor 5614004.csv', mapping: { dateOrder: 'MDY' } }).sources,
    );
    expect(iso(mdy.readings[0].slotStart)).toBe('2025-05-10T06:00:00.000Z');
  });
});

describe('headers worded differently, extra columns, another order', () => {
  const cases: [string, string[], string, string, string | undefined][] = [
    [
      'Spanish with accents, case and spaces; Recibida before Entregada; voltage',
      ['  FECHA ', 'HORA', 'Voltaje (V)', 'Energía Activa Recibida (kWh)', 'Energía Activa Entregada (kWh)', 'kVArh'],
      'Energía Activa Entregada (kWh)',
      'E',
      'kVArh',
    ],
    [
      'kWh Rec before kWh Del, kVArh Del and Rec, a voltage column',
      ['Date', 'Time', 'Voltage', 'kWh Rec', 'kWh Del', 'kVArh Rec', 'kVArh Del'],
      'kWh Del',
      'E',
      'kVArh Del',
    ],
    ['Import/Export', ['Fecha', 'Hora', 'Export kWh', 'kVArh Q1', 'Import kWh'], 'Import kWh', 'E', 'kVArh Q1'],
    [
      'Active Energy +A / -A',
      ['Fecha', 'Hora', 'Active Energy -A (kWh)', 'Active Energy +A (kWh)', 'Reactive Energy +R (kvarh)'],
      'Active Energy +A (kWh)',
      'D',
      'Reactive Energy +R (kvarh)',
    ],
    [
      'kWh Entregada with a kW demand column',
      ['Fecha', 'Hora', 'kW Demanda', ' kwh  ENTREGADA '],
      'kwh ENTREGADA',
      'D',
      undefined,
    ],
    // Before the fix: both read as kWh without a direction, and the first ("kWh (-)", received) was taken.
    [
      'signs by the unit: "kWh (-)" before "kWh (+)"',
      ['Fecha', 'Hora', 'kWh (-)', 'kWh (+)'],
      'kWh (+)',
      'D',
      undefined,
    ],
  ];

  it.each(cases)('%s', (_, header, consumption, letter, kvarh) => {
    const rows = endRows(2025, 10, 1, (i) => i).map(([date, time, kwh]) =>
      header.map((h) => {
        const n = h.toLowerCase();
        if (/fecha|date/.test(n)) return date;
        if (/hora|time/.test(n)) return time;
        if (/volt/.test(n)) return 120.5;
        if (/kw demanda/.test(n)) return 400;
        if (h.replace(/\s+/g, ' ').trim() === consumption) return kwh;
        if (/var|reactive/.test(n)) return 3;
        return 9; // the received channel
      }),
    );
    const source = only(parse(meterWorkbook('Nodo X 5614005', header, rows), { fileName: 'x.xlsx' }).sources);
    expect(source.problems).toEqual([]);
    expect(source.mapping.consumption).toBe(consumption);
    expect(source.mapping.columns.consumption.letter).toBe(letter);
    expect(source.mapping.kvarh).toBe(kvarh);
    expect(source.readings.map((r) => r.kwh.toNumber())).toEqual(rows.map((_, i) => i));
    expect(source.counts).toMatchObject({ readings: 96, missingSlots: 0 });
  });
});

describe('energy units other than kWh', () => {
  it('scales a column in Wh (or varh) down, and one in MWh (or MVArh) up, to kWh, exactly', () => {
    // Before the fix: "Wh Entregada" was taken as kWh with HIGH confidence: 1,000 times the energy billed.
    const rows = ['13/10/2025 00:15;246705,6;0;1234,5', '13/10/2025 00:30;0,0012;0;0,5'];
    const wh = only(
      parse(Buffer.from(['Fecha/Hora;Wh Entregada;Wh Recibida;varh Entregada', ...rows].join('\n')), {
        fileName: 'Medidor 5614015.csv',
      }).sources,
    );
    expect(wh.mapping).toMatchObject({ consumption: 'Wh Entregada', kvarh: 'varh Entregada' });
    expect(wh.mapping.reasons).toEqual(
      expect.arrayContaining([
        '"Wh Entregada" is in Wh: values divided by 1,000 to kWh',
        '"varh Entregada" is in VArh: values divided by 1,000 to kVArh',
      ]),
    );
    expect(wh.readings.map((r) => [r.kwh.toFixed(), r.kvarh?.toFixed()])).toEqual([
      ['246.7056', '1.2345'],
      ['0.0000012', '0.0005'],
    ]);
    const mwh = only(
      parse(
        Buffer.from(
          ['Fecha/Hora;Energía Activa Entregada (MWh);Otra;Energía Reactiva Entregada (MVArh)', ...rows].join('\n'),
        ),
        { fileName: 'Medidor 5614015.csv' },
      ).sources,
    );
    expect(mwh.readings.map((r) => [r.kwh.toFixed(), r.kvarh?.toFixed()])).toEqual([
      ['246705600', '1234500'],
      ['1.2', '500'],
    ]);
  });
});

describe('headers on two rows, and a preamble with several fields per line', () => {
  it('"Energía Activa (kWh)" merged over "Recibida | Entregada": the delivered channel, data from row 3', () => {
    // Before the fix: consumption was the first column under the group ("Recibida"!), with MEDIUM confidence,
    // and the sub-header row was read as data: BAD_TIMESTAMP and two TEXT_IN_NUMBER errors on row 2.
    const rows = endRows(2025, 10, 1, (i) => i + 1).map(([date, time, kwh]) => [date, time, 7, kwh, 3, 1]);
    const sheet = XLSX.utils.aoa_to_sheet([
      ['Fecha', 'Hora', 'Energía Activa (kWh)', '', 'Energía Reactiva (kVArh)', ''],
      ['', '', 'Recibida', 'Entregada', 'Recibida', 'Entregada'],
      ...rows,
    ]);
    sheet['!merges'] = [XLSX.utils.decode_range('C1:D1'), XLSX.utils.decode_range('E1:F1')];
    const source = only(parse(workbookBytes({ 'Nodo Dos 5614013': sheet }), { fileName: 'x.xlsx' }).sources);
    expect(source.problems).toEqual([]);
    expect(source).toMatchObject({ headerRow: 2, metadata: [] });
    expect(source.mapping).toMatchObject({
      consumption: 'Energía Activa (kWh) Entregada',
      kvarh: 'Energía Reactiva (kVArh) Entregada',
      columns: { consumption: { letter: 'D' }, kvarh: { letter: 'F' } },
      confidence: { columns: 'HIGH' },
    });
    expect(source.mapping.reasons[0]).toBe('header on rows 1–2 (group names over sub-headers)');
    expect(source.counts).toMatchObject({ rows: 96, readings: 96, missingSlots: 0 });
    expect(source.readings[0]).toMatchObject({ row: 3, slotStart: new Date('2025-10-01T06:00:00.000Z') });
    expect(source.readings[0].kwh.toFixed()).toBe('1');
    expect(source.readings[0].kvarh?.toFixed()).toBe('1');
  });

  it('takes the serial from a preamble line with several fields ("Medidor: 5614112;Cliente: X")', () => {
    // Before the fix: the joined line "Medidor: 5614112 Cliente: X" matched no serial: UNKNOWN_METER.
    const lines = [
      'Reporte de perfil de carga',
      'Medidor: 5614112;Cliente: Textiles SA',
      '',
      'Fecha;Hora;kWh Del;kWh Rec',
    ];
    for (let q = 1; q <= 96; q++) lines.push(`13/10/2025;${hm(q * 15)};1,${q};0`);
    const source = only(parse(Buffer.from(lines.join('\r\n')), { fileName: 'perfil.csv' }).sources);
    expect(source.problems).toEqual([]);
    expect(source).toMatchObject({ serial: '5614112', serialFrom: 'METADATA', headerRow: 4 });
    expect(source.metadata).toEqual(['Reporte de perfil de carga', 'Medidor: 5614112 Cliente: Textiles SA']);
    expect(source.counts).toMatchObject({ readings: 96, missingSlots: 0 });
  });
});

describe('CSV dialects', () => {
  it('BOM, ";", decimal commas with thousands dots, CRLF, trailing empty lines, serial in a column', () => {
    const text =
      '\uFEFFMedidor;Fecha/Hora;kWh Entregada;kWh Recibida\r\n' +
      '5614112;13/10/2025 00:15;1.234,56;0,00\r\n' +
      '5614112;13/10/2025 00:30;12,5;0\r\n' +
      '5614112;13/10/2025 00:45;0,1234567;0\r\n' +
      '5614112;13/10/2025 01:00;1.000.000,5;0\r\n' +
      '\r\n\r\n;;;\r\n';
    const source = only(parse(Buffer.from(text), { fileName: 'lecturas.csv' }).sources);
    expect(source).toMatchObject({ serial: '5614112', serialFrom: 'COLUMN' });
    expect(source.mapping).toMatchObject({ delimiter: ';', decimalSeparator: ',', consumption: 'kWh Entregada' });
    expect(source.mapping.reasons[0]).toBe('text file, utf-8 with BOM');
    expect(source.readings.map((r) => [r.row, iso(r.slotStart), r.kwh.toFixed()])).toEqual([
      [2, '2025-10-13T06:00:00.000Z', '1234.56'],
      [3, '2025-10-13T06:15:00.000Z', '12.5'],
      [4, '2025-10-13T06:30:00.000Z', '0.1234567'],
      [5, '2025-10-13T06:45:00.000Z', '1000000.5'],
    ]);
    expect(source.counts).toMatchObject({ rows: 4, rejected: 0 });
    expect(source.problems.map((p) => p.code)).toEqual(['GAP']);
  });

  it('"," with quoted fields (thousands commas, a comma in a header and in a note), CRLF, trailing blank lines', () => {
    const text = [
      'Timestamp,"Energy, delivered (kWh)","Energy, received (kWh)",Note',
      '"2025-10-13 00:15","1,234.56","0.00","ok, checked"',
      '"2025-10-13 00:30","12.5","0",',
      '2025-10-13 00:45,"0.1234567",0,"said ""fine"""',
      '',
      '',
    ].join('\r\n');
    const source = only(parse(Buffer.from(text), { fileName: 'Medidor 5614006.csv' }).sources);
    expect(source.mapping).toMatchObject({
      delimiter: ',',
      decimalSeparator: '.',
      dateOrder: 'YMD',
      consumption: 'Energy, delivered (kWh)',
    });
    expect(source.readings.map((r) => [r.row, r.kwh.toFixed()])).toEqual([
      [2, '1234.56'],
      [3, '12.5'],
      [4, '0.1234567'],
    ]);
    expect(source.counts.rows).toBe(3);
  });
});

describe('a client in a daylight-saving zone (America/New_York)', () => {
  /** A whole local month as the meter writes it: wall-clock stamps, the repeated hour twice, the skipped hour not at all. */
  function nyMonth(from: string, to: string, convention: 'END' | 'START'): string {
    const lines = ['Fecha/Hora;kWh Entregada'];
    slotStarts(from, to).forEach((t, i) => {
      const stamp = convention === 'END' ? new Date(t.getTime() + SLOT) : t;
      lines.push(`${dmyWall(stamp, NY)};${i}`);
    });
    return lines.join('\n');
  }

  it.each([
    ['END', 'INTERVAL_END'],
    ['START', 'INTERVAL_START'],
  ] as const)('March 2025 (spring forward, 2,972 slots), interval %s', (convention, expected) => {
    const csv = nyMonth('2025-03-01T05:00:00Z', '2025-04-01T04:00:00Z', convention);
    const source = only(
      parse(Buffer.from(csv), { fileName: 'Medidor 7000001.csv', zone: NY, period: '2025-03' }).sources,
    );
    expect(source.problems).toEqual([]);
    expect(source.mapping.convention).toBe(expected);
    expect(source.counts).toMatchObject({ rows: 2972, readings: 2972, expectedSlots: 2972, missingSlots: 0 });
    expectContiguous(source);
    // 9 March: 01:45 EST is followed by 03:00 EDT, one slot later.
    const at = (ms: string) => source.readings.find((r) => r.slotStart.getTime() === Date.parse(ms));
    expect(at('2025-03-09T06:45:00Z')?.kwh.toFixed()).toBe(String(8 * 96 + 7));
    expect(at('2025-03-09T07:00:00Z')?.kwh.toFixed()).toBe(String(8 * 96 + 8));
  });

  it.each([
    ['END', 'INTERVAL_END'],
    ['START', 'INTERVAL_START'],
  ] as const)(
    'November 2025 (fall back, 2,884 slots): the repeated hour read twice, interval %s',
    (convention, expected) => {
      // Before the fix: the second 01:00–01:45 was read as the first again — 4 DUPLICATE_CONFLICT errors and a
      // 4-slot GAP on 2 November.
      const csv = nyMonth('2025-11-01T04:00:00Z', '2025-12-01T05:00:00Z', convention);
      const source = only(
        parse(Buffer.from(csv), { fileName: 'Medidor 7000001.csv', zone: NY, period: '2025-11' }).sources,
      );
      expect(source.problems).toEqual([]);
      expect(source.mapping.convention).toBe(expected);
      expect(source.counts).toMatchObject({ rows: 2884, readings: 2884, expectedSlots: 2884, missingSlots: 0 });
      expectContiguous(source);
      expect(iso(source.readings[0].slotStart)).toBe('2025-11-01T04:00:00.000Z');
      expect(iso(source.readings.at(-1)?.slotStart)).toBe('2025-12-01T04:45:00.000Z');
      // 2 November 01:00 EDT (05:00Z) and 01:00 EST (06:00Z) are two slots, four apart.
      const at = (ms: string) => source.readings.find((r) => r.slotStart.getTime() === Date.parse(ms));
      expect(at('2025-11-02T05:00:00Z')?.kwh.toFixed()).toBe(String(96 + 4));
      expect(at('2025-11-02T06:00:00Z')?.kwh.toFixed()).toBe(String(96 + 8));
    },
  );

  it('the repeated hour in the workbook layout (Excel date + Hora text), and an identical repeated row still collapses', () => {
    const rows: (string | number)[][] = [];
    slotStarts('2025-11-02T04:00:00Z', '2025-11-03T05:00:00Z').forEach((t, i) => {
      const [date, time] = toLocalIso(new Date(t.getTime() + SLOT), NY).split('T');
      const [y, m, d] = date.split('-').map(Number);
      const hhmm = time.slice(0, 5) === '00:00' ? '24:00' : time.slice(0, 5);
      rows.push([serial(y, m, hhmm === '24:00' ? d - 1 : d), hhmm, i]);
      if (i === 4) rows.push([serial(y, m, d), hhmm, i]); // 01:15 EDT twice, same value
    });
    const source = only(
      parse(meterWorkbook('Nodo NY 7000002', ['Fecha', 'Hora', 'kWh Entregada'], rows), {
        fileName: 'x.xlsx',
        zone: NY,
      }).sources,
    );
    expect(source.problems).toEqual([]);
    expect(source.counts).toMatchObject({ rows: 101, readings: 100, duplicatesCollapsed: 1, missingSlots: 0 });
    expect(source.readings.map((r) => r.kwh.toNumber())).toEqual([...Array(100).keys()]);
    expectContiguous(source);
  });

  it("two meters interleaved row by row over the fall-back night: each meter's repeated hour read twice", () => {
    const lines = ['Medidor;Fecha/Hora;kWh Entregada'];
    slotStarts('2025-11-02T04:00:00Z', '2025-11-03T05:00:00Z').forEach((t, i) => {
      for (const meter of ['7000005', '7000006']) lines.push(`${meter};${dmyWall(t, NY)};${i}`);
    });
    const result = parse(Buffer.from(lines.join('\n')), { fileName: 'varios.csv', zone: NY });
    for (const source of result.sources) {
      expect(source.problems).toEqual([]);
      expect(source.counts).toMatchObject({ readings: 100, missingSlots: 0 });
      expectContiguous(source);
    }
    expect(result.sources.map((s) => s.serial)).toEqual(['7000005', '7000006']);
  });

  it('a gap inside the repeated hour names its UTC offset, so the two 01:15 are told apart', () => {
    const lines = ['Fecha/Hora;kWh Entregada'];
    for (const t of slotStarts('2025-11-02T04:00:00Z', '2025-11-03T05:00:00Z'))
      if (t.getTime() !== Date.parse('2025-11-02T06:15:00Z')) lines.push(`${dmyWall(t, NY)};1`);
    const source = only(parse(Buffer.from(lines.join('\n')), { fileName: 'Medidor 7000004.csv', zone: NY }).sources);
    expect(source.mapping.convention).toBe('INTERVAL_START');
    expect(source.problems.map((p) => [p.code, p.message, p.range])).toEqual([
      [
        'GAP',
        '1 slot missing from 2025-11-02 01:15 (UTC-05:00) to 2025-11-02 01:30 (UTC-05:00)',
        { from: new Date('2025-11-02T06:15:00.000Z'), to: new Date('2025-11-02T06:30:00.000Z'), slots: 1 },
      ],
    ]);
    expect(source.counts).toMatchObject({ readings: 99, expectedSlots: 100, missingSlots: 1 });
  });

  it('forecasts: the 25-hour day has two 01:00 hours, one per pass, for each customer', () => {
    // Before the fix: the second 01:00 of each customer was a DUPLICATE_CONFLICT and one hour was missing.
    const rows: (string | number)[][] = [];
    for (const code of ['C-0001', 'C-0002'])
      slotStarts('2025-11-02T04:00:00Z', '2025-11-03T05:00:00Z').forEach((t, i) => {
        if (i % 4 !== 0) return;
        const time = toLocalIso(t, NY).slice(11, 16);
        rows.push([code, serial(2025, 11, 2), time, 100 + i / 4]);
      });
    const ws = XLSX.utils.aoa_to_sheet([['Código cliente', 'Fecha', 'Hora inicio', 'kWh pronosticado'], ...rows]);
    const result = parseForecastWorkbook(workbookBytes({ Pronósticos: ws }), { zone: NY, fileName: 'p.xlsx' });
    expect(result.problems).toEqual([]);
    expect(result.counts).toEqual({ rows: 50, hours: 50, duplicatesCollapsed: 0, rejected: 0 });
    for (const customer of result.customers) {
      expect(customer.hours).toHaveLength(25);
      expect(customer.hours.slice(1, 4).map((h) => [iso(h.hourStart), h.kwh.toFixed()])).toEqual([
        ['2025-11-02T05:00:00.000Z', '101'],
        ['2025-11-02T06:00:00.000Z', '102'],
        ['2025-11-02T07:00:00.000Z', '103'],
      ]);
    }
  });

  it('reports a local time that does not exist (9 March 02:30) by row and column', () => {
    const lines = ['Fecha/Hora;kWh Entregada'];
    for (let q = 0; q < 8; q++) lines.push(`09/03/2025 ${hm(q * 15)};1`);
    lines.push('09/03/2025 02:30;1');
    for (let q = 12; q < 96; q++) lines.push(`09/03/2025 ${hm(q * 15)};1`);
    const source = only(parse(Buffer.from(lines.join('\n')), { fileName: 'Medidor 7000003.csv', zone: NY }).sources);
    expect(source.problems.map(where)).toEqual([
      {
        code: 'BAD_TIMESTAMP',
        sheet: null,
        row: 10,
        column: { header: 'Fecha/Hora', letter: 'A' },
        value: '09/03/2025 02:30',
      },
    ]);
    expect(source.problems[0]).toMatchObject({
      severity: 'ERROR',
      expected: 'a time that exists in America/New_York',
      message:
        '"Fecha/Hora" "09/03/2025 02:30" Local time 2025-03-09 02:30 does not exist in America/New_York (daylight-saving gap)',
    });
    expect(source.counts).toMatchObject({ readings: 92, rejected: 1, expectedSlots: 92, missingSlots: 0 });
  });
});

describe('values', () => {
  const VALUES = ['', '-', 'N/A', '-3,5', '123456789012,123456789', '0,0000001', ' 1 234,5 ', '-0', '1,23456789'];

  it('blank is a missing slot (never zero), "-" and "N/A" are text, negatives refused, big and long numbers kept exact', () => {
    const lines = ['Fecha/Hora;kWh Entregada'];
    for (let q = 1; q <= 96; q++)
      lines.push(`${q === 96 ? '02/10/2025 00:00' : `01/10/2025 ${hm(q * 15)}`};${VALUES[q - 1] ?? '10,5'}`);
    const source = only(parse(Buffer.from(lines.join('\n')), { fileName: 'Medidor 5614007.csv' }).sources);
    const kwh = { header: 'kWh Entregada', letter: 'B' };
    expect(source.problems.map((p) => [p.code, p.severity, p.row, p.column, p.value])).toEqual([
      ['MISSING_VALUE', 'WARNING', 2, kwh, null],
      ['TEXT_IN_NUMBER', 'ERROR', 3, kwh, '-'],
      ['TEXT_IN_NUMBER', 'ERROR', 4, kwh, 'N/A'],
      ['NEGATIVE_VALUE', 'ERROR', 5, kwh, '-3,5'],
      ['GAP', 'WARNING', null, null, null],
    ]);
    expect(source.problems[4]).toMatchObject({
      range: { from: new Date('2025-10-01T06:00:00.000Z'), to: new Date('2025-10-01T07:00:00.000Z'), slots: 4 },
      message: '4 slots missing from 2025-10-01 00:00 to 2025-10-01 01:00',
    });
    expect(source.readings.slice(0, 5).map((r) => [r.row, r.kwh.toFixed()])).toEqual([
      [6, '123456789012.123456789'],
      [7, '0.0000001'],
      [8, '1234.5'],
      [9, '0'],
      [10, '1.23456789'],
    ]);
    expect(source.counts).toMatchObject({ rows: 96, readings: 92, rejected: 4, missingSlots: 4 });
  });

  it('a meter offline for hours writes "-": the kWh column is still read, each "-" reported, its slots missing', () => {
    // Before the fix: 36 "-" of 96 made the column "not numeric" and the whole file failed with BAD_MAPPING.
    const lines = ['Fecha/Hora;kWh Entregada;kWh Recibida'];
    for (let q = 1; q <= 96; q++)
      lines.push(`${q === 96 ? '02/10/2025 00:00' : `01/10/2025 ${hm(q * 15)}`};${q > 60 ? '-' : '1,5'};0`);
    const result = parse(Buffer.from(lines.join('\n')), { fileName: 'Medidor 5614009.csv', period: '2025-10' });
    expect(result.problems).toEqual([]);
    const source = only(result.sources);
    expect(source.mapping).toMatchObject({ consumption: 'kWh Entregada', decimalSeparator: ',' });
    expect(source.counts).toMatchObject({ rows: 96, readings: 60, rejected: 36 });
    const text = source.problems.filter((p) => p.code === 'TEXT_IN_NUMBER');
    expect(text).toHaveLength(36);
    expect(where(text[0])).toEqual({
      code: 'TEXT_IN_NUMBER',
      sheet: null,
      row: 62,
      column: { header: 'kWh Entregada', letter: 'B' },
      value: '-',
    });
    expect(source.problems.find((p) => p.code === 'GAP')?.range).toEqual({
      from: new Date('2025-10-01T21:00:00.000Z'),
      to: new Date('2025-11-01T06:00:00.000Z'),
      slots: 2976 - 60,
    });
  });

  it('a CSV holding only a BOM and blank lines is reported as empty', () => {
    const result = parse(Buffer.from('\uFEFF\r\n\r\n;;\r\n'), { fileName: 'Medidor 5614009.csv' });
    expect(result.sources).toEqual([]);
    expect(result.problems.map((p) => [p.code, p.severity, p.message])).toEqual([
      ['NO_HEADER', 'ERROR', 'The file is empty'],
    ]);
  });

  it('workbook numbers: more than 6 decimals and 1e15 kept as stored, a tiny negative refused, a text number read', () => {
    const rows = endRows(2025, 10, 1, () => 1);
    rows[0][2] = 1e15;
    rows[1][2] = 0.1234567891;
    rows[2][2] = -0.0001;
    rows[3][2] = '12.5';
    const sheet = 'Nodo Uno 5614008';
    const source = only(
      parse(meterWorkbook(sheet, ['Fecha', 'Hora', 'kWh Entregada', 'kWh Recibida'], rows), { fileName: 'x.xlsx' })
        .sources,
    );
    expect(source.problems.map(where)).toEqual([
      { code: 'NEGATIVE_VALUE', sheet, row: 4, column: { header: 'kWh Entregada', letter: 'C' }, value: -0.0001 },
      { code: 'GAP', sheet, row: null, column: null, value: null },
    ]);
    expect(source.readings.slice(0, 3).map((r) => [r.row, r.kwh.toFixed()])).toEqual([
      [2, '1000000000000000'],
      [3, '0.1234567891'],
      [5, '12.5'],
    ]);
  });
});

describe('the helpers behind it', () => {
  it('createWallResolver: a wall time in a fold is the instant nearer the expected one; a gap throws', () => {
    const resolve = createWallResolver(NY);
    const wall = { year: 2025, month: 11, day: 2, hour: 1, minute: 0 };
    expect(iso(resolve(wall))).toBe('2025-11-02T05:00:00.000Z');
    expect(iso(resolve(wall, Date.parse('2025-11-02T04:45:00Z') + SLOT))).toBe('2025-11-02T05:00:00.000Z');
    expect(iso(resolve(wall, Date.parse('2025-11-02T05:45:00Z') + SLOT))).toBe('2025-11-02T06:00:00.000Z');
    expect(() => resolve({ year: 2025, month: 3, day: 9, hour: 2, minute: 15 }, Date.now())).toThrow(
      'Local time 2025-03-09 02:15 does not exist in America/New_York (daylight-saving gap)',
    );
  });

  it('detectDateOrder: consecutive days decide when no number is above 12; a single date does not', () => {
    expect(detectDateOrder(['03/04/2025 23:45', '03/05/2025 00:00']).order).toBe('MDY');
    expect(detectDateOrder(['03/04/2025 23:45', '04/04/2025 00:00']).order).toBe('DMY');
    expect(detectDateOrder(['03/04/2025 00:15', '03/04/2025 00:30'])).toEqual({
      order: 'DMY',
      reason: 'dates read day first (dd/mm/yyyy): no day above 12 tells the order apart',
      guessed: true,
    });
    // A day above 12 still wins over the sequence.
    expect(detectDateOrder(['12/11/2025', '13/11/2025']).order).toBe('DMY');
  });
});

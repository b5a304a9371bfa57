import { localToInstant } from '@ciro/subgraph-common';
import { describe, expect, it } from 'vitest';
import { parseMeterFile } from '..';
import { detectConvention } from '../convention';
import { decodeText, detectDelimiter, parseCsv } from '../csv';
import { classifyHeader } from '../headers';
import { detectDecimalSeparator, parseDecimalText } from '../numbers';
import { detectDateOrder, excelSerialToWall, parseClock, parseDateTimeText } from '../timestamps';
import { createWallResolver } from '../zone';
import { only } from './kit';

describe('CSV text', () => {
  it('splits quoted fields, doubled quotes, CRLF and a quoted line break', () => {
    const { rows, lines, unterminatedQuote } = parseCsv('a;"b;c";"say ""hi"""\r\n1;"2\n3"; 4 \r\nx', ';');
    expect(rows).toEqual([['a', 'b;c', 'say "hi"'], ['1', '2\n3', '4'], ['x']]);
    expect(lines).toEqual([1, 2, 4]);
    expect(unterminatedQuote).toBe(false);
    expect(parseCsv('a;"b', ';').unterminatedQuote).toBe(true);
  });

  it('prefers ";" over "," when decimal commas also split lines evenly, and honours "sep="', () => {
    expect(detectDelimiter('Fecha;kWh\n01/09/2025 00:15;1,5\n01/09/2025 00:30;2,5\n').delimiter).toBe(';');
    expect(detectDelimiter('Fecha,kWh\n01/09/2025 00:15,1.5\n').delimiter).toBe(',');
    expect(detectDelimiter('sep=|\na|b\n').delimiter).toBe('|');
    expect(detectDelimiter('solo\nuna\ncolumna').reason).toContain('no delimiter found');
  });

  it('decodes UTF-8 with BOM, UTF-16LE with BOM and falls back to Windows-1252', () => {
    expect(decodeText(Buffer.from([0xef, 0xbb, 0xbf, 0x41]))).toEqual({ text: 'A', encoding: 'utf-8', bom: true });
    expect(decodeText(Buffer.from('\ufeffañ', 'utf16le'))).toEqual({ text: 'añ', encoding: 'utf-16le', bom: true });
    expect(decodeText(Buffer.from('Energía', 'latin1'))).toEqual({
      text: 'Energía',
      encoding: 'windows-1252',
      bom: false,
    });
  });

  it('reads a UTF-16 CSV (Excel "Unicode text") end to end', () => {
    const text = '\ufeffFecha/Hora\tkWh Del\r\n01/09/2025 00:15\t1,5\r\n';
    const source = only(
      parseMeterFile(Buffer.from(text, 'utf16le'), { fileName: 'Medidor 101010.txt', zone: 'America/El_Salvador' })
        .sources,
    );
    expect(source.readings.map((r) => r.kwh.toFixed())).toEqual(['1.5']);
  });
});

describe('numbers', () => {
  it('parses decimal comma and point, with thousands groups', () => {
    expect(parseDecimalText('1,7433', ',')?.toFixed()).toBe('1.7433');
    expect(parseDecimalText('1.234,5', ',')?.toFixed()).toBe('1234.5');
    expect(parseDecimalText('1,234.5', '.')?.toFixed()).toBe('1234.5');
    expect(parseDecimalText('-0,5', ',')?.toFixed()).toBe('-0.5');
    expect(parseDecimalText('1 234,5', ',')?.toFixed()).toBe('1234.5');
    expect(parseDecimalText('1.5E+02', '.')?.toFixed()).toBe('150');
    expect(parseDecimalText('1,5', '.')).toBeNull();
    expect(parseDecimalText('12,5 kWh', ',')).toBeNull();
    expect(parseDecimalText('N/D', ',')).toBeNull();
  });

  it('decides the separator from values that can only be read one way', () => {
    expect(detectDecimalSeparator(['1,7433', '0,0000']).separator).toBe(',');
    expect(detectDecimalSeparator(['1.7433', '1,234.5']).separator).toBe('.');
    expect(detectDecimalSeparator(['1,234'], ';').separator).toBe(',');
    expect(detectDecimalSeparator(['1,234'], ',').separator).toBe('.');
    expect(detectDecimalSeparator(['12', '13']).separator).toBe('.');
  });
});

describe('headers', () => {
  it.each([
    ['kWh Entregada', 'KWH_DEL'],
    ['kWh Recibida', 'KWH_REC'],
    ['kVArh Entregada', 'KVARH_DEL'],
    ['kVARh Rec', 'KVARH_REC'],
    ['kWh Del', 'KWH_DEL'],
    ['Import kWh', 'KWH_DEL'],
    ['Export kWh', 'KWH_REC'],
    ['Energy Delivered', 'KWH_DEL'],
    ['Active energy +A (kWh)', 'KWH_DEL'],
    ['1-0:1.8.0', 'KWH_DEL'],
    ['1-0:2.8.0', 'KWH_REC'],
    ['kWh', 'KWH'],
    ['kW Del', null],
    ['Fecha', 'DATE'],
    ['Hora', 'TIME'],
    ['Fecha/Hora', 'DATETIME'],
    ['Date Time', 'DATETIME'],
    ['Timestamp', 'DATETIME'],
    ['Interval End', 'DATETIME'],
    ['Medidor', 'SERIAL'],
    ['Meter ID', 'SERIAL'],
    ['Código cliente', 'CUSTOMER'],
    ['Observaciones', null],
  ])('"%s" is %s', (header, role) => {
    expect(classifyHeader(header).role).toBe(role);
  });

  it('reads the convention a header names', () => {
    expect(classifyHeader('Interval Start').hint).toBe('INTERVAL_START');
    expect(classifyHeader('Hora fin').hint).toBe('INTERVAL_END');
    expect(classifyHeader('Fecha/Hora').hint).toBeNull();
  });
});

describe('timestamps', () => {
  it('turns Excel serials into wall times, rounding float noise to the minute', () => {
    expect(excelSerialToWall(45901.0104166667)).toEqual({ year: 2025, month: 9, day: 1, hour: 0, minute: 15 });
    expect(excelSerialToWall(45901.99999999)).toEqual({ year: 2025, month: 9, day: 2, hour: 0, minute: 0 });
    expect(excelSerialToWall(44439, true)).toEqual({ year: 2025, month: 9, day: 1, hour: 0, minute: 0 });
    expect(excelSerialToWall(5614112)).toBeNull();
  });

  it('reads clock times as text, fractions and whole hours', () => {
    expect(parseClock('24:00')).toEqual({ hour: 24, minute: 0 });
    expect(parseClock('7:15')).toEqual({ hour: 7, minute: 15 });
    expect(parseClock('00:14:59')).toEqual({ hour: 0, minute: 15 });
    expect(parseClock('12:00 AM')).toEqual({ hour: 0, minute: 0 });
    expect(parseClock('1:30 p. m.')).toEqual({ hour: 13, minute: 30 });
    expect(parseClock(1)).toEqual({ hour: 24, minute: 0 });
    expect(parseClock(0.5)).toEqual({ hour: 12, minute: 0 });
    expect(parseClock(13, { integerHours: true })).toEqual({ hour: 13, minute: 0 });
    expect(parseClock('24:15')).toBeNull();
    expect(parseClock('ayer')).toBeNull();
  });

  it('reads date-time text in several styles', () => {
    expect(parseDateTimeText('01/09/2025 00:15', 'DMY')).toEqual({
      date: { year: 2025, month: 9, day: 1 },
      clock: { hour: 0, minute: 15 },
    });
    expect(parseDateTimeText('09/13/2025 1:15 PM', 'MDY')).toEqual({
      date: { year: 2025, month: 9, day: 13 },
      clock: { hour: 13, minute: 15 },
    });
    expect(parseDateTimeText('2025-09-01T00:15:00Z', 'DMY')).toEqual({ instant: new Date('2025-09-01T00:15:00Z') });
    expect(parseDateTimeText('31/02/2025 00:15', 'DMY')).toBeNull();
    expect(detectDateOrder(['01/09/2025', '13/09/2025']).order).toBe('DMY');
    expect(detectDateOrder(['09/13/2025']).order).toBe('MDY');
    expect(detectDateOrder(['01/09/2025']).reason).toContain('no day above 12');
  });
});

describe('convention', () => {
  const zone = 'America/El_Salvador';
  const at = (iso: string, minuteOfDay: number, row: number) => ({ instant: new Date(iso), minuteOfDay, row });

  it('falls back to interval end, with low confidence, when nothing tells', () => {
    const d = detectConvention({
      stamps: [at('2025-09-01T16:30:00Z', 630, 2)],
      zone,
      headerHint: null,
      metadataHint: null,
      period: null,
    });
    expect(d).toMatchObject({ convention: 'INTERVAL_END', confidence: 'LOW' });
  });

  it('counts how the stamps fit the period, and lists the signs against the choice', () => {
    const stamps = [
      at('2025-09-01T06:00:00Z', 0, 2),
      at('2025-09-01T06:15:00Z', 15, 3),
      at('2025-09-01T06:30:00Z', 30, 4),
    ];
    const period = { start: new Date('2025-09-01T06:00:00Z'), end: new Date('2025-10-01T06:00:00Z'), label: '2025-09' };
    expect(detectConvention({ stamps, zone, headerHint: null, metadataHint: null, period })).toEqual({
      convention: 'INTERVAL_START',
      confidence: 'HIGH',
      reasons: [
        "interval start: the first stamp is 2025-09-01 00:00 (row 2), a day's first interval start; 3 stamps fit period 2025-09 as interval starts, 2 as interval ends",
      ],
    });
    const d = detectConvention({
      stamps,
      zone,
      headerHint: { convention: 'INTERVAL_END', header: 'End' },
      metadataHint: null,
      period,
    });
    expect(d).toMatchObject({ convention: 'INTERVAL_START', confidence: 'MEDIUM' });
    expect(d.reasons[1]).toBe('against it: the column is named "End"');
  });
});

describe('wall times → instants', () => {
  it('agrees with localToInstant across daylight-saving changes, and throws in the gap like it', () => {
    const zone = 'America/New_York';
    const resolve = createWallResolver(zone);
    for (const [month, day] of [
      [3, 7],
      [3, 8],
      [3, 9],
      [3, 10],
      [11, 1],
      [11, 2],
      [11, 3],
    ]) {
      for (let m = 0; m <= 1440; m += 15) {
        const wall = { year: 2025, month, day, hour: Math.floor(m / 60), minute: m % 60 };
        const expected = ((): Date | null => {
          try {
            return localToInstant(wall, zone);
          } catch {
            return null;
          }
        })();
        if (expected === null) expect(() => resolve(wall)).toThrow(/does not exist/);
        else expect(resolve(wall)).toEqual(expected);
      }
    }
  });
});

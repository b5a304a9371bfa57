import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { clockToMinutes, createBlockClassifier, type TariffBlock } from '@ciro/subgraph-common';
import Decimal from 'decimal.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCustomerWorkbook } from '../../../../tenancy/src/customers/customer-workbook.parser';
import { parseForecastWorkbook, parseMeterFile } from '..';
import type { MeterFileResult, Reading } from '../types';
import { only, SAMPLES, sourceOf, ZONE } from './kit';

const METER_WORKBOOK = 'Descargas medidores 2025-09.xlsx';
const METER_CSV = 'Medidor 5614112 2025-09.csv';
const read = (path: string): Buffer => readFileSync(resolve(SAMPLES, path));

const SHEETS: Record<string, { node: string; serial: string }> = {
  'Nodo Ateos 5614086': { node: 'Ateos', serial: '5614086' },
  'Nodo Nejapa 5614201': { node: 'Nejapa', serial: '5614201' },
  'Nodo La Paz 5613950': { node: 'La Paz', serial: '5613950' },
  'Nodo Metapán 5614300': { node: 'Metapán', serial: '5614300' },
  'Nodo Metapán 5614301': { node: 'Metapán', serial: '5614301' },
  'Nodo Escalón 5614415': { node: 'Escalón', serial: '5614415' },
  'Nodo Merliot 5614520': { node: 'Merliot', serial: '5614520' },
  'Nodo Santa Tecla 5614633': { node: 'Santa Tecla', serial: '5614633' },
  'Nodo San Bartolo 5614748': { node: 'San Bartolo', serial: '5614748' },
  'Nodo Mejicanos 5614859': { node: 'Mejicanos', serial: '5614859' },
};

/** 2025-09-01 00:00 in El Salvador (UTC−6). */
const SEPT_START = new Date('2025-09-01T06:00:00.000Z');
const LAST_SLOT = new Date('2025-10-01T05:45:00.000Z');

describe('meter workbook sample (one sheet per meter)', () => {
  let result: MeterFileResult;
  beforeAll(() => {
    result = parseMeterFile(read(`meters/${METER_WORKBOOK}`), {
      fileName: METER_WORKBOOK,
      zone: ZONE,
      period: '2025-09',
    });
  });

  it('maps every sheet "Nodo <node> <serial>" to its meter, without any problem', () => {
    expect(result.format).toBe('XLSX');
    expect(result.problems).toEqual([]);
    expect(Object.fromEntries(result.sources.map((s) => [s.source.sheet, { node: s.node, serial: s.serial }]))).toEqual(
      SHEETS,
    );
    for (const s of result.sources) {
      expect(s.serialFrom).toBe('SHEET_NAME');
      expect(s.problems).toEqual([]);
    }
  });

  it('finds the header under the metadata lines and reads Fecha + Hora as interval ends', () => {
    const s = sourceOf(result, 'Nodo Ateos 5614086');
    expect(s.headerRow).toBe(6);
    expect(s.metadata).toEqual([
      'Medidor: 5614086',
      'Ubicación: Nodo Ateos',
      'Periodo: 01/09/2025 - 30/09/2025',
      'Intervalo: 15 minutos (hora de fin de intervalo)',
    ]);
    expect(s.mapping).toMatchObject({
      timestamp: ['Fecha', 'Hora'],
      consumption: 'kWh Entregada',
      kvarh: 'kVArh Entregada',
      convention: 'INTERVAL_END',
      columns: {
        timestamp: [
          { header: 'Fecha', letter: 'A', index: 0 },
          { header: 'Hora', letter: 'B', index: 1 },
        ],
        consumption: { header: 'kWh Entregada', letter: 'C', index: 2 },
        kvarh: { header: 'kVArh Entregada', letter: 'E', index: 4 },
      },
      confidence: { columns: 'HIGH', convention: 'HIGH' },
    });
    expect(s.mapping.reasons.join(' | ')).toContain('stamped 24:00');
    expect(s.firstRows[0]).toEqual({ row: 7, values: [45901, '00:15', 246.7056, 0, 77.3898, 0] });
    expect(s.firstRows).toHaveLength(5);
  });

  it('yields 2,880 unique slots per meter covering September exactly', () => {
    for (const s of result.sources) {
      expect(s.counts).toEqual({
        rows: 2880,
        readings: 2880,
        duplicatesCollapsed: 0,
        rejected: 0,
        outsidePeriod: 0,
        expectedSlots: 2880,
        missingSlots: 0,
      });
      expect(s.readings[0].slotStart).toEqual(SEPT_START);
      expect(s.readings[2879].slotStart).toEqual(LAST_SLOT);
      const times = s.readings.map((r) => r.slotStart.getTime());
      expect(times.every((t, i) => i === 0 || t - times[i - 1] === 900_000)).toBe(true);
    }
  });

  it('turns 01/09 00:15 into the slot 00:00 and 30/09 24:00 into the slot 23:45, with exact Decimal values', () => {
    const s = sourceOf(result, 'Nodo Ateos 5614086');
    const first = s.readings[0];
    expect(first.row).toBe(7);
    expect(first.kwh.toFixed()).toBe('246.7056');
    expect(first.kvarh?.toFixed()).toBe('77.3898');
    const last = s.readings[2879];
    expect(last.row).toBe(2886);
    expect(last.slotStart).toEqual(LAST_SLOT);
    expect(last.kwh.toFixed()).toBe('243.8502');
    expect(last.kvarh?.toFixed()).toBe('90.1307');
    // 01/09 01:30 (row 12) is the slot 01:15.
    expect(s.readings[5]).toMatchObject({ row: 12, slotStart: new Date('2025-09-01T07:15:00.000Z') });
    expect(s.readings[5].kwh.toFixed()).toBe('241.0391');
    expect(sourceOf(result, 'Nodo Metapán 5614301').readings[0].kwh.toFixed()).toBe('2.5846');
  });

  it('measures gaps over the file\'s own "Periodo" line when no period is given', () => {
    const noPeriod = parseMeterFile(read(`meters/${METER_WORKBOOK}`), { fileName: METER_WORKBOOK, zone: ZONE });
    const s = sourceOf(noPeriod, 'Nodo Ateos 5614086');
    expect(s.period).toEqual({
      from: SEPT_START,
      to: new Date('2025-10-01T06:00:00.000Z'),
      basis: 'METADATA',
      label: '2025-09',
    });
    expect(s.counts.missingSlots).toBe(0);
  });
});

describe('meter CSV sample (other meter family)', () => {
  let result: MeterFileResult;
  beforeAll(() => {
    result = parseMeterFile(read(`meters/${METER_CSV}`), { fileName: METER_CSV, zone: ZONE });
  });

  it('detects UTF-8 BOM, semicolons, decimal commas, day-first dates and interval ends', () => {
    expect(result.format).toBe('CSV');
    expect(result.problems).toEqual([]);
    const s = only(result.sources);
    expect(s.source).toEqual({ kind: 'CSV', fileName: METER_CSV });
    expect(s.serial).toBe('5614112');
    expect(s.serialFrom).toBe('COLUMN');
    expect(s.headers).toEqual(['Fecha/Hora', 'Medidor', 'kWh Del', 'kWh Rec', 'kVARh Del']);
    expect(s.mapping).toMatchObject({
      timestamp: ['Fecha/Hora'],
      consumption: 'kWh Del',
      kvarh: 'kVARh Del',
      serial: 'Medidor',
      convention: 'INTERVAL_END',
      decimalSeparator: ',',
      delimiter: ';',
      dateOrder: 'DMY',
      confidence: { columns: 'HIGH', convention: 'HIGH' },
    });
    expect(s.mapping.reasons[0]).toBe('text file, utf-8 with BOM');
    expect(s.problems).toEqual([]);
  });

  it('yields 2,880 slots; next-day 00:00 is the last slot of the 30th', () => {
    const s = only(result.sources);
    expect(s.counts).toMatchObject({
      rows: 2880,
      readings: 2880,
      duplicatesCollapsed: 0,
      rejected: 0,
      missingSlots: 0,
    });
    expect(s.period).toMatchObject({ basis: 'DATA', label: '2025-09' });
    expect(s.readings[0]).toMatchObject({ row: 2, slotStart: SEPT_START });
    expect(s.readings[0].kwh.toFixed()).toBe('1.7433');
    expect(s.readings[0].kvarh?.toFixed()).toBe('0.5404');
    const last = s.readings[2879];
    expect(last).toMatchObject({ row: 2881, slotStart: LAST_SLOT });
    expect(last.kwh.toFixed()).toBe('1.8395');
    expect(s.firstRows[0]).toEqual({ row: 2, values: ['01/09/2025 00:15', '5614112', '1,7433', '0,0000', '0,5404'] });
  });
});

describe('forecast workbook sample', () => {
  it('reads 720 hourly forecasts for each of the four customers with a deviation tolerance', () => {
    const result = parseForecastWorkbook(read('forecasts/Pronósticos 2025-09.xlsx'), { zone: ZONE, period: '2025-09' });
    expect(result.problems).toEqual([]);
    expect(result.sheets).toEqual(['Pronósticos']);
    expect(result.mapping).toMatchObject({
      customer: 'Código cliente',
      timestamp: ['Fecha', 'Hora inicio'],
      kwh: 'kWh pronosticado',
      convention: 'INTERVAL_START',
    });
    expect(result.counts).toEqual({ rows: 2880, hours: 2880, duplicatesCollapsed: 0, rejected: 0 });
    expect(result.customers.map((c) => [c.customerCode, c.hours.length])).toEqual([
      ['C-0001', 720],
      ['C-0003', 720],
      ['C-0005', 720],
      ['C-0009', 720],
    ]);
    const c1 = result.customers[0].hours;
    expect(c1[0]).toMatchObject({ hourStart: SEPT_START, row: 2 });
    expect(c1[0].kwh.toFixed()).toBe('927.59');
    expect(c1[1].hourStart).toEqual(new Date('2025-09-01T07:00:00.000Z'));
    expect(result.customers[3].hours[719]).toMatchObject({
      hourStart: new Date('2025-10-01T05:00:00.000Z'),
      row: 2881,
    });
    expect(result.customers[3].hours[719].kwh.toFixed()).toBe('1098.04');
  });
});

interface TariffJson {
  blocks: { code: string; start: string; end: string }[];
}
interface ExpectedInvoice {
  customer: string;
  lines: { kind: string; quantity: string }[];
}

describe('sample readings × multipliers agree with the expected invoices', () => {
  it('sums VALLE/RESTO/PUNTA kWh per customer to the ENERGY_* quantities of invoices-2025-09.json', () => {
    const tariff = JSON.parse(read('tariffs/MT-H.json').toString('utf8')) as TariffJson;
    const blocks: TariffBlock[] = tariff.blocks.map((b) => ({
      code: b.code,
      dayType: 'ALL',
      startMinute: clockToMinutes(b.start),
      endMinute: clockToMinutes(b.end),
    }));
    const blockOf = createBlockClassifier(blocks, ZONE);
    const customers = parseCustomerWorkbook(read('customers/Datos de clientes para facturación.xlsx'));
    expect(customers.errors).toEqual([]);

    const readingsBySerial = new Map<string, Reading[]>();
    for (const [dir, file] of [
      ['meters', METER_WORKBOOK],
      ['meters', METER_CSV],
    ]) {
      const result = parseMeterFile(read(`${dir}/${file}`), { fileName: file, zone: ZONE, period: '2025-09' });
      for (const s of result.sources) readingsBySerial.set(s.serial ?? '', s.readings);
    }
    const expected = JSON.parse(read('expected/invoices-2025-09.json').toString('utf8')) as ExpectedInvoice[];
    expect(expected).toHaveLength(customers.customers.length);

    for (const invoice of expected) {
      const customer = customers.customers.find((c) => c.code === invoice.customer);
      expect(customer, invoice.customer).toBeDefined();
      const sums: Record<string, Decimal> = { VALLE: new Decimal(0), RESTO: new Decimal(0), PUNTA: new Decimal(0) };
      for (const meter of customer?.meters ?? []) {
        const readings = readingsBySerial.get(meter.serial);
        expect(readings, `meter ${meter.serial}`).toHaveLength(2880);
        for (const r of readings ?? []) {
          const block = blockOf(r.slotStart);
          sums[block] = sums[block].plus(r.kwh.times(meter.multiplier));
        }
      }
      for (const block of ['VALLE', 'RESTO', 'PUNTA']) {
        const line = invoice.lines.find((l) => l.kind === `ENERGY_${block}`);
        expect(sums[block].toFixed(4), `${invoice.customer} ${block}`).toBe(
          new Decimal(line?.quantity ?? 'NaN').toFixed(4),
        );
      }
    }
    const c5 = customers.customers.find((c) => c.code === 'C-0005');
    expect(c5?.meters.map((m) => [m.serial, m.multiplier.toFixed()])).toEqual([
      ['5614300', '80'],
      ['5614301', '80'],
    ]);
  });
});

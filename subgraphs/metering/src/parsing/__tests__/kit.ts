import { resolve } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import * as XLSX from '@e965/xlsx';
import type { MeterFileResult, MeterSource, Problem } from '../types';

export const SAMPLES = process.env.SAMPLES_DIR ?? resolve(__dirname, '../../../../../../shared/samples');
export const ZONE = 'America/El_Salvador';

export const METER_HEADER = ['Fecha', 'Hora', 'kWh Entregada', 'kWh Recibida', 'kVArh Entregada', 'kVArh Recibida'];
/** Data rows start on row 7 in the sample layout: four metadata lines, a blank line, the header on row 6. */
export const FIRST_DATA_ROW = 7;

type Cell = string | number | null | XLSX.CellObject;
export type Row = Cell[];

/** Excel serial of a local date (1900 system). */
export function serial(year: number, month: number, day: number): number {
  return (Date.UTC(year, month - 1, day) - Date.UTC(1899, 11, 30)) / 86_400_000;
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Rows like the sample export: days of September 2025, `Hora` 00:15 … 24:00, kWh = 100 + slot index / 100. */
export function septemberRows(days = 30): Row[] {
  const rows: Row[] = [];
  for (let day = 1; day <= days; day++) {
    for (let q = 1; q <= 96; q++) {
      const i = (day - 1) * 96 + q - 1;
      rows.push([serial(2025, 9, day), hhmm(q * 15), Number((100 + i / 100).toFixed(2)), 0, 30, 0]);
    }
  }
  return rows;
}

export function meterSheet(serialNo: string, rows: Row[], node = 'Prueba'): XLSX.WorkSheet {
  const aoa: Row[] = [
    [`Medidor: ${serialNo}`],
    [`Ubicación: Nodo ${node}`],
    ['Periodo: 01/09/2025 - 30/09/2025'],
    ['Intervalo: 15 minutos (hora de fin de intervalo)'],
    [],
    METER_HEADER,
    ...rows,
  ];
  return XLSX.utils.aoa_to_sheet(aoa);
}

export function workbookBytes(sheets: Record<string, XLSX.WorkSheet>, bookType: XLSX.BookType = 'xlsx'): Buffer {
  const wb = XLSX.utils.book_new();
  for (const [name, ws] of Object.entries(sheets)) XLSX.utils.book_append_sheet(wb, ws, name);
  return XLSX.write(wb, { type: 'buffer', bookType }) as Buffer;
}

export function only<T>(items: readonly T[]): T {
  if (items.length !== 1) throw new Error(`expected exactly one item, got ${items.length}`);
  return items[0];
}

export function sourceOf(result: MeterFileResult, sheet: string): MeterSource {
  const found = result.sources.find((s) => s.source.sheet === sheet);
  if (!found) throw new Error(`no source for sheet ${sheet}: ${result.sources.map((s) => s.source.sheet).join(', ')}`);
  return found;
}

export function codes(problems: readonly Problem[]): string[] {
  return problems.map((p) => p.code);
}

/** The fields a problem is asserted on. */
export function where(p: Problem): Pick<Problem, 'code' | 'sheet' | 'row' | 'column' | 'value'> {
  return { code: p.code, sheet: p.sheet, row: p.row, column: p.column, value: p.value };
}

export interface ZipEntrySpec {
  name: string;
  data: Buffer;
  method?: 0 | 8;
  /** Uncompressed size written in the headers (to build a zip that lies about it). */
  declaredSize?: number;
}

/** A zip archive built by hand (local headers, central directory, end record). */
export function zipBytes(entries: ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const method = e.method ?? 8;
    const body = method === 8 ? deflateRawSync(e.data) : e.data;
    const name = Buffer.from(e.name);
    const size = e.declaredSize ?? e.data.length;
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

interface CfbApi {
  utils: { cfb_new(): unknown; cfb_add(cfb: unknown, name: string, content: Buffer): void };
  write(cfb: unknown, options: { type: 'buffer' }): Buffer;
}

/** An Office "encrypted package": a Compound File with EncryptionInfo and EncryptedPackage streams. */
export function encryptedWorkbookBytes(): Buffer {
  // SheetJS bundles its CFB library but types it as `any`.
  const cfbApi = XLSX.CFB as CfbApi;
  const cfb = cfbApi.utils.cfb_new();
  cfbApi.utils.cfb_add(
    cfb,
    '/EncryptionInfo',
    Buffer.from([4, 0, 4, 0, 0x40, 0, 0, 0, ...Buffer.from('<encryption/>')]),
  );
  cfbApi.utils.cfb_add(cfb, '/EncryptedPackage', Buffer.alloc(8192, 0xa5));
  return cfbApi.write(cfb, { type: 'buffer' });
}

import * as XLSX from '@e965/xlsx';
import type { CsvRecords } from './csv';
import type { CellValue, ColumnRef } from './types';

/** A sheet or a CSV file as rows × columns of stored values, so one parser reads both. */
export interface Grid {
  kind: 'XLSX_SHEET' | 'CSV';
  /** Sheet name, or the file name for a CSV. */
  name: string;
  fileName: string;
  rowCount: number;
  colCount: number;
  /** Workbook uses the 1904 date system (old Mac Excel). */
  date1904: boolean;
  /** 0-based row and column. */
  cell(r: number, c: number): CellValue;
  /** 1-based row number as the user sees it. */
  rowNumber(r: number): number;
}

const EXCEL_ERRORS: Record<number, string> = {
  0x00: '#NULL!',
  0x07: '#DIV/0!',
  0x0f: '#VALUE!',
  0x17: '#REF!',
  0x1d: '#NAME?',
  0x24: '#NUM!',
  0x2a: '#N/A',
  0x2b: '#GETTING_DATA',
};

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** A SheetJS cell's stored value; an Excel error becomes its text (`#N/A`), a formula its cached result. */
export function cellValue(cell: XLSX.CellObject | undefined): CellValue {
  if (!cell || cell.v === undefined || cell.v === null) return null;
  switch (cell.t) {
    case 'n':
      return typeof cell.v === 'number' ? cell.v : null;
    case 'b':
      return cell.v === true;
    case 'e':
      return typeof cell.v === 'number' ? (EXCEL_ERRORS[cell.v] ?? `#ERROR(${cell.v})`) : String(cell.v);
    case 'd': {
      const d = cell.v instanceof Date ? cell.v : new Date(String(cell.v));
      if (Number.isNaN(d.getTime())) return null;
      return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    }
    case 'z':
      return null;
    default: {
      const text = typeof cell.v === 'string' ? cell.v : String(cell.v);
      return text.trim() === '' ? null : text;
    }
  }
}

export function sheetGrid(sheetName: string, sheet: XLSX.WorkSheet, fileName: string, date1904: boolean): Grid {
  const ref = sheet['!ref'];
  const range = ref ? XLSX.utils.decode_range(ref) : null;
  const dense = sheet['!data'];
  return {
    kind: 'XLSX_SHEET',
    name: sheetName,
    fileName,
    rowCount: range ? range.e.r + 1 : 0,
    colCount: range ? range.e.c + 1 : 0,
    date1904,
    cell: dense
      ? (r, c) => cellValue(dense[r]?.[c])
      : (r, c) => cellValue(sheet[XLSX.utils.encode_cell({ r, c })] as XLSX.CellObject | undefined),
    rowNumber: (r) => r + 1,
  };
}

export function csvGrid(fileName: string, records: CsvRecords): Grid {
  const { rows, lines } = records;
  return {
    kind: 'CSV',
    name: fileName,
    fileName,
    rowCount: rows.length,
    colCount: rows.reduce((max, row) => Math.max(max, row.length), 0),
    date1904: false,
    cell: (r, c) => {
      const v = rows[r]?.[c];
      return v === undefined || v === '' ? null : v;
    },
    rowNumber: (r) => lines[r] ?? r + 1,
  };
}

export function columnLetter(index: number): string {
  return XLSX.utils.encode_col(index);
}

export function columnRef(header: string, index: number): ColumnRef {
  return { header, letter: columnLetter(index), index };
}

export function isBlankRow(grid: Grid, r: number, columns?: readonly number[]): boolean {
  if (columns) return columns.every((c) => grid.cell(r, c) === null);
  for (let c = 0; c < grid.colCount; c++) if (grid.cell(r, c) !== null) return false;
  return true;
}

/** Text of a cell for labels and serials; numbers without float noise. */
export function cellText(value: CellValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(15)));
  return String(value).replace(/\s+/g, ' ').trim();
}

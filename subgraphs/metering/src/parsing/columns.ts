import * as XLSX from '@e965/xlsx';
import { cellText, columnRef, isBlankRow, type Grid } from './grid';
import { classifyHeader, isEnergyRole, isTimestampRole, normalizeHeader, type HeaderRole } from './headers';
import { looksNumeric } from './numbers';
import { excelSerialToWall, parseClock, parseDateText, parseDateTimeText } from './timestamps';
import type { CellValue, ColumnRef, Confidence, Convention } from './types';

/** Finding the header row and telling the columns apart, from headers and content. */

const HEADER_SCAN_ROWS = 50;
const PROFILE_ROWS = 500;
const CONFIDENCE_ORDER: Confidence[] = ['HIGH', 'MEDIUM', 'LOW'];

export function lowerConfidence(a: Confidence, b: Confidence): Confidence {
  return CONFIDENCE_ORDER[Math.max(CONFIDENCE_ORDER.indexOf(a), CONFIDENCE_ORDER.indexOf(b))];
}

export interface HeaderRow {
  /** The header row right above the data (the lower one of a header written on two rows). */
  r: number;
  /** A header on two rows (a group row over a row of sub-headers): the upper row. */
  top?: number;
  headers: string[];
  roles: (HeaderRole | null)[];
  hints: (Convention | null)[];
  confidence: Confidence;
  reason: string;
}

function headerRowAt(grid: Grid, r: number): HeaderRow {
  const headers: string[] = [];
  const roles: (HeaderRole | null)[] = [];
  const hints: (Convention | null)[] = [];
  for (let c = 0; c < grid.colCount; c++) {
    const v = grid.cell(r, c);
    const text = typeof v === 'string' ? cellText(v) : '';
    const info = text ? classifyHeader(text) : { role: null, hint: null };
    headers.push(text);
    roles.push(info.role);
    hints.push(info.hint);
  }
  return { r, headers, roles, hints, confidence: 'HIGH', reason: '' };
}

/** Content kinds of a column, counted over the first data rows. */
export interface Profile {
  nonBlank: number;
  numeric: number;
  zeros: number;
  serialDate: number;
  serialDateTime: number;
  dateText: number;
  dateTimeText: number;
  clock: number;
  /** No-data markers (`-`, `N/A`, `N/D`, `#N/A`…): neither for nor against a number column. */
  placeholder: number;
}

/** How meters and spreadsheets write "no reading": the cell is reported, but it does not make the column text. */
const NO_DATA = /^(?:-{1,3}|\u2014|n\.?\s?[ad]\.?|n\/[ad]|#n\/a|s\/d|null|nan|sin datos?|no data)$/i;

export function profileColumn(grid: Grid, c: number, fromRow: number): Profile {
  const p: Profile = {
    nonBlank: 0,
    numeric: 0,
    zeros: 0,
    serialDate: 0,
    serialDateTime: 0,
    dateText: 0,
    dateTimeText: 0,
    clock: 0,
    placeholder: 0,
  };
  for (let r = fromRow, seen = 0; r < grid.rowCount && seen < PROFILE_ROWS; r++) {
    const v = grid.cell(r, c);
    if (v === null) continue;
    seen++;
    p.nonBlank++;
    if (typeof v === 'number') {
      p.numeric++;
      if (v === 0) p.zeros++;
      // Excel times are fractions of a day; meter times fall on quarter hours (1/96).
      if (v >= 0 && v <= 1) {
        if (Math.abs(v * 96 - Math.round(v * 96)) < 1e-6) p.clock++;
      } else if (excelSerialToWall(v, grid.date1904)) {
        if (Number.isInteger(v)) p.serialDate++;
        else p.serialDateTime++;
      }
      continue;
    }
    if (typeof v !== 'string') continue;
    if (NO_DATA.test(v.trim())) {
      p.placeholder++;
      continue;
    }
    if (looksNumeric(v)) {
      p.numeric++;
      if (/^[+-]?[0.,]+$/.test(v.trim())) p.zeros++;
      continue;
    }
    if (parseClock(v)) p.clock++;
    const dt = parseDateTimeText(v, 'DMY') ?? parseDateTimeText(v, 'MDY');
    if (dt && ('instant' in dt || dt.clock)) p.dateTimeText++;
    else if (parseDateText(v, 'DMY') ?? parseDateText(v, 'MDY')) p.dateText++;
  }
  return p;
}

const share = (n: number, p: Profile): number => (p.nonBlank === 0 ? 0 : n / p.nonBlank);
export const isDateTimeContent = (p: Profile): boolean =>
  share(p.serialDateTime + p.dateTimeText, p) >= 0.5 &&
  share(p.serialDateTime + p.dateTimeText + p.serialDate + p.dateText, p) >= 0.8;
export const isDateContent = (p: Profile): boolean => share(p.serialDate + p.dateText, p) >= 0.8;
export const isTimeContent = (p: Profile): boolean => share(p.clock, p) >= 0.8;
/** Mostly numbers, not counting no-data markers: a meter offline for days writes "-" for each of its slots. */
export const isNumericContent = (p: Profile): boolean =>
  p.numeric > 0 && p.numeric / (p.nonBlank - p.placeholder) >= 0.8;

function hasTimestampAndNumber(grid: Grid, r: number): boolean {
  let stamp = false;
  let number = false;
  for (let c = 0; c < grid.colCount; c++) {
    const v = grid.cell(r, c);
    if (typeof v === 'number') {
      if (excelSerialToWall(v, grid.date1904) && v > 1) stamp = true;
      else number = true;
    } else if (typeof v === 'string') {
      if (parseDateTimeText(v, 'DMY') ?? parseDateTimeText(v, 'MDY')) stamp = true;
      else if (looksNumeric(v)) number = true;
    }
  }
  return stamp && number;
}

/** Text that is no data: not a number, a no-data marker, a date or a time. */
function isLabel(v: CellValue): boolean {
  if (typeof v !== 'string' || looksNumeric(v) || NO_DATA.test(v.trim()) || parseClock(v)) return false;
  return !(parseDateTimeText(v, 'DMY') ?? parseDateTimeText(v, 'MDY'));
}

/**
 * A header written on two rows: a group row ("Energía Activa (kWh)" merged over two columns) over sub-headers
 * ("Entregada", "Recibida"). When the row below the header holds labels only, each column's header is the group
 * (carried right across the merged, blank cells) followed by its sub-header, and the data starts below both.
 */
function withSubHeaders(grid: Grid, row: HeaderRow, wanted: (roles: (HeaderRole | null)[]) => boolean): HeaderRow {
  const sub = row.r + 1;
  if (sub >= grid.rowCount) return row;
  let labels = 0;
  for (let c = 0; c < grid.colCount; c++) {
    const v = grid.cell(sub, c);
    if (v === null) continue;
    if (!isLabel(v)) return row;
    labels++;
  }
  if (labels === 0) return row;
  const headers: string[] = [];
  const roles: (HeaderRole | null)[] = [];
  const hints: (Convention | null)[] = [];
  let group = '';
  for (let c = 0; c < grid.colCount; c++) {
    const top = row.headers[c] ?? '';
    const below = cellText(grid.cell(sub, c));
    if (top) group = top;
    else if (!below) group = '';
    const text = [top || (below ? group : ''), below].filter(Boolean).join(' ');
    const info = text ? classifyHeader(text) : { role: null, hint: null };
    headers.push(text);
    roles.push(info.role);
    hints.push(info.hint);
  }
  if (!wanted(roles)) return row;
  return {
    r: sub,
    top: row.r,
    headers,
    roles,
    hints,
    confidence: row.confidence,
    reason: `header on rows ${grid.rowNumber(row.r)}–${grid.rowNumber(sub)} (group names over sub-headers)`,
  };
}

/**
 * The header row: among the first rows, the one naming most known columns with at least a date/time and an energy
 * column; failing that, the last all-text row right above rows that hold a date and a number.
 */
export function findHeaderRow(
  grid: Grid,
  wanted: (roles: (HeaderRole | null)[]) => boolean,
  headerRow?: number,
): HeaderRow | null {
  if (headerRow !== undefined) {
    if (headerRow < 1 || headerRow > grid.rowCount) return null;
    const given = { ...headerRowAt(grid, headerRow - 1), reason: `header on row ${headerRow} (given)` };
    return withSubHeaders(grid, given, wanted);
  }
  let best: { row: HeaderRow; score: number } | null = null;
  for (let r = 0; r < Math.min(grid.rowCount, HEADER_SCAN_ROWS); r++) {
    const row = headerRowAt(grid, r);
    if (!wanted(row.roles)) continue;
    const score = new Set(row.roles.filter((x) => x !== null)).size;
    if (!best || score > best.score) best = { row, score };
  }
  if (best)
    return withSubHeaders(
      grid,
      { ...best.row, reason: `header on row ${grid.rowNumber(best.row.r)} (recognised column names)` },
      wanted,
    );

  for (let r = 0; r < Math.min(grid.rowCount, HEADER_SCAN_ROWS); r++) {
    const texts = [...Array(grid.colCount).keys()].map((c) => grid.cell(r, c));
    const allText = texts.every((v) => v === null || (typeof v === 'string' && !looksNumeric(v)));
    if (!allText || texts.filter((v) => v !== null).length < 2) continue;
    let following = 0;
    let dataRows = 0;
    for (let q = r + 1; q < grid.rowCount && following < 3; q++) {
      if (isBlankRow(grid, q)) continue;
      following++;
      if (hasTimestampAndNumber(grid, q)) dataRows++;
    }
    if (following > 0 && dataRows === following) {
      return {
        ...headerRowAt(grid, r),
        confidence: 'LOW',
        reason: `header taken to be row ${grid.rowNumber(r)}: its column names are not recognised, but the rows below hold dates and numbers`,
      };
    }
  }
  return null;
}

export const meterHeaderWanted = (roles: (HeaderRole | null)[]): boolean =>
  roles.some(isTimestampRole) && roles.some((r) => r !== null && r.startsWith('KWH'));

/** A header or column letter (`"C"`) or 1-based number (`"3"`) from a mapping override → column index. */
export function resolveColumn(ref: string, header: HeaderRow, colCount: number): number | null {
  const wanted = normalizeHeader(ref);
  const byHeader = header.headers.findIndex((h) => h !== '' && normalizeHeader(h) === wanted);
  if (byHeader >= 0) return byHeader;
  if (/^[A-Z]{1,3}$/i.test(ref.trim())) {
    const c = XLSX.utils.decode_col(ref.trim().toUpperCase());
    return c < colCount ? c : null;
  }
  if (/^\d+$/.test(ref.trim())) {
    const c = Number(ref.trim()) - 1;
    return c >= 0 && c < colCount ? c : null;
  }
  return null;
}

export function refOf(header: HeaderRow, c: number): ColumnRef {
  return columnRef(header.headers[c] || `Column ${columnRef('', c).letter}`, c);
}

/** Every text value of the given columns below the header, for style detection (decimal separator, date order). */
export function* textValues(grid: Grid, columns: readonly number[], fromRow: number): Generator<string> {
  for (let r = fromRow; r < grid.rowCount; r++) {
    for (const c of columns) {
      const v: CellValue = grid.cell(r, c);
      if (typeof v === 'string') yield v;
    }
  }
}

export function energyColumns(header: HeaderRow): number[] {
  return header.roles.flatMap((role, c) => (isEnergyRole(role) ? [c] : []));
}

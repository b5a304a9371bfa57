import type Decimal from 'decimal.js';

/** A cell as stored in the file: SheetJS value (never a formula) or CSV text; null when blank. */
export type CellValue = string | number | boolean | null;

/**
 * Problem codes. Row/cell codes: TEXT_IN_NUMBER, NEGATIVE_VALUE, MISSING_VALUE, BAD_TIMESTAMP, DUPLICATE_CONFLICT,
 * OUTSIDE_PERIOD. Source codes: GAP, UNKNOWN_SHEET, UNKNOWN_METER, SERIAL_MISMATCH, NO_HEADER, BAD_MAPPING,
 * UNSUPPORTED_INTERVAL. File codes: FILE_TOO_LARGE, EMPTY_FILE, ZIP_BOMB, ENCRYPTED, TRUNCATED, UNREADABLE,
 * UNSUPPORTED_FORMAT.
 */
export type ProblemCode =
  | 'TEXT_IN_NUMBER'
  | 'NEGATIVE_VALUE'
  | 'MISSING_VALUE'
  | 'BAD_TIMESTAMP'
  | 'DUPLICATE_CONFLICT'
  | 'OUTSIDE_PERIOD'
  | 'GAP'
  | 'UNKNOWN_SHEET'
  | 'UNKNOWN_METER'
  | 'SERIAL_MISMATCH'
  | 'NO_HEADER'
  | 'BAD_MAPPING'
  | 'UNSUPPORTED_INTERVAL'
  | 'FILE_TOO_LARGE'
  | 'EMPTY_FILE'
  | 'ZIP_BOMB'
  | 'ENCRYPTED'
  | 'TRUNCATED'
  | 'UNREADABLE'
  | 'UNSUPPORTED_FORMAT';

/** ERROR: the row (or sheet, or file) is not imported as is. WARNING: imported, but worth a look. */
export type Severity = 'ERROR' | 'WARNING';

export interface ProblemColumn {
  /** The header as written in the file. */
  header: string;
  /** Spreadsheet column letter (A, B, …); for a CSV the letter the column gets when opened in Excel. */
  letter: string;
}

export interface Problem {
  code: ProblemCode;
  severity: Severity;
  fileName: string | null;
  /** Sheet name (workbooks); null for a CSV or a file-level problem. */
  sheet: string | null;
  /** 1-based row in the sheet or file; null when the problem is not one row's. */
  row: number | null;
  column: ProblemColumn | null;
  /** The stored cell value (never a formula); null when blank or not about a cell. */
  value: CellValue;
  /** What was expected instead, in words. */
  expected: string | null;
  message: string;
  /** GAP only: the missing slots `[from, to)`. */
  range?: { from: Date; to: Date; slots: number };
}

export type Convention = 'INTERVAL_END' | 'INTERVAL_START';
export type Confidence = 'HIGH' | 'MEDIUM' | 'LOW';
export type DecimalSeparator = ',' | '.';
/** Order of day, month and year in text dates (`01/09/2025` is DMY). */
export type DateOrder = 'DMY' | 'MDY' | 'YMD';

export interface ColumnRef {
  header: string;
  letter: string;
  /** 0-based column index. */
  index: number;
}

/** How the columns of one source were read; `reasons` say why, for the upload preview. */
export interface MeterMapping {
  /** Headers of the timestamp column(s): one date-time column, or date then time. */
  timestamp: string[];
  /** Header of the delivered-kWh (consumption) column. */
  consumption: string;
  kvarh?: string;
  serial?: string;
  convention: Convention;
  decimalSeparator?: DecimalSeparator;
  delimiter?: string;
  dateOrder?: DateOrder;
  columns: { timestamp: ColumnRef[]; consumption: ColumnRef; kvarh?: ColumnRef; serial?: ColumnRef };
  /** Confidence of the column choice and of the timestamp convention. */
  confidence: { columns: Confidence; convention: Confidence };
  reasons: string[];
}

/**
 * An explicit mapping from the admin (upload preview). Columns are named by header (matched ignoring case and
 * accents) or by letter (`"C"`). Anything not given is still detected.
 */
export interface MappingOverride {
  /** One date-time column, or [date, time]. */
  timestamp?: string[];
  consumption?: string;
  /** `null`: the file has no kVArh column to read. */
  kvarh?: string | null;
  serial?: string | null;
  convention?: Convention;
  decimalSeparator?: DecimalSeparator;
  /** CSV only. */
  delimiter?: string;
  dateOrder?: DateOrder;
  /** 1-based row of the header. */
  headerRow?: number;
}

export interface Reading {
  /** Start of the 15-minute slot. */
  slotStart: Date;
  /** Raw register value (the meter multiplier is applied later). */
  kwh: Decimal;
  kvarh: Decimal | null;
  /** 1-based row it came from. */
  row: number;
}

export interface SourceRef {
  kind: 'XLSX_SHEET' | 'CSV';
  sheet?: string;
  fileName?: string;
}

export type SerialOrigin = 'OVERRIDE' | 'SHEET_NAME' | 'METADATA' | 'COLUMN' | 'FILE_NAME';

/** The period gaps are measured in: the `period` option, the file's own `Periodo:` line, or the data's month. */
export interface CoveredPeriod {
  from: Date;
  to: Date;
  basis: 'OPTION' | 'METADATA' | 'DATA';
  /** `YYYY-MM` when it is a calendar month. */
  label: string | null;
}

export interface MeterSource {
  source: SourceRef;
  serial: string | null;
  serialFrom: SerialOrigin | null;
  node: string | null;
  /** 1-based row of the header; the lines above it are `metadata`. */
  headerRow: number;
  headers: string[];
  metadata: string[];
  mapping: MeterMapping;
  period: CoveredPeriod | null;
  /** Sorted by slot, one per slot. */
  readings: Reading[];
  counts: {
    /** Data rows read (blank rows and total lines not counted). */
    rows: number;
    readings: number;
    duplicatesCollapsed: number;
    /** Rows not imported: a cell problem (a blank kWh included) or a conflicting duplicate. */
    rejected: number;
    outsidePeriod: number;
    expectedSlots: number | null;
    missingSlots: number;
  };
  /** The first five data rows as stored (up to 30 columns), aligned with `headers`. */
  firstRows: { row: number; values: CellValue[] }[];
  problems: Problem[];
}

export interface MeterFileResult {
  /** HTML: an HTML table saved under an .xls name; XML: an Excel 2003 XML spreadsheet. */
  format: 'XLSX' | 'XLS' | 'CSV' | 'HTML' | 'XML' | null;
  sources: MeterSource[];
  /** Problems of the file, or of sheets that yielded no source; each source carries its own. */
  problems: Problem[];
}

export interface ParseLimits {
  /** Default 50 MB. */
  maxBytes?: number;
  /** Total uncompressed size of a workbook's zip entries. Default 200 MB. */
  maxUncompressedBytes?: number;
  /** Uncompressed/compressed ratio allowed for an entry over 1 MB. Default 200. */
  maxCompressionRatio?: number;
  /** Default 10,000. */
  maxZipEntries?: number;
  /** Problems of one code reported per source; the rest are summed up in one. Default 100. */
  maxProblemsPerCode?: number;
}

export interface MeterFileOptions {
  fileName: string;
  /** The client's IANA time zone, e.g. `America/El_Salvador`. */
  zone: string;
  /** `YYYY-MM`: readings outside are dropped (OUTSIDE_PERIOD) and gaps are measured over the month. */
  period?: string;
  /** Applies to every source of the file. */
  mapping?: MappingOverride;
  /** Per sheet name (or CSV file name); wins over `mapping`. */
  sheetMappings?: Record<string, MappingOverride>;
  /** Sheet name (or CSV file name) → meter serial, for sheets not named `Nodo <node> <serial>`. */
  sheetSerials?: Record<string, string>;
  limits?: ParseLimits;
}

export interface ForecastHour {
  /** Start of the local hour. */
  hourStart: Date;
  kwh: Decimal;
  row: number;
}

export interface CustomerForecast {
  customerCode: string;
  /** Sorted, one per hour. */
  hours: ForecastHour[];
}

export interface ForecastOptions {
  zone: string;
  fileName?: string;
  /** `YYYY-MM`: hours outside are dropped (OUTSIDE_PERIOD), missing hours reported (GAP). */
  period?: string;
  limits?: ParseLimits;
}

export interface ForecastMapping {
  customer: string;
  /** One date-time column, or date then hour. */
  timestamp: string[];
  kwh: string;
  /** How `Hora` is meant: the start of the hour (default) or its end (`Hora fin`). */
  convention: Convention;
  decimalSeparator?: DecimalSeparator;
  dateOrder?: DateOrder;
  reasons: string[];
}

export interface ForecastResult {
  format: MeterFileResult['format'];
  /** Sheets the forecasts were read from. */
  sheets: string[];
  mapping: ForecastMapping | null;
  customers: CustomerForecast[];
  counts: { rows: number; hours: number; duplicatesCollapsed: number; rejected: number };
  problems: Problem[];
}

import * as XLSX from '@e965/xlsx';
import { decodeText, delimiterName, detectDelimiter, parseCsv } from './csv';
import { csvGrid, sheetGrid, type Grid } from './grid';
import { checkFileSafety } from './safety';
import type { ParseLimits, ProblemCode } from './types';

/** Bytes → grids (one per sheet, or one for a text file), after the safety checks. Never throws for bad input. */

export type Bytes = Uint8Array | ArrayBuffer;

export type FileFormat = 'XLSX' | 'XLS' | 'CSV' | 'HTML' | 'XML';

export interface LoadedFile {
  format: FileFormat;
  grids: Grid[];
  delimiter?: { delimiter: string; reason: string };
  notes: string[];
  /** Non-fatal file problems (a CSV ending inside quotes). */
  warnings: { code: ProblemCode; message: string }[];
}

export type LoadResult =
  { ok: true; file: LoadedFile } | { ok: false; code: ProblemCode; message: string; format: FileFormat | null };

export function toUint8Array(bytes: Bytes): Uint8Array {
  return bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
}

function readWorkbook(data: Uint8Array | string, raw = false): XLSX.WorkBook {
  // Values only: no formulas (a formula cell yields its cached result), no styles, no formatted text, no macros.
  return XLSX.read(data, {
    type: typeof data === 'string' ? 'string' : 'array',
    // For HTML tables: keep cell text as written, so dates and decimal commas go through our own detection.
    raw,
    dense: true,
    cellFormula: false,
    cellHTML: false,
    cellText: false,
    cellNF: false,
    cellStyles: false,
    cellDates: false,
    sheetStubs: false,
    bookVBA: false,
    bookDeps: false,
    bookFiles: false,
    WTF: false,
  });
}

function classifyReadError(error: unknown): { code: ProblemCode; message: string } {
  const text = error instanceof Error ? error.message : String(error);
  if (/password|encrypt/i.test(text)) {
    return {
      code: 'ENCRYPTED',
      message: `The workbook is password-protected; save it without a password and upload it again (${text})`,
    };
  }
  if (
    /end of central directory|unexpected end|truncat|corrupt|invalid (?:zip|header)|bad (?:compressed|uncompressed) size/i.test(
      text,
    )
  ) {
    return { code: 'TRUNCATED', message: `The file is cut short or damaged; upload the complete file (${text})` };
  }
  return {
    code: 'UNREADABLE',
    message: `The file could not be read as a spreadsheet (.xlsx, .xls, .ods) or CSV: ${text}`,
  };
}

export function loadFile(
  bytes: Bytes,
  fileName: string,
  limits: ParseLimits | undefined,
  delimiterOverride?: string,
): LoadResult {
  const data = toUint8Array(bytes);
  const safety = checkFileSafety(data, limits);
  const formatOf = (container: string | null): FileFormat | null =>
    container === 'ZIP' ? 'XLSX' : container === 'CFB' ? 'XLS' : container === 'TEXT' ? 'CSV' : null;
  if (!safety.ok) return { ok: false, code: safety.code, message: safety.message, format: formatOf(safety.container) };

  if (safety.container === 'TEXT') {
    const decoded = decodeText(data);
    const markup = markupKind(decoded.text);
    if (markup === 'OTHER') {
      return {
        ok: false,
        code: 'UNSUPPORTED_FORMAT',
        message: 'The file is an XML/HTML document without a table or a spreadsheet',
        format: null,
      };
    }
    if (markup) {
      // Meter software often saves an HTML table (or Excel 2003 XML) under an .xls name; SheetJS reads both.
      return fromWorkbook(() => readWorkbook(decoded.text, markup === 'HTML'), fileName, markup, [
        markup === 'HTML' ? 'HTML table (saved as a spreadsheet)' : 'Excel 2003 XML spreadsheet',
      ]);
    }
    const notes = [`text file, ${decoded.encoding}${decoded.bom ? ' with BOM' : ''}`];
    const delimiter = delimiterOverride
      ? { delimiter: delimiterOverride, reason: `delimiter ${delimiterName(delimiterOverride)} (given)` }
      : detectDelimiter(decoded.text);
    const records = parseCsv(decoded.text, delimiter.delimiter);
    const warnings = records.unterminatedQuote
      ? [
          {
            code: 'TRUNCATED' as const,
            message: 'The file ends inside a quoted field: it may be cut short; the last rows may be wrong',
          },
        ]
      : [];
    return { ok: true, file: { format: 'CSV', grids: [csvGrid(fileName, records)], delimiter, notes, warnings } };
  }

  return fromWorkbook(() => readWorkbook(data), fileName, formatOf(safety.container) ?? 'XLSX', []);
}

function fromWorkbook(read: () => XLSX.WorkBook, fileName: string, format: FileFormat, notes: string[]): LoadResult {
  let workbook: XLSX.WorkBook;
  try {
    workbook = read();
  } catch (error) {
    return { ok: false, ...classifyReadError(error), format };
  }
  const date1904 = workbook.Workbook?.WBProps?.date1904 === true;
  const grids = workbook.SheetNames.map((name) => sheetGrid(name, workbook.Sheets[name], fileName, date1904));
  return { ok: true, file: { format, grids, notes, warnings: [] } };
}

/** A text file that is markup: an HTML table, an Excel 2003 XML spreadsheet, or some other XML (null: plain text). */
function markupKind(text: string): 'HTML' | 'XML' | 'OTHER' | null {
  const head = text.slice(0, 65_536);
  if (!/^\s*</.test(head)) return null;
  if (/urn:schemas-microsoft-com:office:spreadsheet/i.test(head)) return 'XML';
  if (/<table[\s>]/i.test(head)) return 'HTML';
  return 'OTHER';
}

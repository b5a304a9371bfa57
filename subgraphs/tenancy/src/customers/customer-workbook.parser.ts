import * as XLSX from '@e965/xlsx';
import Decimal from 'decimal.js';
import { normalizeNit, normalizeNrc, type ParseResult } from './fiscal-ids';
import { parseDecimalNumber, parseFraction } from './percent';

/**
 * Parser of the client's customer workbook ("Datos de clientes para facturación.xlsx"):
 * sheet `Clientes`, one row per meter, rows sharing a customer code merged into one
 * customer. Pure: bytes in, customers and row errors out.
 */

export const DEFAULT_CUSTOMER_SHEET = 'Clientes';

export interface ParsedMeter {
  serial: string;
  node: string;
  /** CT/PT ratio; 1 when the cell is blank or the column absent. */
  multiplier: Decimal;
  channel?: string;
  /** 1-based Excel row the meter came from. */
  sourceRow: number;
}

export interface ParsedCustomer {
  code: string;
  name: string;
  legalName?: string;
  /** Canonical `0000-000000-000-0`, or `00000000-0` for a DUI used as NIT. */
  nit: string;
  /** Canonical `123456-7`. */
  nrc: string;
  contractNumber?: string;
  address?: string;
  department?: string;
  municipality?: string;
  contractedKw: Decimal | null;
  voltageLevel?: string;
  tariffCode: string;
  /** Fraction: 0.0235 for 2.35%. */
  lossFactor: Decimal;
  /** Fraction; 0 when blank. */
  discount: Decimal;
  /** Fraction; null when blank (no deviation charge). */
  deviationTolerance: Decimal | null;
  paymentTermsDays?: number;
  billingEmail?: string;
  meters: ParsedMeter[];
  /** 1-based Excel rows merged into this customer. */
  sourceRows: number[];
}

export type CellValue = string | number | boolean | null;

export interface RowError {
  sheet: string;
  /** 1-based Excel row; null for a workbook-level problem (unreadable file, missing sheet). */
  row: number | null;
  /** Header as written in the file and its column letter; null when the problem is not one cell's. */
  column: { header: string; letter: string } | null;
  /** The cell's stored value (never a formula); null when blank or not about a cell. */
  value: CellValue;
  message: string;
}

export interface CustomerWorkbookOptions {
  /** Defaults to `Clientes` (matched ignoring case, accents and surrounding spaces). */
  sheetName?: string;
}

export interface CustomerWorkbookResult {
  customers: ParsedCustomer[];
  errors: RowError[];
}

type CustomerKey = Exclude<keyof ParsedCustomer, 'meters' | 'sourceRows'>;
type MeterKey = Exclude<keyof ParsedMeter, 'sourceRow'>;
type FieldKey = CustomerKey | MeterKey;
/** Customer fields every row of the same customer must agree on. */
type SharedKey = Exclude<CustomerKey, 'code'>;

interface ColumnSpec {
  /** English name used in messages. */
  label: string;
  /** The header as the sample workbook writes it, shown when the column is missing. */
  example: string;
  /** Normalised header names (see normalizeHeader) that map to the field. */
  aliases: string[];
}

const COLUMNS: Record<FieldKey, ColumnSpec> = {
  code: {
    label: 'Customer code',
    example: 'Código cliente',
    aliases: ['codigo cliente', 'codigo', 'cod cliente', 'customer code', 'code'],
  },
  name: {
    label: 'Name',
    example: 'Nombre / Razón social',
    aliases: ['nombre razon social', 'nombre', 'nombre cliente', 'nombre comercial', 'name', 'customer name'],
  },
  legalName: { label: 'Legal name', example: 'Razón social', aliases: ['razon social', 'nombre legal', 'legal name'] },
  nit: { label: 'NIT', example: 'NIT', aliases: ['nit', 'nit cliente'] },
  nrc: {
    label: 'NRC',
    example: 'NRC',
    aliases: ['nrc', 'nrc cliente', 'registro', 'no registro', 'numero registro', 'registro contribuyente'],
  },
  contractNumber: {
    label: 'Contract number',
    example: 'Nº contrato',
    aliases: [
      'no contrato',
      'n contrato',
      'nro contrato',
      'num contrato',
      'numero contrato',
      'contrato',
      'contract number',
      'contract',
    ],
  },
  address: { label: 'Address', example: 'Dirección', aliases: ['direccion', 'domicilio', 'address'] },
  department: { label: 'Department', example: 'Departamento', aliases: ['departamento', 'department'] },
  municipality: { label: 'Municipality', example: 'Municipio', aliases: ['municipio', 'municipality'] },
  contractedKw: {
    label: 'Contracted power (kW)',
    example: 'Potencia contratada (kW)',
    aliases: ['potencia contratada', 'demanda contratada', 'contracted kw', 'contracted power', 'contracted demand'],
  },
  voltageLevel: {
    label: 'Voltage level',
    example: 'Nivel de tensión',
    aliases: ['nivel tension', 'tension', 'voltage level', 'voltage'],
  },
  tariffCode: { label: 'Tariff', example: 'Tarifa', aliases: ['tarifa', 'codigo tarifa', 'tariff', 'tariff code'] },
  lossFactor: {
    label: 'Loss factor',
    example: 'Factor de pérdidas',
    aliases: ['factor perdidas', 'factor perdida', 'perdidas', 'loss factor'],
  },
  discount: { label: 'Discount', example: 'Descuento', aliases: ['descuento', 'discount'] },
  deviationTolerance: {
    label: 'Deviation tolerance',
    example: 'Tolerancia desvío',
    aliases: ['tolerancia desvio', 'tolerancia desviacion', 'tolerancia', 'deviation tolerance'],
  },
  paymentTermsDays: {
    label: 'Payment terms (days)',
    example: 'Plazo de pago (días)',
    aliases: ['plazo pago', 'plazo', 'dias credito', 'payment terms'],
  },
  billingEmail: {
    label: 'Billing e-mail',
    example: 'Correo facturación',
    aliases: [
      'correo facturacion',
      'correo electronico facturacion',
      'correo',
      'correo electronico',
      'email',
      'billing email',
    ],
  },
  node: { label: 'Node', example: 'Nodo', aliases: ['nodo', 'node'] },
  serial: {
    label: 'Meter serial',
    example: 'Serie medidor',
    aliases: [
      'serie medidor',
      'serie',
      'no serie',
      'numero serie',
      'medidor',
      'no medidor',
      'numero medidor',
      'meter',
      'meter serial',
      'serial',
    ],
  },
  multiplier: {
    label: 'Multiplier',
    example: 'Factor de multiplicación',
    aliases: ['factor multiplicacion', 'factor multiplicador', 'multiplicador', 'constante medidor', 'multiplier'],
  },
  channel: { label: 'Channel', example: 'Canal', aliases: ['canal', 'canal consumo', 'channel'] },
};

const FIELD_KEYS = Object.keys(COLUMNS) as FieldKey[];
const REQUIRED_COLUMNS: FieldKey[] = ['code', 'nit', 'nrc', 'tariffCode', 'lossFactor', 'node', 'serial'];
const SHARED_KEYS: SharedKey[] = [
  'name',
  'legalName',
  'nit',
  'nrc',
  'contractNumber',
  'address',
  'department',
  'municipality',
  'contractedKw',
  'voltageLevel',
  'tariffCode',
  'lossFactor',
  'discount',
  'deviationTolerance',
  'paymentTermsDays',
  'billingEmail',
];
/** The header row is looked for among the first rows, below any title lines. */
const HEADER_SEARCH_ROWS = 20;
const STOPWORDS = new Set(['de', 'del', 'la', 'el', 'los', 'las', 'en', 'of', 'the']);
const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;
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

/** Lower case, no accents (º → o), punctuation as spaces, no filler words: "Nº contrato" → "no contrato". */
function normalizeHeader(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((word) => word !== '' && !STOPWORDS.has(word))
    .join(' ');
}

function fieldForHeader(header: string): FieldKey | undefined {
  // "Potencia contratada (kW)" is looked up with and without its parenthesised unit.
  // Spaces are ignored too, so "N.R.C." and "E-mail" match "nrc" and "email".
  const compact = (name: string): string => name.replace(/ /g, '');
  const candidates = [normalizeHeader(header), normalizeHeader(header.replace(/\([^)]*\)/g, ' '))].map(compact);
  for (const candidate of candidates) {
    const key = FIELD_KEYS.find((k) => COLUMNS[k].aliases.some((alias) => compact(alias) === candidate));
    if (key) return key;
  }
  return undefined;
}

type Cell =
  | { kind: 'blank' }
  | { kind: 'value'; value: string | number | boolean }
  | { kind: 'error'; value: CellValue; message: string };

function readCell(sheet: XLSX.WorkSheet, row: number, col: number): Cell {
  const cell = sheet[XLSX.utils.encode_cell({ r: row, c: col })] as XLSX.CellObject | undefined;
  if (!cell || cell.t === 'z' || cell.v === undefined || cell.v === null) {
    if (cell?.t === 'e') {
      return {
        kind: 'error',
        value: null,
        message: 'holds a formula without a saved result; open the file in Excel, recalculate and save it',
      };
    }
    return { kind: 'blank' };
  }
  if (cell.t === 'e') {
    const code = typeof cell.v === 'number' ? (EXCEL_ERRORS[cell.v] ?? `#ERROR(${cell.v})`) : String(cell.v);
    return { kind: 'error', value: code, message: `holds the Excel error ${code}` };
  }
  if (typeof cell.v === 'string') return cell.v.trim() === '' ? { kind: 'blank' } : { kind: 'value', value: cell.v };
  if (typeof cell.v === 'number' || typeof cell.v === 'boolean') return { kind: 'value', value: cell.v };
  return { kind: 'value', value: cell.v.toISOString() };
}

interface Column {
  key: FieldKey;
  index: number;
  header: string;
  letter: string;
}

interface HeaderScan {
  row: number;
  columns: Map<FieldKey, Column>;
  errors: RowError[];
}

function scanHeaderRow(sheetName: string, sheet: XLSX.WorkSheet, range: XLSX.Range, row: number): HeaderScan {
  const columns = new Map<FieldKey, Column>();
  const errors: RowError[] = [];
  for (let c = range.s.c; c <= range.e.c; c++) {
    const cell = readCell(sheet, row, c);
    if (cell.kind !== 'value') continue;
    const header = String(cell.value).trim();
    const key = fieldForHeader(header);
    if (!key) continue;
    const letter = XLSX.utils.encode_col(c);
    const first = columns.get(key);
    if (first) {
      errors.push({
        sheet: sheetName,
        row: row + 1,
        column: { header, letter },
        value: header,
        message: `Columns ${first.letter} ("${first.header}") and ${letter} ("${header}") both hold ${COLUMNS[key].label}; only column ${first.letter} is read`,
      });
      continue;
    }
    columns.set(key, { key, index: c, header, letter });
  }
  return { row, columns, errors };
}

function headersOf(sheet: XLSX.WorkSheet, range: XLSX.Range, row: number): string[] {
  const headers: string[] = [];
  for (let c = range.s.c; c <= range.e.c; c++) {
    const cell = readCell(sheet, row, c);
    if (cell.kind === 'value') headers.push(String(cell.value).trim());
  }
  return headers;
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return '(blank)';
  if (Decimal.isDecimal(value)) return value.toFixed();
  return JSON.stringify(value);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Decimal.isDecimal(a) && Decimal.isDecimal(b)) return a.eq(b);
  return (a ?? null) === (b ?? null);
}

/** Text of a cell; numbers (serials, codes typed as numbers) are written without float noise. */
function cellText(value: string | number | boolean): string | null {
  if (typeof value === 'string') return value.replace(/\s+/g, ' ').trim();
  if (typeof value === 'number') return Number.isFinite(value) ? new Decimal(value.toPrecision(15)).toFixed() : null;
  return null;
}

type Parser<T> = (value: string | number | boolean, label: string) => ParseResult<T>;

const text: Parser<string> = (value, label) => {
  const t = cellText(value);
  return t === null ? { ok: false, message: `${label} must be text, got ${describe(value)}` } : { ok: true, value: t };
};

function stringOrNumber<T>(fn: (raw: string | number, label: string) => ParseResult<T>): Parser<T> {
  return (value, label) =>
    typeof value === 'boolean'
      ? { ok: false, message: `${label} must not be TRUE/FALSE, got ${describe(value)}` }
      : fn(value, label);
}

const nit = stringOrNumber((raw) => normalizeNit(raw));
const nrc = stringOrNumber((raw) => normalizeNrc(raw));
const fraction = stringOrNumber((raw, label) => parseFraction(raw, label));
const lossFraction = stringOrNumber((raw, label) => parseFraction(raw, label, { allowMultiplier: true }));

const nonNegativeDecimal = stringOrNumber((raw, label): ParseResult<Decimal> => {
  const parsed = parseDecimalNumber(raw, label);
  if (parsed.ok && parsed.value.lt(0))
    return { ok: false, message: `${label} must not be negative, got ${describe(raw)}` };
  return parsed;
});

const positiveDecimal = stringOrNumber((raw, label): ParseResult<Decimal> => {
  const parsed = parseDecimalNumber(raw, label);
  if (parsed.ok && !parsed.value.gt(0))
    return { ok: false, message: `${label} must be greater than 0, got ${describe(raw)}` };
  return parsed;
});

const days = stringOrNumber((raw, label): ParseResult<number> => {
  const digits = typeof raw === 'number' ? raw : raw.trim().replace(/\s*(d|dias|días|days)\.?$/i, '');
  const n = typeof digits === 'number' ? digits : /^\d+$/.test(digits) ? Number(digits) : NaN;
  return Number.isSafeInteger(n) && n >= 0
    ? { ok: true, value: n }
    : { ok: false, message: `${label} must be a whole number of days like 30, got ${describe(raw)}` };
});

const email: Parser<string> = (value, label) => {
  const t = cellText(value);
  return t !== null && EMAIL.test(t)
    ? { ok: true, value: t }
    : {
        ok: false,
        message: `${label} must be one e-mail address like facturacion@empresa.com, got ${describe(value)}`,
      };
};

/** Reads one data row; every problem found becomes a RowError, the row is kept only without any. */
class RowReader {
  readonly errors: RowError[] = [];
  readonly failed = new Set<FieldKey>();

  constructor(
    private readonly sheetName: string,
    private readonly sheet: XLSX.WorkSheet,
    private readonly columns: Map<FieldKey, Column>,
    readonly row: number,
  ) {}

  get excelRow(): number {
    return this.row + 1;
  }

  isBlank(): boolean {
    return [...this.columns.values()].every((col) => readCell(this.sheet, this.row, col.index).kind === 'blank');
  }

  fail(key: FieldKey, value: CellValue, message: string): void {
    const col = this.columns.get(key);
    this.failed.add(key);
    this.errors.push({
      sheet: this.sheetName,
      row: this.excelRow,
      column: col ? { header: col.header, letter: col.letter } : null,
      value,
      message,
    });
  }

  rawValue(key: FieldKey): CellValue {
    const col = this.columns.get(key);
    if (!col) return null;
    const cell = readCell(this.sheet, this.row, col.index);
    return cell.kind === 'blank' ? null : cell.value;
  }

  /** The parsed value, undefined when blank or absent (an error when `required`), or when invalid. */
  get<T>(key: FieldKey, parse: Parser<T>, required = false): T | undefined {
    const col = this.columns.get(key);
    const label = COLUMNS[key].label;
    const cell: Cell = col ? readCell(this.sheet, this.row, col.index) : { kind: 'blank' };
    if (cell.kind === 'error') {
      this.fail(key, cell.value, `${label} ${cell.message}`);
      return undefined;
    }
    if (cell.kind === 'blank') {
      if (required) this.fail(key, null, `${label} is required`);
      return undefined;
    }
    const parsed = parse(cell.value, label);
    if (!parsed.ok) {
      this.fail(key, cell.value, parsed.message);
      return undefined;
    }
    return parsed.value;
  }
}

interface Entry {
  customer: ParsedCustomer;
  firstRow: number;
}

function parseRow(
  reader: RowReader,
  customers: Map<string, Entry>,
  serials: Map<string, { row: number; code: string }>,
): void {
  const code = reader.get('code', text, true);
  const legalName = reader.get('legalName', text);
  const name = reader.get('name', text, legalName === undefined && !reader.failed.has('legalName')) ?? legalName;
  const lossFactor = reader.get('lossFactor', lossFraction);
  if (lossFactor === undefined && !reader.failed.has('lossFactor')) {
    reader.fail(
      'lossFactor',
      null,
      'Loss factor is required: write it like 2.35%, 0.0235 or 1.0235 (0 if there are no losses)',
    );
  }
  const fields: Omit<ParsedCustomer, 'meters' | 'sourceRows' | 'code'> = {
    name: name ?? '',
    legalName,
    nit: reader.get('nit', nit, true) ?? '',
    nrc: reader.get('nrc', nrc, true) ?? '',
    contractNumber: reader.get('contractNumber', text),
    address: reader.get('address', text),
    department: reader.get('department', text),
    municipality: reader.get('municipality', text),
    contractedKw: reader.get('contractedKw', nonNegativeDecimal) ?? null,
    voltageLevel: reader.get('voltageLevel', text),
    tariffCode: reader.get('tariffCode', text, true) ?? '',
    lossFactor: lossFactor ?? new Decimal(0),
    discount: reader.get('discount', fraction) ?? new Decimal(0),
    deviationTolerance: reader.get('deviationTolerance', fraction) ?? null,
    paymentTermsDays: reader.get('paymentTermsDays', days),
    billingEmail: reader.get('billingEmail', email),
  };
  const meter: ParsedMeter = {
    serial: reader.get('serial', text, true) ?? '',
    node: reader.get('node', text, true) ?? '',
    multiplier: reader.get('multiplier', positiveDecimal) ?? new Decimal(1),
    channel: reader.get('channel', text),
    sourceRow: reader.excelRow,
  };
  if (fields.legalName === undefined) delete fields.legalName;
  for (const key of [
    'contractNumber',
    'address',
    'department',
    'municipality',
    'voltageLevel',
    'paymentTermsDays',
    'billingEmail',
  ] as const) {
    if (fields[key] === undefined) delete fields[key];
  }
  if (meter.channel === undefined) delete meter.channel;

  const entry = code === undefined ? undefined : customers.get(code.toUpperCase());
  if (entry) {
    for (const key of SHARED_KEYS) {
      if (reader.failed.has(key) || sameValue(entry.customer[key], fields[key])) continue;
      reader.fail(
        key,
        reader.rawValue(key),
        `${COLUMNS[key].label} of customer ${entry.customer.code} is ${describe(fields[key])} here but ${describe(entry.customer[key])} on row ${entry.firstRow}; every row of a customer must agree`,
      );
    }
  }
  if (!reader.failed.has('serial') && meter.serial !== '') {
    const seen = serials.get(meter.serial.toUpperCase());
    if (seen)
      reader.fail(
        'serial',
        reader.rawValue('serial'),
        `Meter ${meter.serial} is already listed on row ${seen.row} (customer ${seen.code})`,
      );
  }
  if (reader.errors.length > 0 || code === undefined) return;

  serials.set(meter.serial.toUpperCase(), { row: reader.excelRow, code });
  if (entry) {
    entry.customer.meters.push(meter);
    entry.customer.sourceRows.push(reader.excelRow);
  } else {
    customers.set(code.toUpperCase(), {
      customer: { code, ...fields, meters: [meter], sourceRows: [reader.excelRow] },
      firstRow: reader.excelRow,
    });
  }
}

function readWorkbook(data: Buffer | ArrayBuffer | Uint8Array): XLSX.WorkBook {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  // Values only: formulas are not parsed (a formula cell yields its saved result), no dates, no formatted text.
  return XLSX.read(bytes, {
    type: 'array',
    cellFormula: false,
    cellHTML: false,
    cellText: false,
    cellNF: false,
    cellStyles: false,
    cellDates: false,
    sheetStubs: false,
    bookVBA: false,
  });
}

function findSheet(workbook: XLSX.WorkBook, wanted: string): string | undefined {
  if (workbook.Sheets[wanted]) return wanted;
  const target = normalizeHeader(wanted);
  return workbook.SheetNames.find((name) => normalizeHeader(name) === target);
}

/**
 * Parses the customer workbook. Never throws for bad input: every problem is a RowError
 * and the rows without problems still come through as customers.
 */
export function parseCustomerWorkbook(
  data: Buffer | ArrayBuffer | Uint8Array,
  options: CustomerWorkbookOptions = {},
): CustomerWorkbookResult {
  const wanted = options.sheetName ?? DEFAULT_CUSTOMER_SHEET;
  const workbookError = (sheet: string, message: string): CustomerWorkbookResult => ({
    customers: [],
    errors: [{ sheet, row: null, column: null, value: null, message }],
  });

  let workbook: XLSX.WorkBook;
  try {
    workbook = readWorkbook(data);
  } catch (error) {
    return workbookError(
      wanted,
      `The file could not be read as a spreadsheet (.xlsx, .xls, .ods): ${(error as Error).message}`,
    );
  }
  const sheetName = findSheet(workbook, wanted);
  if (sheetName === undefined) {
    const found = workbook.SheetNames.map((n) => `"${n}"`).join(', ') || 'none';
    return workbookError(wanted, `Sheet "${wanted}" not found; the workbook has the sheets: ${found}`);
  }
  const sheet = workbook.Sheets[sheetName];
  const ref = sheet['!ref'];
  if (!ref) return workbookError(sheetName, `Sheet "${sheetName}" is empty`);
  const range = XLSX.utils.decode_range(ref);

  let header: HeaderScan | undefined;
  for (let r = range.s.r; r <= Math.min(range.e.r, range.s.r + HEADER_SEARCH_ROWS - 1); r++) {
    const scan = scanHeaderRow(sheetName, sheet, range, r);
    if (!header || scan.columns.size > header.columns.size) header = scan;
  }
  const missing = REQUIRED_COLUMNS.filter((key) => !header?.columns.has(key));
  if (!header?.columns.has('name') && !header?.columns.has('legalName')) missing.splice(1, 0, 'name');
  if (!header || missing.length > 0) {
    const expected = missing.map((key) => `${COLUMNS[key].label} ("${COLUMNS[key].example}")`).join(', ');
    const found = header ? headersOf(sheet, range, header.row) : [];
    return {
      customers: [],
      errors: [
        {
          sheet: sheetName,
          row: header && header.columns.size > 0 ? header.row + 1 : null,
          column: null,
          value: null,
          message:
            `Sheet "${sheetName}" has no header row with the columns ${expected} (matched ignoring case and accents)` +
            (found.length > 0 ? `; the closest header row has: ${found.map((h) => `"${h}"`).join(', ')}` : ''),
        },
      ],
    };
  }

  const errors = [...header.errors];
  const customers = new Map<string, Entry>();
  const serials = new Map<string, { row: number; code: string }>();
  for (let r = header.row + 1; r <= range.e.r; r++) {
    const reader = new RowReader(sheetName, sheet, header.columns, r);
    if (reader.isBlank()) continue;
    parseRow(reader, customers, serials);
    errors.push(...reader.errors);
  }
  return { customers: [...customers.values()].map((e) => e.customer), errors };
}

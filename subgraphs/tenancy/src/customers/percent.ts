import Decimal from 'decimal.js';
import type { ParseResult } from './fiscal-ids';

/**
 * Percentages, fractions and plain decimals as people type them in spreadsheets,
 * read into exact Decimals (never float arithmetic).
 */

export interface FractionOptions {
  /**
   * Read a value ≥ 1 written without "%" as a multiplier and subtract 1
   * (loss factors: `1.0235` → 0.0235). Off by default: there, 2.35 is an error.
   */
  allowMultiplier?: boolean;
}

const ONE = new Decimal(1);
const HUNDRED = new Decimal(100);

/**
 * A number read from an Excel cell. Excel keeps 15 significant digits, so the binary
 * double is cut there: a cell holding 2.35/100 gives 0.0235, not 0.023500000000000003.
 */
export function decimalFromExcelNumber(value: number): Decimal {
  return Number.isSafeInteger(value) ? new Decimal(value) : new Decimal(value.toPrecision(15));
}

function shown(raw: string | number): string {
  return JSON.stringify(typeof raw === 'number' ? String(raw) : raw);
}

function cleanText(raw: string): string {
  return raw.replace(/[\u00a0\u202f]/g, ' ').trim();
}

/** `12`, `0.0235`, `0,0235`, `.5` (one optional decimal point or comma, no grouping). */
const SIMPLE_NUMBER = /^[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)$/;

/**
 * A fraction in [0, 1] from `2.35%`, `2,35 %`, `0.0235`, `0,0235` or a cell's number
 * (a percent-formatted cell holds 0.0235). Without "%" the value is already a fraction;
 * with `allowMultiplier`, a value ≥ 1 is a multiplier (`1.0235` → 0.0235).
 * `field` names the value in messages, e.g. "Loss factor".
 */
export function parseFraction(
  raw: string | number,
  field: string,
  options: FractionOptions = {},
): ParseResult<Decimal> {
  const forms = options.allowMultiplier
    ? 'a percentage like 2.35%, a fraction like 0.0235 or a multiplier like 1.0235'
    : 'a percentage like 2.35% or a fraction like 0.0235';
  let value: Decimal;
  let percent = false;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return { ok: false, message: `${field} must be ${forms}, got ${shown(raw)}` };
    value = decimalFromExcelNumber(raw);
  } else {
    let text = cleanText(raw);
    if (text === '') return { ok: false, message: `${field} must be ${forms}, got an empty value` };
    if (text.endsWith('%')) {
      percent = true;
      text = text.slice(0, -1).trim();
    }
    if (!SIMPLE_NUMBER.test(text)) return { ok: false, message: `${field} must be ${forms}, got ${shown(raw)}` };
    value = new Decimal(text.replace(',', '.'));
  }
  if (value.lt(0)) return { ok: false, message: `${field} must not be negative, got ${shown(raw)}` };

  if (percent) {
    const fraction = value.div(HUNDRED);
    if (fraction.gt(ONE)) return { ok: false, message: `${field} must be at most 100%, got ${shown(raw)}` };
    return { ok: true, value: fraction };
  }
  if (options.allowMultiplier && value.gte(ONE)) {
    const fraction = value.minus(ONE);
    if (fraction.gt(ONE)) {
      return {
        ok: false,
        message: `${field} ${shown(raw)} read as a multiplier means ${fraction.times(HUNDRED).toFixed()}%, more than 100%; write ${forms}`,
      };
    }
    return { ok: true, value: fraction };
  }
  if (value.gt(ONE)) {
    return {
      ok: false,
      message: `${field} ${shown(raw)} without "%" means ${value.times(HUNDRED).toFixed()}%, more than 100%; write ${forms}`,
    };
  }
  return { ok: true, value };
}

/**
 * A plain decimal from a cell's number or from text with a decimal point or comma
 * (`1500`, `1500.5`, `0,75`), with optional thousands grouping when it is unambiguous
 * (`1,500.5`, `1.500,5`, `1.500.000`). A single separator followed by exactly three
 * digits (`1,500`, `1.500`) could mean either, so it is rejected.
 */
export function parseDecimalNumber(raw: string | number, field: string): ParseResult<Decimal> {
  const expected = `${field} must be a number like 1500 or 1500.5`;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return { ok: false, message: `${expected}, got ${shown(raw)}` };
    return { ok: true, value: decimalFromExcelNumber(raw) };
  }
  const text = cleanText(raw);
  if (text === '') return { ok: false, message: `${expected}, got an empty value` };
  if (/^[+-]?[1-9]\d{0,2}[.,]\d{3}$/.test(text)) {
    const [whole, part] = text.split(/[.,]/);
    const asGrouped = `${whole}${part}`;
    const asDecimal = new Decimal(`${whole}.${part}`).toFixed();
    return {
      ok: false,
      message: `${field} ${shown(raw)} is ambiguous: write ${asGrouped} or ${asDecimal}, without a thousands separator`,
    };
  }
  let plain: string | null = null;
  if (SIMPLE_NUMBER.test(text)) plain = text.replace(',', '.');
  else if (/^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(text)) plain = text.replace(/,/g, '');
  else if (/^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$/.test(text)) plain = text.replace(/\./g, '').replace(',', '.');
  if (plain === null) return { ok: false, message: `${expected}, got ${shown(raw)}` };
  return { ok: true, value: new Decimal(plain) };
}

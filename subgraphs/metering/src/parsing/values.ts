import type Decimal from 'decimal.js';
import { decimalFromNumber, parseDecimalText } from './numbers';
import type { CellValue, DecimalSeparator, ProblemCode } from './types';

export type NumberOutcome =
  | { ok: true; value: Decimal }
  | { ok: false; code: Extract<ProblemCode, 'MISSING_VALUE' | 'TEXT_IN_NUMBER' | 'NEGATIVE_VALUE'>; detail: string };

const EXCEL_ERROR = /^#(?:NULL!|DIV\/0!|VALUE!|REF!|NAME\?|NUM!|N\/A|GETTING_DATA|ERROR\(\d+\))$/;

/** A non-negative energy value from a stored number or a numeric text in the file's decimal style. */
export function readEnergy(value: CellValue, separator: DecimalSeparator): NumberOutcome {
  if (value === null) return { ok: false, code: 'MISSING_VALUE', detail: 'is blank' };
  let parsed: Decimal | null = null;
  if (typeof value === 'number') parsed = decimalFromNumber(value);
  else if (typeof value === 'string') {
    if (EXCEL_ERROR.test(value.trim()))
      return { ok: false, code: 'TEXT_IN_NUMBER', detail: `holds the Excel error ${value.trim()}` };
    parsed = parseDecimalText(value, separator);
  }
  if (parsed === null) {
    return {
      ok: false,
      code: 'TEXT_IN_NUMBER',
      detail: typeof value === 'boolean' ? 'holds TRUE/FALSE, not a number' : 'is not a number',
    };
  }
  if (parsed.isNegative() && !parsed.isZero()) return { ok: false, code: 'NEGATIVE_VALUE', detail: 'is negative' };
  return { ok: true, value: parsed.isZero() ? parsed.abs() : parsed };
}

export function numberExample(separator: DecimalSeparator): string {
  return separator === ',' ? '246,7056' : '246.7056';
}

import Decimal from 'decimal.js';
import { dec } from './decimal';
import { invalidInput } from './errors';

const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * A fraction as people type it: `2.35%`, `2,35%`, `0.0235`, `0,0235` (or a Decimal) → 0.0235.
 * `field` names the value in the error.
 */
export function parseFraction(value: string | Decimal, field = 'value'): Decimal {
  if (Decimal.isDecimal(value)) return dec(value);
  let text = value.replace(/\s+/g, '');
  const isPercent = text.endsWith('%');
  if (isPercent) text = text.slice(0, -1);
  const lastComma = text.lastIndexOf(',');
  const lastDot = text.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    // Both separators: the last one is the decimal mark, the other groups thousands.
    const decimalMark = lastComma > lastDot ? ',' : '.';
    const groupMark = decimalMark === ',' ? '.' : ',';
    text = text.split(groupMark).join('').replace(decimalMark, '.');
  } else {
    text = text.replace(',', '.');
  }
  if (!NUMBER_TEXT.test(text)) throw invalidInput(`${field}: "${value}" is not a number or percentage`);
  const d = dec(text);
  return isPercent ? d.dividedBy(100) : d;
}

/** Loss factor per BILLING.md §5: like `parseFraction`, and any value ≥ 1 is a multiplier (1.0235 → 0.0235). */
export function parseLossFactor(value: string | Decimal, field = 'lossFactor'): Decimal {
  const d = parseFraction(value, field);
  const fraction = d.greaterThanOrEqualTo(1) ? d.minus(1) : d;
  if (fraction.isNegative() || fraction.greaterThanOrEqualTo(1)) {
    throw invalidInput(`${field}: "${value.toString()}" is neither a fraction nor a multiplier between 1 and 2`);
  }
  return fraction;
}

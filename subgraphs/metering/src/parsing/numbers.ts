import Decimal from 'decimal.js';
import type { DecimalSeparator } from './types';

/** A stored spreadsheet number as a Decimal, at Excel's 15 significant digits (no binary float noise). */
export function decimalFromNumber(n: number): Decimal | null {
  return Number.isFinite(n) ? new Decimal(n.toPrecision(15)) : null;
}

const SPACES = /[\s\u00a0\u202f']/g;
const COMMA_DECIMAL = /^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)?(?:,\d+)?$/;
const DOT_DECIMAL = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:e[+-]?\d+)?$/i;

/**
 * Numeric text written with the given decimal separator; the other one may group thousands (`1.234,5` / `1,234.5`).
 * Spaces inside the number are ignored. Null when the text is not a number in that style.
 */
export function parseDecimalText(text: string, separator: DecimalSeparator): Decimal | null {
  const t = text.replace(SPACES, '');
  if (!/\d/.test(t)) return null;
  if (separator === ',') {
    if (!COMMA_DECIMAL.test(t)) return null;
    return new Decimal(t.replace(/\./g, '').replace(',', '.'));
  }
  if (!DOT_DECIMAL.test(t)) return null;
  return new Decimal(t.replace(/,/g, ''));
}

/** Looks like a number in some style (digits with separators); used to tell numbers from text before the style is known. */
export function looksNumeric(text: string): boolean {
  const t = text.replace(SPACES, '');
  return /\d/.test(t) && /^[+-]?[\d.,]*(?:e[+-]?\d+)?$/i.test(t);
}

export interface SeparatorDetection {
  separator: DecimalSeparator;
  reason: string;
}

/**
 * Decides the decimal separator from numeric texts. `1,7433` or `1234,5` can only be a decimal comma; `1,234`
 * could be either and does not vote. A `,` field delimiter rules the decimal comma out (unless values are quoted).
 */
export function detectDecimalSeparator(texts: Iterable<string>, delimiter?: string): SeparatorDetection {
  let comma = 0;
  let dot = 0;
  let ambiguousComma = 0;
  let example: { comma?: string; dot?: string } = {};
  for (const raw of texts) {
    const t = raw.replace(SPACES, '');
    const lastComma = t.lastIndexOf(',');
    const lastDot = t.lastIndexOf('.');
    if (lastComma >= 0 && lastDot >= 0) {
      if (lastComma > lastDot) comma++;
      else dot++;
      continue;
    }
    const m = /^[+-]?(\d*)([.,])(\d+)$/.exec(t);
    if (!m) continue;
    const decisive = m[3].length !== 3 || m[1].length > 3 || m[1] === '' || /^0+$/.test(m[1]);
    if (m[2] === ',') {
      if (decisive) {
        comma++;
        example = { ...example, comma: example.comma ?? raw };
      } else ambiguousComma++;
    } else if (decisive) {
      dot++;
      example = { ...example, dot: example.dot ?? raw };
    }
  }
  if (comma > dot) {
    return {
      separator: ',',
      reason: `decimal comma: ${comma} value${comma === 1 ? '' : 's'} like "${example.comma ?? ''}"${dot > 0 ? ` (${dot} look like decimal points)` : ''}`,
    };
  }
  if (dot > comma) {
    return {
      separator: '.',
      reason: `decimal point: ${dot} value${dot === 1 ? '' : 's'} like "${example.dot ?? ''}"${comma > 0 ? ` (${comma} look like decimal commas)` : ''}`,
    };
  }
  if (ambiguousComma > 0 && delimiter !== ',') {
    return {
      separator: ',',
      reason: `decimal comma assumed: values like "1,234" with a "${delimiter ?? ';'}" delimiter`,
    };
  }
  return { separator: '.', reason: 'decimal point (no value with a decimal comma)' };
}

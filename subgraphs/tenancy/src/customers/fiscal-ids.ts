/**
 * El Salvador fiscal identifiers: NIT (Número de Identificación Tributaria) and
 * NRC (Número de Registro de Contribuyente, the IVA registration).
 *
 * Rules applied (format only, see the notes on check digits below):
 * - NIT, classic form: 14 digits grouped 4-6-3-1 (`0614-150396-102-3`: municipality,
 *   DDMMYY date, correlative, check digit). Canonical value: `0000-000000-000-0`.
 * - NIT, DUI form: since the 2021 DUI–NIT homologation (Ministerio de Hacienda) a
 *   Salvadoran adult's DUI (8 digits + check digit) is also their NIT. Canonical value: `00000000-0`.
 *   Legal persons (S.A. de C.V. …) keep the 14-digit NIT.
 * - NRC: 1–6 digits, a dash and one check digit (`87654-2`, `112233-4`).
 *
 * Groups may be separated by hyphens (any dash) or spaces; when separators are written
 * the groups must have the lengths above (a misplaced dash usually means a mistyped
 * digit), without them only the digit count decides. A number coming from an Excel cell
 * has lost its leading zeros, so a 13-digit number is read as a 14-digit NIT starting
 * with 0 and an 8-digit number as a DUI starting with 0.
 *
 * Check digits are NOT verified: the sample workbook's NITs (and NRCs) do not satisfy
 * the algorithms published for real numbers, and the NRC algorithm is not public, so
 * enforcing them would reject the data we are given. Only the shape is validated.
 */

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

const SEPARATORS = /[\s\u00a0\-\u2010-\u2015]+/;

const NIT_EXPECTED = 'NIT must have 14 digits in the form 0000-000000-000-0 (or 9 digits in the DUI form 00000000-0)';
const NRC_EXPECTED = 'NRC must have 1 to 6 digits, a dash and a check digit, in the form 123456-7';

/** Digit groups of a raw value (one group when no separator was written), or null for other characters. */
function groupsOf(raw: string | number): string[] | null {
  if (typeof raw === 'number') {
    return Number.isSafeInteger(raw) && raw >= 0 ? [String(raw)] : null;
  }
  const trimmed = raw.trim();
  if (trimmed === '') return null;
  const groups = trimmed.split(SEPARATORS);
  return groups.every((g) => /^\d+$/.test(g)) ? groups : null;
}

function shown(raw: string | number): string {
  return JSON.stringify(typeof raw === 'number' ? String(raw) : raw);
}

function countNote(digits: string): string {
  return ` (${digits.length} digit${digits.length === 1 ? '' : 's'})`;
}

function sameShape(groups: string[], lengths: number[]): boolean {
  return groups.length === lengths.length && groups.every((g, i) => g.length === lengths[i]);
}

export function normalizeNit(raw: string | number): ParseResult<string> {
  const groups = groupsOf(raw);
  if (groups === null) return { ok: false, message: `${NIT_EXPECTED}, got ${shown(raw)}` };
  let digits = groups.join('');
  if (typeof raw === 'number' && (digits.length === 13 || digits.length === 8)) digits = `0${digits}`;
  const separated = groups.length > 1;
  if (digits.length === 14 && (!separated || sameShape(groups, [4, 6, 3, 1]))) {
    return {
      ok: true,
      value: `${digits.slice(0, 4)}-${digits.slice(4, 10)}-${digits.slice(10, 13)}-${digits.slice(13)}`,
    };
  }
  if (digits.length === 9 && (!separated || sameShape(groups, [8, 1]))) {
    return { ok: true, value: `${digits.slice(0, 8)}-${digits.slice(8)}` };
  }
  const note = digits.length === 14 || digits.length === 9 ? ' (digit groups in the wrong place)' : countNote(digits);
  return { ok: false, message: `${NIT_EXPECTED}, got ${shown(raw)}${note}` };
}

export function normalizeNrc(raw: string | number): ParseResult<string> {
  const groups = groupsOf(raw);
  if (groups === null) return { ok: false, message: `${NRC_EXPECTED}, got ${shown(raw)}` };
  const digits = groups.join('');
  if (digits.length < 2 || digits.length > 7) {
    return { ok: false, message: `${NRC_EXPECTED}, got ${shown(raw)}${countNote(digits)}` };
  }
  // Without a dash the last digit is the check digit; with one, it must stand alone after it.
  if (groups.length > 1 && (groups.length !== 2 || groups[1].length !== 1)) {
    return { ok: false, message: `${NRC_EXPECTED}, got ${shown(raw)} (the dash goes before the last digit)` };
  }
  return { ok: true, value: `${digits.slice(0, -1)}-${digits.slice(-1)}` };
}

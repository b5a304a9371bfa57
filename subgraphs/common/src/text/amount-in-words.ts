import Decimal from 'decimal.js';

const UNITS = [
  '',
  'UNO',
  'DOS',
  'TRES',
  'CUATRO',
  'CINCO',
  'SEIS',
  'SIETE',
  'OCHO',
  'NUEVE',
  'DIEZ',
  'ONCE',
  'DOCE',
  'TRECE',
  'CATORCE',
  'QUINCE',
  'DIECISÉIS',
  'DIECISIETE',
  'DIECIOCHO',
  'DIECINUEVE',
  'VEINTE',
  'VEINTIUNO',
  'VEINTIDÓS',
  'VEINTITRÉS',
  'VEINTICUATRO',
  'VEINTICINCO',
  'VEINTISÉIS',
  'VEINTISIETE',
  'VEINTIOCHO',
  'VEINTINUEVE',
];
const TENS = ['', '', '', 'TREINTA', 'CUARENTA', 'CINCUENTA', 'SESENTA', 'SETENTA', 'OCHENTA', 'NOVENTA'];
const HUNDREDS = [
  '',
  'CIENTO',
  'DOSCIENTOS',
  'TRESCIENTOS',
  'CUATROCIENTOS',
  'QUINIENTOS',
  'SEISCIENTOS',
  'SETECIENTOS',
  'OCHOCIENTOS',
  'NOVECIENTOS',
];

/** 0–999 in words; `apocope` shortens a final UNO to UN (before MIL, MILLONES, DÓLARES). */
function upTo999(n: number, apocope: boolean): string {
  if (n === 0) return '';
  if (n === 100) return 'CIEN';
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  const parts: string[] = [];
  if (hundreds > 0) parts.push(HUNDREDS[hundreds]);
  if (rest > 0) {
    let words: string;
    if (rest < 30) words = UNITS[rest];
    else {
      const unit = rest % 10;
      words = TENS[Math.floor(rest / 10)] + (unit > 0 ? ` Y ${UNITS[unit]}` : '');
    }
    if (apocope) words = words.replace(/VEINTIUNO$/, 'VEINTIÚN').replace(/UNO$/, 'UN');
    parts.push(words);
  }
  return parts.join(' ');
}

/** A whole number below one trillion (10^12) in Spanish words, upper case. */
export function integerInSpanishWords(value: number, apocope = true): string {
  if (!Number.isInteger(value) || value < 0 || value >= 1e12) {
    throw new RangeError(`integerInSpanishWords: ${value} is not a whole number in [0, 10^12)`);
  }
  if (value === 0) return 'CERO';
  const millions = Math.floor(value / 1_000_000);
  const thousands = Math.floor((value % 1_000_000) / 1000);
  const units = value % 1000;
  const parts: string[] = [];
  if (millions > 0) {
    if (millions === 1) parts.push('UN MILLÓN');
    else parts.push(`${integerInSpanishWords(millions, true)} MILLONES`);
  }
  if (thousands > 0) parts.push(thousands === 1 ? 'MIL' : `${upTo999(thousands, true)} MIL`);
  if (units > 0) parts.push(upTo999(units, apocope));
  return parts.join(' ');
}

/**
 * An amount as written on Salvadoran invoices: whole dollars in words, cents as NN/100, currency name.
 * 166760.87 → "CIENTO SESENTA Y SEIS MIL SETECIENTOS SESENTA 87/100 DÓLARES". Rounds to cents (half away from
 * zero); a negative amount (credit note) is prefixed with MENOS.
 */
export function amountInSpanishWords(amount: Decimal.Value, currencyWords = 'DÓLARES'): string {
  const cents = new Decimal(amount).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const negative = cents.isNegative() && !cents.isZero();
  const abs = cents.abs();
  const whole = abs.floor();
  const fraction = abs.minus(whole).times(100).toNumber();
  const words = integerInSpanishWords(whole.toNumber());
  const connector = whole.gte(1_000_000) && whole.mod(1_000_000).isZero() ? ' DE' : '';
  return `${negative ? 'MENOS ' : ''}${words}${connector} ${String(fraction).padStart(2, '0')}/100 ${currencyWords}`;
}

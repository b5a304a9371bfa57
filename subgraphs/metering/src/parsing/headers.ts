import type { Convention } from './types';

/** What a column holds, judged from its header alone (content confirms it later). */
export type HeaderRole =
  | 'DATETIME'
  | 'DATE'
  | 'TIME'
  | 'KWH_DEL'
  | 'KWH_REC'
  | 'KWH'
  | 'KVARH_DEL'
  | 'KVARH_REC'
  | 'KVARH'
  | 'SERIAL'
  | 'CUSTOMER';

export interface HeaderInfo {
  role: HeaderRole | null;
  /** The header says whether its time stamps the start or the end of the interval. */
  hint: Convention | null;
}

/** Lower case, no accents, punctuation as spaces: "kWh Entregada (+A)" → "kwh entregada a". */
export function normalizeHeader(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const DELIVERED = new Set([
  'entregada',
  'entregado',
  'entregadas',
  'delivered',
  'del',
  'import',
  'imported',
  'importada',
  'importacion',
  'imp',
  'consumo',
  'consumida',
  'consumption',
  'consumed',
  'forward',
  'fwd',
  'positiva',
  'positive',
  'in',
]);
const RECEIVED = new Set([
  'recibida',
  'recibido',
  'recibidas',
  'received',
  'rec',
  'export',
  'exported',
  'exportada',
  'exportacion',
  'exp',
  'inyectada',
  'injected',
  'generada',
  'generation',
  'reverse',
  'rev',
  'negativa',
  'negative',
  'out',
]);
const ACTIVE_WORDS = new Set([
  'activa',
  'active',
  'energia',
  'energy',
  'pronosticado',
  'pronostico',
  'forecast',
  'nominacion',
  'nomination',
]);
const REACTIVE_WORDS = new Set(['kvarh', 'kvar', 'varh', 'reactiva', 'reactivo', 'reactive']);
const DATE_WORDS = new Set(['fecha', 'date', 'dia', 'day']);
const TIME_WORDS = new Set(['hora', 'time', 'hh', 'hhmm']);
const STAMP_WORDS = new Set([
  'timestamp',
  'datetime',
  'fechahora',
  'interval',
  'intervalo',
  'periodo',
  'period',
  'instante',
]);
const START_WORDS = new Set(['inicio', 'start', 'begin', 'beginning', 'desde', 'from', 'comienzo', 'ini']);
const END_WORDS = new Set(['fin', 'end', 'final', 'hasta', 'ending', 'termino', 'cierre']);
const SERIAL_WORDS = new Set(['medidor', 'meter', 'serial', 'serie', 'equipo', 'device', 'contador', 'sn']);
const CUSTOMER_WORDS = new Set(['cliente', 'customer', 'client', 'codigo', 'code', 'cod']);

const OBIS = /(?:^|[^\d.])([1-4])\.(?:8|9|29)\.\d/;

export function classifyHeader(header: string): HeaderInfo {
  const tokens = normalizeHeader(header).split(' ').filter(Boolean);
  const has = (set: Set<string>): boolean => tokens.some((t) => set.has(t));
  const compact = tokens.join('');
  const hint: Convention | null = has(START_WORDS) ? 'INTERVAL_START' : has(END_WORDS) ? 'INTERVAL_END' : null;

  const obis = OBIS.exec(header)?.[1];
  const plusA = /(?:^|[^a-z])(?:\+a|a\+)(?:[^a-z]|$)/i.test(header);
  const minusA = /(?:^|[^a-z])(?:-a|a-)(?:[^a-z]|$)/i.test(header);
  const plusR = /(?:^|[^a-z])(?:\+r|r\+)(?:[^a-z]|$)/i.test(header);
  const minusR = /(?:^|[^a-z])(?:-r|r-)(?:[^a-z]|$)/i.test(header);
  const reactive = has(REACTIVE_WORDS) || compact.includes('kvarh') || obis === '3' || obis === '4' || plusR || minusR;
  const kwh = tokens.includes('kwh') || compact.includes('kwh');
  // A bare sign by the unit: "kWh (+)", "kWh+", "+kWh" delivered; "kWh (-)", "kWh-", "-kWh" received (a sign
  // between words, as in "kWh - Entregada", is a separator).
  const plusSign = /\(\s*\+\s*\)|^\s*\+\s*k?(?:wh|varh)\b|k?(?:wh|varh)\s*\+\s*$/i.test(header);
  const minusSign = /\(\s*[-\u2212]\s*\)|^\s*[-\u2212]\s*k?(?:wh|varh)\b|k?(?:wh|varh)\s*[-\u2212]\s*$/i.test(header);
  const delivered = has(DELIVERED) || plusA || plusR || plusSign || obis === '1' || obis === '3';
  const received = has(RECEIVED) || minusA || minusR || minusSign || obis === '2' || obis === '4';
  const direction = delivered && !received ? 'DEL' : received && !delivered ? 'REC' : null;

  if (reactive)
    return { role: direction === 'DEL' ? 'KVARH_DEL' : direction === 'REC' ? 'KVARH_REC' : 'KVARH', hint: null };
  const demandOnly = tokens.includes('kw') && !tokens.includes('h') && !kwh;
  if (
    !demandOnly &&
    (kwh || has(ACTIVE_WORDS) || obis === '1' || obis === '2' || plusA || minusA || direction !== null)
  ) {
    // A bare direction word without a time word ("Entregada") is energy too; "Hora inicio" is not.
    if (kwh || !has(TIME_WORDS)) {
      return { role: direction === 'DEL' ? 'KWH_DEL' : direction === 'REC' ? 'KWH_REC' : 'KWH', hint: null };
    }
  }
  const date = has(DATE_WORDS);
  const time = has(TIME_WORDS);
  if ((date && time) || has(STAMP_WORDS) || compact === 'fechahora') return { role: 'DATETIME', hint };
  if (date) return { role: 'DATE', hint };
  if (time) return { role: 'TIME', hint };
  if (hint && tokens.length <= 2) return { role: 'DATETIME', hint };
  if (has(SERIAL_WORDS)) return { role: 'SERIAL', hint: null };
  if (has(CUSTOMER_WORDS)) return { role: 'CUSTOMER', hint: null };
  return { role: null, hint: null };
}

export function isTimestampRole(role: HeaderRole | null): boolean {
  return role === 'DATETIME' || role === 'DATE' || role === 'TIME';
}

export function isEnergyRole(role: HeaderRole | null): boolean {
  return role !== null && (role.startsWith('KWH') || role.startsWith('KVARH'));
}

/**
 * Power of ten from the header's energy unit to kilo-units: `Wh`/`varh` → −3, `kWh`/`kVArh` → 0, `MWh`/`MVArh` → 3;
 * null when the header names no unit.
 */
export function unitExponent(header: string): number | null {
  const tokens = normalizeHeader(header).split(' ');
  if (tokens.some((t) => t === 'kwh' || t === 'kvarh')) return 0;
  if (tokens.some((t) => t === 'mwh' || t === 'mvarh')) return 3;
  if (tokens.some((t) => t === 'wh' || t === 'varh')) return -3;
  return null;
}

import {
  energyColumns,
  findHeaderRow,
  isDateContent,
  isDateTimeContent,
  isNumericContent,
  isTimeContent,
  lowerConfidence,
  meterHeaderWanted,
  profileColumn,
  refOf,
  resolveColumn,
  textValues,
  type HeaderRow,
  type Profile,
} from './columns';
import type { Grid } from './grid';
import { detectDecimalSeparator } from './numbers';
import { unitExponent } from './headers';
import type { ProblemInput } from './problems';
import { detectDateOrder } from './timestamps';
import type { Confidence, Convention, DateOrder, DecimalSeparator, MappingOverride } from './types';

export type TimestampColumns = { kind: 'DATETIME'; col: number } | { kind: 'DATE_TIME'; date: number; time: number };

export interface MeterColumns {
  header: HeaderRow;
  timestamp: TimestampColumns;
  consumption: number;
  kvarh: number | null;
  serial: number | null;
  /** Convention named by the timestamp header ("Interval Start", "Hora fin"). */
  headerHint: { convention: Convention; header: string } | null;
  decimalSeparator: DecimalSeparator;
  /** Values were stored as text (CSV, or text cells), so the separator mattered. */
  decimalFromText: boolean;
  /** Powers of ten to kWh / kVArh from the unit the header names (`Wh` → −3, `MWh` → 3); 0 for kWh or none. */
  unitExponent: { kwh: number; kvarh: number };
  dateOrder: DateOrder | null;
  confidence: Confidence;
  reasons: string[];
}

export type MeterColumnsResult = { ok: true; columns: MeterColumns } | { ok: false; problem: ProblemInput };

export function timestampColumns(ts: TimestampColumns): number[] {
  return ts.kind === 'DATETIME' ? [ts.col] : [ts.date, ts.time];
}

interface Pick<T> {
  value: T;
  confidence: Confidence;
  reason: string;
}

function pickTimestamp(header: HeaderRow, profiles: Profile[]): Pick<TimestampColumns> | null {
  const cols = header.roles.map((_, c) => c);
  const named = (role: string): number[] => cols.filter((c) => header.roles[c] === role);
  const h = (c: number): string => refOf(header, c).header;
  const dateTimes = [...named('DATETIME'), ...named('DATE')].filter((c) => isDateTimeContent(profiles[c]));
  if (dateTimes.length > 0) {
    // Several date-time columns ("Interval Start", "Interval End"): the start makes the convention certain.
    const col = dateTimes.find((c) => header.hints[c] === 'INTERVAL_START') ?? dateTimes[0];
    return { value: { kind: 'DATETIME', col }, confidence: 'HIGH', reason: `timestamp: date and time in "${h(col)}"` };
  }
  const date = [...named('DATE'), ...named('DATETIME')].find((c) => isDateContent(profiles[c]));
  const time = named('TIME').find((c) => isTimeContent(profiles[c]));
  if (date !== undefined && time !== undefined) {
    return {
      value: { kind: 'DATE_TIME', date, time },
      confidence: 'HIGH',
      reason: `timestamp: date in "${h(date)}", time in "${h(time)}"`,
    };
  }
  const used = new Set(energyColumns(header));
  const free = cols.filter((c) => !used.has(c));
  const contentDateTime = free.find((c) => isDateTimeContent(profiles[c]));
  if (contentDateTime !== undefined) {
    return {
      value: { kind: 'DATETIME', col: contentDateTime },
      confidence: 'LOW',
      reason: `timestamp: "${h(contentDateTime)}" holds dates with times (its header is not a known date/time name)`,
    };
  }
  const contentDate = date ?? free.find((c) => isDateContent(profiles[c]));
  const contentTime = time ?? free.find((c) => c !== contentDate && isTimeContent(profiles[c]));
  if (contentDate !== undefined && contentTime !== undefined) {
    return {
      value: { kind: 'DATE_TIME', date: contentDate, time: contentTime },
      confidence: 'LOW',
      reason: `timestamp: dates in "${h(contentDate)}" and times in "${h(contentTime)}" (told by content)`,
    };
  }
  return null;
}

function pickConsumption(header: HeaderRow, profiles: Profile[], taken: Set<number>): Pick<number> | null {
  const cols = header.roles.map((_, c) => c).filter((c) => !taken.has(c));
  const h = (c: number): string => refOf(header, c).header;
  const numeric = (c: number): boolean => isNumericContent(profiles[c]);
  const delivered = cols.filter((c) => header.roles[c] === 'KWH_DEL' && numeric(c));
  if (delivered.length > 0) {
    const col = delivered[0];
    const received = cols.find((c) => header.roles[c] === 'KWH_REC' && numeric(c));
    const allZero = profiles[col].zeros === profiles[col].nonBlank;
    if (allZero && received !== undefined && profiles[received].zeros < profiles[received].nonBlank) {
      return {
        value: col,
        confidence: 'MEDIUM',
        reason: `consumption: "${h(col)}" (delivered), although it is all zeros while "${h(received)}" has values; check the meter's channel`,
      };
    }
    return { value: col, confidence: 'HIGH', reason: `consumption: "${h(col)}" (delivered kWh)` };
  }
  const plain = cols.filter((c) => header.roles[c] === 'KWH' && numeric(c));
  if (plain.length === 1) {
    return {
      value: plain[0],
      confidence: 'MEDIUM',
      reason: `consumption: "${h(plain[0])}", the only kWh column (no direction named)`,
    };
  }
  if (plain.length > 1) {
    return {
      value: plain[0],
      confidence: 'LOW',
      reason: `consumption: "${h(plain[0])}", the first of ${plain.length} kWh columns without a direction (${plain.map((c) => `"${h(c)}"`).join(', ')})`,
    };
  }
  const other = cols.find((c) => header.roles[c] === null && numeric(c) && profiles[c].zeros < profiles[c].nonBlank);
  if (other !== undefined) {
    return {
      value: other,
      confidence: 'LOW',
      reason: `consumption: "${h(other)}", the first numeric column (no kWh column named)`,
    };
  }
  return null;
}

function pickKvarh(header: HeaderRow, profiles: Profile[], taken: Set<number>): number | null {
  const cols = header.roles.map((_, c) => c).filter((c) => !taken.has(c) && isNumericContent(profiles[c]));
  const delivered = cols.find((c) => header.roles[c] === 'KVARH_DEL');
  if (delivered !== undefined) return delivered;
  const plain = cols.filter((c) => header.roles[c] === 'KVARH');
  return plain.length === 1 ? plain[0] : null;
}

function badMapping(message: string, value: string | null = null, expected: string | null = null): MeterColumnsResult {
  return { ok: false, problem: { code: 'BAD_MAPPING', message, value, expected } };
}

/** Finds the header and the columns of a meter sheet or CSV; an override names any of them explicitly. */
export function detectMeterColumns(grid: Grid, override: MappingOverride = {}, delimiter?: string): MeterColumnsResult {
  const header = findHeaderRow(grid, meterHeaderWanted, override.headerRow);
  if (!header) {
    return {
      ok: false,
      problem: {
        code: 'NO_HEADER',
        message: `No header row with a date/time column and a kWh column in the first rows${override.headerRow ? ` (row ${override.headerRow} given)` : ''}`,
        expected: 'a header like "Fecha, Hora, kWh Entregada" or "Timestamp, kWh Delivered"',
      },
    };
  }
  const dataStart = header.r + 1;
  const profiles = header.headers.map((_, c) => profileColumn(grid, c, dataStart));
  const reasons = [header.reason];
  let confidence = header.confidence;
  const known = header.headers
    .filter(Boolean)
    .map((x) => `"${x}"`)
    .join(', ');
  const resolve = (ref: string, what: string): number | MeterColumnsResult => {
    const c = resolveColumn(ref, header, grid.colCount);
    return (
      c ??
      badMapping(
        `The ${what} column "${ref}" given in the mapping is not in the header (${known})`,
        ref,
        'a header of the file or a column letter',
      )
    );
  };

  let timestamp: TimestampColumns;
  if (override.timestamp && override.timestamp.length > 0) {
    const cols: number[] = [];
    for (const ref of override.timestamp.slice(0, 2)) {
      const c = resolve(ref, 'timestamp');
      if (typeof c !== 'number') return c;
      cols.push(c);
    }
    timestamp =
      cols.length === 1 ? { kind: 'DATETIME', col: cols[0] } : { kind: 'DATE_TIME', date: cols[0], time: cols[1] };
    reasons.push(`timestamp: ${cols.map((c) => `"${refOf(header, c).header}"`).join(' + ')} (given)`);
  } else {
    const pick = pickTimestamp(header, profiles);
    if (!pick)
      return badMapping(
        `No column holds dates and times (headers: ${known})`,
        null,
        'a date-time column, or a date and a time column',
      );
    timestamp = pick.value;
    confidence = lowerConfidence(confidence, pick.confidence);
    reasons.push(pick.reason);
  }
  const taken = new Set(timestampColumns(timestamp));

  let consumption: number;
  if (override.consumption) {
    const c = resolve(override.consumption, 'consumption');
    if (typeof c !== 'number') return c;
    consumption = c;
    reasons.push(`consumption: "${refOf(header, c).header}" (given)`);
  } else {
    const pick = pickConsumption(header, profiles, taken);
    if (!pick)
      return badMapping(
        `No column holds kWh values (headers: ${known})`,
        null,
        'a column like "kWh Entregada" or "kWh Delivered"',
      );
    consumption = pick.value;
    confidence = lowerConfidence(confidence, pick.confidence);
    reasons.push(pick.reason);
  }
  taken.add(consumption);

  let kvarh: number | null = null;
  if (override.kvarh === null) reasons.push('kVArh: none (given)');
  else if (override.kvarh !== undefined) {
    const c = resolve(override.kvarh, 'kVArh');
    if (typeof c !== 'number') return c;
    kvarh = c;
  } else kvarh = pickKvarh(header, profiles, taken);
  if (kvarh !== null) {
    taken.add(kvarh);
    reasons.push(`kVArh: "${refOf(header, kvarh).header}"${override.kvarh ? ' (given)' : ''}`);
  }

  let serial: number | null = null;
  if (override.serial) {
    const c = resolve(override.serial, 'serial');
    if (typeof c !== 'number') return c;
    serial = c;
  } else if (override.serial !== null) {
    serial = header.roles.findIndex((role, c) => role === 'SERIAL' && !taken.has(c) && profiles[c].nonBlank > 0);
    if (serial < 0) serial = null;
  }

  const valueColumns = kvarh === null ? [consumption] : [consumption, kvarh];
  const texts = [...textValues(grid, valueColumns, dataStart)];
  let decimalSeparator: DecimalSeparator;
  if (override.decimalSeparator) {
    decimalSeparator = override.decimalSeparator;
    reasons.push(`decimal separator "${decimalSeparator}" (given)`);
  } else {
    const detected = detectDecimalSeparator(texts, delimiter);
    decimalSeparator = texts.length > 0 ? detected.separator : '.';
    if (texts.length > 0) reasons.push(detected.reason);
  }

  let dateOrder: DateOrder | null = override.dateOrder ?? null;
  const dateColumn = timestamp.kind === 'DATETIME' ? timestamp.col : timestamp.date;
  if (dateOrder) reasons.push(`date order ${dateOrder} (given)`);
  else {
    const dateTexts = [...textValues(grid, [dateColumn], dataStart)];
    if (dateTexts.length > 0) {
      const detected = detectDateOrder(dateTexts);
      dateOrder = detected.order;
      reasons.push(detected.reason);
      // Day-first was assumed, nothing in the dates confirms it: the preview should ask for a look.
      if (detected.guessed) confidence = lowerConfidence(confidence, 'MEDIUM');
    }
  }

  // A column in Wh (or MWh) read as kWh would bill 1,000 times too much (or too little): scale it, and say so.
  const exponentOf = (c: number, unit: 'kWh' | 'kVArh'): number => {
    const exponent = unitExponent(refOf(header, c).header) ?? 0;
    if (exponent !== 0)
      reasons.push(
        `"${refOf(header, c).header}" is in ${exponent < 0 ? unit.replace('k', '') : unit.replace('k', 'M')}: values ${exponent < 0 ? 'divided' : 'multiplied'} by 1,000 to ${unit}`,
      );
    return exponent;
  };
  const hintColumn = timestamp.kind === 'DATETIME' ? timestamp.col : timestamp.time;
  const hint = header.hints[hintColumn] ?? (timestamp.kind === 'DATE_TIME' ? header.hints[timestamp.date] : null);
  return {
    ok: true,
    columns: {
      header,
      timestamp,
      consumption,
      kvarh,
      serial,
      headerHint: hint ? { convention: hint, header: refOf(header, hintColumn).header } : null,
      decimalSeparator,
      decimalFromText: texts.length > 0 || override.decimalSeparator !== undefined,
      unitExponent: { kwh: exponentOf(consumption, 'kWh'), kvarh: kvarh === null ? 0 : exponentOf(kvarh, 'kVArh') },
      dateOrder,
      confidence,
      reasons,
    },
  };
}

import { localPartsOf, toLocalIso, type LocalDateTime } from '@ciro/subgraph-common';
import type { CellValue, DateOrder } from './types';

/** A calendar date as written (no zone). */
export interface DateParts {
  year: number;
  month: number;
  day: number;
}

/** A clock time as written; `hour` 24 (with minute 0) is the end of the day. */
export interface ClockParts {
  hour: number;
  minute: number;
}

/** A parsed timestamp: a wall time in the client's zone, or an instant when the text carried an offset. */
export type Stamp = { wall: LocalDateTime; instant?: undefined } | { instant: Date; wall?: undefined };

const MS_PER_DAY = 86_400_000;
const MIN_YEAR = 1990;
const MAX_YEAR = 2100;

function validDate(year: number, month: number, day: number): DateParts | null {
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1) return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? { year, month, day } : null;
}

/**
 * Excel serial (days since 1899-12-30, or 1904-01-01 in the 1904 system) → wall time, rounded to the minute.
 * Null for serials outside 1990–2100 (a meter reading cannot be stamped there; it is some other number).
 */
export function excelSerialToWall(serial: number, date1904 = false): LocalDateTime | null {
  if (!Number.isFinite(serial) || serial < 0) return null;
  const totalMinutes = Math.round(serial * 1440);
  const days = Math.floor(totalMinutes / 1440);
  const minuteOfDay = totalMinutes - days * 1440;
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  const d = new Date(epoch + days * MS_PER_DAY);
  const date = validDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  return date ? { ...date, hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60 } : null;
}

const CLOCK_TEXT = /^(\d{1,2})[:h](\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(?:([ap])\.?\s*m\.?)?$/i;

/**
 * A clock time: text `HH:MM[:SS]` (optionally a.m./p.m.), an Excel time (fraction of a day; 1 = 24:00), or with
 * `integerHours` a whole hour number (forecasts write `Hora` as 0…23). Seconds round to the nearest minute.
 */
export function parseClock(value: CellValue, options: { integerHours?: boolean } = {}): ClockParts | null {
  if (typeof value === 'number') {
    if (options.integerHours && Number.isInteger(value) && value >= 0 && value <= 24) return { hour: value, minute: 0 };
    if (!Number.isFinite(value) || value < 0) return null;
    const fraction = value <= 1 ? value : value - Math.floor(value);
    const minutes = Math.round(fraction * 1440);
    return { hour: Math.floor(minutes / 60), minute: minutes % 60 };
  }
  if (typeof value !== 'string') return null;
  if (options.integerHours && /^\d{1,2}$/.test(value.trim())) return parseClock(Number(value.trim()), options);
  const m = CLOCK_TEXT.exec(value.trim());
  if (!m) return null;
  let hour = Number(m[1]);
  let minute = Number(m[2]);
  if (m[3] !== undefined && Number(m[3]) >= 30) minute++;
  if (minute === 60) {
    hour++;
    minute = 0;
  }
  const meridiem = m[4]?.toLowerCase();
  if (meridiem) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem === 'p' ? 12 : 0);
  }
  if (minute > 59 || hour > 24 || (hour === 24 && minute !== 0)) return null;
  return { hour, minute };
}

const YMD_TEXT = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
const XY_YEAR_TEXT = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})$/;

/** A text date: `yyyy-mm-dd` (always year first), or `dd/mm/yyyy` / `mm/dd/yyyy` by `order`. */
export function parseDateText(text: string, order: DateOrder): DateParts | null {
  const t = text.trim();
  const ymd = YMD_TEXT.exec(t);
  if (ymd) return validDate(Number(ymd[1]), Number(ymd[2]), Number(ymd[3]));
  const xy = XY_YEAR_TEXT.exec(t);
  if (!xy) return null;
  const year = xy[3].length === 2 ? 2000 + Number(xy[3]) : Number(xy[3]);
  const [a, b] = [Number(xy[1]), Number(xy[2])];
  return order === 'MDY' ? validDate(year, a, b) : validDate(year, b, a);
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** A date with an optional time in one text: `01/09/2025 00:15`, `2025-09-01T00:15`, `2025-09-01T00:15:00-06:00`. */
export function parseDateTimeText(
  text: string,
  order: DateOrder,
): { date: DateParts; clock: ClockParts | null } | { instant: Date } | null {
  const t = text.trim();
  if (ISO_WITH_OFFSET.test(t)) {
    const ms = Date.parse(t);
    return Number.isNaN(ms) ? null : { instant: new Date(ms) };
  }
  const m = /^(\S+?)(?:(?:\s+|T)(.+))?$/.exec(t);
  if (!m) return null;
  const date = parseDateText(m[1], order);
  if (!date) return null;
  if (m[2] === undefined) return { date, clock: null };
  const clock = parseClock(m[2]);
  return clock ? { date, clock } : null;
}

function dayNumber(d: DateParts | null): number | null {
  return d ? Date.UTC(d.year, d.month - 1, d.day) / MS_PER_DAY : null;
}

/**
 * Day/month order of slash dates, from every text date of a column: a first number above 12 means DMY, a second
 * one MDY. When no number is above 12 (the 1st to the 12th of a month), the order under which consecutive dates
 * run one day apart wins: a day-first `01/10 … 12/10` is 1–12 October, not the 10th of twelve months.
 */
export function detectDateOrder(texts: Iterable<string>): { order: DateOrder; reason: string; guessed?: true } {
  let dmy: string | null = null;
  let mdy: string | null = null;
  let slashDates = 0;
  let isoDates = 0;
  let previous: string | null = null;
  const nextDay = { DMY: 0, MDY: 0 };
  let example: { DMY?: string; MDY?: string } = {};
  for (const text of texts) {
    const t = text.trim().split(/\s|T/)[0];
    if (YMD_TEXT.test(t)) {
      isoDates++;
      continue;
    }
    const m = XY_YEAR_TEXT.exec(t);
    if (!m) continue;
    slashDates++;
    if (Number(m[1]) > 12) dmy ??= t;
    if (Number(m[2]) > 12) mdy ??= t;
    if (previous !== null && previous !== t) {
      for (const order of ['DMY', 'MDY'] as const) {
        const a = dayNumber(parseDateText(previous, order));
        const b = dayNumber(parseDateText(t, order));
        if (a !== null && b !== null && Math.abs(b - a) === 1) {
          nextDay[order]++;
          example = { ...example, [order]: example[order] ?? `"${previous}" → "${t}"` };
        }
      }
    }
    previous = t;
  }
  if (slashDates === 0 && isoDates > 0) return { order: 'YMD', reason: 'dates written year first (yyyy-mm-dd)' };
  if (dmy && !mdy) return { order: 'DMY', reason: `dates day first (dd/mm/yyyy): "${dmy}"` };
  if (mdy && !dmy) return { order: 'MDY', reason: `dates month first (mm/dd/yyyy): "${mdy}"` };
  if (dmy && mdy)
    return { order: 'DMY', reason: `dates mix day-first ("${dmy}") and month-first ("${mdy}"); read day first` };
  if (nextDay.MDY > nextDay.DMY)
    return {
      order: 'MDY',
      reason: `dates month first (mm/dd/yyyy): no day is above 12, but consecutive dates run one day apart only read so (${example.MDY ?? ''})`,
    };
  if (nextDay.DMY > nextDay.MDY)
    return {
      order: 'DMY',
      reason: `dates day first (dd/mm/yyyy): no day is above 12, but consecutive dates run one day apart only read so (${example.DMY ?? ''})`,
    };
  return {
    order: 'DMY',
    reason: 'dates read day first (dd/mm/yyyy): no day above 12 tells the order apart',
    guessed: slashDates > 0 ? true : undefined,
  };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `2025-09-01 00:15` for messages. */
export function formatWall(w: LocalDateTime): string {
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
}

const HOUR_MS = 3_600_000;

/**
 * An instant as local wall time `2025-09-01 00:15` in `zone`, for messages. A wall time the zone shows twice (the
 * repeated hour when daylight saving ends) carries its UTC offset: `2025-11-02 01:15 (UTC-04:00)`.
 */
export function formatLocal(instant: Date, zone: string): string {
  const text = toLocalIso(instant, zone).slice(0, 16).replace('T', ' ');
  const t = instant.getTime();
  const here = localPartsOf(instant, zone);
  const repeated = [t - HOUR_MS, t + HOUR_MS].some((u) => {
    const there = localPartsOf(new Date(u), zone);
    return there.date === here.date && there.minuteOfDay === here.minuteOfDay;
  });
  if (!repeated) return text;
  const [y, m, d] = here.date.split('-').map(Number);
  const offset = Math.round((Date.UTC(y, m - 1, d) + here.minuteOfDay * 60_000 - t) / 60_000);
  const abs = Math.abs(offset);
  return `${text} (UTC${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)})`;
}

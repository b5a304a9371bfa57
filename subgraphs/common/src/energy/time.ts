import { DateTime, IANAZone } from 'luxon';
import { ZoneClock } from './zone-clock';

/** Length of a metering slot; a slot is `[start, start + 15 min)` and belongs to the day, block, hour and period of its start. */
export const SLOT_MINUTES = 15;
export const SLOT_MS = SLOT_MINUTES * 60_000;

/** A wall-clock time in some zone. `hour` may be 24 (with minute 0), meaning 00:00 of the next day. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

export interface LocalToInstantOptions {
  /** Which instant to take for a wall time that occurs twice (DST fold). Default `earlier`. */
  fold?: 'earlier' | 'later';
  /** What to do with a wall time that does not exist (DST gap). Default `throw`; `forward` takes the instant the clock jumps to. */
  gap?: 'throw' | 'forward';
}

/** A billing period: a calendar month in the client's zone. */
export interface Period {
  year: number;
  month: number;
}

/** Contiguous run of slots, `from` = first slot start, `to` = end of the last slot (exclusive). */
export interface SlotRange {
  from: Date;
  to: Date;
}

export interface LocalParts {
  /** Local calendar date `YYYY-MM-DD`. */
  date: string;
  /** Minutes since local midnight (0..1439) of the instant's wall time. */
  minuteOfDay: number;
  /** Instant where the local hour containing this instant starts. */
  hourStart: Date;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
}

function zoneOrThrow(zone: string): IANAZone {
  const z = IANAZone.create(zone);
  if (!z.isValid) throw new Error(`Unknown time zone "${zone}"`);
  return z;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function describe(local: LocalDateTime): string {
  return `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)} ${pad(local.hour)}:${pad(local.minute)}`;
}

/**
 * The instant of a wall time in `zone`. Throws for a wall time that does not exist in the zone (DST gap)
 * unless `gap: 'forward'`; for a wall time that occurs twice (DST fold) takes the earlier instant unless `fold: 'later'`.
 */
export function localToInstant(local: LocalDateTime, zone: string, options: LocalToInstantOptions = {}): Date {
  const z = zoneOrThrow(zone);
  const { year, month, day, hour, minute } = local;
  const ints = [year, month, day, hour, minute];
  if (!ints.every(Number.isInteger)) throw new Error(`Invalid local time ${describe(local)}: fields must be integers`);
  if (hour === 24 && minute !== 0) throw new Error(`Invalid local time ${describe(local)}: hour 24 only with minute 0`);
  if (hour < 0 || hour > 24 || minute < 0 || minute > 59) throw new Error(`Invalid local time ${describe(local)}`);

  let dt = DateTime.fromObject({ year, month, day, hour: hour === 24 ? 0 : hour, minute }, { zone: z });
  if (!dt.isValid)
    throw new Error(`Invalid local time ${describe(local)}: ${dt.invalidExplanation ?? dt.invalidReason}`);
  if (hour === 24) {
    // Calendar arithmetic on the local date, then re-resolve 00:00 of the next day in the zone.
    const next = dt.plus({ days: 1 });
    dt = DateTime.fromObject({ year: next.year, month: next.month, day: next.day, hour: 0, minute: 0 }, { zone: z });
  }
  const wantedHour = hour === 24 ? 0 : hour;
  if (dt.hour !== wantedHour || dt.minute !== minute) {
    // Luxon shifts a non-existent wall time forward across the gap.
    if (options.gap === 'forward') return dt.toJSDate();
    throw new Error(`Local time ${describe(local)} does not exist in ${zone} (daylight-saving gap)`);
  }
  const candidates = dt
    .getPossibleOffsets()
    .map((c) => c.toMillis())
    .sort((a, b) => a - b);
  const ms = options.fold === 'later' ? candidates[candidates.length - 1] : candidates[0];
  return new Date(ms);
}

/** Meter exports stamp the END of each 15-minute interval; the slot starts 15 minutes earlier. */
export function slotStartFromIntervalEnd(end: Date): Date {
  return new Date(end.getTime() - SLOT_MS);
}

const PERIOD_RE = /^(\d{4})-(\d{2})$/;

/** Parses `YYYY-MM`; throws on anything else. */
export function parsePeriod(period: string): Period {
  const m = PERIOD_RE.exec(period);
  if (!m) throw new Error(`Invalid billing period "${period}": expected YYYY-MM`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) throw new Error(`Invalid billing period "${period}": month must be 01..12`);
  return { year, month };
}

export function formatPeriod(p: Period): string {
  return `${pad(p.year, 4)}-${pad(p.month)}`;
}

/** Local month `[1st 00:00, next 1st 00:00)` as instants (a midnight lost to a DST gap starts at the first existing instant). */
export function periodBounds(period: string, zone: string): { start: Date; end: Date } {
  const { year, month } = parsePeriod(period);
  const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  const opts: LocalToInstantOptions = { gap: 'forward' };
  return {
    start: localToInstant({ year, month, day: 1, hour: 0, minute: 0 }, zone, opts),
    end: localToInstant({ ...next, day: 1, hour: 0, minute: 0 }, zone, opts),
  };
}

/** Number of 15-minute slots in the local month (2,880 for a 30-day month without DST change). */
export function expectedSlots(period: string, zone: string): number {
  const { start, end } = periodBounds(period, zone);
  return Math.round((end.getTime() - start.getTime()) / SLOT_MS);
}

/** Slot starts of `[start, end)`, 15 minutes apart. */
export function slotStartsBetween(start: Date, end: Date): Date[] {
  const out: Date[] = [];
  for (let t = start.getTime(); t < end.getTime(); t += SLOT_MS) out.push(new Date(t));
  return out;
}

/** Every slot start of the local month, in order. */
export function listPeriodSlotStarts(period: string, zone: string): Date[] {
  const { start, end } = periodBounds(period, zone);
  return slotStartsBetween(start, end);
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** A zone's clock plus the local date and weekday of the last local day looked up (a slot series stays on one day for ~96 slots). */
class LocalCalendar {
  private day = NaN;
  private date = '';
  private weekday = NaN;

  constructor(private readonly clock: ZoneClock) {}

  partsOf(instant: number): LocalParts {
    const wall = instant + this.clock.offsetAt(instant);
    const day = Math.floor(wall / DAY_MS);
    if (day !== this.day) {
      const d = new Date(wall);
      this.date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
      // Luxon's ISO weekday: Monday = 1 … Sunday = 7 (getUTCDay: Sunday = 0); NaN for an invalid date, like luxon.
      this.weekday = Number.isNaN(wall) ? NaN : d.getUTCDay() || 7;
      this.day = day;
    }
    const intoDay = wall - day * DAY_MS;
    return {
      date: this.date,
      minuteOfDay: Math.floor(intoDay / MINUTE_MS),
      // Subtract the local minutes rather than re-resolving HH:00, which would be ambiguous in a DST fold.
      hourStart: new Date(instant - (intoDay % HOUR_MS)),
      weekday: this.weekday,
    };
  }
}

const calendars = new Map<string, LocalCalendar>();
const CALENDAR_LIMIT = 64;

function calendarOf(zone: string): LocalCalendar {
  let calendar = calendars.get(zone);
  if (!calendar) {
    zoneOrThrow(zone);
    calendar = new LocalCalendar(new ZoneClock(zone));
    if (calendars.size >= CALENDAR_LIMIT) calendars.delete(calendars.keys().next().value as string);
    calendars.set(zone, calendar);
  }
  return calendar;
}

/**
 * Local calendar date, minute of day, local hour start and ISO weekday of an instant in `zone`. Plain arithmetic on
 * the zone's cached offset transitions (`ZoneClock`), cheap enough to call per slot: a slot calendar can take `date`
 * as the local day and `hourStart` as the local hour of each slot.
 */
export function localPartsOf(instant: Date, zone: string): LocalParts {
  return calendarOf(zone).partsOf(instant.getTime());
}

const ISO_WITH_OFFSET = /T.*(Z|[+-]\d{2}(:?\d{2})?)$/i;

/**
 * An ISO-8601 date-time as an instant: with `Z` or an offset it is taken as is; without one it is a wall time in
 * `zone` (DST gap throws, fold takes the earlier instant, as in `localToInstant`).
 */
export function instantFromIso(iso: string, zone: string, options: LocalToInstantOptions = {}): Date {
  const text = iso.trim();
  if (ISO_WITH_OFFSET.test(text)) {
    const dt = DateTime.fromISO(text, { setZone: true });
    if (!dt.isValid) throw new Error(`Invalid ISO date-time "${iso}"`);
    return dt.toJSDate();
  }
  // Read the wall-clock fields as written (UTC is just a neutral carrier), then resolve them in the zone.
  const wall = DateTime.fromISO(text, { zone: 'UTC' });
  if (!wall.isValid) throw new Error(`Invalid ISO date-time "${iso}"`);
  if (wall.second !== 0 || wall.millisecond !== 0) {
    throw new Error(`Local time "${iso}" has seconds; expected a whole minute`);
  }
  const { year, month, day, hour, minute } = wall;
  return localToInstant({ year, month, day, hour, minute }, zone, options);
}

/** Local wall time without offset, e.g. `2025-09-08T08:30:00`. */
export function toLocalIso(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone: zoneOrThrow(zone) }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
}

/** Groups sorted slot starts into contiguous ranges (`to` = end of the last slot in the range). */
export function slotRanges(sortedSlotStarts: readonly Date[]): SlotRange[] {
  const ranges: SlotRange[] = [];
  let current: { from: number; to: number } | null = null;
  for (const d of sortedSlotStarts) {
    const t = d.getTime();
    if (current && t === current.to) {
      current.to = t + SLOT_MS;
      continue;
    }
    if (current && t < current.to) throw new Error('slotRanges expects sorted, distinct slot starts');
    if (current) ranges.push({ from: new Date(current.from), to: new Date(current.to) });
    current = { from: t, to: t + SLOT_MS };
  }
  if (current) ranges.push({ from: new Date(current.from), to: new Date(current.to) });
  return ranges;
}

import { localPartsOf } from './time';

/** Which days a block applies to. `ALL` is used for a day when no more specific day type is configured. */
export type DayType = 'ALL' | 'WEEKDAY' | 'WEEKEND' | 'HOLIDAY';

export const DAY_TYPES: readonly DayType[] = ['ALL', 'WEEKDAY', 'WEEKEND', 'HOLIDAY'];

/**
 * A time-of-use block in local minutes of the day, `[startMinute, endMinute)`, 0..1440.
 * When `endMinute <= startMinute` the block wraps midnight (VALLE 23:00–05:00 = 1380 → 300).
 */
export interface TariffBlock {
  code: string;
  dayType: DayType;
  startMinute: number;
  endMinute: number;
}

export type BlockValidation = { ok: true } | { ok: false; problems: string[] };

export interface BlockClassifierOptions {
  /** ISO weekdays counted as weekend (default Saturday and Sunday). */
  weekendDays?: readonly number[];
}

const MINUTES_PER_DAY = 1440;
const DEFAULT_WEEKEND: readonly number[] = [6, 7];

/** `HH:MM` (00:00..24:00) → minutes since midnight. */
export function clockToMinutes(clock: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(clock.trim());
  const hours = m ? Number(m[1]) : NaN;
  const minutes = m ? Number(m[2]) : NaN;
  if (!m || minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) {
    throw new Error(`Invalid clock time "${clock}": expected HH:MM between 00:00 and 24:00`);
  }
  return hours * 60 + minutes;
}

/** Minutes since midnight → `HH:MM` (1440 → `24:00`). */
export function minutesToClock(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** The minutes a block covers, as at most two non-wrapping `[from, to)` pieces. */
function pieces(b: TariffBlock): Array<[number, number]> {
  if (b.endMinute > b.startMinute) return [[b.startMinute, b.endMinute]];
  const out: Array<[number, number]> = [[b.startMinute, MINUTES_PER_DAY]];
  if (b.endMinute > 0) out.push([0, b.endMinute]);
  return out;
}

function blockProblems(b: TariffBlock): string[] {
  const label = `block "${b.code}" (${b.dayType})`;
  const problems: string[] = [];
  if (!b.code || !b.code.trim()) problems.push(`${label}: code is empty`);
  if (!DAY_TYPES.includes(b.dayType)) problems.push(`${label}: unknown day type`);
  if (!Number.isInteger(b.startMinute) || b.startMinute < 0 || b.startMinute >= MINUTES_PER_DAY) {
    problems.push(`${label}: startMinute ${b.startMinute} must be an integer in 0..1439`);
  }
  if (!Number.isInteger(b.endMinute) || b.endMinute < 0 || b.endMinute > MINUTES_PER_DAY) {
    problems.push(`${label}: endMinute ${b.endMinute} must be an integer in 0..1440`);
  }
  return problems;
}

/** minute → codes covering it, for one day type. */
function coverage(blocks: readonly TariffBlock[]): string[][] {
  const cover: string[][] = Array.from({ length: MINUTES_PER_DAY }, () => []);
  for (const b of blocks) {
    for (const [from, to] of pieces(b)) for (let m = from; m < to; m++) cover[m].push(b.code);
  }
  return cover;
}

/** Runs of consecutive minutes satisfying `pred`, each reported once with the covering codes of its first minute. */
function runs(
  cover: string[][],
  pred: (codes: string[]) => boolean,
): Array<{ from: number; to: number; codes: string[] }> {
  const out: Array<{ from: number; to: number; codes: string[] }> = [];
  let m = 0;
  while (m < MINUTES_PER_DAY) {
    if (!pred(cover[m])) {
      m++;
      continue;
    }
    const key = cover[m].join('|');
    const from = m;
    while (m < MINUTES_PER_DAY && pred(cover[m]) && cover[m].join('|') === key) m++;
    out.push({ from, to: m, codes: cover[from] });
  }
  return out;
}

/**
 * Checks that every local minute of each configured day type is covered exactly once, and that every kind
 * of day (weekday, weekend) resolves to some configured day type. Problems name the day type and HH:MM ranges.
 */
export function validateTariffBlocks(blocks: readonly TariffBlock[]): BlockValidation {
  const problems: string[] = [];
  if (blocks.length === 0) return { ok: false, problems: ['no tariff blocks configured'] };
  for (const b of blocks) problems.push(...blockProblems(b));
  if (problems.length > 0) return { ok: false, problems };

  const configured = new Set(blocks.map((b) => b.dayType));
  for (const dayType of DAY_TYPES) {
    if (!configured.has(dayType)) continue;
    const cover = coverage(blocks.filter((b) => b.dayType === dayType));
    for (const r of runs(cover, (c) => c.length === 0)) {
      problems.push(`${dayType}: ${minutesToClock(r.from)}–${minutesToClock(r.to)} is not covered by any block`);
    }
    for (const r of runs(cover, (c) => c.length > 1)) {
      problems.push(
        `${dayType}: ${minutesToClock(r.from)}–${minutesToClock(r.to)} is covered by several blocks (${r.codes.join(', ')})`,
      );
    }
  }
  if (!configured.has('ALL')) {
    if (!configured.has('WEEKDAY')) problems.push('WEEKDAY: no blocks for weekdays (configure WEEKDAY or ALL)');
    if (!configured.has('WEEKEND')) problems.push('WEEKEND: no blocks for weekends (configure WEEKEND or ALL)');
  }
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}

/**
 * Returns a function giving the block code of a slot from its local start minute and day type in `zone`.
 * Day type: HOLIDAY (date in `holidays`, when HOLIDAY blocks exist) beats WEEKEND/WEEKDAY, which beat ALL.
 * Throws when the blocks do not validate.
 */
export function createBlockClassifier(
  blocks: readonly TariffBlock[],
  zone: string,
  holidays: ReadonlySet<string> = new Set<string>(),
  options: BlockClassifierOptions = {},
): (slotStart: Date) => string {
  const validation = validateTariffBlocks(blocks);
  if (!validation.ok) throw new Error(`Invalid tariff blocks: ${validation.problems.join('; ')}`);
  const weekend = new Set(options.weekendDays ?? DEFAULT_WEEKEND);

  const byType = new Map<DayType, string[]>();
  for (const dayType of DAY_TYPES) {
    const typed = blocks.filter((b) => b.dayType === dayType);
    if (typed.length > 0)
      byType.set(
        dayType,
        coverage(typed).map((codes) => codes[0]),
      );
  }
  // Validation guarantees WEEKDAY/WEEKEND or ALL exist, so these tables are complete.
  const weekdayCodes = byType.get('WEEKDAY') ?? byType.get('ALL') ?? [];
  const weekendCodes = byType.get('WEEKEND') ?? byType.get('ALL') ?? [];
  const holidayCodes = byType.get('HOLIDAY');

  return (slotStart: Date): string => {
    const parts = localPartsOf(slotStart, zone);
    const codes =
      holidayCodes && holidays.has(parts.date)
        ? holidayCodes
        : weekend.has(parts.weekday)
          ? weekendCodes
          : weekdayCodes;
    return codes[parts.minuteOfDay];
  };
}

import { localPartsOf, localToInstant, periodBounds } from '@ciro/subgraph-common';
import type { DateParts } from './timestamps';
import type { CoveredPeriod } from './types';

/** The `period` option as instants. */
export interface PeriodBounds {
  start: Date;
  end: Date;
  label: string;
}

export function periodOption(period: string, zone: string): PeriodBounds {
  const { start, end } = periodBounds(period, zone);
  return { start, end, label: period };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function dayAfter(d: DateParts): DateParts {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + 1));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

function midnight(d: DateParts, zone: string): Date {
  return localToInstant({ ...d, hour: 0, minute: 0 }, zone, { gap: 'forward' });
}

function partsOf(date: string): DateParts {
  const [year, month, day] = date.split('-').map(Number);
  return { year, month, day };
}

/** `YYYY-MM` when `[from, to]` (inclusive dates) is exactly one calendar month. */
function monthLabel(from: DateParts, lastDay: DateParts): string | null {
  const next = dayAfter(lastDay);
  const wholeMonth = from.day === 1 && next.day === 1 && lastDay.month === from.month && lastDay.year === from.year;
  return wholeMonth ? `${pad(from.year, 4)}-${pad(from.month)}` : null;
}

/**
 * The period gaps are measured in: the `period` option; else the file's `Periodo:` line (inclusive local dates);
 * else the whole local days from the first to the last reading.
 */
export function coveredPeriod(
  readings: readonly { slotStart: Date }[],
  option: PeriodBounds | null,
  declared: { from: DateParts; to: DateParts } | null,
  zone: string,
): CoveredPeriod | null {
  if (option) return { from: option.start, to: option.end, basis: 'OPTION', label: option.label };
  const span = (from: DateParts, last: DateParts, basis: CoveredPeriod['basis']): CoveredPeriod => ({
    from: midnight(from, zone),
    to: midnight(dayAfter(last), zone),
    basis,
    label: monthLabel(from, last),
  });
  if (declared) {
    const from = midnight(declared.from, zone);
    const to = midnight(dayAfter(declared.to), zone);
    if (from < to) return span(declared.from, declared.to, 'METADATA');
  }
  if (readings.length === 0) return null;
  const first = partsOf(localPartsOf(readings[0].slotStart, zone).date);
  const last = partsOf(localPartsOf(readings[readings.length - 1].slotStart, zone).date);
  return span(first, last, 'DATA');
}

/** The file's own `Periodo:` line as bounds, labelled for messages (`2025-09 declared in the file`). */
export function declaredBounds(declared: { from: DateParts; to: DateParts } | null, zone: string): PeriodBounds | null {
  if (!declared) return null;
  const span = coveredPeriod([], null, declared, zone);
  if (!span || span.basis !== 'METADATA') return null;
  const day = (d: DateParts): string => `${pad(d.day)}/${pad(d.month)}/${pad(d.year, 4)}`;
  const label = span.label ?? `${day(declared.from)}–${day(declared.to)}`;
  return { start: span.from, end: span.to, label: `${label} declared in the file` };
}

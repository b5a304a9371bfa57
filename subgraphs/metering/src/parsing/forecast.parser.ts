import { localPartsOf, type LocalDateTime } from '@ciro/subgraph-common';
import type Decimal from 'decimal.js';
import { findHeaderRow, refOf } from './columns';
import { detectForecastColumns, forecastHeaderWanted, type ForecastColumns } from './forecast-columns';
import { cellText, isBlankRow, type Grid } from './grid';
import { periodOption, type PeriodBounds } from './periods';
import { DEFAULT_MAX_PROBLEMS_PER_CODE, problem, ProblemSink, show } from './problems';
import { excelSerialToWall, formatLocal, parseClock, parseDateText, parseDateTimeText } from './timestamps';
import type { CellValue, CustomerForecast, ForecastOptions, ForecastResult, ProblemColumn } from './types';
import { numberExample, readEnergy } from './values';
import { loadFile, type Bytes } from './workbook';
import { assertKnownZone, createWallResolver } from './zone';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

type HourOutcome =
  { ok: true; hourStart: Date } | { ok: false; col: number; value: CellValue; detail: string; expected: string };

function readHour(
  grid: Grid,
  r: number,
  cols: ForecastColumns,
  zone: string,
  toInstant: (wall: LocalDateTime, near?: number) => Date,
  /** Where this row's hour start should fall (the row before's plus its step): tells a DST fold's two passes apart. */
  nearStart?: number,
): HourOutcome {
  const dv = grid.cell(r, cols.date);
  let wall: LocalDateTime | null = null;
  let instant: Date | null = null;
  if (cols.hour === null) {
    if (typeof dv === 'number') wall = excelSerialToWall(dv, grid.date1904);
    else if (typeof dv === 'string') {
      const parsed = parseDateTimeText(dv, cols.order);
      if (parsed && 'instant' in parsed) instant = parsed.instant;
      else if (parsed) wall = { ...parsed.date, hour: parsed.clock?.hour ?? 0, minute: parsed.clock?.minute ?? 0 };
    }
    if (!wall && !instant)
      return {
        ok: false,
        col: cols.date,
        value: dv,
        detail: 'is not a date and hour',
        expected: 'a date and hour like 01/09/2025 13:00',
      };
  } else {
    const date =
      typeof dv === 'number'
        ? excelSerialToWall(dv, grid.date1904)
        : typeof dv === 'string'
          ? parseDateText(dv, cols.order)
          : null;
    if (!date)
      return {
        ok: false,
        col: cols.date,
        value: dv,
        detail: dv === null ? 'is blank' : 'is not a date',
        expected: 'a date like 01/09/2025 or an Excel date',
      };
    const hv = grid.cell(r, cols.hour);
    const clock = parseClock(hv, { integerHours: true });
    if (!clock)
      return {
        ok: false,
        col: cols.hour,
        value: hv,
        detail: hv === null ? 'is blank' : 'is not an hour',
        expected: 'an hour like 13:00 (or 13)',
      };
    wall = { year: date.year, month: date.month, day: date.day, hour: clock.hour, minute: clock.minute };
  }
  const col = cols.hour ?? cols.date;
  const value = grid.cell(r, col);
  const ends = cols.convention === 'INTERVAL_END';
  if (wall && (wall.minute !== 0 || (wall.hour === 24 && !ends))) {
    return {
      ok: false,
      col,
      value,
      detail: 'is not the start of an hour',
      expected: ends ? 'a whole hour from 01:00 to 24:00' : 'a whole hour from 00:00 to 23:00',
    };
  }
  try {
    const near = nearStart === undefined ? undefined : nearStart + (ends ? HOUR_MS : 0);
    const at = instant ?? toInstant(wall as LocalDateTime, near);
    const start = ends ? new Date(at.getTime() - HOUR_MS) : at;
    if (instant && localPartsOf(start, zone).minuteOfDay % 60 !== 0) {
      return { ok: false, col, value, detail: 'is not the start of an hour', expected: 'a whole hour' };
    }
    return { ok: true, hourStart: start };
  } catch (error) {
    return { ok: false, col, value, detail: (error as Error).message, expected: `a time that exists in ${zone}` };
  }
}

interface Entry {
  hourStart: Date;
  kwh: Decimal;
  row: number;
}

function parseForecastGrid(
  grid: Grid,
  cols: ForecastColumns,
  options: ForecastOptions,
  period: PeriodBounds | null,
  sink: ProblemSink,
) {
  const column = (c: number): ProblemColumn => {
    const ref = refOf(cols.header, c);
    return { header: ref.header, letter: ref.letter };
  };
  const byCustomer = new Map<string, Map<number, Entry>>();
  const counts = { rows: 0, hours: 0, duplicatesCollapsed: 0, rejected: 0 };
  const used = [cols.customer, cols.date, cols.kwh, ...(cols.hour === null ? [] : [cols.hour])];
  const toInstant = createWallResolver(options.zone);
  let last: number | null = null;
  let step = HOUR_MS;
  for (let r = cols.header.r + 1; r < grid.rowCount; r++) {
    if (isBlankRow(grid, r, used)) continue;
    counts.rows++;
    const row = grid.rowNumber(r);
    let failed = false;
    const code = cellText(grid.cell(r, cols.customer));
    if (!code) {
      failed = true;
      sink.add({
        code: 'MISSING_VALUE',
        severity: 'ERROR',
        row,
        column: column(cols.customer),
        value: null,
        expected: 'a customer code like C-0001',
        message: `"${column(cols.customer).header}" is blank`,
      });
    }
    const hour = readHour(grid, r, cols, options.zone, toInstant, last === null ? undefined : last + step);
    if (hour.ok) {
      const t = hour.hourStart.getTime();
      if (last !== null && Math.abs(t - last) <= DAY_MS) step = t - last;
      last = t;
    }
    if (!hour.ok) {
      failed = true;
      sink.add({
        code: 'BAD_TIMESTAMP',
        row,
        column: column(hour.col),
        value: hour.value,
        expected: hour.expected,
        message: `"${column(hour.col).header}" ${show(hour.value)} ${hour.detail}`,
      });
    }
    const kv = grid.cell(r, cols.kwh);
    const kwh = readEnergy(kv, cols.separator);
    if (!kwh.ok) {
      failed = true;
      sink.add({
        code: kwh.code,
        severity: 'ERROR',
        row,
        column: column(cols.kwh),
        value: kv,
        expected: `${kwh.code === 'NEGATIVE_VALUE' ? 'zero or a positive' : 'a'} number of kWh like ${numberExample(cols.separator)}`,
        message: `"${column(cols.kwh).header}" ${show(kv)} ${kwh.detail}`,
      });
    }
    if (failed || !hour.ok || !kwh.ok) {
      counts.rejected++;
      continue;
    }
    if (period && (hour.hourStart < period.start || hour.hourStart >= period.end)) {
      sink.add({
        code: 'OUTSIDE_PERIOD',
        row,
        column: column(cols.hour ?? cols.date),
        value: grid.cell(r, cols.hour ?? cols.date),
        expected: `an hour of ${period.label}`,
        message: `The hour starting ${formatLocal(hour.hourStart, options.zone)} is outside period ${period.label}; not imported`,
      });
      continue;
    }
    const hours = byCustomer.get(code) ?? new Map<number, Entry>();
    byCustomer.set(code, hours);
    const prev = hours.get(hour.hourStart.getTime());
    if (prev) {
      if (prev.kwh.eq(kwh.value)) counts.duplicatesCollapsed++;
      else {
        counts.rejected++;
        sink.add({
          code: 'DUPLICATE_CONFLICT',
          row,
          column: column(cols.kwh),
          value: kv,
          expected: `the same value as row ${prev.row} (${prev.kwh.toFixed()}), or no second row for this hour`,
          message: `Customer ${code}'s hour starting ${formatLocal(hour.hourStart, options.zone)} is already on row ${prev.row} with ${prev.kwh.toFixed()} kWh; this row has ${kwh.value.toFixed()}. Row ${prev.row} is kept.`,
        });
      }
      continue;
    }
    hours.set(hour.hourStart.getTime(), { hourStart: hour.hourStart, kwh: kwh.value, row });
  }
  return { byCustomer, counts };
}

/**
 * Parses the hourly forecast (nomination) workbook: `Código cliente, Fecha, Hora inicio, kWh pronosticado` →
 * per customer code, kWh per hour start in `options.zone`. Reads every sheet with such a header. Pure; never throws
 * for a bad file (problems in the result), only for a bad zone or period option.
 */
export function parseForecastWorkbook(bytes: Bytes, options: ForecastOptions): ForecastResult {
  assertKnownZone(options.zone);
  const fileName = options.fileName ?? null;
  const period = options.period ? periodOption(options.period, options.zone) : null;
  const empty = (format: ForecastResult['format']): ForecastResult => ({
    format,
    sheets: [],
    mapping: null,
    customers: [],
    counts: { rows: 0, hours: 0, duplicatesCollapsed: 0, rejected: 0 },
    problems: [],
  });
  const loaded = loadFile(bytes, fileName ?? 'forecast', options.limits);
  if (!loaded.ok) {
    return {
      ...empty(loaded.format),
      problems: [problem({ fileName, sheet: null }, { code: loaded.code, message: loaded.message })],
    };
  }
  const result = empty(loaded.file.format);
  const merged = new Map<string, Map<number, Entry>>();
  for (const grid of loaded.file.grids) {
    const header = findHeaderRow(grid, forecastHeaderWanted);
    const cols = header ? detectForecastColumns(grid, header) : null;
    if (!cols) continue;
    const sheet = grid.kind === 'XLSX_SHEET' ? grid.name : null;
    const sink = new ProblemSink(
      { fileName, sheet },
      options.limits?.maxProblemsPerCode ?? DEFAULT_MAX_PROBLEMS_PER_CODE,
    );
    const { byCustomer, counts } = parseForecastGrid(grid, cols, options, period, sink);
    result.sheets.push(grid.name);
    result.mapping ??= cols.mapping;
    for (const key of Object.keys(counts) as (keyof typeof counts)[]) result.counts[key] += counts[key];
    for (const [code, hours] of byCustomer) {
      const into = merged.get(code) ?? new Map<number, Entry>();
      merged.set(code, into);
      for (const [t, entry] of hours) if (!into.has(t)) into.set(t, entry);
    }
    if (period) {
      for (const [code, hours] of byCustomer) {
        const absent: Date[] = [];
        for (let t = period.start.getTime(); t < period.end.getTime(); t += HOUR_MS)
          if (!hours.has(t)) absent.push(new Date(t));
        for (const range of hourRanges(absent)) {
          sink.add({
            code: 'GAP',
            value: code,
            expected: 'a forecast for every hour of the period',
            message: `Customer ${code} has no forecast for ${range.hours} hour${range.hours === 1 ? '' : 's'} from ${formatLocal(range.from, options.zone)} to ${formatLocal(range.to, options.zone)}`,
            range: { from: range.from, to: range.to, slots: range.hours * 4 },
          });
        }
      }
    }
    result.problems.push(...sink.finish());
  }
  if (result.sheets.length === 0) {
    result.problems.push(
      problem(
        { fileName, sheet: null },
        {
          code: 'NO_HEADER',
          message: 'No sheet has a header with a customer code, a date, an hour and a kWh column',
          expected: 'a header like "Código cliente, Fecha, Hora inicio, kWh pronosticado"',
        },
      ),
    );
  }
  const customers: CustomerForecast[] = [...merged].map(([customerCode, hours]) => ({
    customerCode,
    hours: [...hours.values()].sort((a, b) => a.hourStart.getTime() - b.hourStart.getTime()),
  }));
  result.customers = customers;
  result.counts.hours = customers.reduce((sum, c) => sum + c.hours.length, 0);
  return result;
}

/** Sorted hour starts → contiguous ranges `[from, to)`. */
function hourRanges(sorted: readonly Date[]): { from: Date; to: Date; hours: number }[] {
  const out: { from: Date; to: Date; hours: number }[] = [];
  for (const d of sorted) {
    const last = out[out.length - 1];
    if (last && last.to.getTime() === d.getTime()) {
      last.to = new Date(d.getTime() + HOUR_MS);
      last.hours++;
    } else out.push({ from: d, to: new Date(d.getTime() + HOUR_MS), hours: 1 });
  }
  return out;
}

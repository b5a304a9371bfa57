import { localPartsOf, SLOT_MS, type LocalDateTime } from '@ciro/subgraph-common';
import { refOf } from './columns';
import type { StampFact } from './convention';
import type { Grid } from './grid';
import type { MeterColumns } from './meter-columns';
import { excelSerialToWall, formatLocal, formatWall, parseClock, parseDateText, parseDateTimeText } from './timestamps';
import type { CellValue, DateOrder, ProblemColumn } from './types';
import { createWallResolver } from './zone';

export type StampOutcome =
  | { ok: true; stamp: Omit<StampFact, 'row'> }
  | { ok: false; col: number; value: CellValue; detail: string; expected: string };

const DATETIME_EXPECTED = 'a date and time like 01/09/2025 00:15, 2025-09-01T00:15 or an Excel date-time';
const DATE_EXPECTED = 'a date like 01/09/2025 or an Excel date';
const TIME_EXPECTED = 'a time like 00:15 (00:00 to 24:00)';
const MAX_STEP_MS = 86_400_000;

/** One meter's stamps so far: the last instant (ms) and the step to it, where the next should fall; its wall time. */
interface Series {
  last: number | null;
  step: number;
  lastWall: LocalDateTime | null;
}

/** Reads a row's timestamp cell(s) into an instant, with the file's date order and the client's zone. */
export class StampReader {
  private readonly cols: MeterColumns;
  private readonly order: DateOrder;
  private readonly columnOf: (c: number) => ProblemColumn;
  private readonly toInstant: (wall: LocalDateTime, near?: number) => Date;
  /** Per meter of the file (serial column value; '' without one): what its last stamp was. */
  private readonly series = new Map<string, Series>();
  private current: Series = { last: null, step: SLOT_MS, lastWall: null };
  private row = -1;
  /** 0-based rows stamped 00:00 right after 23:45 of the same date: the end of that day, read as 24:00. */
  readonly endOfDayRows: number[] = [];

  constructor(
    private readonly grid: Grid,
    cols: MeterColumns,
    private readonly zone: string,
  ) {
    this.cols = cols;
    this.order = cols.dateOrder ?? 'DMY';
    this.toInstant = createWallResolver(zone);
    this.columnOf = (c) => {
      const ref = refOf(cols.header, c);
      return { header: ref.header, letter: ref.letter };
    };
  }

  column(c: number): ProblemColumn {
    return this.columnOf(c);
  }

  /** Remembers a row's instant; a step of up to a day (either direction) becomes the expected next step. */
  private seen(instant: Date, wall: LocalDateTime | null): void {
    const s = this.current;
    const t = instant.getTime();
    if (s.last !== null && Math.abs(t - s.last) <= MAX_STEP_MS) s.step = t - s.last;
    s.last = t;
    s.lastWall = wall;
  }

  private fromWall(written: LocalDateTime, col: number, value: CellValue): StampOutcome {
    // Some exports write the end of a day as 00:00 without moving the date (after 23:45 of the same date). Read
    // as the start of that day, every slot would shift by 15 minutes with no sign of it.
    const prev = this.current.lastWall;
    let wall = written;
    if (
      wall.hour === 0 &&
      wall.minute === 0 &&
      prev !== null &&
      prev.hour === 23 &&
      prev.minute === 45 &&
      prev.day === wall.day &&
      prev.month === wall.month &&
      prev.year === wall.year
    ) {
      wall = { ...wall, hour: 24 };
      this.endOfDayRows.push(this.row);
    }
    if (wall.minute % 15 !== 0) {
      return {
        ok: false,
        col,
        value,
        detail: `${formatWall(wall)} is not on a quarter hour`,
        expected: 'times at :00, :15, :30 or :45',
      };
    }
    try {
      // In a DST fold (01:00–01:59 twice) the row before tells the first pass from the second.
      const { last, step } = this.current;
      const instant = this.toInstant(wall, last === null ? undefined : last + step);
      this.seen(instant, wall);
      return { ok: true, stamp: { instant, minuteOfDay: wall.hour * 60 + wall.minute } };
    } catch (error) {
      return {
        ok: false,
        col,
        value,
        detail: (error as Error).message,
        expected: `a time that exists in ${this.zone}`,
      };
    }
  }

  private fromInstant(instant: Date, col: number, value: CellValue): StampOutcome {
    const parts = localPartsOf(instant, this.zone);
    if (parts.minuteOfDay % 15 !== 0 || instant.getUTCSeconds() !== 0) {
      return {
        ok: false,
        col,
        value,
        detail: `${formatLocal(instant, this.zone)} is not on a quarter hour`,
        expected: 'times at :00, :15, :30 or :45',
      };
    }
    this.seen(instant, null);
    return { ok: true, stamp: { instant, minuteOfDay: parts.minuteOfDay } };
  }

  /** Reads row `r` of the meter `meter` (its serial-column value): the rows before of the same meter guide it. */
  readStamp(r: number, meter = ''): StampOutcome {
    this.row = r;
    let series = this.series.get(meter);
    if (!series) {
      series = { last: null, step: SLOT_MS, lastWall: null };
      this.series.set(meter, series);
    }
    this.current = series;
    const ts = this.cols.timestamp;
    const { grid } = this;
    if (ts.kind === 'DATETIME') {
      const v = grid.cell(r, ts.col);
      if (typeof v === 'number') {
        const wall = excelSerialToWall(v, grid.date1904);
        if (wall) return this.fromWall(wall, ts.col, v);
      } else if (typeof v === 'string') {
        const parsed = parseDateTimeText(v, this.order);
        if (parsed && 'instant' in parsed) return this.fromInstant(parsed.instant, ts.col, v);
        // A date without a time in a date-time column is midnight (some exports drop "00:00").
        if (parsed)
          return this.fromWall(
            { ...parsed.date, hour: parsed.clock?.hour ?? 0, minute: parsed.clock?.minute ?? 0 },
            ts.col,
            v,
          );
      }
      return {
        ok: false,
        col: ts.col,
        value: v,
        detail: v === null ? 'is blank' : 'is not a date and time',
        expected: DATETIME_EXPECTED,
      };
    }
    const dv = grid.cell(r, ts.date);
    let date: { year: number; month: number; day: number } | null = null;
    if (typeof dv === 'number') date = excelSerialToWall(dv, grid.date1904);
    else if (typeof dv === 'string') {
      const parsed = parseDateText(dv, this.order) ?? parseDateTimeText(dv, this.order);
      date = parsed && 'year' in parsed ? parsed : parsed && 'date' in parsed ? parsed.date : null;
    }
    if (!date)
      return {
        ok: false,
        col: ts.date,
        value: dv,
        detail: dv === null ? 'is blank' : 'is not a date',
        expected: DATE_EXPECTED,
      };
    const tv = grid.cell(r, ts.time);
    const clock = parseClock(tv);
    if (!clock)
      return {
        ok: false,
        col: ts.time,
        value: tv,
        detail: tv === null ? 'is blank' : 'is not a time',
        expected: TIME_EXPECTED,
      };
    return this.fromWall(
      { year: date.year, month: date.month, day: date.day, hour: clock.hour, minute: clock.minute },
      ts.time,
      tv,
    );
  }
}

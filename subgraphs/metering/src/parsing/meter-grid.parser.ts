import { localPartsOf, SLOT_MS, slotRanges, type LocalDateTime } from '@ciro/subgraph-common';
import type Decimal from 'decimal.js';
import { refOf } from './columns';
import { detectConvention, slotStartOf, type StampFact } from './convention';
import { cellText, isBlankRow, type Grid } from './grid';
import { detectMeterColumns, timestampColumns, type MeterColumns } from './meter-columns';
import { readMetadata, sameSerial, serialFromFileName, serialFromSheetName, type SheetMetadata } from './metadata';
import { ProblemSink, show, type ProblemInput } from './problems';
import { coveredPeriod, type PeriodBounds } from './periods';
import { excelSerialToWall, formatLocal, formatWall, parseClock, parseDateText, parseDateTimeText } from './timestamps';
import type {
  CellValue,
  Convention,
  DateOrder,
  MappingOverride,
  MeterMapping,
  MeterSource,
  Problem,
  ProblemColumn,
  Reading,
  SerialOrigin,
} from './types';
import { numberExample, readEnergy } from './values';
import { createWallResolver } from './zone';

export interface GridContext {
  zone: string;
  period: PeriodBounds | null;
  override: MappingOverride;
  /** Serial chosen by the admin for this sheet or file. */
  serialOverride: string | null;
  /** CSV only. */
  delimiter?: { delimiter: string; reason: string };
  maxProblems: number;
}

export interface GridOutcome {
  sources: MeterSource[];
  /** Set when the grid yielded no source (no header, unusable mapping). */
  failure: ProblemInput | null;
}

const PREVIEW_ROWS = 5;
const PREVIEW_COLUMNS = 30;
const FOOTER = /^\s*(?:total(?:es)?|suma|sum|promedio|average|media|m[aá]x(?:imo)?|m[ií]n(?:imo)?)\b/i;

interface RowFact {
  row: number;
  stamp: StampFact;
  kwh: Decimal;
  kvarh: Decimal | null;
  stampValue: CellValue;
  kwhValue: CellValue;
  kvarhValue: CellValue;
}

interface Group {
  key: string;
  rows: number;
  rejected: number;
  facts: RowFact[];
  firstRows: { row: number; values: CellValue[] }[];
  sink: ProblemSink;
}

type StampOutcome =
  | { ok: true; stamp: Omit<StampFact, 'row'> }
  | { ok: false; col: number; value: CellValue; detail: string; expected: string };

const DATETIME_EXPECTED = 'a date and time like 01/09/2025 00:15, 2025-09-01T00:15 or an Excel date-time';
const DATE_EXPECTED = 'a date like 01/09/2025 or an Excel date';
const TIME_EXPECTED = 'a time like 00:15 (00:00 to 24:00)';

class MeterGridReader {
  private readonly cols: MeterColumns;
  private readonly order: DateOrder;
  private readonly columnOf: (c: number) => ProblemColumn;
  private readonly toInstant: (wall: LocalDateTime) => Date;

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

  private fromWall(wall: LocalDateTime, col: number, value: CellValue): StampOutcome {
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
      return { ok: true, stamp: { instant: this.toInstant(wall), minuteOfDay: wall.hour * 60 + wall.minute } };
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
    return { ok: true, stamp: { instant, minuteOfDay: parts.minuteOfDay } };
  }

  readStamp(r: number): StampOutcome {
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

function readRows(grid: Grid, cols: MeterColumns, ctx: GridContext, reasons: string[]): Group[] {
  const reader = new MeterGridReader(grid, cols, ctx.zone);
  const where = { fileName: grid.fileName, sheet: grid.kind === 'XLSX_SHEET' ? grid.name : null };
  const groups = new Map<string, Group>();
  const used = [...timestampColumns(cols.timestamp), cols.consumption, ...(cols.kvarh === null ? [] : [cols.kvarh])];
  const firstStampColumn = timestampColumns(cols.timestamp)[0];
  const stampHeader = cols.header.headers[firstStampColumn];
  let skipped = 0;
  for (let r = cols.header.r + 1; r < grid.rowCount; r++) {
    if (isBlankRow(grid, r, used)) continue;
    const stampValue = grid.cell(r, firstStampColumn);
    if (
      typeof stampValue === 'string' &&
      (FOOTER.test(stampValue) || (stampHeader !== '' && cellText(stampValue) === stampHeader))
    ) {
      skipped++;
      continue;
    }
    const key = cols.serial === null ? '' : cellText(grid.cell(r, cols.serial));
    let group = groups.get(key);
    if (!group) {
      group = { key, rows: 0, rejected: 0, facts: [], firstRows: [], sink: new ProblemSink(where, ctx.maxProblems) };
      groups.set(key, group);
    }
    const row = grid.rowNumber(r);
    group.rows++;
    if (group.firstRows.length < PREVIEW_ROWS) {
      const values: CellValue[] = [];
      for (let c = 0; c < Math.min(grid.colCount, PREVIEW_COLUMNS); c++) values.push(grid.cell(r, c));
      group.firstRows.push({ row, values });
    }

    let failed = false;
    const stamp = reader.readStamp(r);
    if (!stamp.ok) {
      failed = true;
      const column = reader.column(stamp.col);
      group.sink.add({
        code: 'BAD_TIMESTAMP',
        row,
        column,
        value: stamp.value,
        expected: stamp.expected,
        message: `"${column.header}" ${show(stamp.value)} ${stamp.detail}`,
      });
    }
    const energy = (c: number, label: string): Decimal | null => {
      const v = grid.cell(r, c);
      const out = readEnergy(v, cols.decimalSeparator);
      if (out.ok) return out.value;
      failed = true;
      const column = reader.column(c);
      group.sink.add({
        code: out.code,
        row,
        column,
        value: v,
        expected: `${out.code === 'NEGATIVE_VALUE' ? 'zero or a positive' : 'a'} number of ${label} like ${numberExample(cols.decimalSeparator)}`,
        message: `"${column.header}" ${show(v)} ${out.detail}${out.code === 'MISSING_VALUE' ? '; the slot stays missing' : ''}`,
      });
      return null;
    };
    const kwh = energy(cols.consumption, 'kWh');
    const kvarh = cols.kvarh === null || grid.cell(r, cols.kvarh) === null ? null : energy(cols.kvarh, 'kVArh');
    if (failed || !stamp.ok || kwh === null) {
      group.rejected++;
      continue;
    }
    group.facts.push({
      row,
      stamp: { ...stamp.stamp, row },
      kwh,
      kvarh,
      stampValue,
      kwhValue: grid.cell(r, cols.consumption),
      kvarhValue: cols.kvarh === null ? null : grid.cell(r, cols.kvarh),
    });
  }
  if (skipped > 0) reasons.push(`${skipped} total or repeated header line${skipped === 1 ? '' : 's'} skipped`);
  if (groups.size === 0) {
    groups.set('', {
      key: '',
      rows: 0,
      rejected: 0,
      facts: [],
      firstRows: [],
      sink: new ProblemSink(where, ctx.maxProblems),
    });
  }
  return [...groups.values()];
}

/** The most common step between consecutive distinct stamps, in ms (null with fewer than 3 stamps). */
function typicalStep(facts: readonly RowFact[]): number | null {
  const times = [...new Set(facts.map((f) => f.stamp.instant.getTime()))].sort((a, b) => a - b);
  if (times.length < 3) return null;
  const counts = new Map<number, number>();
  for (let i = 1; i < times.length; i++)
    counts.set(times[i] - times[i - 1], (counts.get(times[i] - times[i - 1]) ?? 0) + 1);
  let best = SLOT_MS;
  let bestCount = 0;
  for (const [step, count] of counts) {
    if (count > bestCount) {
      best = step;
      bestCount = count;
    }
  }
  return best;
}

function toReadings(
  group: Group,
  slotOf: (f: RowFact) => Date,
  ctx: GridContext,
  reader: { column: (c: number) => ProblemColumn },
  cols: MeterColumns,
) {
  const stampColumn = reader.column(timestampColumns(cols.timestamp)[0]);
  const kwhColumn = reader.column(cols.consumption);
  let outside = 0;
  const inside: { fact: RowFact; slot: Date }[] = [];
  for (const fact of group.facts) {
    const slot = slotOf(fact);
    const p = ctx.period;
    if (p && (slot < p.start || slot >= p.end)) {
      outside++;
      group.sink.add({
        code: 'OUTSIDE_PERIOD',
        row: fact.row,
        column: stampColumn,
        value: fact.stampValue,
        expected: `a slot of ${p.label} (${formatLocal(p.start, ctx.zone)} to ${formatLocal(new Date(p.end.getTime() - SLOT_MS), ctx.zone)})`,
        message: `${show(fact.stampValue)} is the slot starting ${formatLocal(slot, ctx.zone)}, outside period ${p.label}; not imported`,
      });
      continue;
    }
    inside.push({ fact, slot });
  }
  inside.sort((a, b) => a.slot.getTime() - b.slot.getTime() || a.fact.row - b.fact.row);
  const readings: Reading[] = [];
  let collapsed = 0;
  for (const { fact, slot } of inside) {
    const prev = readings[readings.length - 1];
    if (prev && prev.slotStart.getTime() === slot.getTime()) {
      const sameKvarh = prev.kvarh === null ? fact.kvarh === null : fact.kvarh !== null && prev.kvarh.eq(fact.kvarh);
      if (prev.kwh.eq(fact.kwh) && sameKvarh) {
        collapsed++;
        continue;
      }
      group.rejected++;
      const kwhDiffers = !prev.kwh.eq(fact.kwh);
      const column = kwhDiffers || cols.kvarh === null ? kwhColumn : reader.column(cols.kvarh);
      const [mine, theirs] = kwhDiffers ? [fact.kwh, prev.kwh] : [fact.kvarh, prev.kvarh];
      group.sink.add({
        code: 'DUPLICATE_CONFLICT',
        row: fact.row,
        column,
        value: kwhDiffers ? fact.kwhValue : fact.kvarhValue,
        expected: `the same value as row ${prev.row} (${theirs?.toFixed() ?? 'blank'}), or no second row for this slot`,
        message: `The slot starting ${formatLocal(slot, ctx.zone)} is already on row ${prev.row} with ${column.header} ${theirs?.toFixed() ?? '(blank)'}; this row has ${mine?.toFixed() ?? '(blank)'}. Row ${prev.row} is kept.`,
      });
      continue;
    }
    readings.push({ slotStart: slot, kwh: fact.kwh, kvarh: fact.kvarh, row: fact.row });
  }
  return { readings, collapsed, outside };
}

function resolveSerial(
  grid: Grid,
  group: Group,
  groupCount: number,
  meta: SheetMetadata,
  ctx: GridContext,
  reasons: string[],
): { serial: string | null; from: SerialOrigin | null; node: string | null } {
  const named = grid.kind === 'XLSX_SHEET' ? serialFromSheetName(grid.name) : null;
  const candidates: { serial: string; from: SerialOrigin; label: string }[] = [];
  if (ctx.serialOverride && groupCount === 1)
    candidates.push({ serial: ctx.serialOverride, from: 'OVERRIDE', label: 'chosen for this sheet' });
  if (named && groupCount === 1)
    candidates.push({ serial: named.serial, from: 'SHEET_NAME', label: `sheet name "${grid.name}"` });
  if (group.key) candidates.push({ serial: group.key, from: 'COLUMN', label: 'the serial column' });
  if (meta.serial)
    candidates.push({
      serial: meta.serial,
      from: 'METADATA',
      label: `the line "${meta.lines.find((l) => l.includes(meta.serial ?? '')) ?? ''}"`,
    });
  const fromFile = grid.kind === 'CSV' ? serialFromFileName(grid.fileName) : null;
  if (fromFile) candidates.push({ serial: fromFile, from: 'FILE_NAME', label: `file name "${grid.fileName}"` });
  const chosen = candidates[0];
  const node = named?.node ?? meta.node;
  if (!chosen) return { serial: null, from: null, node };
  reasons.push(`meter ${chosen.serial} from ${chosen.label}`);
  for (const other of candidates.slice(1)) {
    if (other.from !== 'OVERRIDE' && chosen.from !== 'OVERRIDE' && !sameSerial(other.serial, chosen.serial)) {
      group.sink.add({
        code: 'SERIAL_MISMATCH',
        value: other.serial,
        expected: chosen.serial,
        message: `Meter ${chosen.serial} comes from ${chosen.label}, but ${other.label} says ${other.serial}`,
      });
    }
  }
  return { serial: chosen.serial, from: chosen.from, node };
}

/** Reads one sheet or CSV file into one source per meter (several when a serial column names several meters). */
export function parseMeterGrid(grid: Grid, ctx: GridContext): GridOutcome {
  const detection = detectMeterColumns(grid, ctx.override, ctx.delimiter?.delimiter);
  if (!detection.ok) return { sources: [], failure: detection.problem };
  const cols = detection.columns;
  const meta = readMetadata(grid, cols.header.r, cols.dateOrder);
  const baseReasons = [...(ctx.delimiter ? [ctx.delimiter.reason] : []), ...cols.reasons];
  const groups = readRows(grid, cols, ctx, baseReasons);
  const reader = new MeterGridReader(grid, cols, ctx.zone);
  const ref = (c: number) => refOf(cols.header, c);

  const sources = groups.map((group): MeterSource => {
    const reasons = [...baseReasons];
    const step = typicalStep(group.facts);
    const unsupported = step !== null && step !== SLOT_MS;
    if (unsupported) {
      group.sink.add({
        code: 'UNSUPPORTED_INTERVAL',
        value: null,
        expected: 'a reading every 15 minutes',
        message: `Readings are ${step / 60_000} minutes apart; only 15-minute interval data can be imported`,
      });
    }
    let convention: Convention;
    let conventionConfidence: MeterMapping['confidence']['convention'];
    if (ctx.override.convention) {
      convention = ctx.override.convention;
      conventionConfidence = 'HIGH';
      reasons.push(`${convention === 'INTERVAL_END' ? 'interval end' : 'interval start'} (given)`);
    } else {
      const decision = detectConvention({
        stamps: group.facts.map((f) => f.stamp),
        zone: ctx.zone,
        headerHint: cols.headerHint,
        metadataHint: meta.conventionHint,
        period: ctx.period,
      });
      convention = decision.convention;
      conventionConfidence = decision.confidence;
      reasons.push(...decision.reasons);
    }
    const { readings, collapsed, outside } = unsupported
      ? { readings: [], collapsed: 0, outside: 0 }
      : toReadings(group, (f) => slotStartOf(f.stamp.instant, convention), ctx, reader, cols);
    if (collapsed > 0) reasons.push(`${collapsed} identical duplicate row${collapsed === 1 ? '' : 's'} collapsed`);

    const period = coveredPeriod(readings, ctx.period, meta.period, ctx.zone);
    let missing = 0;
    if (period && !unsupported) {
      const present = new Set(readings.map((r) => r.slotStart.getTime()));
      const absent: Date[] = [];
      for (let t = period.from.getTime(); t < period.to.getTime(); t += SLOT_MS)
        if (!present.has(t)) absent.push(new Date(t));
      missing = absent.length;
      for (const range of slotRanges(absent)) {
        const slots = (range.to.getTime() - range.from.getTime()) / SLOT_MS;
        group.sink.add({
          code: 'GAP',
          value: null,
          expected: 'a reading every 15 minutes',
          message: `${slots} slot${slots === 1 ? '' : 's'} missing from ${formatLocal(range.from, ctx.zone)} to ${formatLocal(range.to, ctx.zone)}${period.basis === 'DATA' ? '' : ` (period ${period.label ?? 'of the file'})`}`,
          range: { from: range.from, to: range.to, slots },
        });
      }
    }

    const serial = resolveSerial(grid, group, groups.length, meta, ctx, reasons);
    if (serial.serial === null) {
      const isSheet = grid.kind === 'XLSX_SHEET';
      group.sink.add({
        code: isSheet ? 'UNKNOWN_SHEET' : 'UNKNOWN_METER',
        value: grid.name,
        expected: isSheet
          ? 'a sheet named like "Nodo Ateos 5614086", or a meter chosen for it'
          : 'a serial column, a file named like "Medidor 5614112 2025-09.csv", or a meter chosen for it',
        message: isSheet
          ? `Sheet "${grid.name}" is not named "Nodo <node> <serial>" and names no meter; choose the meter it belongs to`
          : `File "${grid.fileName}" names no meter (no serial column, no serial in its name); choose the meter it belongs to`,
      });
    }

    const problems: Problem[] = group.sink.finish();
    const tsCols = timestampColumns(cols.timestamp);
    const mapping: MeterMapping = {
      timestamp: tsCols.map((c) => ref(c).header),
      consumption: ref(cols.consumption).header,
      convention,
      columns: { timestamp: tsCols.map(ref), consumption: ref(cols.consumption) },
      confidence: { columns: cols.confidence, convention: conventionConfidence },
      reasons,
    };
    if (cols.kvarh !== null) {
      mapping.kvarh = ref(cols.kvarh).header;
      mapping.columns.kvarh = ref(cols.kvarh);
    }
    if (cols.serial !== null) {
      mapping.serial = ref(cols.serial).header;
      mapping.columns.serial = ref(cols.serial);
    }
    if (cols.decimalFromText || grid.kind === 'CSV') mapping.decimalSeparator = cols.decimalSeparator;
    if (ctx.delimiter) mapping.delimiter = ctx.delimiter.delimiter;
    if (cols.dateOrder) mapping.dateOrder = cols.dateOrder;

    return {
      source:
        grid.kind === 'XLSX_SHEET'
          ? { kind: 'XLSX_SHEET', sheet: grid.name, fileName: grid.fileName }
          : { kind: 'CSV', fileName: grid.fileName },
      serial: serial.serial,
      serialFrom: serial.from,
      node: serial.node,
      headerRow: grid.rowNumber(cols.header.r),
      headers: cols.header.headers,
      metadata: meta.lines,
      mapping,
      period,
      readings,
      counts: {
        rows: group.rows,
        readings: readings.length,
        duplicatesCollapsed: collapsed,
        rejected: group.rejected,
        outsidePeriod: outside,
        expectedSlots: period ? Math.round((period.to.getTime() - period.from.getTime()) / SLOT_MS) : null,
        missingSlots: missing,
      },
      firstRows: group.firstRows,
      problems,
    };
  });
  return { sources, failure: null };
}

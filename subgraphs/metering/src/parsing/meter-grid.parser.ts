import { SLOT_MS } from '@ciro/subgraph-common';
import Decimal from 'decimal.js';
import { refOf } from './columns';
import { detectConvention, slotStartOf } from './convention';
import { cellText, isBlankRow, type Grid } from './grid';
import { detectMeterColumns, timestampColumns, type MeterColumns } from './meter-columns';
import { buildReadings, reportGaps, typicalStep, type RowFact } from './meter-readings';
import { resolveSerial } from './meter-serial';
import { readMetadata } from './metadata';
import { coveredPeriod, declaredBounds, type PeriodBounds } from './periods';
import { ProblemSink, show, type ProblemInput } from './problems';
import { StampReader } from './stamp-reader';
import type { CellValue, Convention, MappingOverride, MeterMapping, MeterSource } from './types';
import { numberExample, readEnergy } from './values';

export interface GridContext {
  zone: string;
  period: PeriodBounds | null;
  override: MappingOverride;
  /** Serial chosen by the admin for this sheet or file. */
  serialOverride: string | null;
  /** The file has no other sheet (a CSV, or a one-sheet workbook). */
  onlyGridOfFile: boolean;
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

/** The rows of one meter within a grid (a serial column may name several). */
interface Group {
  key: string;
  rows: number;
  rejected: number;
  facts: RowFact[];
  firstRows: { row: number; values: CellValue[] }[];
  sink: ProblemSink;
}

function readRows(grid: Grid, cols: MeterColumns, ctx: GridContext, reasons: string[]): Group[] {
  const reader = new StampReader(grid, cols, ctx.zone);
  const where = { fileName: grid.fileName, sheet: grid.kind === 'XLSX_SHEET' ? grid.name : null };
  const groups = new Map<string, Group>();
  const used = [...timestampColumns(cols.timestamp), cols.consumption, ...(cols.kvarh === null ? [] : [cols.kvarh])];
  const firstStampColumn = timestampColumns(cols.timestamp)[0];
  const stampHeader = cols.header.headers[firstStampColumn];
  let skipped = 0;
  let lastSerial = '';
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
    // Some exports write the serial on the first row only: a blank serial cell continues the one above.
    const key = cols.serial === null ? '' : cellText(grid.cell(r, cols.serial)) || lastSerial;
    lastSerial = key;
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
    const stamp = reader.readStamp(r, key);
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
    const energy = (c: number, label: string, exponent: number): Decimal | null => {
      const v = grid.cell(r, c);
      const out = readEnergy(v, cols.decimalSeparator);
      if (out.ok) return exponent === 0 ? out.value : out.value.times(new Decimal(10).pow(exponent));
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
    const kwh = energy(cols.consumption, 'kWh', cols.unitExponent.kwh);
    const kvarh =
      cols.kvarh === null || grid.cell(r, cols.kvarh) === null
        ? null
        : energy(cols.kvarh, 'kVArh', cols.unitExponent.kvarh);
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
  const endOfDay = reader.endOfDayRows;
  if (endOfDay.length > 0)
    reasons.push(
      `${endOfDay.length} row${endOfDay.length === 1 ? '' : 's'} stamped 00:00 right after 23:45 of the same date read as 24:00, the end of that day (first: row ${grid.rowNumber(endOfDay[0])})`,
    );
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

/** At least half the stamps fall in `bounds`, as interval starts or as interval ends. */
function mostlyWithin(facts: readonly RowFact[], bounds: PeriodBounds): boolean {
  const start = bounds.start.getTime();
  const end = bounds.end.getTime();
  let inside = 0;
  for (const f of facts) {
    const t = f.stamp.instant.getTime();
    if (t >= start && t <= end) inside++;
  }
  return inside * 2 >= facts.length;
}

/** Reads one sheet or CSV file into one source per meter (several when a serial column names several meters). */
export function parseMeterGrid(grid: Grid, ctx: GridContext): GridOutcome {
  const detection = detectMeterColumns(grid, ctx.override, ctx.delimiter?.delimiter);
  if (!detection.ok) return { sources: [], failure: detection.problem };
  const cols = detection.columns;
  const meta = readMetadata(grid, cols.header.top ?? cols.header.r, cols.dateOrder);
  const baseReasons = [...(ctx.delimiter ? [ctx.delimiter.reason] : []), ...cols.reasons];
  // Without a period option, the file's own "Periodo:" line bounds its readings: a stamp outside it is reported.
  const declared = ctx.period ? null : declaredBounds(meta.period, ctx.zone);
  const groups = readRows(grid, cols, ctx, baseReasons);
  const reader = new StampReader(grid, cols, ctx.zone);
  const ref = (c: number) => refOf(cols.header, c);
  const columns = {
    stamp: reader.column(timestampColumns(cols.timestamp)[0]),
    kwh: reader.column(cols.consumption),
    kvarh: cols.kvarh === null ? null : reader.column(cols.kvarh),
  };

  const sources = groups.map((group): MeterSource => {
    const reasons = [...baseReasons];
    // A period line that most stamps miss was misread (day/month order) or is stale: it bounds nothing.
    const trusted = declared !== null && mostlyWithin(group.facts, declared);
    if (declared && !trusted && group.facts.length > 0)
      reasons.push(`the file's period (${declared.label}) does not match most of its stamps; ignored`);
    const bounds = ctx.period ?? (trusted ? declared : null);
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
        period: bounds,
      });
      convention = decision.convention;
      conventionConfidence = decision.confidence;
      reasons.push(...decision.reasons);
    }
    const { readings, collapsed, outside, conflicts } = unsupported
      ? { readings: [], collapsed: 0, outside: 0, conflicts: 0 }
      : buildReadings({
          facts: group.facts,
          slotOf: (f) => slotStartOf(f.stamp.instant, convention),
          period: bounds,
          zone: ctx.zone,
          sink: group.sink,
          columns,
        });
    if (collapsed > 0) reasons.push(`${collapsed} identical duplicate row${collapsed === 1 ? '' : 's'} collapsed`);

    const period = coveredPeriod(readings, ctx.period, trusted ? meta.period : null, ctx.zone);
    const missing = period && !unsupported ? reportGaps(readings, period, ctx.zone, group.sink) : 0;

    const serial = resolveSerial({
      grid,
      columnSerial: group.key,
      sourceCount: groups.length,
      meta,
      serialOverride: ctx.serialOverride,
      onlyGridOfFile: ctx.onlyGridOfFile,
      sink: group.sink,
      reasons,
    });
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

    const problems = group.sink.finish();
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
        rejected: group.rejected + conflicts,
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

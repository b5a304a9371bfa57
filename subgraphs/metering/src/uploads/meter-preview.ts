import Decimal from 'decimal.js';
import type { MeterFileResult, MeterSource } from '../parsing';
import type { AssignmentInfo, MeterInfo } from '../readings/meter-lookup.repository';
import { countBySeverity, storedProblem, uploadProblem } from './problems';
import { cellText, type SourceMatch, type StoredPreview, type StoredProblem, type StoredSource } from './upload.model';

const SLOT_MS = 15 * 60_000;
/** numeric(18,6) holds values below 10^12. */
const MAX_READING = new Decimal('1e12');
const FIRST_READINGS = 5;

export interface MatchContext {
  meters: readonly MeterInfo[];
  assignments: readonly AssignmentInfo[];
  /** Serials of the file registered by another client. */
  foreignSerials: ReadonlySet<string>;
}

/** A source of the file and the meter of this client it belongs to. */
export interface MatchedSource {
  source: MeterSource;
  match: SourceMatch;
  meter: MeterInfo | null;
}

/** Serials compare ignoring spaces, leading zeros and case (`05614086` is `5614086`). */
export function serialKey(serial: string): string {
  return serial
    .replace(/\s+/g, '')
    .replace(/^0+(?=.)/, '')
    .toUpperCase();
}

function sourceName(source: MeterSource): string {
  return source.source.sheet ? `Sheet "${source.source.sheet}"` : `File "${source.source.fileName ?? ''}"`;
}

function range(source: MeterSource): { from: number; to: number } | null {
  const first = source.readings[0];
  const last = source.readings.at(-1);
  return first && last ? { from: first.slotStart.getTime(), to: last.slotStart.getTime() + SLOT_MS } : null;
}

/** Matches each source's serial to a meter of the client. */
export function matchSources(result: MeterFileResult, ctx: MatchContext): MatchedSource[] {
  const bySerial = new Map<string, MeterInfo>();
  for (const meter of ctx.meters) bySerial.set(serialKey(meter.serial), meter);
  const foreign = new Set([...ctx.foreignSerials].map(serialKey));
  const matched: MatchedSource[] = result.sources.map((source) => {
    if (source.serial === null) return { source, match: 'NO_SERIAL', meter: null };
    const meter = bySerial.get(serialKey(source.serial)) ?? null;
    if (meter) return { source, match: 'MATCHED', meter };
    return {
      source,
      match: foreign.has(serialKey(source.serial)) ? 'OTHER_CLIENT_METER' : 'UNKNOWN_METER',
      meter: null,
    };
  });
  // Two sources of one meter may split a month, but must not cover the same slots.
  for (const [i, a] of matched.entries()) {
    if (!a.meter) continue;
    for (const b of matched.slice(0, i)) {
      if (b.meter?.id !== a.meter.id || b.match !== 'MATCHED') continue;
      const ra = range(a.source);
      const rb = range(b.source);
      if (ra && rb && ra.from < rb.to && rb.from < ra.to) a.match = 'DUPLICATE_METER';
    }
  }
  return matched;
}

function matchProblem(m: MatchedSource, others: readonly MatchedSource[]): StoredProblem | null {
  const where = { sheet: m.source.source.sheet ?? null, value: m.source.serial };
  switch (m.match) {
    case 'MATCHED':
    case 'NO_SERIAL': // the parser already reported UNKNOWN_SHEET / UNKNOWN_METER
      return null;
    case 'UNKNOWN_METER':
      return uploadProblem({
        ...where,
        code: 'UNKNOWN_METER',
        expected: 'the serial of a meter registered for this client',
        message: `${sourceName(m.source)}: meter ${m.source.serial ?? ''} is not registered for this client; register it or choose the meter this sheet belongs to`,
      });
    case 'OTHER_CLIENT_METER':
      return uploadProblem({
        ...where,
        code: 'OTHER_CLIENT_METER',
        expected: 'a meter of this client',
        message: `${sourceName(m.source)}: meter ${m.source.serial ?? ''} belongs to another client; its readings cannot be imported here`,
      });
    case 'DUPLICATE_METER': {
      const first = others.find((o) => o !== m && o.meter?.id === m.meter?.id);
      return uploadProblem({
        ...where,
        code: 'DUPLICATE_METER',
        expected: 'one sheet per meter and slot',
        message: `${sourceName(m.source)} holds readings of meter ${m.source.serial ?? ''} for slots that ${first ? sourceName(first.source).toLowerCase() : 'another sheet'} also covers`,
      });
    }
  }
}

/** What numeric(18, 6) stores: the value rounded to 6 decimals, half away from zero (as the server rounds it). */
function stored(value: Decimal): Decimal {
  return value.toDecimalPlaces(6, Decimal.ROUND_HALF_UP);
}

function tooLargeProblems(source: MeterSource): StoredProblem[] {
  const { consumption, kvarh } = source.mapping.columns;
  const problems: StoredProblem[] = [];
  for (const r of source.readings) {
    if (problems.length >= 20) break;
    // 999999999999.9999999 is below 10^12 but becomes 10^12 once rounded to the column's 6 decimals.
    const tooLarge = [
      { value: r.kwh, column: consumption },
      { value: r.kvarh, column: kvarh ?? consumption },
    ].find((v) => v.value !== null && stored(v.value).abs().gte(MAX_READING));
    if (!tooLarge?.value) continue;
    problems.push(
      uploadProblem({
        code: 'VALUE_TOO_LARGE',
        sheet: source.source.sheet ?? null,
        row: r.row,
        column: { header: tooLarge.column.header, letter: tooLarge.column.letter },
        value: tooLarge.value.toFixed(),
        expected: 'a register value below 1,000,000,000,000 (12 digits and 6 decimals)',
        message: `Row ${r.row}: ${tooLarge.value.toFixed()} is not a plausible 15-minute register value`,
      }),
    );
  }
  return problems;
}

function customersOf(
  meter: MeterInfo | null,
  source: MeterSource,
  assignments: readonly AssignmentInfo[],
): StoredSource['customers'] {
  const r = range(source);
  if (!meter || !r) return [];
  const seen = new Map<string, StoredSource['customers'][number]>();
  for (const a of assignments) {
    if (a.meterId !== meter.id) continue;
    const overlaps = a.validFrom.getTime() < r.to && (a.validTo === null || a.validTo.getTime() > r.from);
    if (overlaps) seen.set(a.customerId, { id: a.customerId, code: a.customerCode, name: a.customerName });
  }
  return [...seen.values()];
}

export type MappingOrigin = 'DETECTED' | 'OVERRIDE' | 'REMEMBERED';

function storedSource(
  m: MatchedSource,
  all: readonly MatchedSource[],
  ctx: MatchContext,
  origin: MappingOrigin,
): StoredSource {
  const s = m.source;
  const problems = s.problems.map(storedProblem);
  const extra = matchProblem(m, all);
  if (extra) problems.push(extra);
  problems.push(...tooLargeProblems(s));
  const customers = customersOf(m.meter, s, ctx.assignments);
  if (m.match === 'MATCHED' && customers.length === 0 && s.readings.length > 0) {
    problems.push(
      uploadProblem({
        code: 'METER_NOT_ASSIGNED',
        severity: 'WARNING',
        sheet: s.source.sheet ?? null,
        value: s.serial,
        message: `${sourceName(s)}: meter ${s.serial ?? ''} counts for no customer during these readings; they are stored but billed to nobody`,
      }),
    );
  }
  const mapping = s.mapping;
  return {
    sheet: s.source.sheet ?? null,
    fileName: s.source.fileName ?? null,
    serial: s.serial,
    serialFrom: s.serialFrom,
    node: s.node,
    match: m.match,
    meterId: m.meter?.id ?? null,
    customers,
    headerRow: s.headerRow,
    headers: s.headers,
    metadata: s.metadata,
    mappingOrigin: origin,
    mapping: {
      timestamp: mapping.timestamp,
      consumption: mapping.consumption,
      kvarh: mapping.kvarh ?? null,
      serial: mapping.serial ?? null,
      convention: mapping.convention,
      decimalSeparator: mapping.decimalSeparator ?? null,
      delimiter: mapping.delimiter ?? null,
      dateOrder: mapping.dateOrder ?? null,
      columnsConfidence: mapping.confidence.columns,
      conventionConfidence: mapping.confidence.convention,
      reasons: mapping.reasons,
    },
    period: s.period
      ? {
          from: s.period.from.toISOString(),
          to: s.period.to.toISOString(),
          label: s.period.label,
          basis: s.period.basis,
        }
      : null,
    firstRows: s.firstRows.map((r) => ({ row: r.row, values: r.values.map(cellText) })),
    firstReadings: s.readings.slice(0, FIRST_READINGS).map((r) => ({
      row: r.row,
      slotStart: r.slotStart.toISOString(),
      kwh: r.kwh.toFixed(),
      kvarh: r.kvarh?.toFixed() ?? null,
    })),
    counts: { ...s.counts },
    firstSlot: s.readings[0]?.slotStart.toISOString() ?? null,
    lastSlot: s.readings.at(-1)?.slotStart.toISOString() ?? null,
    gaps: s.problems.flatMap((p) =>
      p.code === 'GAP' && p.range
        ? [{ from: p.range.from.toISOString(), to: p.range.to.toISOString(), slots: p.range.slots }]
        : [],
    ),
    problems,
  };
}

/** Why a preview cannot be committed; empty when it can. */
export function blockersOf(preview: Pick<StoredPreview, 'sources' | 'problems' | 'readings'>): string[] {
  const blockers: string[] = [];
  const fileErrors = preview.problems.filter((p) => p.severity === 'ERROR');
  if (fileErrors.length > 0)
    blockers.push(`The file has ${fileErrors.length} error(s): ${fileErrors[0]?.message ?? ''}`);
  for (const s of preview.sources) {
    const name = s.sheet ? `Sheet "${s.sheet}"` : `File "${s.fileName ?? ''}"`;
    if (s.match !== 'MATCHED') blockers.push(`${name} is not matched to a meter of this client (${s.match})`);
    const errors = s.problems.filter((p) => p.severity === 'ERROR').length;
    if (errors > 0) blockers.push(`${name} has ${errors} error(s)`);
  }
  if (preview.sources.length > 0 && preview.readings === 0) blockers.push('The file holds no readings');
  if (preview.sources.length === 0 && fileErrors.length === 0) blockers.push('The file holds no meter readings');
  return blockers;
}

/** The preview stored on the upload: per source the matched meter and customers, mapping, first rows, counts, problems. */
export function buildMeterPreview(
  result: MeterFileResult,
  ctx: MatchContext,
  originOf: (source: MeterSource) => MappingOrigin = () => 'DETECTED',
): StoredPreview {
  const matched = matchSources(result, ctx);
  const sources = matched.map((m) => storedSource(m, matched, ctx, originOf(m.source)));
  const problems = result.problems.map(storedProblem);
  const all = [...problems, ...sources.flatMap((s) => s.problems)];
  const { errors, warnings } = countBySeverity(all);
  const base = {
    format: result.format,
    sources,
    forecastCustomers: [],
    forecastMapping: null,
    problems,
    readings: sources.reduce((n, s) => n + s.counts.readings, 0),
    errorCount: errors,
    warningCount: warnings,
  };
  const blockers = blockersOf(base);
  return { ...base, committable: blockers.length === 0, blockers };
}

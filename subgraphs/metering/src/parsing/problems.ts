import type { CellValue, Problem, ProblemCode, ProblemColumn, Severity } from './types';

export const DEFAULT_MAX_PROBLEMS_PER_CODE = 100;

const SEVERITY: Record<ProblemCode, Severity> = {
  TEXT_IN_NUMBER: 'ERROR',
  NEGATIVE_VALUE: 'ERROR',
  MISSING_VALUE: 'WARNING',
  BAD_TIMESTAMP: 'ERROR',
  DUPLICATE_CONFLICT: 'ERROR',
  OUTSIDE_PERIOD: 'WARNING',
  GAP: 'WARNING',
  UNKNOWN_SHEET: 'ERROR',
  UNKNOWN_METER: 'ERROR',
  SERIAL_MISMATCH: 'WARNING',
  NO_HEADER: 'ERROR',
  BAD_MAPPING: 'ERROR',
  UNSUPPORTED_INTERVAL: 'ERROR',
  FILE_TOO_LARGE: 'ERROR',
  EMPTY_FILE: 'ERROR',
  ZIP_BOMB: 'ERROR',
  ENCRYPTED: 'ERROR',
  TRUNCATED: 'ERROR',
  UNREADABLE: 'ERROR',
  UNSUPPORTED_FORMAT: 'ERROR',
};

export interface ProblemInput {
  code: ProblemCode;
  row?: number | null;
  column?: ProblemColumn | null;
  value?: CellValue;
  expected?: string | null;
  message: string;
  range?: Problem['range'];
  /** Overrides the code's default severity. */
  severity?: Severity;
}

/** A file- or sheet-level problem (no row, no cell). */
export function problem(where: { fileName: string | null; sheet: string | null }, input: ProblemInput): Problem {
  const out: Problem = {
    code: input.code,
    severity: input.severity ?? SEVERITY[input.code],
    fileName: where.fileName,
    sheet: where.sheet,
    row: input.row ?? null,
    column: input.column ?? null,
    value: input.value ?? null,
    expected: input.expected ?? null,
    message: input.message,
  };
  if (input.range) out.range = input.range;
  return out;
}

/**
 * Collects a source's problems. A file with a systematic fault (every row's value is text) would otherwise yield
 * thousands of identical problems: past `max` per code they are counted and summed up in one closing problem.
 */
export class ProblemSink {
  private readonly list: Problem[] = [];
  private readonly perCode = new Map<ProblemCode, number>();
  private readonly suppressed = new Map<
    ProblemCode,
    { count: number; firstRow: number | null; lastRow: number | null }
  >();

  constructor(
    private readonly where: { fileName: string | null; sheet: string | null },
    private readonly max = DEFAULT_MAX_PROBLEMS_PER_CODE,
  ) {}

  add(input: ProblemInput): void {
    const seen = this.perCode.get(input.code) ?? 0;
    this.perCode.set(input.code, seen + 1);
    if (seen < this.max) {
      this.list.push(problem(this.where, input));
      return;
    }
    const s = this.suppressed.get(input.code) ?? { count: 0, firstRow: null, lastRow: null };
    s.count++;
    if (input.row != null) {
      s.firstRow = s.firstRow === null ? input.row : Math.min(s.firstRow, input.row);
      s.lastRow = s.lastRow === null ? input.row : Math.max(s.lastRow, input.row);
    }
    this.suppressed.set(input.code, s);
  }

  count(code: ProblemCode): number {
    return this.perCode.get(code) ?? 0;
  }

  /** The problems, in the order found, each code's summary after its listed problems. */
  finish(): Problem[] {
    const out = [...this.list];
    for (const [code, s] of this.suppressed) {
      const rows =
        s.firstRow === null
          ? ''
          : s.firstRow === s.lastRow
            ? ` (row ${s.firstRow})`
            : ` (rows ${s.firstRow}–${s.lastRow})`;
      out.push(
        problem(this.where, {
          code,
          message: `${s.count} more ${code} problem${s.count === 1 ? '' : 's'} not listed${rows}`,
        }),
      );
    }
    return out;
  }
}

/** A cell value for a message: text quoted, blank as (blank). */
export function show(value: CellValue): string {
  if (value === null) return '(blank)';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

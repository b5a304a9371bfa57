import type { Problem } from '../parsing';
import { cellText, type StoredProblem } from './upload.model';

/** A parser problem as stored on the upload (JSON: instants as ISO text, cell values as text). */
export function storedProblem(p: Problem): StoredProblem {
  return {
    code: p.code,
    severity: p.severity,
    sheet: p.sheet,
    row: p.row,
    column: p.column ? { header: p.column.header, letter: p.column.letter } : null,
    value: cellText(p.value),
    expected: p.expected,
    message: p.message,
    range: p.range ? { from: p.range.from.toISOString(), to: p.range.to.toISOString(), slots: p.range.slots } : null,
  };
}

/** A problem the upload layer finds (meter matching, limits), in the parser's shape. */
export function uploadProblem(
  input: Pick<StoredProblem, 'code' | 'message'> & Partial<Omit<StoredProblem, 'code' | 'message'>>,
): StoredProblem {
  return {
    severity: 'ERROR',
    sheet: null,
    row: null,
    column: null,
    value: null,
    expected: null,
    range: null,
    ...input,
  };
}

export function countBySeverity(problems: readonly StoredProblem[]): { errors: number; warnings: number } {
  let errors = 0;
  for (const p of problems) if (p.severity === 'ERROR') errors++;
  return { errors, warnings: problems.length - errors };
}

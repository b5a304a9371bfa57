import { isBlankRow } from './grid';
import { assertKnownZone } from './zone';
import { parseMeterGrid } from './meter-grid.parser';
import { serialFromSheetName } from './metadata';
import { periodOption } from './periods';
import { DEFAULT_MAX_PROBLEMS_PER_CODE, problem } from './problems';
import type { MeterFileOptions, MeterFileResult, MeterSource, Problem } from './types';
import { loadFile, type Bytes } from './workbook';

/**
 * Parses a meter export — a workbook with one sheet per meter (`Nodo <node> <serial>`), a CSV, or another brand's
 * layout — into readings per meter with slot starts in `options.zone`. Pure: bytes in, result out.
 *
 * Never throws for a bad file: every problem is in the result (file-level ones in `problems`, the rest in each
 * source's `problems`). Throws only for bad options (unknown zone, malformed period).
 */
export function parseMeterFile(bytes: Bytes, options: MeterFileOptions): MeterFileResult {
  assertKnownZone(options.zone);
  const period = options.period ? periodOption(options.period, options.zone) : null;
  const fileName = options.fileName;
  const fileProblem = (sheet: string | null, input: Parameters<typeof problem>[1]): Problem =>
    problem({ fileName, sheet }, input);

  const loaded = loadFile(
    bytes,
    fileName,
    options.limits,
    options.sheetMappings?.[fileName]?.delimiter ?? options.mapping?.delimiter,
  );
  if (!loaded.ok)
    return {
      format: loaded.format,
      sources: [],
      problems: [fileProblem(null, { code: loaded.code, message: loaded.message })],
    };

  const { file } = loaded;
  const problems: Problem[] = file.warnings.map((w) => fileProblem(null, { code: w.code, message: w.message }));
  const sources: MeterSource[] = [];
  for (const grid of file.grids) {
    const sheet = grid.kind === 'XLSX_SHEET' ? grid.name : null;
    const serialOverride = options.sheetSerials?.[grid.name] ?? null;
    const outcome = parseMeterGrid(grid, {
      zone: options.zone,
      period,
      override: { ...options.mapping, ...options.sheetMappings?.[grid.name] },
      serialOverride,
      onlyGridOfFile: file.grids.length === 1,
      delimiter: file.delimiter,
      maxProblems: options.limits?.maxProblemsPerCode ?? DEFAULT_MAX_PROBLEMS_PER_CODE,
    });
    for (const source of outcome.sources) source.mapping.reasons.unshift(...file.notes);
    sources.push(...outcome.sources);
    if (!outcome.failure) continue;
    const meterLike = grid.kind === 'CSV' || serialOverride !== null || serialFromSheetName(grid.name) !== null;
    if (meterLike || outcome.failure.code === 'BAD_MAPPING') {
      // Blank lines only (a CSV holding a BOM and line ends, a sheet of empty strings) is an empty file too.
      const empty =
        grid.rowCount === 0 || Array.from({ length: grid.rowCount }, (_, r) => r).every((r) => isBlankRow(grid, r));
      problems.push(
        fileProblem(
          sheet,
          empty
            ? { code: 'NO_HEADER', message: `${sheet ? `Sheet "${sheet}"` : 'The file'} is empty` }
            : outcome.failure,
        ),
      );
    } else {
      problems.push(
        fileProblem(sheet, {
          code: 'UNKNOWN_SHEET',
          severity: 'WARNING',
          value: grid.name,
          expected: 'a sheet named like "Nodo Ateos 5614086" with a Fecha/Hora and a kWh column',
          message: `Sheet "${grid.name}" holds no meter readings (no header with a date/time and a kWh column); skipped`,
        }),
      );
    }
  }
  for (const name of Object.keys(options.sheetSerials ?? {})) {
    if (!file.grids.some((g) => g.name === name)) {
      problems.push(
        fileProblem(null, {
          code: 'BAD_MAPPING',
          severity: 'WARNING',
          value: name,
          message: `A meter was chosen for sheet "${name}", which is not in the file (sheets: ${file.grids.map((g) => `"${g.name}"`).join(', ')})`,
        }),
      );
    }
  }
  return { format: file.format, sources, problems };
}

/** Every problem of a result, file-level first, then each source's. */
export function allProblems(result: {
  sources: readonly { problems: readonly Problem[] }[];
  problems: readonly Problem[];
}): Problem[] {
  return [...result.problems, ...result.sources.flatMap((s) => s.problems)];
}

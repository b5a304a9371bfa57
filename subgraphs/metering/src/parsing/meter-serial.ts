import type { Grid } from './grid';
import { sameSerial, serialFromFileName, serialFromSheetName, type SheetMetadata } from './metadata';
import type { ProblemSink } from './problems';
import type { SerialOrigin } from './types';

/**
 * The meter of a source: chosen by the admin, else the sheet name, the serial column, a `Medidor:` line, the file
 * name. Any other source that names a different serial is reported (SERIAL_MISMATCH).
 */
export function resolveSerial(input: {
  grid: Grid;
  /** Serial-column value of this source ('' without a serial column). */
  columnSerial: string;
  /** Sources of the grid: with several, the serial column decides. */
  sourceCount: number;
  meta: SheetMetadata;
  serialOverride: string | null;
  /** The file holds this one sheet/table, so a serial in the file name is its meter. */
  onlyGridOfFile: boolean;
  sink: ProblemSink;
  reasons: string[];
}): { serial: string | null; from: SerialOrigin | null; node: string | null } {
  const { grid, meta, reasons } = input;
  const groupCount = input.sourceCount;
  const named = grid.kind === 'XLSX_SHEET' ? serialFromSheetName(grid.name) : null;
  const candidates: { serial: string; from: SerialOrigin; label: string }[] = [];
  if (input.serialOverride && groupCount === 1)
    candidates.push({ serial: input.serialOverride, from: 'OVERRIDE', label: 'chosen for this sheet' });
  if (named && groupCount === 1)
    candidates.push({ serial: named.serial, from: 'SHEET_NAME', label: `sheet name "${grid.name}"` });
  if (input.columnSerial) candidates.push({ serial: input.columnSerial, from: 'COLUMN', label: 'the serial column' });
  if (meta.serial)
    candidates.push({
      serial: meta.serial,
      from: 'METADATA',
      label: `the line "${meta.lines.find((l) => l.includes(meta.serial ?? '')) ?? ''}"`,
    });
  const fromFile = input.onlyGridOfFile ? serialFromFileName(grid.fileName) : null;
  if (fromFile) candidates.push({ serial: fromFile, from: 'FILE_NAME', label: `file name "${grid.fileName}"` });
  const chosen = candidates[0];
  const node = named?.node ?? meta.node;
  if (!chosen) return { serial: null, from: null, node };
  reasons.push(`meter ${chosen.serial} from ${chosen.label}`);
  for (const other of candidates.slice(1)) {
    if (other.from !== 'OVERRIDE' && chosen.from !== 'OVERRIDE' && !sameSerial(other.serial, chosen.serial)) {
      input.sink.add({
        code: 'SERIAL_MISMATCH',
        value: other.serial,
        expected: chosen.serial,
        message: `Meter ${chosen.serial} comes from ${chosen.label}, but ${other.label} says ${other.serial}`,
      });
    }
  }
  return { serial: chosen.serial, from: chosen.from, node };
}

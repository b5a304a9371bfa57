import { cellText, type Grid } from './grid';
import { normalizeHeader } from './headers';
import { parseDateText, type DateParts } from './timestamps';
import type { Convention, DateOrder } from './types';

/** What the lines above the header say: `Medidor: 5614086`, `Ubicación: Nodo Ateos`, `Periodo: 01/09/2025 - 30/09/2025`. */
export interface SheetMetadata {
  lines: string[];
  serial: string | null;
  node: string | null;
  /** Inclusive local dates. */
  period: { from: DateParts; to: DateParts; text: string } | null;
  conventionHint: { convention: Convention; text: string } | null;
}

const SERIAL_LINE =
  /^(?:medidor|meter|serie|serial|n(?:o|º|°|ro)?\.?\s*(?:de\s+)?(?:medidor|serie))\s*(?:no\.?|n[º°])?\s*[:#=]\s*([A-Za-z0-9-]*\d[A-Za-z0-9-]*)\s*$/i;
const NODE_LINE = /^(?:ubicaci[oó]n|location|nodo|node|punto de medici[oó]n)\s*[:=]\s*(?:nodo\s+|node\s+)?(.+?)\s*$/i;
const PERIOD_DATES =
  /(\d{1,2}\/\d{1,2}\/\d{4}|\d{4}-\d{2}-\d{2})\s*(?:-|–|a|al|to|hasta)\s*(\d{1,2}\/\d{1,2}\/\d{4}|\d{4}-\d{2}-\d{2})/i;
const END_WORDS =
  /\b(?:fin de(?:l)? intervalo|final de(?:l)? intervalo|interval end(?:ing)?|end of (?:the )?interval)\b/;
const START_WORDS =
  /\b(?:inicio de(?:l)? intervalo|comienzo de(?:l)? intervalo|interval start(?:ing)?|start of (?:the )?interval|interval beginning)\b/;

export function readMetadata(grid: Grid, headerRow: number, order: DateOrder | null): SheetMetadata {
  const meta: SheetMetadata = { lines: [], serial: null, node: null, period: null, conventionHint: null };
  for (let r = 0; r < headerRow; r++) {
    const parts: string[] = [];
    for (let c = 0; c < grid.colCount; c++) {
      const t = cellText(grid.cell(r, c));
      if (t) parts.push(t);
    }
    if (parts.length === 0) continue;
    const line = parts.join(' ');
    meta.lines.push(line);
    // A CSV preamble may put several fields on one line ("Medidor: 5614112;Cliente: X"): each cell alone too.
    const fields = parts.length > 1 ? [line, ...parts] : [line];
    for (const field of fields) {
      meta.serial ??= SERIAL_LINE.exec(field)?.[1] ?? null;
      meta.node ??= NODE_LINE.exec(field)?.[1] ?? null;
    }
    const dates = PERIOD_DATES.exec(line);
    if (dates && !meta.period) {
      const from = parseDateText(dates[1], order ?? 'DMY');
      const to = parseDateText(dates[2], order ?? 'DMY');
      if (from && to) meta.period = { from, to, text: line };
    }
    const words = normalizeHeader(line);
    if (!meta.conventionHint && END_WORDS.test(words)) meta.conventionHint = { convention: 'INTERVAL_END', text: line };
    if (!meta.conventionHint && START_WORDS.test(words))
      meta.conventionHint = { convention: 'INTERVAL_START', text: line };
  }
  return meta;
}

const SHEET_NODE_SERIAL = /^\s*nodo\s+(.+?)\s+([A-Za-z0-9-]*\d{3,}[A-Za-z0-9-]*)\s*$/i;
const SHEET_SERIAL = /^\s*(?:medidor|meter|serie|serial)\s*[-_#:]?\s*([A-Za-z0-9-]*\d{3,}[A-Za-z0-9-]*)\s*$/i;

/** `Nodo Ateos 5614086` → node Ateos, serial 5614086; `Medidor 5614112` → serial only. */
export function serialFromSheetName(name: string): { serial: string; node: string | null } | null {
  const m = SHEET_NODE_SERIAL.exec(name);
  if (m) return { serial: m[2], node: m[1] };
  const s = SHEET_SERIAL.exec(name);
  return s ? { serial: s[1], node: null } : null;
}

const FILE_SERIAL = /(?:^|[^a-z])(?:medidor|meter|serie|serial)[\s_-]*([A-Za-z0-9-]*\d{4,}[A-Za-z0-9]*)/i;

/** `Medidor 5614112 2025-09.csv` → 5614112. */
export function serialFromFileName(fileName: string): string | null {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.[a-z0-9]+$/i, '');
  return FILE_SERIAL.exec(base)?.[1] ?? null;
}

/** Serials compare ignoring case, spaces and leading zeros. */
export function sameSerial(a: string, b: string): boolean {
  const norm = (s: string): string =>
    s
      .replace(/\s+/g, '')
      .replace(/^0+(?=.)/, '')
      .toUpperCase();
  return norm(a) === norm(b);
}

/** Text files: encoding, delimiter and RFC 4180 records. */

export interface DecodedText {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
  bom: boolean;
}

/** UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 (what Excel on Windows writes as "CSV"). */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8', bom: true };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le', bom: true };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be', bom: true };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8', bom: false };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252', bom: false };
  }
}

export interface CsvRecords {
  rows: string[][];
  /** 1-based line where each record starts (a quoted field may span lines). */
  lines: number[];
  /** The text ended inside a quoted field. */
  unterminatedQuote: boolean;
}

/**
 * Splits text into records; quotes (`"a;b"`, `""`) per RFC 4180; CRLF, LF or CR line ends. Unquoted fields are
 * sliced from the text (not built character by character) to keep large files cheap.
 */
export function parseCsv(text: string, delimiter: string): CsvRecords {
  const rows: string[][] = [];
  const lines: number[] = [];
  const n = text.length;
  const delim = delimiter.charCodeAt(0);
  const QUOTE = 34;
  const CR = 13;
  const LF = 10;
  let line = 1;
  let i = 0;
  let unterminatedQuote = false;
  while (i < n) {
    const row: string[] = [];
    const recordLine = line;
    for (;;) {
      // Leading spaces before an opening quote are allowed.
      let j = i;
      while (j < n && text.charCodeAt(j) === 32) j++;
      let field: string;
      if (j < n && text.charCodeAt(j) === QUOTE) {
        let value = '';
        let k = j + 1;
        for (;;) {
          const close = text.indexOf('"', k);
          if (close < 0) {
            value += text.slice(k);
            k = n;
            unterminatedQuote = true;
            break;
          }
          value += text.slice(k, close);
          if (text.charCodeAt(close + 1) === QUOTE) {
            value += '"';
            k = close + 2;
          } else {
            k = close + 1;
            break;
          }
        }
        for (const ch of value) if (ch === '\n') line++;
        // Anything between the closing quote and the delimiter is kept, as spreadsheet apps do.
        let end = k;
        while (end < n && text.charCodeAt(end) !== delim && text.charCodeAt(end) !== CR && text.charCodeAt(end) !== LF)
          end++;
        field = value + text.slice(k, end).trim();
        i = end;
      } else {
        let end = i;
        while (end < n && text.charCodeAt(end) !== delim && text.charCodeAt(end) !== CR && text.charCodeAt(end) !== LF)
          end++;
        field = text.slice(i, end).trim();
        i = end;
      }
      row.push(field);
      if (i < n && text.charCodeAt(i) === delim) {
        i++;
        if (i === n) row.push('');
        continue;
      }
      break;
    }
    if (i < n) {
      if (text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF) i++;
      i++;
      line++;
    }
    rows.push(row);
    lines.push(recordLine);
  }
  return { rows, lines, unterminatedQuote };
}

const CANDIDATES = ['\t', ';', '|', ','];
const NAMES: Record<string, string> = { '\t': 'tab', ';': 'semicolon', '|': 'pipe', ',': 'comma' };

export function delimiterName(delimiter: string): string {
  return NAMES[delimiter] ?? JSON.stringify(delimiter);
}

/**
 * The field delimiter: the first of tab, `;`, `|`, `,` that splits most sampled lines into the same number (≥ 2) of
 * fields. `,` comes last because decimal commas also split lines consistently when `;` is the real delimiter.
 */
export function detectDelimiter(text: string): { delimiter: string; reason: string } {
  const sample = text
    .split(/\r\n|\n|\r/, 200)
    .filter((l) => l.trim() !== '')
    .slice(0, 60);
  const sep = /^sep=(.)\s*$/i.exec(sample[0] ?? '');
  if (sep)
    return { delimiter: sep[1], reason: `delimiter ${delimiterName(sep[1])} declared on the first line ("sep=")` };
  let best: { delimiter: string; agreeing: number; fields: number } | null = null;
  for (const d of CANDIDATES) {
    const counts = new Map<number, number>();
    for (const l of sample) {
      const fields = parseCsv(l, d).rows[0]?.length ?? 1;
      counts.set(fields, (counts.get(fields) ?? 0) + 1);
    }
    let mode = 1;
    let agreeing = 0;
    for (const [fields, count] of counts) {
      if (fields > 1 && count > agreeing) {
        mode = fields;
        agreeing = count;
      }
    }
    if (mode > 1 && agreeing >= sample.length * 0.6) {
      return {
        delimiter: d,
        reason: `delimiter ${delimiterName(d)}: ${agreeing} of ${sample.length} sampled lines have ${mode} fields`,
      };
    }
    if (mode > 1 && (!best || agreeing > best.agreeing)) best = { delimiter: d, agreeing, fields: mode };
  }
  if (best) {
    return {
      delimiter: best.delimiter,
      reason: `delimiter ${delimiterName(best.delimiter)} (only ${best.agreeing} of ${sample.length} sampled lines have ${best.fields} fields)`,
    };
  }
  return { delimiter: ',', reason: 'no delimiter found (one column); read as comma-separated' };
}

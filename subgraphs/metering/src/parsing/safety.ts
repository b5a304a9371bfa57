import { inflateRawSync } from 'node:zlib';
import type { ParseLimits, ProblemCode } from './types';

/**
 * Checks done on the raw bytes before any parser sees them: size, container type, zip bombs, encryption,
 * truncation. SheetJS inflates every zip entry in memory, so the zip's own directory is read here first.
 */

export const DEFAULT_LIMITS: Required<Omit<ParseLimits, 'maxProblemsPerCode'>> = {
  maxBytes: 50 * 1024 * 1024,
  // SheetJS holds a workbook at ~20x its XML size in memory; 200 MB of XML is ~280 meter-months of 15-minute data.
  maxUncompressedBytes: 200 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxZipEntries: 10_000,
};

/** Entries smaller than this cannot hurt whatever their ratio (tiny XML parts compress very well). */
const RATIO_FLOOR_BYTES = 1024 * 1024;

export type Container = 'ZIP' | 'CFB' | 'TEXT';

export type SafetyResult =
  { ok: true; container: Container } | { ok: false; code: ProblemCode; message: string; container: Container | null };

const ZIP_LOCAL = 0x04034b50;
const ZIP_CENTRAL = 0x02014b50;
const ZIP_EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function fail(code: ProblemCode, message: string, container: Container | null): SafetyResult {
  return { ok: false, code, message, container };
}

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

export function checkFileSafety(bytes: Uint8Array, limits: ParseLimits = {}): SafetyResult {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  if (bytes.length === 0) return fail('EMPTY_FILE', 'The file is empty (0 bytes)', null);
  if (bytes.length > lim.maxBytes) {
    return fail(
      'FILE_TOO_LARGE',
      `The file is ${mb(bytes.length)}; files up to ${mb(lim.maxBytes)} are accepted. Split it by month or by meter.`,
      null,
    );
  }
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return inspectZip(bytes, lim);
  if (startsWith(bytes, CFB_MAGIC)) return inspectCfb(bytes);
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) {
    return fail('UNSUPPORTED_FORMAT', 'The file is a PDF; upload the meter export as .xlsx or .csv', null);
  }
  const utf16 = startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff]);
  if (!utf16 && bytes.subarray(0, 8192).includes(0)) {
    return fail(
      'UNSUPPORTED_FORMAT',
      'The file is neither a spreadsheet (.xlsx, .xls, .ods) nor a text/CSV file',
      null,
    );
  }
  return { ok: true, container: 'TEXT' };
}

// ---------------------------------------------------------------------------------------------------- zip

interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  compressed: number;
  uncompressed: number;
  localOffset: number;
}

const TRUNCATED_ZIP =
  'The file ends before the end of its zip directory: it was cut short while uploading or saving. Upload the complete file.';

function u64(view: DataView, at: number): number {
  return view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
}

function findEocd(view: DataView): number {
  const last = view.byteLength - 22;
  for (let p = last; p >= Math.max(0, last - 65_535); p--) {
    if (view.getUint32(p, true) === ZIP_EOCD) return p;
  }
  return -1;
}

type Directory = { entries: ZipEntry[] } | { error: SafetyResult };

function readDirectory(bytes: Uint8Array, view: DataView, maxEntries: number): Directory {
  const eocd = findEocd(view);
  if (eocd < 0) return { error: fail('TRUNCATED', TRUNCATED_ZIP, 'ZIP') };
  let count = view.getUint16(eocd + 10, true);
  let size = view.getUint32(eocd + 12, true);
  let offset = view.getUint32(eocd + 16, true);
  let directoryEnd = eocd;
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || view.getUint32(locator, true) !== ZIP64_LOCATOR) {
      return { error: fail('TRUNCATED', TRUNCATED_ZIP, 'ZIP') };
    }
    const record = u64(view, locator + 8);
    if (record + 56 > locator || view.getUint32(record, true) !== ZIP64_EOCD) {
      return { error: fail('TRUNCATED', TRUNCATED_ZIP, 'ZIP') };
    }
    count = u64(view, record + 32);
    size = u64(view, record + 40);
    offset = u64(view, record + 48);
    directoryEnd = record;
  }
  if (count > maxEntries) {
    return { error: fail('ZIP_BOMB', `The workbook holds ${count} parts; at most ${maxEntries} are accepted`, 'ZIP') };
  }
  if (offset + size > directoryEnd) return { error: fail('TRUNCATED', TRUNCATED_ZIP, 'ZIP') };

  const entries: ZipEntry[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > directoryEnd || view.getUint32(p, true) !== ZIP_CENTRAL) {
      return {
        error: fail(
          'TRUNCATED',
          'The zip directory of the workbook is damaged; save the file again and upload it',
          'ZIP',
        ),
      };
    }
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    const entry: ZipEntry = {
      name: new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLength)),
      flags: view.getUint16(p + 8, true),
      method: view.getUint16(p + 10, true),
      compressed: view.getUint32(p + 20, true),
      uncompressed: view.getUint32(p + 24, true),
      localOffset: view.getUint32(p + 42, true),
    };
    applyZip64Extra(view, p + 46 + nameLength, extraLength, entry);
    entries.push(entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return { entries };
}

/** ZIP64 extended information (0x0001): the 64-bit values of the fields saturated at 0xFFFFFFFF, in order. */
function applyZip64Extra(view: DataView, start: number, length: number, entry: ZipEntry): void {
  let p = start;
  while (p + 4 <= start + length) {
    const id = view.getUint16(p, true);
    const size = view.getUint16(p + 2, true);
    if (id === 0x0001) {
      let q = p + 4;
      const next = (): number | null => {
        if (q + 8 > p + 4 + size) return null;
        q += 8;
        return u64(view, q - 8);
      };
      if (entry.uncompressed === 0xffffffff) entry.uncompressed = next() ?? entry.uncompressed;
      if (entry.compressed === 0xffffffff) entry.compressed = next() ?? entry.compressed;
      if (entry.localOffset === 0xffffffff) entry.localOffset = next() ?? entry.localOffset;
      return;
    }
    p += 4 + size;
  }
}

function inspectZip(bytes: Uint8Array, lim: typeof DEFAULT_LIMITS): SafetyResult {
  if (bytes.length < 22) return fail('TRUNCATED', TRUNCATED_ZIP, 'ZIP');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const directory = readDirectory(bytes, view, lim.maxZipEntries);
  if ('error' in directory) return directory.error;

  let total = 0;
  for (const e of directory.entries) {
    if (e.flags & 0x1)
      return fail(
        'ENCRYPTED',
        'The file is password-protected (encrypted zip); save it without a password and upload it again',
        'ZIP',
      );
    total += e.uncompressed;
    if (e.uncompressed > RATIO_FLOOR_BYTES && e.uncompressed / Math.max(e.compressed, 1) > lim.maxCompressionRatio) {
      return fail(
        'ZIP_BOMB',
        `Part "${e.name}" would expand from ${e.compressed} bytes to ${mb(e.uncompressed)} (ratio ${Math.round(e.uncompressed / Math.max(e.compressed, 1))}:1, at most ${lim.maxCompressionRatio}:1 accepted); the file is not a normal workbook`,
        'ZIP',
      );
    }
  }
  if (total > lim.maxUncompressedBytes) {
    return fail(
      'ZIP_BOMB',
      `The workbook expands to ${mb(total)}; at most ${mb(lim.maxUncompressedBytes)} are accepted. Split it by month or by meter.`,
      'ZIP',
    );
  }
  for (const e of directory.entries) {
    const problem = verifyEntry(bytes, view, e);
    if (problem) return problem;
  }
  return { ok: true, container: 'ZIP' };
}

/**
 * Inflates an entry with its declared size as a hard cap, so a directory that lies about sizes cannot slip a
 * bomb past the checks above; data that does not inflate means the file was cut or damaged.
 */
function verifyEntry(bytes: Uint8Array, view: DataView, e: ZipEntry): SafetyResult | null {
  const at = e.localOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== ZIP_LOCAL) {
    return fail('TRUNCATED', `Part "${e.name}" of the workbook is missing: the file was cut short or damaged`, 'ZIP');
  }
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const end = start + e.compressed;
  if (end > bytes.length) {
    return fail(
      'TRUNCATED',
      `Part "${e.name}" of the workbook is cut short: the file is incomplete. Upload the complete file.`,
      'ZIP',
    );
  }
  if (e.method === 0) {
    return e.compressed === e.uncompressed
      ? null
      : fail('TRUNCATED', `Part "${e.name}" of the workbook is damaged (stored size mismatch)`, 'ZIP');
  }
  if (e.method !== 8) {
    return fail(
      'UNREADABLE',
      `Part "${e.name}" uses zip compression method ${e.method}; save the workbook again in Excel`,
      'ZIP',
    );
  }
  try {
    const out = inflateRawSync(bytes.subarray(start, end), { maxOutputLength: Math.max(1, e.uncompressed) });
    if (out.length !== e.uncompressed) {
      return fail(
        'TRUNCATED',
        `Part "${e.name}" of the workbook is damaged: it expands to ${out.length} bytes, not ${e.uncompressed}`,
        'ZIP',
      );
    }
    return null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      return fail(
        'ZIP_BOMB',
        `Part "${e.name}" expands beyond the ${e.uncompressed} bytes its directory declares; the file is not a normal workbook`,
        'ZIP',
      );
    }
    return fail(
      'TRUNCATED',
      `Part "${e.name}" of the workbook is damaged or cut short (${(error as Error).message})`,
      'ZIP',
    );
  }
}

// ---------------------------------------------------------------------------------------------------- CFB

const CFB_END = 0xfffffffe;
const CFB_FREE = 0xffffffff;
const ENCRYPTION_STREAMS = new Set(['EncryptionInfo', 'EncryptedPackage']);

/** Names of the directory entries of a Compound File (OLE2), or null when the container is cut short. */
export function cfbEntryNames(bytes: Uint8Array): string[] | null {
  if (bytes.length < 512) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shift = view.getUint16(30, true);
  if (shift !== 9 && shift !== 12) return null;
  const sectorSize = 1 << shift;
  const perSector = sectorSize / 4;
  const sectorAt = (s: number): number | null => {
    const start = (s + 1) * sectorSize;
    return start + sectorSize <= bytes.length ? start : null;
  };

  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) {
    const s = view.getUint32(76 + i * 4, true);
    if (s !== CFB_FREE) fatSectors.push(s);
  }
  let difat = view.getUint32(68, true);
  for (let guard = 0; difat !== CFB_END && difat !== CFB_FREE && guard < 10_000; guard++) {
    const at = sectorAt(difat);
    if (at === null) return null;
    for (let i = 0; i < perSector - 1; i++) {
      const s = view.getUint32(at + i * 4, true);
      if (s !== CFB_FREE) fatSectors.push(s);
    }
    difat = view.getUint32(at + (perSector - 1) * 4, true);
  }
  const fat: number[] = [];
  for (const s of fatSectors) {
    const at = sectorAt(s);
    if (at === null) return null;
    for (let i = 0; i < perSector; i++) fat.push(view.getUint32(at + i * 4, true));
  }

  const names: string[] = [];
  let dir = view.getUint32(48, true);
  for (let guard = 0; dir !== CFB_END && guard <= fat.length; guard++) {
    const at = sectorAt(dir);
    if (at === null || dir >= fat.length) return null;
    for (let e = 0; e < sectorSize / 128; e++) {
      const entry = at + e * 128;
      const nameBytes = view.getUint16(entry + 64, true);
      if (nameBytes < 2 || nameBytes > 64) continue;
      names.push(Buffer.from(bytes.subarray(entry, entry + nameBytes - 2)).toString('utf16le'));
    }
    dir = fat[dir];
  }
  return names;
}

function inspectCfb(bytes: Uint8Array): SafetyResult {
  const names = cfbEntryNames(bytes);
  if (names === null) {
    return fail(
      'TRUNCATED',
      'The file is cut short or damaged (incomplete Office container); upload the complete file',
      'CFB',
    );
  }
  if (names.some((n) => ENCRYPTION_STREAMS.has(n))) {
    return fail(
      'ENCRYPTED',
      'The workbook is password-protected (encrypted); open it in Excel, remove the password (File › Info › Protect Workbook) and upload it again',
      'CFB',
    );
  }
  return { ok: true, container: 'CFB' };
}

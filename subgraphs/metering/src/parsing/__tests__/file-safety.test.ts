import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFileSafety, parseForecastWorkbook, parseMeterFile } from '..';
import { cfbEntryNames } from '../safety';
import { encryptedWorkbookBytes, meterSheet, only, SAMPLES, septemberRows, workbookBytes, zipBytes, ZONE } from './kit';

const sampleWorkbook = (): Buffer => readFileSync(resolve(SAMPLES, 'meters/Descargas medidores 2025-09.xlsx'));
const fileProblem = (bytes: Uint8Array, limits = {}) => {
  const result = parseMeterFile(bytes, { fileName: 'subida.xlsx', zone: ZONE, limits });
  expect(result.sources).toEqual([]);
  const p = only(result.problems);
  expect(p).toMatchObject({ severity: 'ERROR', fileName: 'subida.xlsx', sheet: null, row: null, column: null });
  return p;
};

describe('file checks before parsing', () => {
  it('rejects a file over the size limit (default 50 MB)', () => {
    expect(fileProblem(Buffer.alloc(50 * 1024 * 1024 + 1, 0x41))).toMatchObject({
      code: 'FILE_TOO_LARGE',
      message: 'The file is 50.0 MB; files up to 50.0 MB are accepted. Split it by month or by meter.',
    });
    expect(fileProblem(sampleWorkbook(), { maxBytes: 100_000 }).code).toBe('FILE_TOO_LARGE');
  });

  it('rejects an empty file', () => {
    expect(fileProblem(new Uint8Array()).code).toBe('EMPTY_FILE');
  });

  it('rejects a truncated workbook (cut in half, or just the first bytes)', () => {
    const bytes = sampleWorkbook();
    const half = fileProblem(bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(half.code).toBe('TRUNCATED');
    expect(half.message).toContain('cut short');
    expect(fileProblem(bytes.subarray(0, 10)).code).toBe('TRUNCATED');
    // Directory intact, compressed data of one part garbled.
    const zip = zipBytes([{ name: 'xl/workbook.xml', data: Buffer.alloc(5000, 0x61) }]);
    zip.fill(0xff, 30 + 'xl/workbook.xml'.length, 30 + 'xl/workbook.xml'.length + 8);
    expect(fileProblem(zip)).toMatchObject({
      code: 'TRUNCATED',
      message: expect.stringContaining('Part "xl/workbook.xml" of the workbook is damaged or cut short') as string,
    });
  });

  it('rejects a password-protected workbook (Compound File with EncryptionInfo)', () => {
    const bytes = encryptedWorkbookBytes();
    expect(cfbEntryNames(bytes)).toEqual(expect.arrayContaining(['EncryptionInfo', 'EncryptedPackage']));
    const p = fileProblem(bytes);
    expect(p.code).toBe('ENCRYPTED');
    expect(p.message).toContain('password-protected');
    expect(fileProblem(bytes.subarray(0, 700)).code).toBe('TRUNCATED');
  });

  it('rejects a zip bomb: an entry of zeros whose ratio is far above 200:1', () => {
    const bomb = zipBytes([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(20 * 1024 * 1024) }]);
    expect(bomb.length).toBeLessThan(100_000);
    const p = fileProblem(bomb);
    expect(p.code).toBe('ZIP_BOMB');
    expect(p.message).toMatch(
      /^Part "xl\/worksheets\/sheet1\.xml" would expand from \d+ bytes to 20\.0 MB \(ratio \d+:1, at most 200:1 accepted\)/,
    );
  });

  it('rejects a zip whose directory understates an entry (inflation is capped at the declared size)', () => {
    const liar = zipBytes([
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(5 * 1024 * 1024), declaredSize: 1000 },
    ]);
    const p = fileProblem(liar);
    expect(p.code).toBe('ZIP_BOMB');
    expect(p.message).toContain('expands beyond the 1000 bytes its directory declares');
  });

  it('rejects a workbook expanding past the total limit', () => {
    const parts = [1, 2, 3].map((i) => ({
      name: `xl/worksheets/sheet${i}.xml`,
      data: Buffer.alloc(400_000, 0x61 + i),
    }));
    expect(fileProblem(zipBytes(parts), { maxUncompressedBytes: 1_000_000 }).code).toBe('ZIP_BOMB');
  });

  it('accepts the real sample workbook and tells containers apart', () => {
    expect(checkFileSafety(sampleWorkbook())).toEqual({ ok: true, container: 'ZIP' });
    expect(checkFileSafety(Buffer.from('a;b\n1;2\n'))).toEqual({ ok: true, container: 'TEXT' });
    expect(checkFileSafety(workbookBytes({ 'Nodo A 1234': meterSheet('1234', septemberRows(1)) }, 'biff8'))).toEqual({
      ok: true,
      container: 'CFB',
    });
    expect(checkFileSafety(Buffer.from('%PDF-1.7 ...'))).toMatchObject({ ok: false, code: 'UNSUPPORTED_FORMAT' });
    expect(checkFileSafety(Buffer.from([0x00, 0x01, 0x02, 0x03]))).toMatchObject({
      ok: false,
      code: 'UNSUPPORTED_FORMAT',
    });
  });

  it('gives the forecast parser the same checks', () => {
    const result = parseForecastWorkbook(encryptedWorkbookBytes(), { zone: ZONE, fileName: 'p.xlsx' });
    expect(result.customers).toEqual([]);
    expect(result.problems.map((p) => [p.code, p.fileName])).toEqual([['ENCRYPTED', 'p.xlsx']]);
  });
});

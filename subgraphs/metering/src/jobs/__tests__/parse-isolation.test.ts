import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createDb, type Database } from '@ciro/db';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BlobStorage } from '../../storage/blob-storage';
import { parseStoredUpload } from '../../uploads/upload-parsing';
import type { UploadRow } from '../../uploads/upload.repository';
import { isolatedCommitParser, isolatedParser, PARSE_MEMORY_LIMIT, type ParseRequest } from '../parse-isolation';
import { readMeteringEnv } from '../../env';

/**
 * The parse job's capped thread (the compiled dist/jobs/parse-thread.js: `npm test` builds first):
 * it yields the same preview as parsing in-process, and a file needing more heap than the cap
 * fails the upload with PARSE_MEMORY_LIMIT while this process carries on.
 */

const SCRIPT = resolve(__dirname, '../../../dist/jobs/parse-thread.js');
const SAMPLES = process.env.SAMPLES_DIR ?? resolve(__dirname, '../../../../../../shared/samples');
const CSV = readFileSync(resolve(SAMPLES, 'meters/Medidor 5614112 2025-09.csv'));
const WORKBOOK = readFileSync(resolve(SAMPLES, 'meters/Descargas medidores 2025-09.xlsx'));
const FORECASTS = readFileSync(resolve(SAMPLES, 'forecasts/Pronósticos 2025-09.xlsx'));
let database: Database;

function stubBlob(bytes: Buffer): BlobStorage {
  const never = () => Promise.reject(new Error('read only'));
  return { getOrThrow: () => Promise.resolve(bytes), put: never, delete: never, ping: () => Promise.resolve() };
}

function request(fileName: string, kind: 'METER_READINGS' | 'FORECASTS' = 'METER_READINGS'): ParseRequest {
  const clientId = randomUUID();
  const row = {
    clientId,
    id: randomUUID(),
    kind,
    fileName,
    blobKey: 'file',
    status: 'PARSING',
  } as unknown as UploadRow;
  return {
    ctx: { role: 'SYSTEM_ADMIN', clientId, customerId: null, userId: null },
    row,
    zone: 'America/El_Salvador',
    overrides: {},
  };
}

/** A year of one meter in the CSV family's layout, about 35,000 lines. */
function bigCsv(): Buffer {
  const lines = ['Fecha/Hora;Medidor;kWh Del;kWh Rec;kVARh Del'];
  const start = Date.UTC(2025, 0, 1, 0, 15);
  for (let i = 0; i < 35_040; i += 1) {
    const t = new Date(start + i * 900_000);
    const p = (n: number) => String(n).padStart(2, '0');
    const stamp = `${p(t.getUTCDate())}/${p(t.getUTCMonth() + 1)}/${t.getUTCFullYear()} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}`;
    lines.push(`${stamp};5614112;${(1 + (i % 97) / 10).toFixed(4).replace('.', ',')};0,0000;0,5000`);
  }
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

beforeAll(() => {
  if (!existsSync(SCRIPT)) throw new Error(`${SCRIPT} is missing: run npm run build first`);
  database = createDb({ url: process.env.DATABASE_URL ?? inject('databaseUrl'), max: 2 });
});

afterAll(async () => {
  await database.close();
});

describe('parse job in a capped thread', () => {
  it('takes its cap from METERING_PARSE_MAX_MEMORY_MB (default 1024), a positive whole number of MB', () => {
    const cap = (value?: string) =>
      readMeteringEnv({
        JWT_SECRET: 'x'.repeat(32),
        ...(value === undefined ? {} : { METERING_PARSE_MAX_MEMORY_MB: value }),
      }).METERING_PARSE_MAX_MEMORY_MB;
    expect(cap()).toBe(1024);
    expect(cap('')).toBe(1024);
    expect(cap('256')).toBe(256);
    expect(cap('16')).toBe(16);
    for (const bad of ['0', '-1', '1.5', 'lots']) {
      expect(() => cap(bad)).toThrow(
        'METERING_PARSE_MAX_MEMORY_MB: must be a positive whole number of megabytes (default 1024)',
      );
    }
  });

  it('previews a file exactly as parsing in-process does', async () => {
    const blob = stubBlob(CSV);
    const req = request('Medidor 5614112 2025-09.csv');
    const threaded = await isolatedParser({ database, blob, maxUploadBytes: 5e6, maxMemoryMb: 256, script: SCRIPT })(
      req,
    );
    expect(threaded.failure).toBeNull();
    expect(threaded.preview).toMatchObject({ readings: 2880 });
    const parsed = await parseStoredUpload(
      { database, blob, maxUploadBytes: 5e6 },
      req.ctx,
      req.row,
      req.zone,
      req.overrides,
    );
    // What the upload row stores either way: the preview as JSON.
    expect(threaded.preview).toEqual(JSON.parse(JSON.stringify(parsed.preview)));
  });

  it('fails a file that needs more heap than the cap with PARSE_MEMORY_LIMIT, and this process goes on', async () => {
    const parse = isolatedParser({
      database,
      blob: stubBlob(bigCsv()),
      maxUploadBytes: 50e6,
      maxMemoryMb: 16,
      script: SCRIPT,
    });
    const outcome = await parse(request('big.csv'));
    expect(outcome.preview).toBeNull();
    expect(outcome.failure?.code).toBe(PARSE_MEMORY_LIMIT);
    expect(outcome.failure?.message).toMatch(/more than the 16 MB.*METERING_PARSE_MAX_MEMORY_MB/);
    // The same file fits a sane cap.
    const roomy = isolatedParser({
      database,
      blob: stubBlob(bigCsv()),
      maxUploadBytes: 50e6,
      maxMemoryMb: 512,
      script: SCRIPT,
    });
    expect((await roomy(request('big.csv'))).failure).toBeNull();
  }, 60_000);

  it.each([
    ['the CSV', 'Medidor 5614112 2025-09.csv', CSV, 'METER_READINGS', 2880],
    ['the workbook', 'Descargas medidores 2025-09.xlsx', WORKBOOK, 'METER_READINGS', 28_800],
    ['the forecasts', 'Pronósticos 2025-09.xlsx', FORECASTS, 'FORECASTS', null],
  ] as const)(
    'parses %s for a commit exactly as in-process: readings with their Decimals, preview and mappings',
    async (_label, fileName, bytes, kind, readings) => {
      const blob = stubBlob(bytes);
      const req = request(fileName, kind);
      const threaded = await isolatedCommitParser({
        database,
        blob,
        maxUploadBytes: 5e6,
        maxMemoryMb: 512,
        script: SCRIPT,
      })(req);
      if (!threaded.ok) throw new Error(`thread failed: ${threaded.failure.message}`);
      const parsed = await parseStoredUpload(
        { database, blob, maxUploadBytes: 5e6 },
        req.ctx,
        req.row,
        req.zone,
        req.overrides,
      );
      expect(threaded.parsed).toEqual(parsed);
      const values = (p: typeof parsed) =>
        p.kind === 'FORECASTS'
          ? p.result.customers.flatMap((c) => c.hours.map((h) => `${h.hourStart.toISOString()} ${h.kwh.toFixed()}`))
          : p.matched.flatMap((m) =>
              m.source.readings.map(
                (r) => `${r.slotStart.toISOString()} ${r.kwh.toFixed()} ${r.kvarh?.toFixed() ?? '-'} ${r.row}`,
              ),
            );
      expect(values(threaded.parsed)).toEqual(values(parsed));
      if (readings !== null) expect(values(threaded.parsed)).toHaveLength(readings);
      else expect(values(threaded.parsed).length).toBeGreaterThan(0);
    },
    60_000,
  );

  it('fails a commit parse that needs more heap than the cap with PARSE_MEMORY_LIMIT', async () => {
    const parse = isolatedCommitParser({
      database,
      blob: stubBlob(bigCsv()),
      maxUploadBytes: 50e6,
      maxMemoryMb: 16,
      script: SCRIPT,
    });
    const outcome = await parse(request('big.csv'));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.failure.code).toBe(PARSE_MEMORY_LIMIT);
    expect(outcome.failure.message).toMatch(/more than the 16 MB.*METERING_PARSE_MAX_MEMORY_MB/);
  }, 60_000);
});

import { asSystem, schema } from '@ciro/db';
import { count, eq, sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uploadChannelOf, type UploadEvent } from '../src/events/upload-events';
import { PARSE_MEMORY_LIMIT } from '../src/jobs/parse-isolation';
import { parseMeterFile } from '../src/parsing';
import {
  METER_WORKBOOK,
  commitUploadOp,
  createUploadOp,
  expectData,
  getUploadOp,
  readSample,
  seedClient,
  startMetering,
  uploadAndPreview,
  waitForUpload,
  type MeteringStack,
  type SeededClient,
} from './kit';

/**
 * The commit parses the file again in the same capped thread as the parse job (the compiled
 * dist/jobs/parse-thread.js: `npm test` builds first), capped by the server's `parseMaxMemoryMb`
 * setting (METERING_PARSE_MAX_MEMORY_MB), as the worker's preview parse is. Two subgraphs, each
 * with its worker and queue, on the same database, Azurite and JWT secret: under `roomy`'s cap the
 * sample workbook fits, under `tiny`'s it does not.
 */

const ROOMY_MB = 512;
const TINY_MB = 16;
const WORKBOOK = readSample(`meters/${METER_WORKBOOK}`);
const MEMORY_MESSAGE =
  `Reading this file needs more than the ${TINY_MB} MB of memory a file may use ` +
  '(METERING_PARSE_MAX_MEMORY_MB); split it into smaller files (fewer sheets or days each) and upload them';

let roomy: MeteringStack;
let tiny: MeteringStack;
let eis: SeededClient;
let token: string;
let subscriber: Redis;
const events: UploadEvent[] = [];

function rawUploadId(globalId: string): string {
  const raw = Buffer.from(globalId, 'base64url').toString('utf8').split(':')[2];
  if (!raw) throw new Error(`not an upload id: ${globalId}`);
  return raw;
}

async function storedCounts(clientId: string): Promise<{ readings: number; hourly: number; daily: number }> {
  return asSystem(roomy.database, 'test: stored rows', async (tx) => {
    const [readings] = await tx
      .select({ n: count() })
      .from(schema.meterReadings)
      .where(eq(schema.meterReadings.clientId, clientId));
    const [hourly] = await tx
      .select({ n: count() })
      .from(schema.readingsHourly)
      .where(eq(schema.readingsHourly.clientId, clientId));
    const [daily] = await tx
      .select({ n: count() })
      .from(schema.readingsDaily)
      .where(eq(schema.readingsDaily.clientId, clientId));
    return { readings: readings?.n ?? -1, hourly: hourly?.n ?? -1, daily: daily?.n ?? -1 };
  });
}

beforeAll(async () => {
  roomy = await startMetering({ parseMaxMemoryMb: ROOMY_MB });
  tiny = await startMetering({ parseMaxMemoryMb: TINY_MB, jwtSecret: roomy.jwtSecret });
  eis = await seedClient(roomy);
  token = await eis.adminToken();
  subscriber = new Redis(inject('redisUrl'));
  await subscriber.subscribe(uploadChannelOf(eis.id));
  subscriber.on('message', (_channel, message) => events.push(JSON.parse(message) as UploadEvent));
});

afterAll(async () => {
  subscriber?.disconnect();
  await tiny?.stop();
  await roomy?.stop();
});

describe('commitUpload parses the file again under the parse memory cap of the settings', () => {
  let failedId: string;

  it('takes the cap of both parses from the settings', () => {
    expect(roomy.server.deps.settings.parseMaxMemoryMb).toBe(ROOMY_MB);
    expect(tiny.server.deps.settings.parseMaxMemoryMb).toBe(TINY_MB);
  });

  it('fails the commit of a file that no longer fits the cap: the upload FAILS with PARSE_MEMORY_LIMIT, nothing is stored', async () => {
    const upload = await uploadAndPreview(roomy, token, {
      clientId: eis.globalId,
      fileName: METER_WORKBOOK,
      bytes: WORKBOOK,
    });
    expect(upload.status).toBe('PREVIEW_READY');
    expect(upload.preview).toMatchObject({ committable: true, readings: 28_800 });
    failedId = upload.id;

    const refused = expectData(await commitUploadOp(tiny, token, upload.id)).commitUpload;
    expect(refused.summary).toBeNull();
    expect(refused.upload).toBeNull();
    expect(refused.userErrors).toHaveLength(1);
    expect(refused.userErrors[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'id'] });
    expect(refused.userErrors[0]?.message).toBe(`The upload cannot be committed: ${MEMORY_MESSAGE}`);

    const after = expectData(await getUploadOp(roomy, token, upload.id)).upload;
    expect(after.status).toBe('FAILED');
    expect(after.failure).toEqual({ code: PARSE_MEMORY_LIMIT, message: MEMORY_MESSAGE });
    expect(after.summary).toBeNull();
    expect(after.revision).toBe(upload.revision);
    const [row] = await asSystem(roomy.database, 'test: upload row', (tx) =>
      tx
        .select({ status: schema.uploads.status, stats: schema.uploads.stats, committedAt: schema.uploads.committedAt })
        .from(schema.uploads)
        .where(eq(schema.uploads.id, rawUploadId(upload.id))),
    );
    expect(row).toEqual({ status: 'FAILED', stats: null, committedAt: null });

    // Nothing of the file: no reading (from this upload or at all), no rollup.
    const [fromUpload] = await asSystem(roomy.database, 'test: readings of the upload', (tx) =>
      tx
        .select({ n: count() })
        .from(schema.meterReadings)
        .where(eq(schema.meterReadings.uploadId, rawUploadId(upload.id))),
    );
    expect(fromUpload?.n).toBe(0);
    expect(await storedCounts(eis.id)).toEqual({ readings: 0, hourly: 0, daily: 0 });

    const stages = events.filter((e) => e.uploadId === upload.id).map((e) => e.stage);
    expect(stages.slice(-2)).toEqual(['COMMITTING', 'FAILED']);
    expect(events.filter((e) => e.uploadId === upload.id).at(-1)?.message).toBe(after.failure?.message);

    // Committing it again is refused without parsing: the upload is FAILED.
    const again = expectData(await commitUploadOp(roomy, token, upload.id)).commitUpload;
    expect(again.userErrors[0]?.message).toBe(
      'The upload is FAILED; only an upload whose preview is ready can be committed',
    );
  }, 120_000);

  it("applies the same setting to the worker's preview parse: under the tiny cap the file fails its preview", async () => {
    const created = expectData(
      await createUploadOp(tiny, token, { clientId: eis.globalId, fileName: METER_WORKBOOK, bytes: WORKBOOK }),
    ).createUpload;
    expect(created.outcome).toBe('CREATED');
    const upload = await waitForUpload(tiny, token, created.upload!.id);
    expect(upload.status).toBe('FAILED');
    expect(upload.failure).toEqual({ code: PARSE_MEMORY_LIMIT, message: MEMORY_MESSAGE });
    expect(await storedCounts(eis.id)).toEqual({ readings: 0, hourly: 0, daily: 0 });
  }, 120_000);

  it('lets the admin upload the same file again and commits it under a cap it fits: every reading stored, value for value', async () => {
    // A FAILED upload does not make the same file a duplicate.
    const created = expectData(
      await createUploadOp(roomy, token, { clientId: eis.globalId, fileName: METER_WORKBOOK, bytes: WORKBOOK }),
    ).createUpload;
    expect(created.outcome).toBe('CREATED');
    expect(created.upload?.id).not.toBe(failedId);
    const upload = await waitForUpload(roomy, token, created.upload!.id);
    expect(upload.status).toBe('PREVIEW_READY');

    const committed = expectData(await commitUploadOp(roomy, token, upload.id)).commitUpload;
    expect(committed.userErrors).toEqual([]);
    expect(committed.summary).toEqual({ new: 28_800, unchanged: 0, replaced: 0, customers: 9 });
    expect(committed.upload?.status).toBe('COMMITTED');

    // Every reading of the file (parsed here, in this process) is stored with its exact kWh and kVArh.
    const file = parseMeterFile(WORKBOOK, { fileName: METER_WORKBOOK, zone: 'America/El_Salvador' });
    const expected = new Map<string, string>();
    for (const source of file.sources) {
      for (const r of source.readings) {
        expected.set(
          `${source.serial} ${r.slotStart.toISOString()}`,
          `${r.kwh.toFixed()} ${r.kvarh?.toFixed() ?? 'null'}`,
        );
      }
    }
    expect(expected.size).toBe(28_800);
    const rows = await asSystem(roomy.database, 'test: stored readings', (tx) =>
      tx
        .select({
          serial: schema.meters.serial,
          slotStart: schema.meterReadings.slotStart,
          kwh: sql<string>`trim_scale(${schema.meterReadings.kwh})::text`,
          kvarh: sql<string | null>`trim_scale(${schema.meterReadings.kvarh})::text`,
          uploadId: schema.meterReadings.uploadId,
        })
        .from(schema.meterReadings)
        .innerJoin(schema.meters, eq(schema.meters.id, schema.meterReadings.meterId))
        .where(eq(schema.meterReadings.clientId, eis.id)),
    );
    const stored = new Map(rows.map((r) => [`${r.serial} ${r.slotStart.toISOString()}`, `${r.kwh} ${r.kvarh}`]));
    expect(stored).toEqual(expected);
    expect(new Set(rows.map((r) => r.uploadId))).toEqual(new Set([rawUploadId(upload.id)]));
    expect(stored.get('5614086 2025-09-01T06:00:00.000Z')).toBe('246.7056 77.3898');
  }, 120_000);
});

import { randomUUID } from 'node:crypto';
import { asSystem, schema } from '@ciro/db';
import { signAccessToken, toGlobalId } from '@ciro/subgraph-common';
import { and, count, eq, sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readingChannelOf, type ReadingsStoredEvent } from '../src/events/reading-events';
import {
  METER_CSV,
  commitUploadOp,
  customerToken,
  expectData,
  expectErrorCode,
  gql,
  readSample,
  seedClient,
  startMetering,
  uploadAndPreview,
  type MeteringStack,
  type SeededClient,
} from './kit';

let stack: MeteringStack;
let eis: SeededClient;
let token: string;
let subscriber: Redis;
const events: ReadingsStoredEvent[] = [];

beforeAll(async () => {
  stack = await startMetering();
  eis = await seedClient(stack);
  token = await eis.adminToken();
  subscriber = new Redis(inject('redisUrl'));
  await subscriber.subscribe(readingChannelOf(eis.id));
  subscriber.on('message', (_channel, message) => events.push(JSON.parse(message) as ReadingsStoredEvent));
});

afterAll(async () => {
  subscriber?.disconnect();
  await stack?.stop();
});

interface IngestResult {
  ingestReadings: {
    meter: { id: string } | null;
    summary: {
      received: number;
      new: number;
      unchanged: number;
      replaced: number;
      customers: number;
      firstSlotStart: string;
      lastSlotStart: string;
    } | null;
    userErrors: { field: string[] | null; message: string; code: string }[];
  };
}
const INGEST = /* GraphQL */ `
  mutation Ingest($input: IngestReadingsInput!) {
    ingestReadings(input: $input) {
      meter {
        id
      }
      summary {
        received
        new
        unchanged
        replaced
        customers
        firstSlotStart
        lastSlotStart
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;
type IngestInput = {
  meterId?: string;
  meterSerial?: string;
  clientId?: string;
  convention?: 'INTERVAL_START' | 'INTERVAL_END';
  readings: { slotStart: string; kwh: string; kvarh?: string | null }[];
};
const ingestOp = (input: IngestInput, bearer = token) => gql<IngestResult>(stack, bearer, INGEST, { input });
const ingest = async (input: IngestInput, bearer = token) => expectData(await ingestOp(input, bearer)).ingestReadings;

const meterOf = (code: string) => eis.customers.get(code)!.meters[0];
const meterGid = (code: string) => toGlobalId('Meter', eis.id, meterOf(code).id);

async function waitForEvents(predicate: (e: ReadingsStoredEvent) => boolean, n = 1): Promise<ReadingsStoredEvent[]> {
  for (let i = 0; i < 100; i++) {
    const found = events.filter(predicate);
    if (found.length >= n) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no readings.stored event matched; got ${JSON.stringify(events)}`);
}

async function storedReadings(meterId: string) {
  return asSystem(stack.database, 'test: stored readings', (tx) =>
    tx
      .select({
        slotStart: schema.meterReadings.slotStart,
        kwh: schema.meterReadings.kwh,
        uploadId: schema.meterReadings.uploadId,
      })
      .from(schema.meterReadings)
      .where(and(eq(schema.meterReadings.clientId, eis.id), eq(schema.meterReadings.meterId, meterId)))
      .orderBy(schema.meterReadings.slotStart),
  );
}

async function hourlyKwh(customerCode: string, hourStart: string): Promise<string | null> {
  const [row] = await asSystem(stack.database, 'test: hourly rollup', (tx) =>
    tx
      .select({ kwh: sql<string>`sum(${schema.readingsHourly.kwh})::text`, n: count() })
      .from(schema.readingsHourly)
      .where(
        and(
          eq(schema.readingsHourly.clientId, eis.id),
          eq(schema.readingsHourly.customerId, eis.customers.get(customerCode)!.id),
          eq(schema.readingsHourly.hourStart, new Date(hourStart)),
        ),
      ),
  );
  return row && row.n > 0 ? row.kwh : null;
}

describe('ingestReadings', () => {
  it('stores a head-end’s readings with rollups, no upload as provenance, an audit entry and a readings.stored event', async () => {
    const meter = meterOf('C-0002'); // multiplier 40
    const result = await ingest({
      meterId: meterGid('C-0002'),
      readings: [
        { slotStart: '2025-11-03T12:00:00Z', kwh: '1.5' },
        { slotStart: '2025-11-03T12:15:00Z', kwh: '2.25', kvarh: '0.5' },
        { slotStart: '2025-11-03T12:30:00Z', kwh: '0' },
        { slotStart: '2025-11-03T12:45:00Z', kwh: '3' },
        // An identical duplicate collapses.
        { slotStart: '2025-11-03T12:45:00.000Z', kwh: '3.000' },
      ],
    });
    expect(result.userErrors).toEqual([]);
    expect(result.meter?.id).toBe(meterGid('C-0002'));
    expect(result.summary).toEqual({
      received: 4,
      new: 4,
      unchanged: 0,
      replaced: 0,
      customers: 1,
      firstSlotStart: '2025-11-03T12:00:00.000Z',
      lastSlotStart: '2025-11-03T12:45:00.000Z',
    });
    const stored = await storedReadings(meter.id);
    expect(stored.map((r) => [r.slotStart.toISOString(), r.kwh, r.uploadId])).toEqual([
      ['2025-11-03T12:00:00.000Z', '1.500000', null],
      ['2025-11-03T12:15:00.000Z', '2.250000', null],
      ['2025-11-03T12:30:00.000Z', '0.000000', null],
      ['2025-11-03T12:45:00.000Z', '3.000000', null],
    ]);
    // (1.5 + 2.25 + 0 + 3) × 40, in the hour starting 06:00 local.
    expect(await hourlyKwh('C-0002', '2025-11-03T12:00:00Z')).toBe('270.000000');

    const [event] = await waitForEvents((e) => e.meterId === meter.id);
    expect(event).toEqual({
      type: 'readings.stored',
      at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      customerId: eis.customers.get('C-0002')!.id,
      meterId: meter.id,
      meterSerial: meter.serial,
      source: 'INGEST',
      uploadId: null,
      slots: 4,
      firstSlotStart: '2025-11-03T12:00:00.000Z',
      lastSlotStart: '2025-11-03T12:45:00.000Z',
      lastSlotKwh: '120',
      totalKwh: '270',
    });

    const [audit] = await asSystem(stack.database, 'test: audit', (tx) =>
      tx
        .select({ action: schema.auditLog.action, entityId: schema.auditLog.entityId, after: schema.auditLog.after })
        .from(schema.auditLog)
        .where(and(eq(schema.auditLog.clientId, eis.id), eq(schema.auditLog.action, 'readings.ingest'))),
    );
    expect(audit).toMatchObject({
      entityId: meter.id,
      after: { source: 'INGEST', slots: 4, new: 4, unchanged: 0, replaced: 0 },
    });
  });

  it('is idempotent: the same readings again change nothing and publish nothing; a corrected value is replaced', async () => {
    const meter = meterOf('C-0002');
    const before = events.length;
    const again = await ingest({
      meterId: meterGid('C-0002'),
      readings: [
        { slotStart: '2025-11-03T12:00:00Z', kwh: '1.5' },
        { slotStart: '2025-11-03T12:15:00Z', kwh: '2.25', kvarh: '0.5' },
      ],
    });
    expect(again.summary).toMatchObject({ received: 2, new: 0, unchanged: 2, replaced: 0 });
    const corrected = await ingest({
      meterId: meterGid('C-0002'),
      readings: [
        { slotStart: '2025-11-03T12:00:00Z', kwh: '1.5' },
        { slotStart: '2025-11-03T12:15:00Z', kwh: '2.5', kvarh: '0.5' },
      ],
    });
    expect(corrected.summary).toMatchObject({ received: 2, new: 0, unchanged: 1, replaced: 1 });
    expect(await hourlyKwh('C-0002', '2025-11-03T12:00:00Z')).toBe('280.000000');
    const after = await waitForEvents((e) => e.meterId === meter.id, 2);
    expect(events.length).toBe(before + 1);
    expect(after[1]).toMatchObject({ slots: 2, lastSlotKwh: '100', totalKwh: '160' });
  });

  it('finds the meter by serial and reads local wall times with the interval-end convention (24:00 = last slot)', async () => {
    const meter = meterOf('C-0001');
    const result = await ingest({
      meterSerial: ` ${meter.serial} `,
      convention: 'INTERVAL_END',
      readings: [
        { slotStart: '2025-11-04T00:15', kwh: '10' },
        { slotStart: '2025-11-04T24:00', kwh: '11' },
        { slotStart: '2025-11-05T00:15:00', kwh: '12' },
      ],
    });
    expect(result.userErrors).toEqual([]);
    expect(result.summary).toMatchObject({
      new: 3,
      firstSlotStart: '2025-11-04T06:00:00.000Z',
      lastSlotStart: '2025-11-05T06:00:00.000Z',
    });
    const stored = await storedReadings(meter.id);
    expect(stored.map((r) => r.slotStart.toISOString())).toEqual([
      '2025-11-04T06:00:00.000Z',
      '2025-11-05T05:45:00.000Z',
      '2025-11-05T06:00:00.000Z',
    ]);
  });

  it('names every problem by field and index and stores nothing', async () => {
    const meter = meterOf('C-0003');
    const result = await ingest({
      meterId: meterGid('C-0003'),
      readings: [
        { slotStart: '2025-11-03T12:07:00Z', kwh: '1' },
        { slotStart: '2025-11-03T12:15:00Z', kwh: '-2' },
        { slotStart: '2025-11-03T12:30:00Z', kwh: '1' },
        { slotStart: '2025-11-03T12:30:00Z', kwh: '1.5' },
        { slotStart: 'yesterday', kwh: '1' },
        { slotStart: '2025-11-03T12:45:00Z', kwh: '1.1234567' },
        { slotStart: '2999-01-01T00:00:00Z', kwh: '1' },
      ],
    });
    expect(result.summary).toBeNull();
    expect(result.userErrors.map((e) => [e.field?.join('.'), e.code])).toEqual([
      ['input.readings.0.slotStart', 'BAD_USER_INPUT'],
      ['input.readings.1.kwh', 'BAD_USER_INPUT'],
      ['input.readings.3.slotStart', 'BAD_USER_INPUT'],
      ['input.readings.4.slotStart', 'BAD_USER_INPUT'],
      ['input.readings.5.kwh', 'BAD_USER_INPUT'],
      ['input.readings.6.slotStart', 'BAD_USER_INPUT'],
    ]);
    expect(result.userErrors[0]?.message).toContain('15-minute');
    expect(result.userErrors[1]?.message).toContain('negative');
    expect(result.userErrors[2]?.message).toContain('readings.2');
    expect(await storedReadings(meter.id)).toEqual([]);

    const tooMany = await ingest({
      meterId: meterGid('C-0003'),
      readings: Array.from({ length: 3001 }, (_, i) => ({
        slotStart: new Date(Date.UTC(2025, 7, 1, 6) + i * 900_000).toISOString(),
        kwh: '1',
      })),
    });
    expect(tooMany.userErrors).toEqual([
      { field: ['input', 'readings'], code: 'BAD_USER_INPUT', message: expect.stringContaining('at most 3000') },
    ]);
    const unknown = await ingest({
      meterSerial: 'NO-SUCH-METER',
      readings: [{ slotStart: '2025-11-03T12:00:00Z', kwh: '1' }],
    });
    expect(unknown.userErrors).toEqual([
      { field: ['input', 'meterSerial'], code: 'BAD_USER_INPUT', message: expect.stringContaining('NO-SUCH-METER') },
    ]);
    const both = await ingest({
      meterId: meterGid('C-0003'),
      meterSerial: meter.serial,
      readings: [{ slotStart: '2025-11-03T12:00:00Z', kwh: '1' }],
    });
    expect(both.userErrors.map((e) => e.field)).toEqual([['input', 'meterId']]);
    const madeUp = await ingest({
      meterId: toGlobalId('Meter', eis.id, randomUUID()),
      readings: [{ slotStart: '2025-11-03T12:00:00Z', kwh: '1' }],
    });
    expect(madeUp.userErrors.map((e) => e.field)).toEqual([['input', 'meterId']]);
    expect(await storedReadings(meter.id)).toEqual([]);
  });

  it('refuses another client’s meter (by id or serial), customer users, and callers without readings:write', async () => {
    const stranger = await seedClient(stack, { withSampleCustomers: false });
    const strangerSerial = `S-${randomUUID().slice(0, 8)}`;
    await asSystem(stack.database, 'test: stranger meter', (tx) =>
      tx.insert(schema.meters).values({ clientId: stranger.id, id: randomUUID(), serial: strangerSerial }),
    );
    const one = [{ slotStart: '2025-11-03T12:00:00Z', kwh: '1' }];
    expectErrorCode(
      await ingestOp({ meterId: meterGid('C-0001'), readings: one }, await stranger.adminToken()),
      'FORBIDDEN',
    );
    expectErrorCode(await ingestOp({ meterSerial: strangerSerial, readings: one }), 'FORBIDDEN');
    expectErrorCode(
      await ingestOp({ meterSerial: meterOf('C-0001').serial, clientId: stranger.globalId, readings: one }),
      'FORBIDDEN',
    );
    const own = await customerToken(stack, eis, eis.customers.get('C-0001')!.id);
    expectErrorCode(await ingestOp({ meterId: meterGid('C-0001'), readings: one }, own), 'FORBIDDEN');
    const readOnly = await signAccessToken(
      {
        subject: eis.adminUserId,
        userId: eis.adminUserId,
        apiKeyId: null,
        role: 'CLIENT_ADMIN',
        orgId: null,
        clientId: eis.id,
        customerId: null,
        scopes: ['readings:read'],
      },
      stack.jwtSecret,
    );
    expectErrorCode(await ingestOp({ meterId: meterGid('C-0001'), readings: one }, readOnly), 'FORBIDDEN');
    const writeOnly = await signAccessToken(
      {
        subject: eis.adminUserId,
        userId: eis.adminUserId,
        apiKeyId: null,
        role: 'CLIENT_ADMIN',
        orgId: null,
        clientId: eis.id,
        customerId: null,
        scopes: ['readings:write'],
      },
      stack.jwtSecret,
    );
    const written = await ingest({ meterId: meterGid('C-0001'), readings: one }, writeOnly);
    expect(written.summary).toMatchObject({ new: 1 });
  });
});

describe('readings.stored after an upload commit', () => {
  it('publishes one message per meter with source UPLOAD, the upload id and multiplied energy', async () => {
    const upload = await uploadAndPreview(stack, token, {
      clientId: eis.globalId,
      fileName: METER_CSV,
      bytes: readSample(`meters/${METER_CSV}`),
    });
    expect(upload.status).toBe('PREVIEW_READY');
    expectData(await commitUploadOp(stack, token, upload.id));
    const rawUploadId = Buffer.from(upload.id, 'base64url').toString('utf8').split(':')[2];
    const [event] = await waitForEvents((e) => e.source === 'UPLOAD');
    const [code, customer] = [...eis.customers.entries()].find(([, c]) =>
      c.meters.some((m) => m.serial === '5614112'),
    )!;
    const meter = customer.meters.find((m) => m.serial === '5614112')!;
    expect(event).toMatchObject({
      type: 'readings.stored',
      customerId: customer.id,
      meterId: meter.id,
      meterSerial: '5614112',
      source: 'UPLOAD',
      uploadId: rawUploadId,
      slots: 2880,
      firstSlotStart: '2025-09-01T06:00:00.000Z',
      lastSlotStart: '2025-10-01T05:45:00.000Z',
    });
    // totalKwh is the month's kWh of the customer (its only meter).
    const [daily] = await asSystem(stack.database, `test: ${code} rollups`, (tx) =>
      tx
        .select({ kwh: sql<string>`sum(${schema.readingsDaily.kwh})::text` })
        .from(schema.readingsDaily)
        .where(
          and(
            eq(schema.readingsDaily.clientId, eis.id),
            eq(schema.readingsDaily.customerId, customer.id),
            sql`${schema.readingsDaily.day} between '2025-09-01' and '2025-09-30'`,
          ),
        ),
    );
    expect(Number(event.totalKwh)).toBeCloseTo(Number(daily.kwh), 4);
    expect(event.totalKwh).toMatch(/^\d+(\.\d+)?$/);
  });
});

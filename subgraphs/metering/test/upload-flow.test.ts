import { asSystem, schema, withTenant, type Database } from '@ciro/db';
import * as XLSX from '@e965/xlsx';
import Decimal from 'decimal.js';
import { and, count, eq, gte, lt, sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uploadChannelOf, type UploadEvent } from '../src/events/upload-events';
import type { MeterSource } from '../src/parsing';
import { storeMeterReadings } from '../src/readings/store-readings';
import {
  METER_CSV,
  METER_WORKBOOK,
  commitUploadOp,
  createUploadOp,
  expectData,
  expectErrorCode,
  getUploadOp,
  gql,
  readSample,
  customerToken,
  seedClient,
  startMetering,
  uploadAndPreview,
  waitForUpload,
  type MeteringStack,
  type SeededClient,
  type UploadView,
} from './kit';

interface ExpectedInvoice {
  customer: string;
  lines: { kind: string; quantity: string }[];
}
const expected = JSON.parse(readSample('expected/invoices-2025-09.json').toString('utf8')) as ExpectedInvoice[];

let stack: MeteringStack;
let eis: SeededClient;
let token: string;
let subscriber: Redis;
const events: UploadEvent[] = [];

beforeAll(async () => {
  stack = await startMetering();
  eis = await seedClient(stack);
  token = await eis.adminToken();
  subscriber = new Redis(inject('redisUrl'));
  await subscriber.subscribe(uploadChannelOf(eis.id));
  subscriber.on('message', (_channel, message) => events.push(JSON.parse(message) as UploadEvent));
});

afterAll(async () => {
  subscriber?.disconnect();
  await stack?.stop();
});

async function readingCounts(database: Database, clientId: string): Promise<Map<string, number>> {
  const rows = await asSystem(database, 'test: count readings', (tx) =>
    tx
      .select({ meterId: schema.meterReadings.meterId, n: count() })
      .from(schema.meterReadings)
      .where(eq(schema.meterReadings.clientId, clientId))
      .groupBy(schema.meterReadings.meterId),
  );
  return new Map(rows.map((r) => [r.meterId, r.n]));
}

/** Σ kWh per block over September's local days, from readings_daily. */
async function dailyByBlock(database: Database, clientId: string, customerId: string): Promise<Map<string, Decimal>> {
  const rows = await asSystem(database, 'test: daily rollups', (tx) =>
    tx
      .select({ block: schema.readingsDaily.block, kwh: sql<string>`sum(${schema.readingsDaily.kwh})::text` })
      .from(schema.readingsDaily)
      .where(
        and(
          eq(schema.readingsDaily.clientId, clientId),
          eq(schema.readingsDaily.customerId, customerId),
          gte(schema.readingsDaily.day, '2025-09-01'),
          lt(schema.readingsDaily.day, '2025-10-01'),
        ),
      )
      .groupBy(schema.readingsDaily.block),
  );
  return new Map(rows.map((r) => [r.block, new Decimal(r.kwh)]));
}

async function snapshot(database: Database, clientId: string): Promise<string> {
  return asSystem(database, 'test: snapshot', async (tx) => {
    const [readings] = await tx
      .select({ n: count(), sum: sql<string>`coalesce(sum(kwh), 0)::text` })
      .from(schema.meterReadings)
      .where(eq(schema.meterReadings.clientId, clientId));
    const [hourly] = await tx
      .select({ n: count(), sum: sql<string>`coalesce(sum(kwh), 0)::text` })
      .from(schema.readingsHourly)
      .where(eq(schema.readingsHourly.clientId, clientId));
    const [daily] = await tx
      .select({ n: count(), sum: sql<string>`coalesce(sum(kwh), 0)::text` })
      .from(schema.readingsDaily)
      .where(eq(schema.readingsDaily.clientId, clientId));
    return JSON.stringify({ readings, hourly, daily });
  });
}

/** The sample workbook with one cell changed. */
function workbookWith(sheet: string, cell: string, value: XLSX.CellObject): Buffer {
  const book = XLSX.read(readSample(`meters/${METER_WORKBOOK}`), { type: 'buffer' });
  const ws = book.Sheets[sheet];
  if (!ws) throw new Error(`no sheet ${sheet}`);
  ws[cell] = value;
  return Buffer.from(XLSX.write(book, { type: 'buffer', bookType: 'xlsx', compression: true }) as Uint8Array);
}

describe('meter readings upload: sample files end to end', () => {
  let workbookUpload: UploadView;
  let csvUpload: UploadView;

  it('previews the September workbook: ten sheets, each matched to its meter and customer, 2,880 readings each', async () => {
    workbookUpload = await uploadAndPreview(stack, token, {
      clientId: eis.globalId,
      fileName: METER_WORKBOOK,
      bytes: readSample(`meters/${METER_WORKBOOK}`),
    });
    expect(workbookUpload.status).toBe('PREVIEW_READY');
    const preview = workbookUpload.preview!;
    expect(preview).toMatchObject({ format: 'XLSX', committable: true, blockers: [], errorCount: 0, readings: 28_800 });
    expect(preview.sources).toHaveLength(10);
    for (const source of preview.sources) {
      expect(source.match, source.sheet ?? '').toBe('MATCHED');
      expect(source.counts).toMatchObject({ readings: 2880, rejected: 0, missingSlots: 0, expectedSlots: 2880 });
      expect(source.mapping).toMatchObject({
        timestamp: ['Fecha', 'Hora'],
        consumption: 'kWh Entregada',
        convention: 'INTERVAL_END',
      });
      expect(source.customers).toHaveLength(1);
      expect(source.firstReadings[0]?.slotStart).toBe('2025-09-01T06:00:00.000Z');
      expect(source.firstRows.length).toBeGreaterThan(0);
    }
    const ateos = preview.sources.find((s) => s.sheet === 'Nodo Ateos 5614086');
    expect(ateos).toMatchObject({ serial: '5614086', serialFrom: 'SHEET_NAME', customers: [{ code: 'C-0001' }] });
    expect(ateos?.firstRows[0]).toEqual({ row: 7, values: ['45901', '00:15', '246.7056', '0', '77.3898', '0'] });
  });

  it('previews the CSV of the other meter family: the eleventh meter, 2,880 readings', async () => {
    csvUpload = await uploadAndPreview(stack, token, {
      clientId: eis.globalId,
      fileName: METER_CSV,
      bytes: readSample(`meters/${METER_CSV}`),
    });
    expect(csvUpload.preview).toMatchObject({ format: 'CSV', committable: true, readings: 2880 });
    expect(csvUpload.preview?.sources).toEqual([
      expect.objectContaining({
        serial: '5614112',
        match: 'MATCHED',
        counts: expect.objectContaining({ readings: 2880 }),
      }),
    ]);
  });

  it('commits both: 2,880 readings per meter, nothing stored before the commit', async () => {
    expect(await readingCounts(stack.database, eis.id)).toEqual(new Map());
    const first = expectData(await commitUploadOp(stack, token, workbookUpload.id)).commitUpload;
    expect(first.userErrors).toEqual([]);
    expect(first.summary).toEqual({ new: 28_800, unchanged: 0, replaced: 0, customers: 9 });
    expect(first.upload?.status).toBe('COMMITTED');
    const second = expectData(await commitUploadOp(stack, token, csvUpload.id)).commitUpload;
    expect(second.summary).toMatchObject({ new: 2880, unchanged: 0, replaced: 0, customers: 1 });

    const counts = await readingCounts(stack.database, eis.id);
    const meters = [...eis.customers.values()].flatMap((c) => c.meters);
    expect(meters).toHaveLength(11);
    for (const meter of meters) expect(counts.get(meter.id), meter.serial).toBe(2880);
  });

  it('rolls readings up per customer and block: Σ daily kWh × multiplier equals the invoices’ ENERGY quantities', async () => {
    for (const invoice of expected) {
      const customer = eis.customers.get(invoice.customer);
      if (!customer) throw new Error(`no customer ${invoice.customer}`);
      const sums = await dailyByBlock(stack.database, eis.id, customer.id);
      for (const block of ['VALLE', 'RESTO', 'PUNTA']) {
        const line = invoice.lines.find((l) => l.kind === `ENERGY_${block}`);
        expect(sums.get(block)?.toFixed(4), `${invoice.customer} ${block}`).toBe(
          new Decimal(line!.quantity).toFixed(4),
        );
      }
    }
    // C-0002 reads through a multiplier of 40, C-0005 sums two meters.
    expect(eis.customers.get('C-0002')?.meters[0]?.multiplier).toBe('40');
    expect(eis.customers.get('C-0005')?.meters).toHaveLength(2);
  });

  it('keeps hourly rollups consistent with the daily ones and counts meter readings per slot', async () => {
    const c5 = eis.customers.get('C-0005')!;
    const [hourly] = await asSystem(stack.database, 'test', (tx) =>
      tx
        .select({ kwh: sql<string>`sum(kwh)::text`, slots: sql<string>`sum(slot_count)::text`, hours: count() })
        .from(schema.readingsHourly)
        .where(and(eq(schema.readingsHourly.clientId, eis.id), eq(schema.readingsHourly.customerId, c5.id))),
    );
    const daily = await dailyByBlock(stack.database, eis.id, c5.id);
    const dailyTotal = [...daily.values()].reduce((a, b) => a.plus(b), new Decimal(0));
    expect(new Decimal(hourly.kwh).toFixed(6)).toBe(dailyTotal.toFixed(6));
    expect(hourly?.slots).toBe(String(2 * 2880));
    // 720 hours; the hours 05:00, 18:00 and 23:00 start a block, so no hour holds two blocks.
    expect(hourly?.hours).toBe(720);
  });

  it('answers the same file again with DUPLICATE and changes nothing', async () => {
    const before = await snapshot(stack.database, eis.id);
    const again = expectData(
      await createUploadOp(stack, token, {
        clientId: eis.globalId,
        fileName: 'copy of the workbook.xlsx',
        bytes: readSample(`meters/${METER_WORKBOOK}`),
      }),
    ).createUpload;
    expect(again.outcome).toBe('DUPLICATE');
    expect(again.upload?.id).toBe(workbookUpload.id);
    expect(again.upload?.status).toBe('COMMITTED');
    const [uploads] = await asSystem(stack.database, 'test', (tx) =>
      tx.select({ n: count() }).from(schema.uploads).where(eq(schema.uploads.clientId, eis.id)),
    );
    expect(uploads?.n).toBe(2);
    expect(await snapshot(stack.database, eis.id)).toBe(before);
  });

  it('replaces exactly the corrected value of a corrected file and records which upload it came from', async () => {
    const c1 = eis.customers.get('C-0001')!;
    const before = await dailyByBlock(stack.database, eis.id, c1.id);
    // Row 8 is 01/09/2025 00:30 (the slot starting 00:15, VALLE); its kWh was read from cell C8.
    const corrected = workbookWith('Nodo Ateos 5614086', 'C8', { t: 'n', v: 300 });
    const upload = await uploadAndPreview(stack, token, {
      clientId: eis.globalId,
      fileName: 'corregido.xlsx',
      bytes: corrected,
    });
    expect(upload.preview?.committable).toBe(true);
    const oldValue = new Decimal(
      await asSystem(stack.database, 'test', async (tx) => {
        const [row] = await tx
          .select({ kwh: schema.meterReadings.kwh })
          .from(schema.meterReadings)
          .where(
            and(
              eq(schema.meterReadings.meterId, c1.meters[0].id),
              eq(schema.meterReadings.slotStart, new Date('2025-09-01T06:15:00Z')),
            ),
          );
        return row.kwh;
      }),
    );
    const committed = expectData(await commitUploadOp(stack, token, upload.id)).commitUpload;
    expect(committed.summary).toEqual({ new: 0, unchanged: 28_799, replaced: 1, customers: 9 });

    const [reading] = await asSystem(stack.database, 'test', (tx) =>
      tx
        .select({ kwh: schema.meterReadings.kwh, uploadId: schema.meterReadings.uploadId })
        .from(schema.meterReadings)
        .where(
          and(
            eq(schema.meterReadings.meterId, c1.meters[0].id),
            eq(schema.meterReadings.slotStart, new Date('2025-09-01T06:15:00Z')),
          ),
        ),
    );
    expect(new Decimal(reading.kwh).toFixed()).toBe('300');
    const rawUploadId = Buffer.from(upload.id, 'base64url').toString('utf8').split(':')[2];
    expect(reading?.uploadId).toBe(rawUploadId);
    const after = await dailyByBlock(stack.database, eis.id, c1.id);
    expect(after.get('VALLE')?.minus(before.get('VALLE')!).toFixed()).toBe(new Decimal(300).minus(oldValue).toFixed());
    expect(after.get('RESTO')?.toFixed()).toBe(before.get('RESTO')?.toFixed());
  });

  it('reports a bad file by sheet, row and column, refuses to commit it and leaves the database unchanged', async () => {
    const before = await snapshot(stack.database, eis.id);
    // Row 10 = 01/09/2025 01:15; C is "kWh Entregada".
    const book = XLSX.read(readSample(`meters/${METER_WORKBOOK}`), { type: 'buffer' });
    const ws = book.Sheets['Nodo Nejapa 5614201'];
    ws.C10 = { t: 's', v: 'abc' };
    ws.C12 = { t: 'n', v: -5 };
    const bad = Buffer.from(XLSX.write(book, { type: 'buffer', bookType: 'xlsx', compression: true }) as Uint8Array);
    const upload = await uploadAndPreview(stack, token, { clientId: eis.globalId, fileName: 'malo.xlsx', bytes: bad });
    expect(upload.status).toBe('PREVIEW_READY');
    expect(upload.preview?.committable).toBe(false);
    const nejapa = upload.preview?.sources.find((s) => s.sheet === 'Nodo Nejapa 5614201');
    expect(nejapa?.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'TEXT_IN_NUMBER',
          severity: 'ERROR',
          sheet: 'Nodo Nejapa 5614201',
          row: 10,
          column: { header: 'kWh Entregada', letter: 'C' },
          value: 'abc',
        }),
        expect.objectContaining({
          code: 'NEGATIVE_VALUE',
          sheet: 'Nodo Nejapa 5614201',
          row: 12,
          column: { header: 'kWh Entregada', letter: 'C' },
          value: '-5',
        }),
      ]),
    );
    const refused = expectData(await commitUploadOp(stack, token, upload.id)).commitUpload;
    expect(refused.summary).toBeNull();
    expect(refused.userErrors[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'id'] });
    expect(refused.userErrors[0]?.message).toContain('Nodo Nejapa 5614201');
    expect(await snapshot(stack.database, eis.id)).toBe(before);
  });

  it('reports a sheet of an unknown meter and of another client’s meter, naming the sheet', async () => {
    const other = await seedClient(stack, { withSampleCustomers: false });
    await asSystem(stack.database, 'test: meter of another client', (tx) =>
      tx.insert(schema.meters).values({ clientId: other.id, serial: '9990001' }),
    );
    const book = XLSX.read(readSample(`meters/${METER_WORKBOOK}`), { type: 'buffer' });
    const source = book.Sheets['Nodo Ateos 5614086'];
    const renamed = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(renamed, source, 'Nodo Ateos 9990001');
    XLSX.utils.book_append_sheet(renamed, book.Sheets['Nodo Nejapa 5614201'], 'Nodo Nejapa 9990002');
    const bytes = Buffer.from(
      XLSX.write(renamed, { type: 'buffer', bookType: 'xlsx', compression: true }) as Uint8Array,
    );
    const upload = await uploadAndPreview(stack, token, { clientId: eis.globalId, fileName: 'ajenos.xlsx', bytes });
    const bySheet = new Map(upload.preview?.sources.map((s) => [s.sheet, s]));
    expect(bySheet.get('Nodo Ateos 9990001')).toMatchObject({
      match: 'OTHER_CLIENT_METER',
      problems: expect.arrayContaining([
        expect.objectContaining({ code: 'OTHER_CLIENT_METER', sheet: 'Nodo Ateos 9990001' }),
      ]),
    });
    expect(bySheet.get('Nodo Nejapa 9990002')).toMatchObject({
      match: 'UNKNOWN_METER',
      problems: expect.arrayContaining([
        expect.objectContaining({ code: 'UNKNOWN_METER', sheet: 'Nodo Nejapa 9990002', value: '9990002' }),
      ]),
    });
    expect(upload.preview?.committable).toBe(false);
  });

  it('re-parses with a sheet mapped to a meter by the admin (setUploadMapping)', async () => {
    const book = XLSX.read(readSample(`meters/${METER_WORKBOOK}`), { type: 'buffer' });
    const renamed = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(renamed, book.Sheets['Nodo Ateos 5614086'], 'Medidor principal');
    const bytes = Buffer.from(
      XLSX.write(renamed, { type: 'buffer', bookType: 'xlsx', compression: true }) as Uint8Array,
    );
    // The metadata line "Medidor: 5614086" names the meter; map the sheet explicitly anyway.
    const first = await uploadAndPreview(stack, token, { clientId: eis.globalId, fileName: 'principal.xlsx', bytes });
    const remapped = expectData(
      await gql<{ setUploadMapping: { upload: UploadView | null; userErrors: unknown[] } }>(
        stack,
        token,
        `mutation($input: SetUploadMappingInput!) { setUploadMapping(input: $input) { upload { id status revision } userErrors { message } } }`,
        {
          input: { id: first.id, period: '2025-09', sheetSerials: [{ sheet: 'Medidor principal', serial: '5614086' }] },
        },
      ),
    ).setUploadMapping;
    expect(remapped.userErrors).toEqual([]);
    expect(remapped.upload).toMatchObject({ status: 'RECEIVED', revision: 1 });
    const parsed = await waitForUpload(stack, token, first.id);
    expect(parsed.revision).toBe(1);
    expect(parsed.preview?.sources[0]).toMatchObject({ serial: '5614086', serialFrom: 'OVERRIDE', match: 'MATCHED' });
    const discarded = expectData(
      await gql<{ discardUpload: { upload: { status: string } } }>(
        stack,
        token,
        `mutation($input: UploadIdInput!) { discardUpload(input: $input) { upload { status } } }`,
        { input: { id: first.id } },
      ),
    ).discardUpload;
    expect(discarded.upload.status).toBe('DISCARDED');
  });

  it('fails a file that cannot be read (truncated) with the reason', async () => {
    const bytes = readSample(`meters/${METER_WORKBOOK}`).subarray(0, 4000);
    const upload = await uploadAndPreview(stack, token, { clientId: eis.globalId, fileName: 'cortado.xlsx', bytes });
    expect(upload.status).toBe('FAILED');
    expect(upload.failure?.code).toMatch(/TRUNCATED|UNREADABLE/);
  });

  it('lists uploads newest first, filtered by status', async () => {
    const listed = expectData(
      await gql<{ uploads: { totalCount: number; edges: { node: { id: string; status: string } }[] } }>(
        stack,
        token,
        `query($clientId: ID!) { uploads(clientId: $clientId, status: COMMITTED, first: 10) { totalCount edges { node { id status } } } }`,
        { clientId: eis.globalId },
      ),
    ).uploads;
    expect(listed.totalCount).toBe(3);
    expect(listed.edges.every((e) => e.node.status === 'COMMITTED')).toBe(true);
  });

  it('serves Meter.readings through the entity, tenant-checked', async () => {
    const c1 = eis.customers.get('C-0001')!;
    const meterId = Buffer.from(`Meter:${eis.id}:${c1.meters[0].id}`).toString('base64url');
    const query = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Meter { id readings(from: "2025-09-01T06:00:00Z", to: "2025-09-02T06:00:00Z", first: 2) { totalCount edges { node { slotStart kwh uploadId } } } } } }`;
    const result = expectData(
      await gql<{
        _entities: { readings: { totalCount: number; edges: { node: { slotStart: string; kwh: string } }[] } }[];
      }>(stack, token, query, { reps: [{ __typename: 'Meter', id: meterId }] }),
    );
    expect(result._entities[0]?.readings.totalCount).toBe(96);
    expect(result._entities[0]?.readings.edges[0]?.node).toMatchObject({
      slotStart: '2025-09-01T06:00:00.000Z',
      kwh: '246.7056',
    });

    const own = await customerToken(stack, eis, c1.id);
    const mine = expectData(
      await gql<{ _entities: { readings: { totalCount: number } }[] }>(stack, own, query, {
        reps: [{ __typename: 'Meter', id: meterId }],
      }),
    );
    expect(mine._entities[0]?.readings.totalCount).toBe(96);
    const neighbour = await customerToken(stack, eis, eis.customers.get('C-0002')!.id);
    expectErrorCode(await gql(stack, neighbour, query, { reps: [{ __typename: 'Meter', id: meterId }] }), 'FORBIDDEN');

    const stranger = await seedClient(stack, { withSampleCustomers: false });
    expectErrorCode(
      await gql(stack, await stranger.adminToken(), query, { reps: [{ __typename: 'Meter', id: meterId }] }),
      'FORBIDDEN',
    );
  });

  it('leaves nothing behind when a commit fails after the readings and rollups were written', async () => {
    const before = await snapshot(stack.database, eis.id);
    const meter = eis.customers.get('C-0003')!.meters[0];
    const matched = [
      {
        match: 'MATCHED' as const,
        meter: {
          id: meter.id,
          serial: meter.serial,
          multiplier: meter.multiplier,
          channel: 'DELIVERED',
          columnMapping: null,
        },
        source: {
          readings: [
            { slotStart: new Date('2025-11-03T12:00:00Z'), kwh: new Decimal('12.5'), kvarh: null, row: 7 },
            { slotStart: new Date('2025-09-03T12:00:00Z'), kwh: new Decimal('99999'), kvarh: null, row: 8 },
          ].sort((a, b) => a.slotStart.getTime() - b.slotStart.getTime()),
        } as unknown as MeterSource,
      },
    ];
    const admin = { role: 'CLIENT_ADMIN' as const, clientId: eis.id, customerId: null, userId: null };
    await expect(
      withTenant(stack.database, admin, async (tx) => {
        const summary = await storeMeterReadings(tx, {
          clientId: eis.id,
          uploadId: null,
          zone: 'America/El_Salvador',
          matched,
        });
        expect(summary).toMatchObject({ new: 1, replaced: 1, customers: 1 });
        throw new Error('fault injected after the upsert and the rollups');
      }),
    ).rejects.toThrow('fault injected');
    expect(await snapshot(stack.database, eis.id)).toBe(before);
  });

  it('published progress on uploads:<clientId> for every stage', () => {
    const stages = new Set(events.filter((e) => e.uploadId === workbookUpload.id).map((e) => e.stage));
    expect([...stages]).toEqual(
      expect.arrayContaining(['RECEIVED', 'PARSING', 'PREVIEW_READY', 'COMMITTING', 'COMMITTED']),
    );
  });

  it('refuses an admin of another client: FORBIDDEN on createUpload, commitUpload and upload(id)', async () => {
    const other = await seedClient(stack, { withSampleCustomers: false });
    const otherToken = await other.adminToken();
    expectErrorCode(
      await createUploadOp(stack, otherToken, {
        clientId: eis.globalId,
        fileName: METER_CSV,
        bytes: readSample(`meters/${METER_CSV}`),
      }),
      'FORBIDDEN',
    );
    expectErrorCode(await commitUploadOp(stack, otherToken, csvUpload.id), 'FORBIDDEN');
    expectErrorCode(await getUploadOp(stack, otherToken, csvUpload.id), 'FORBIDDEN');
    // Row-level security holds even if a service check were missing: the other client's context sees no upload.
    const seen = await withTenant(
      stack.database,
      { role: 'CLIENT_ADMIN', clientId: other.id, customerId: null, userId: null },
      (tx) => tx.select({ n: count() }).from(schema.uploads).where(eq(schema.uploads.clientId, eis.id)),
    );
    expect(seen[0]?.n).toBe(0);
  });

  it('remembers a mapping confirmed by a commit for the meter’s next files', async () => {
    const csv = readSample(`meters/${METER_CSV}`);
    const first = await uploadAndPreview(stack, token, {
      clientId: eis.globalId,
      fileName: 'recordar.csv',
      bytes: Buffer.concat([csv, Buffer.from('\r\n')]),
    });
    expect(first.preview?.sources[0]).toMatchObject({ mappingOrigin: 'DETECTED', mapping: { kvarh: 'kVARh Del' } });
    const remapped = expectData(
      await gql<{ setUploadMapping: { userErrors: unknown[] } }>(
        stack,
        token,
        `mutation($input: SetUploadMappingInput!) { setUploadMapping(input: $input) { userErrors { message } } }`,
        { input: { id: first.id, sheetMappings: [{ sheet: 'recordar.csv', mapping: { kvarh: null } }] } },
      ),
    ).setUploadMapping;
    expect(remapped.userErrors).toEqual([]);
    const overridden = await waitForUpload(stack, token, first.id);
    expect(overridden.preview?.sources[0]).toMatchObject({ mappingOrigin: 'OVERRIDE', mapping: { kvarh: null } });
    expect(expectData(await commitUploadOp(stack, token, first.id)).commitUpload.userErrors).toEqual([]);

    const next = await uploadAndPreview(stack, token, {
      clientId: eis.globalId,
      fileName: 'siguiente.csv',
      bytes: Buffer.concat([csv, Buffer.from('\r\n\r\n')]),
    });
    expect(next.preview?.sources[0]).toMatchObject({
      serial: '5614112',
      mappingOrigin: 'REMEMBERED',
      mapping: { kvarh: null, consumption: 'kWh Del' },
    });
  });

  it('previews and commits the forecast workbook: hourly nominations per customer code', async () => {
    const upload = await uploadAndPreview(stack, token, {
      clientId: eis.globalId,
      kind: 'FORECASTS',
      fileName: 'Pronósticos 2025-09.xlsx',
      bytes: readSample('forecasts/Pronósticos 2025-09.xlsx'),
    });
    expect(upload.status).toBe('PREVIEW_READY');
    expect(upload.preview).toMatchObject({ committable: true, errorCount: 0 });
    const hours = upload.preview!.readings;
    expect(hours % 720).toBe(0);
    const committed = expectData(await commitUploadOp(stack, token, upload.id)).commitUpload;
    expect(committed.summary).toMatchObject({ new: hours, unchanged: 0, replaced: 0 });
    const [stored] = await asSystem(stack.database, 'test: forecasts', (tx) =>
      tx.select({ n: count() }).from(schema.forecasts).where(eq(schema.forecasts.clientId, eis.id)),
    );
    expect(stored?.n).toBe(hours);
  });
});

import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { asSystem, createDb, noDelaySocket, schema, withTenant, type Database, type TenantContext } from '@ciro/db';
import { createTestDatabase, dropTestDatabase } from '@ciro/db/testing';
import * as XLSX from '@e965/xlsx';
import { ROLE_SCOPES, toGlobalId } from '@ciro/subgraph-common';
import postgres from 'postgres';
import { customerConsumption } from '../consumption/consumption.service';
import { parseMeterFile, type Reading } from '../parsing';
import type { AssignmentInfo, MeterInfo } from '../readings/meter-lookup.repository';
import { storeMeterReadings } from '../readings/store-readings';
import { buildMeterPreview, type MatchedSource } from '../uploads/meter-preview';
import {
  generatedMeter,
  loadProfiles,
  localMonths,
  METER_WORKBOOK,
  readingsOf,
  readSample,
  seeded,
  ZONE,
  type GeneratedMeter,
} from './generate';

/**
 * Ingestion figures (`npm run bench`), each beside a baseline measured in the same run:
 *
 * 1. parse: the September meter workbook through our parser, validation and preview (what the
 *    upload parse job runs, without blob and database look-ups) vs a bare SheetJS read
 *    (read + sheet_to_json of every sheet). Median of PARSE_RUNS runs. Target ≥ 0.8×.
 * 2. store: one year × 100 meters of generated 15-minute data (3.5 M readings) through
 *    storeMeterReadings (staging COPY, INSERT … ON CONFLICT into the partitioned RLS table under
 *    withTenant as the app role, hourly/daily rollups in the same transaction), one commit per
 *    local month as a monthly upload would, vs a bare COPY into a staging table + INSERT … ON
 *    CONFLICT into a plain indexed table (no RLS, partitions or rollups). Batches alternate.
 *    Targets: ≥ 150,000 rows/s and ≥ 0.7× the baseline. A second baseline adds meter_readings'
 *    two foreign keys (meters, uploads) to the plain table: PostgreSQL checks them row by row
 *    and they alone cost about half the bare rate, so it shows what RLS, partitions and rollups
 *    cost on top of the constraints the schema keeps.
 * 3. query: with one year × BENCH_READINGS_METERS meters loaded (default 1,000 = 35 M readings;
 *    the store path loads them, so the rollups are the product's), consumption by DAY (and block)
 *    over the year for a random customer through customerConsumption (the service behind
 *    Customer.consumption, as a customer user), 200 times: p50/p95. Target p95 ≤ 50 ms.
 *
 * Environment: BENCH_READINGS_METERS (meters of the query figure; ≤ 100 skips the extra load),
 * BENCH_STORE_METERS (default 100), BENCH_STORE_MONTHS (default 12), BENCH_PARSE_RUNS (default 7;
 * 0 skips the parse figure), SAMPLES_DIR. Works in a scratch database dropped at the end.
 */

const STORE_METERS = Number(process.env.BENCH_STORE_METERS ?? 100);
const QUERY_METERS = Math.max(STORE_METERS, Number(process.env.BENCH_READINGS_METERS ?? 1000));
const PARSE_RUNS = Number(process.env.BENCH_PARSE_RUNS ?? 7);
const STORE_MONTHS = Number(process.env.BENCH_STORE_MONTHS ?? 12);
const QUERY_RUNS = 200;
const YEAR = 2025;
const DATABASE = 'ciro_bench_ingestion';

const TARGETS = { parseRatio: 0.8, storeRate: 150_000, storeRatio: 0.7, queryP95: 50 };

function report(name: string, value: number, unit: string): void {
  process.stdout.write(`${JSON.stringify({ name, value: Number(value.toFixed(3)), unit })}\n`);
}

function summary(line: string): void {
  process.stderr.write(`${line}\n`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function seconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

// ---------------------------------------------------------------------------------------------
// 1. Parse
// ---------------------------------------------------------------------------------------------

function bareSheetJs(bytes: Buffer): number {
  const workbook = XLSX.read(bytes, { type: 'buffer' });
  let rows = 0;
  for (const name of workbook.SheetNames) {
    const sheet = workbook.Sheets[name];
    if (sheet) rows += XLSX.utils.sheet_to_json(sheet, { header: 1 }).length;
  }
  return rows;
}

function ourParse(bytes: Buffer, ctx: { meters: MeterInfo[]; assignments: AssignmentInfo[] }): number {
  const result = parseMeterFile(bytes, { fileName: 'Descargas medidores 2025-09.xlsx', zone: ZONE });
  const preview = buildMeterPreview(result, { ...ctx, foreignSerials: new Set() });
  if (!preview.committable) throw new Error(`sample workbook not committable: ${preview.blockers.join('; ')}`);
  return preview.readings;
}

function parseBench(): void {
  if (PARSE_RUNS <= 0) return;
  const bytes = readSample(METER_WORKBOOK);
  // The match context the parse job loads from the database: the sample serials as this client's meters.
  const first = parseMeterFile(bytes, { fileName: 'x.xlsx', zone: ZONE });
  const meters: MeterInfo[] = first.sources.map((s) => ({
    id: randomUUID(),
    serial: s.serial ?? '',
    multiplier: '1',
    channel: 'DELIVERED',
    columnMapping: null,
  }));
  const assignments: AssignmentInfo[] = meters.map((m, i) => ({
    meterId: m.id,
    customerId: randomUUID(),
    customerCode: `C-${i}`,
    customerName: `Customer ${i}`,
    validFrom: new Date('2020-01-01T06:00:00Z'),
    validTo: null,
  }));
  const rows = ourParse(bytes, { meters, assignments });
  bareSheetJs(bytes); // warm both paths up
  const ours: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < PARSE_RUNS; i += 1) {
    let started = process.hrtime.bigint();
    bareSheetJs(bytes);
    bare.push(seconds(started));
    started = process.hrtime.bigint();
    ourParse(bytes, { meters, assignments });
    ours.push(seconds(started));
  }
  const oursRate = rows / median(ours);
  const bareRate = rows / median(bare);
  report('metering.parse.readings', rows, 'rows');
  report('metering.parse.rows_per_second', oursRate, 'rows/s');
  report('metering.parse.baseline_sheetjs.rows_per_second', bareRate, 'rows/s');
  report('metering.parse.ratio', oursRate / bareRate, 'x');
  summary(
    `parse: ${Math.round(oursRate)} rows/s vs bare SheetJS ${Math.round(bareRate)} rows/s = ${(oursRate / bareRate).toFixed(2)}× (target ≥ ${TARGETS.parseRatio}×) ${pass(oursRate / bareRate >= TARGETS.parseRatio)}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Fixture: a client with the MT-H tariff, customers and meters (one meter each; every tenth
// customer has two), assigned since 2020.
// ---------------------------------------------------------------------------------------------

interface Fixture {
  clientId: string;
  ctx: TenantContext;
  meters: { id: string; serial: string; multiplier: string; customerId: string }[];
  customerIds: string[];
}

async function seedFixture(database: Database, meterCount: number): Promise<Fixture> {
  const tariff = JSON.parse(readSample('tariffs/MT-H.json').toString('utf8')) as {
    code: string;
    name: string;
    blocks: { code: string; start: string; end: string }[];
  };
  const minutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
  const clientId = randomUUID();
  const random = seeded(42);
  const meters: Fixture['meters'] = [];
  const customerIds: string[] = [];
  await asSystem(database, 'ingestion bench fixture', async (tx) => {
    const organizationId = randomUUID();
    await tx.insert(schema.organizations).values({ id: organizationId, name: 'Bench', slug: `bench-${clientId}` });
    await tx.insert(schema.clients).values({ id: clientId, organizationId, code: 'BENCH', name: 'Bench Power' });
    const tariffId = randomUUID();
    await tx.insert(schema.tariffs).values({ clientId, id: tariffId, code: tariff.code, name: tariff.name });
    await tx.insert(schema.tariffBlocks).values(
      tariff.blocks.map((b) => ({
        clientId,
        tariffId,
        block: b.code,
        dayType: 'ALL' as const,
        startMinute: minutes(b.start),
        endMinute: minutes(b.end),
      })),
    );
    const customerRows: (typeof schema.customers.$inferInsert)[] = [];
    const meterRows: (typeof schema.meters.$inferInsert)[] = [];
    const assignmentRows: (typeof schema.meterAssignments.$inferInsert)[] = [];
    for (let c = 0; meters.length < meterCount; c += 1) {
      const customerId = randomUUID();
      customerIds.push(customerId);
      customerRows.push({
        clientId,
        id: customerId,
        code: `B-${String(c).padStart(5, '0')}`,
        name: `Bench ${c}`,
        tariffId,
      });
      const own = c % 10 === 9 ? 2 : 1;
      for (let k = 0; k < own && meters.length < meterCount; k += 1) {
        const id = randomUUID();
        const serial = String(7_000_000 + meters.length);
        const multiplier = (1 + Math.floor(random() * 500) / 10_000).toFixed(4);
        meters.push({ id, serial, multiplier, customerId });
        meterRows.push({ clientId, id, serial, node: 'Bench', multiplier });
        assignmentRows.push({ clientId, meterId: id, customerId, validFrom: new Date('2020-01-01T06:00:00Z') });
      }
    }
    for (let i = 0; i < customerRows.length; i += 500)
      await tx.insert(schema.customers).values(customerRows.slice(i, i + 500));
    for (let i = 0; i < meterRows.length; i += 500) await tx.insert(schema.meters).values(meterRows.slice(i, i + 500));
    for (let i = 0; i < assignmentRows.length; i += 500)
      await tx.insert(schema.meterAssignments).values(assignmentRows.slice(i, i + 500));
  });
  return {
    clientId,
    ctx: { role: 'CLIENT_ADMIN', clientId, customerId: null, userId: null },
    meters,
    customerIds,
  };
}

/** One month of the given meters, as the upload commit hands it to the store path. */
function monthBatch(
  fixture: Fixture,
  generated: readonly GeneratedMeter[],
  from: number,
  to: number,
  month: { start: Date; end: Date },
): MatchedSource[] {
  const out: MatchedSource[] = [];
  for (let i = from; i < to; i += 1) {
    const meter = fixture.meters[i];
    const gen = generated[i];
    if (!meter || !gen) continue;
    const readings: Reading[] = readingsOf(gen, month.start, month.end);
    out.push({
      match: 'MATCHED',
      meter: {
        id: meter.id,
        serial: meter.serial,
        multiplier: meter.multiplier,
        channel: 'DELIVERED',
        columnMapping: null,
      },
      source: { readings } as MatchedSource['source'],
    });
  }
  return out;
}

async function createUpload(database: Database, fixture: Fixture, label: string): Promise<string> {
  const id = randomUUID();
  await withTenant(database, fixture.ctx, (tx) =>
    tx.insert(schema.uploads).values({
      clientId: fixture.clientId,
      id,
      kind: 'METER_READINGS',
      fileName: `bench ${label}.xlsx`,
      sha256: randomUUID().replace(/-/g, ''),
      status: 'COMMITTING',
    }),
  );
  return id;
}

/** The store path of an upload commit: one transaction per batch, as the app role under withTenant. */
async function storeBatch(database: Database, fixture: Fixture, uploadId: string, batch: MatchedSource[]) {
  return withTenant(database, fixture.ctx, (tx) =>
    storeMeterReadings(tx, { clientId: fixture.clientId, uploadId, zone: ZONE, matched: batch }),
  );
}

// ---------------------------------------------------------------------------------------------
// Baseline: bare COPY into a staging table + INSERT … ON CONFLICT into a plain indexed table.
// ---------------------------------------------------------------------------------------------

const PLAIN_TABLE = `create table bench_plain_readings (
  client_id uuid not null,
  meter_id uuid not null,
  slot_start timestamptz not null,
  kwh numeric(18, 6) not null,
  kvarh numeric(18, 6),
  kwh_received numeric(18, 6),
  kvarh_received numeric(18, 6),
  upload_id uuid,
  updated_at timestamptz not null default now(),
  primary key (client_id, meter_id, slot_start)
)`;
/** The same plain table with meter_readings' foreign keys (to meters and uploads), checked per row. */
const PLAIN_TABLE_FK = `${PLAIN_TABLE.replace('bench_plain_readings', 'bench_plain_readings_fk').replace(
  /\)$/,
  `, foreign key (client_id, meter_id) references meters (client_id, id),
  foreign key (client_id, upload_id) references uploads (client_id, id))`,
)}`;

async function baselineBatch(
  sql: postgres.Sql,
  table: string,
  clientId: string,
  uploadId: string,
  batch: MatchedSource[],
): Promise<void> {
  await sql.begin(async (t) => {
    await t.unsafe(
      'create temporary table bare_staging (meter_id uuid, slot_start timestamptz, kwh numeric(18, 6), kvarh numeric(18, 6)) on commit drop',
    );
    const writable = await t.unsafe('copy bare_staging (meter_id, slot_start, kwh, kvarh) from stdin').writable();
    function* chunks(): Generator<string> {
      let buffer = '';
      for (const m of batch) {
        const meterId = m.meter?.id ?? '';
        for (const r of m.source.readings) {
          buffer += `${meterId}\t${r.slotStart.toISOString()}\t${r.kwh.toFixed()}\t${r.kvarh?.toFixed() ?? '\\N'}\n`;
          if (buffer.length >= 65_536) {
            yield buffer;
            buffer = '';
          }
        }
      }
      if (buffer) yield buffer;
    }
    await pipeline(Readable.from(chunks()), writable);
    await t.unsafe(
      `insert into ${table} as t (client_id, meter_id, slot_start, kwh, kvarh, upload_id, updated_at)
       select $1, meter_id, slot_start, kwh, kvarh, $2, now() from bare_staging
       on conflict (client_id, meter_id, slot_start) do update
         set kwh = excluded.kwh, kvarh = excluded.kvarh, upload_id = excluded.upload_id, updated_at = excluded.updated_at
         where (t.kwh, t.kvarh) is distinct from (excluded.kwh, excluded.kvarh)`,
      [clientId, uploadId],
    );
  });
}

async function storeBench(
  database: Database,
  bare: postgres.Sql,
  fixture: Fixture,
  generated: readonly GeneratedMeter[],
): Promise<void> {
  const months = localMonths(YEAR).slice(0, STORE_MONTHS);
  let ours = 0;
  let baseline = 0;
  let baselineFk = 0;
  let rows = 0;
  let customers = 0;
  for (const [m, month] of months.entries()) {
    const batch = monthBatch(fixture, generated, 0, STORE_METERS, month);
    const count = batch.reduce((n, s) => n + s.source.readings.length, 0);
    const uploadId = await createUpload(database, fixture, month.label);
    const runOurs = async () => {
      const started = process.hrtime.bigint();
      const result = await storeBatch(database, fixture, uploadId, batch);
      ours += seconds(started);
      if (result.new !== count) throw new Error(`store: ${result.new} new of ${count}`);
      customers = Math.max(customers, result.customers);
    };
    const runBaseline = async () => {
      const started = process.hrtime.bigint();
      await baselineBatch(bare, 'bench_plain_readings', fixture.clientId, uploadId, batch);
      baseline += seconds(started);
    };
    const runBaselineFk = async () => {
      const started = process.hrtime.bigint();
      await baselineBatch(bare, 'bench_plain_readings_fk', fixture.clientId, uploadId, batch);
      baselineFk += seconds(started);
    };
    // Rotate which goes first, so none always meets a warmer cache or a checkpoint.
    const order = [runOurs, runBaseline, runBaselineFk];
    for (let k = 0; k < order.length; k += 1) await order[(m + k) % order.length]?.();
    rows += count;
  }
  const oursRate = rows / ours;
  const bareRate = rows / baseline;
  const fkRate = rows / baselineFk;
  report('metering.store.readings', rows, 'rows');
  report('metering.store.customers', customers, 'customers');
  report('metering.store.seconds', ours, 's');
  report('metering.store.rows_per_second', oursRate, 'rows/s');
  report('metering.store.baseline_plain_upsert.rows_per_second', bareRate, 'rows/s');
  report('metering.store.ratio', oursRate / bareRate, 'x');
  report('metering.store.baseline_plain_upsert_with_fks.rows_per_second', fkRate, 'rows/s');
  report('metering.store.ratio_to_baseline_with_fks', oursRate / fkRate, 'x');
  summary(
    `store: ${Math.round(oursRate)} rows/s (target ≥ ${TARGETS.storeRate}) vs bare COPY+upsert ${Math.round(bareRate)} rows/s = ${(oursRate / bareRate).toFixed(2)}× (target ≥ ${TARGETS.storeRatio}×) ${pass(oursRate >= TARGETS.storeRate && oursRate / bareRate >= TARGETS.storeRatio)}; with the same foreign keys ${Math.round(fkRate)} rows/s = ${(oursRate / fkRate).toFixed(2)}×`,
  );
}

// ---------------------------------------------------------------------------------------------
// 3. Dashboard query over QUERY_METERS meters × one year
// ---------------------------------------------------------------------------------------------

async function loadRest(database: Database, fixture: Fixture, generated: readonly GeneratedMeter[]): Promise<void> {
  if (QUERY_METERS <= STORE_METERS) return;
  let rows = 0;
  let spent = 0;
  for (const month of localMonths(YEAR)) {
    const uploadId = await createUpload(database, fixture, `load ${month.label}`);
    for (let from = STORE_METERS; from < QUERY_METERS; from += 100) {
      const batch = monthBatch(fixture, generated, from, Math.min(QUERY_METERS, from + 100), month);
      const started = process.hrtime.bigint();
      await storeBatch(database, fixture, uploadId, batch);
      spent += seconds(started);
      rows += batch.reduce((n, s) => n + s.source.readings.length, 0);
    }
    summary(
      `load: ${month.label} stored for ${QUERY_METERS - STORE_METERS} more meters (${rows.toLocaleString('en')} readings, ${Math.round(rows / spent)} rows/s)`,
    );
  }
  report('metering.load.readings', rows, 'rows');
  report('metering.load.rows_per_second', rows / spent, 'rows/s');
}

async function queryBench(database: Database, owner: postgres.Sql, fixture: Fixture): Promise<void> {
  // The owner is bound by FORCE RLS too: SYSTEM sees every row for the counts.
  await owner.unsafe("select set_config('app.role', 'SYSTEM', false)");
  // What autovacuum would have done after a load this size.
  await owner.unsafe('analyze readings_daily');
  await owner.unsafe('analyze readings_hourly');
  const [sizes] = await owner<
    { readings: string; readings_bytes: string; hourly_bytes: string; daily_bytes: string; daily_rows: string }[]
  >`
    select
      (select count(*) from meter_readings)::text as readings,
      (select coalesce(sum(pg_total_relation_size(inhrelid)), 0) from pg_inherits where inhparent = 'meter_readings'::regclass)::text as readings_bytes,
      pg_total_relation_size('readings_hourly')::text as hourly_bytes,
      pg_total_relation_size('readings_daily')::text as daily_bytes,
      (select count(*) from readings_daily)::text as daily_rows`;
  const customerCount = new Set(fixture.meters.slice(0, QUERY_METERS).map((m) => m.customerId)).size;
  const customers = fixture.customerIds.slice(0, customerCount);
  report('metering.query.loaded_meters', QUERY_METERS, 'meters');
  report('metering.query.loaded_readings', Number(sizes?.readings ?? 0), 'rows');
  report('metering.query.meter_readings_size', Number(sizes?.readings_bytes ?? 0) / 1024 ** 2, 'MiB');
  report('metering.query.readings_hourly_size', Number(sizes?.hourly_bytes ?? 0) / 1024 ** 2, 'MiB');
  report('metering.query.readings_daily_size', Number(sizes?.daily_bytes ?? 0) / 1024 ** 2, 'MiB');
  const random = seeded(7);
  const range = { from: new Date(Date.UTC(YEAR, 0, 1, 6)), to: new Date(Date.UTC(YEAR + 1, 0, 1, 6)) };
  // The portal's dashboard: a customer user reads its own consumption by DAY (and block) over the year,
  // through the service behind Customer.consumption (scope, tenant and RLS checks included).
  const run = async () => {
    const customerId = customers[Math.floor(random() * customers.length)] ?? '';
    const caller = {
      database,
      requestId: 'bench',
      identity: {
        subject: 'bench',
        userId: null,
        apiKeyId: null,
        role: 'CUSTOMER_USER' as const,
        orgId: null,
        clientId: fixture.clientId,
        customerId,
        scopes: ROLE_SCOPES.CUSTOMER_USER,
      },
    };
    const started = process.hrtime.bigint();
    const result = await customerConsumption(caller, toGlobalId('Customer', fixture.clientId, customerId), {
      ...range,
      granularity: 'DAY',
      byBlock: true,
    });
    const ms = seconds(started) * 1000;
    if (result.points.length !== 365 || result.readings === 0) {
      throw new Error(`DAY query: ${result.points.length} points, ${result.readings} readings`);
    }
    return ms;
  };
  for (let i = 0; i < 10; i += 1) await run(); // warm the pool and plan cache
  const samples: number[] = [];
  for (let i = 0; i < QUERY_RUNS; i += 1) samples.push(await run());
  samples.sort((a, b) => a - b);
  const p50 = percentile(samples, 50);
  const p95 = percentile(samples, 95);
  report('metering.query.consumption_day_year.p50', p50, 'ms');
  report('metering.query.consumption_day_year.p95', p95, 'ms');
  summary(
    `query: consumption by DAY over ${YEAR} for one of ${customers.length} customers with ${Number(sizes?.readings ?? 0).toLocaleString('en')} readings loaded: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (target ≤ ${TARGETS.queryP95} ms) ${pass(p95 <= TARGETS.queryP95)}`,
  );
}

async function main(): Promise<void> {
  parseBench();

  const urls = await createTestDatabase(DATABASE);
  const database = createDb({ url: urls.appUrl, max: 4, applicationName: 'ingestion-bench' });
  // The same client settings as the app's pool (TCP_NODELAY), so the baseline is not slowed by the client.
  const bare = postgres(urls.appUrl, { max: 1, onnotice: () => {}, socket: noDelaySocket });
  const owner = postgres(urls.ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await owner.unsafe(PLAIN_TABLE);
    await owner.unsafe(PLAIN_TABLE_FK);
    const fixture = await seedFixture(database, QUERY_METERS);
    const profiles = loadProfiles();
    const generated = fixture.meters.map((_, i) => generatedMeter(i, profiles));
    await storeBench(database, bare, fixture, generated);
    await owner.unsafe('drop table bench_plain_readings, bench_plain_readings_fk');
    await loadRest(database, fixture, generated);
    await queryBench(database, owner, fixture);
  } finally {
    await bare.end({ timeout: 5 });
    await owner.end({ timeout: 5 });
    await database.close();
    await dropTestDatabase(DATABASE);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

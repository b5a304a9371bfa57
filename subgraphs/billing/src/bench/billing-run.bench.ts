import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { asSystem, createDb, schema, type Database, type Tx } from '@ciro/db';
import { createTestDatabase, dropTestDatabase } from '@ciro/db/testing';
import { parseForecastWorkbook, parseMeterFile, type Reading } from '@ciro/metering';
import { ROLE_SCOPES, createLogger, toGlobalId, type Caller } from '@ciro/subgraph-common';
import { parseCustomerWorkbook } from '@ciro/tenancy';
import { Queue } from 'bullmq';
import { and, eq, sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { tariffFromJson, type TariffInput } from '../engine';
import { BILLING_QUEUE, createBillingRunQueue } from '../jobs/queue';
import { startBillingWorker } from '../jobs/worker';
import { createBillingRunEvents } from '../runs/billing-run-events';
import { queueBillingRun } from '../runs/billing-run.service';
import type { BillingRunDeps } from '../runs/billing-run.steps';
import { createPricingPool } from '../runs/pricing-pool';
import { RunScopeCache } from '../runs/run-scope-cache';
import { insertTariff, putRateSet } from '../tariffs/tariff.repository';

/**
 * A whole billing run on the platform: 1,000 customers × one month (September 2025) generated deterministically from
 * the sample profiles (each customer takes a sample meter's curve and forecast scaled by a seeded factor, and the
 * billing terms of a sample customer), stored in a scratch database (readings by COPY into a staging table and one
 * INSERT … SELECT, as uploads store them), then `runBilling` through the BullMQ flow with the real worker in this
 * process (BILLING_WORKER_CONCURRENCY, default 2). Prints customers/s, total seconds and peak RSS as JSON lines,
 * then a human summary on stderr. The scratch database and the queue's keys are removed at the end.
 */
const SAMPLES = process.env.SAMPLES_DIR ?? resolve(__dirname, '../../../../../shared/samples');
const ZONE = 'America/El_Salvador';
const PERIOD = '2025-09';
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1000);
const CONCURRENCY = Number(process.env.BILLING_WORKER_CONCURRENCY ?? 2);
const ENGINE_THREADS = Number(process.env.BILLING_ENGINE_THREADS ?? 1);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SCRATCH = 'ciro_bench_billing_run';
const TARGET_SECONDS = 60;

function report(name: string, value: number, unit: string): void {
  process.stdout.write(`${JSON.stringify({ name, value: Number(value.toFixed(3)), unit })}\n`);
}

/** mulberry32: small, fast, deterministic. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface CopyConnection {
  unsafe(statement: string): { writable(): Promise<Writable> };
}

/** The postgres-js connection of a drizzle transaction (same transaction, same RLS settings), for COPY. */
function rawSqlOf(tx: Tx): CopyConnection {
  return (tx._.session as unknown as { client: CopyConnection }).client;
}

async function copyRows(tx: Tx, statement: string, rows: Iterable<string>): Promise<void> {
  const writable = await rawSqlOf(tx).unsafe(statement).writable();
  function* chunks(): Generator<string> {
    let buffer = '';
    for (const row of rows) {
      buffer += row;
      if (buffer.length >= 1 << 16) {
        yield buffer;
        buffer = '';
      }
    }
    if (buffer) yield buffer;
  }
  await pipeline(Readable.from(chunks()), writable);
}

async function insertEngineTariff(tx: Tx, clientId: string, tariff: TariffInput): Promise<string> {
  const row = await insertTariff(
    tx,
    { clientId, code: tariff.code ?? 'MT-H', name: tariff.code ?? 'MT-H' },
    tariff.blocks.map((b) => ({
      block: b.code,
      dayType: b.dayType,
      startMinute: b.startMinute,
      endMinute: b.endMinute,
    })),
  );
  for (const set of tariff.rateSets) {
    await putRateSet(tx, clientId, row.id, {
      validFrom: set.validFrom,
      demandRate: set.demand.toString(),
      ftpmsRate: set.ftpms.toString(),
      deviationRate: set.deviation.toString(),
      energyRates: Object.entries(set.energy).map(([block, rate]) => ({ block, energyRate: rate.toString() })),
    });
  }
  return row.id;
}

interface Fixture {
  clientId: string;
  adminUserId: string;
  readings: number;
  forecastHours: number;
}

/** Client, tariff, customers, meters, readings and forecasts of the generated month. */
async function seedFixture(database: Database): Promise<Fixture> {
  const read = (path: string) => readFileSync(resolve(SAMPLES, path));
  const profiles: Reading[][] = [];
  for (const file of ['meters/Descargas medidores 2025-09.xlsx', 'meters/Medidor 5614112 2025-09.csv']) {
    for (const source of parseMeterFile(read(file), { fileName: file, zone: ZONE }).sources) {
      profiles.push(source.readings);
    }
  }
  const templates = parseCustomerWorkbook(read('customers/Datos de clientes para facturación.xlsx')).customers;
  const forecasts = parseForecastWorkbook(read('forecasts/Pronósticos 2025-09.xlsx'), { zone: ZONE }).customers;
  const tariff = tariffFromJson(JSON.parse(read('tariffs/MT-H.json').toString('utf8')));
  const profileKwh = profiles.map((p) => p.map((r) => ({ slot: r.slotStart.toISOString(), kwh: r.kwh.toNumber() })));
  const forecastKwh = forecasts.map((f) =>
    f.hours.map((h) => ({ hour: h.hourStart.toISOString(), kwh: h.kwh.toNumber() })),
  );
  const random = seeded(20250901);

  const clientId = randomUUID();
  const adminUserId = randomUUID();
  const customers = Array.from({ length: CUSTOMERS }, (_, i) => {
    const template = templates[i % templates.length];
    return {
      id: randomUUID(),
      meterId: randomUUID(),
      code: `B-${String(i).padStart(4, '0')}`,
      template,
      profile: profileKwh[i % profileKwh.length],
      forecast: template.deviationTolerance ? forecastKwh[i % forecastKwh.length] : undefined,
      factor: 0.8 + random() * 0.4,
    };
  });

  await asSystem(database, 'bench fixture: client, tariff, customers, meters', async (tx) => {
    const organizationId = randomUUID();
    await tx.insert(schema.organizations).values({ id: organizationId, name: 'Bench', slug: `bench-${clientId}` });
    await tx.insert(schema.clients).values({ id: clientId, organizationId, code: 'BENCH', name: 'Bench Power' });
    await tx.insert(schema.users).values({ id: adminUserId, email: `bench-${clientId}@bench.example` });
    await tx.insert(schema.roleAssignments).values({ clientId, userId: adminUserId, role: 'CLIENT_ADMIN' });
    const tariffId = await insertEngineTariff(tx, clientId, tariff);
    for (let i = 0; i < customers.length; i += 500) {
      const slice = customers.slice(i, i + 500);
      await tx.insert(schema.customers).values(
        slice.map((c) => ({
          clientId,
          id: c.id,
          code: c.code,
          name: `Cliente ${c.code}`,
          tariffId,
          lossFactor: c.template.lossFactor.toFixed(),
          discount: c.template.discount.toFixed(),
          deviationTolerance: c.template.deviationTolerance?.toFixed() ?? null,
          paymentTermsDays: c.template.paymentTermsDays ?? 30,
        })),
      );
      await tx
        .insert(schema.meters)
        .values(slice.map((c) => ({ clientId, id: c.meterId, serial: `BM-${c.code}`, multiplier: '1' })));
      await tx.insert(schema.meterAssignments).values(
        slice.map((c) => ({
          clientId,
          meterId: c.meterId,
          customerId: c.id,
          validFrom: new Date('2020-01-01T06:00:00Z'),
        })),
      );
    }
  });

  let readings = 0;
  let forecastHours = 0;
  // 100 customers (≈ 288,000 readings) per transaction: COPY into a staging table, one INSERT … SELECT under RLS.
  for (let i = 0; i < customers.length; i += 100) {
    const slice = customers.slice(i, i + 100);
    await asSystem(database, 'bench fixture: readings and forecasts', async (tx) => {
      await tx.execute(
        sql`select ensure_meter_reading_partitions('2025-09-01T06:00:00Z'::timestamptz, '2025-10-01T05:45:00Z'::timestamptz)`,
      );
      await tx.execute(
        sql.raw(
          'create temporary table staged_readings (meter_id uuid not null, slot_start timestamptz not null, kwh numeric(18, 6) not null) on commit drop',
        ),
      );
      await copyRows(
        tx,
        'copy staged_readings (meter_id, slot_start, kwh) from stdin',
        (function* () {
          for (const c of slice) {
            for (const r of c.profile) yield `${c.meterId}\t${r.slot}\t${(r.kwh * c.factor).toFixed(4)}\n`;
          }
        })(),
      );
      const stored = await tx.execute(sql`
        insert into meter_readings (client_id, meter_id, slot_start, kwh)
        select ${clientId}, s.meter_id, s.slot_start, s.kwh from staged_readings s`);
      readings += stored.count;
      await tx.execute(
        sql.raw(
          'create temporary table staged_forecasts (customer_id uuid not null, hour_start timestamptz not null, kwh numeric(18, 6) not null) on commit drop',
        ),
      );
      await copyRows(
        tx,
        'copy staged_forecasts (customer_id, hour_start, kwh) from stdin',
        (function* () {
          for (const c of slice) {
            for (const h of c.forecast ?? []) yield `${c.id}\t${h.hour}\t${(h.kwh * c.factor).toFixed(4)}\n`;
          }
        })(),
      );
      const hours = await tx.execute(sql`
        insert into forecasts (client_id, customer_id, hour_start, kwh)
        select ${clientId}, s.customer_id, s.hour_start, s.kwh from staged_forecasts s`);
      forecastHours += hours.count;
    });
  }
  await database.sql`analyze meter_readings`.catch(() => undefined);
  await database.sql`analyze forecasts`.catch(() => undefined);
  return { clientId, adminUserId, readings, forecastHours };
}

async function main(): Promise<void> {
  const urls = await createTestDatabase(SCRATCH);
  const database = createDb({ url: urls.appUrl, max: Math.max(4, CONCURRENCY + 2), applicationName: 'billing-bench' });
  const prefix = `bench-billing-${randomBytes(4).toString('hex')}`;
  const publisher = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
  const queue = createBillingRunQueue({ redisUrl: REDIS_URL, prefix });
  const pricing = createPricingPool(ENGINE_THREADS);
  let failure: Error | null = null;
  try {
    const seededAt = process.hrtime.bigint();
    const fixture = await seedFixture(database);
    const seedSeconds = Number(process.hrtime.bigint() - seededAt) / 1e9;

    const deps: BillingRunDeps = {
      database,
      events: createBillingRunEvents(publisher),
      logger: createLogger('billing-bench', process.env.LOG_LEVEL ?? 'warn'),
      queue,
      scopes: new RunScopeCache(),
      pricing,
    };
    const worker = await startBillingWorker({ redisUrl: REDIS_URL, prefix, concurrency: CONCURRENCY, deps });
    const caller: Caller = {
      database,
      requestId: 'bench',
      identity: {
        subject: fixture.adminUserId,
        userId: fixture.adminUserId,
        apiKeyId: null,
        role: 'CLIENT_ADMIN',
        orgId: null,
        clientId: fixture.clientId,
        customerId: null,
        scopes: ROLE_SCOPES.CLIENT_ADMIN,
      },
    };

    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 100);
    const started = process.hrtime.bigint();
    const queued = await queueBillingRun(
      caller,
      { clientId: toGlobalId('Client', fixture.clientId, fixture.clientId), period: PERIOD },
      deps,
    );
    let final: { status: string; progress: number; counts: unknown } | undefined;
    for (;;) {
      final = await asSystem(database, 'bench: run status', async (tx) => {
        const [row] = await tx
          .select({
            status: schema.billingRuns.status,
            progress: schema.billingRuns.progress,
            counts: schema.billingRuns.counts,
          })
          .from(schema.billingRuns)
          .where(and(eq(schema.billingRuns.clientId, fixture.clientId), eq(schema.billingRuns.id, queued.runId)));
        return row;
      });
      if (final && ['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED'].includes(final.status)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    await worker.close();

    const counts = (final.counts ?? {}) as Record<string, number>;
    const drafted = counts.DRAFTED ?? 0;
    report('billing.run.customers', drafted, 'customers');
    report('billing.run.total_seconds', seconds, 's');
    report('billing.run.customers_per_second', drafted / seconds, 'customers/s');
    report('billing.run.peak_rss', peakRss / 1024 / 1024, 'MiB');
    process.stderr.write(
      [
        `billing run bench: ${CUSTOMERS} customers × ${PERIOD}, ${fixture.readings.toLocaleString('en')} readings, ` +
          `${fixture.forecastHours.toLocaleString('en')} forecast hours (seeded in ${seedSeconds.toFixed(1)} s)`,
        `  run ${final.status}: ${drafted} drafted of ${final.progress} in ${seconds.toFixed(1)} s ` +
          `(${(drafted / seconds).toFixed(1)} customers/s, worker concurrency ${CONCURRENCY}, ${pricing.threads} engine thread(s)), ` +
          `target ≤ ${TARGET_SECONDS} s: ${seconds <= TARGET_SECONDS ? 'met' : 'MISSED'}`,
        `  peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MiB (bench process: worker, queue and database client)`,
        '',
      ].join('\n'),
    );
    if (final.status !== 'COMPLETED' || drafted !== CUSTOMERS) {
      throw new Error(`billing run ended ${final.status} with ${drafted} of ${CUSTOMERS} customers drafted`);
    }
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
  } finally {
    const keys = new Queue(BILLING_QUEUE, { connection: { url: REDIS_URL }, prefix });
    await keys.obliterate({ force: true }).catch(() => undefined);
    await keys.close();
    await queue.close();
    await pricing.close();
    publisher.disconnect();
    await database.close();
    await dropTestDatabase(SCRATCH);
  }
  if (failure) throw failure;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

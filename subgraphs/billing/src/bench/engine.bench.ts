import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseForecastWorkbook, parseMeterFile, type Reading } from '@ciro/metering';
import { parseCustomerWorkbook } from '@ciro/tenancy';
import Decimal from 'decimal.js';
import { computeInvoice, tariffFromJson, type MeterInput } from '../engine';

/**
 * Billing engine throughput: 1,000 customers × one month, generated
 * deterministically from the sample profiles (each customer takes a sample
 * meter's curve scaled by a seeded factor), priced by the pure engine.
 * Prints one JSON object per figure.
 */
const SAMPLES = process.env.SAMPLES_DIR ?? resolve(__dirname, '../../../../../shared/samples');
const ZONE = 'America/El_Salvador';
const PERIOD = '2025-09';
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1000);

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

function main(): void {
  const read = (path: string) => readFileSync(resolve(SAMPLES, path));
  const profiles: Reading[][] = [];
  for (const file of ['meters/Descargas medidores 2025-09.xlsx', 'meters/Medidor 5614112 2025-09.csv']) {
    for (const source of parseMeterFile(read(file), { fileName: file, zone: ZONE }).sources)
      profiles.push(source.readings);
  }
  const customers = parseCustomerWorkbook(read('customers/Datos de clientes para facturación.xlsx')).customers;
  const forecasts = parseForecastWorkbook(read('forecasts/Pronósticos 2025-09.xlsx'), { zone: ZONE }).customers;
  const tariff = tariffFromJson(JSON.parse(read('tariffs/MT-H.json').toString('utf8')));
  const random = seeded(20250901);

  // Each customer's input is generated outside the timed section: the figure is the engine's.
  const inputFor = (i: number) => {
    const template = customers[i % customers.length];
    const profile = profiles[i % profiles.length];
    const factor = new Decimal(0.8 + random() * 0.4).toDecimalPlaces(4);
    const meter: MeterInput = {
      id: `bench-${i}`,
      multiplier: '1',
      assignments: [{ from: new Date(0), to: null }],
      readings: profile.map((r) => ({ slotStart: r.slotStart, kwh: r.kwh.times(factor).toDecimalPlaces(4) })),
    };
    const forecast = forecasts[i % forecasts.length];
    return {
      customer: {
        code: `B-${String(i).padStart(4, '0')}`,
        lossFactor: template.lossFactor,
        discount: template.discount,
        deviationTolerance: template.deviationTolerance,
      },
      meters: [meter],
      tariff,
      forecasts: new Map((forecast?.hours ?? []).map((h) => [h.hourStart.toISOString(), h.kwh.times(factor)])),
      period: PERIOD,
      zone: ZONE,
      vatRate: '0.13',
    };
  };

  let peakRss = process.memoryUsage().rss;
  let nanoseconds = 0n;
  let billed = 0;
  for (let i = 0; i < CUSTOMERS; i += 1) {
    const input = inputFor(i);
    const started = process.hrtime.bigint();
    const outcome = computeInvoice(input);
    nanoseconds += process.hrtime.bigint() - started;
    if (outcome.status === 'DRAFT') billed += 1;
    if (i % 50 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const seconds = Number(nanoseconds) / 1e9;
  report('billing.engine.customers', billed, 'customers');
  report('billing.engine.total_seconds', seconds, 's');
  report('billing.engine.customers_per_second', billed / seconds, 'customers/s');
  report('billing.engine.peak_rss', peakRss / 1024 / 1024, 'MiB');
}

main();

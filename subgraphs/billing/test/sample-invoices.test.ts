import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { schema } from '@ciro/db';
import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseForecastWorkbook, parseMeterFile } from '../../metering/src/parsing';
import { parseCustomerWorkbook } from '../../tenancy/src/customers/customer-workbook.parser';
import { issueInvoices } from '../src/invoices/invoice-issue.service';
import { addDays, localDate } from '../src/invoices/invoice.mapper';
import { getInvoiceOrThrow } from '../src/invoices/invoice.service';
import type { Invoice } from '../src/invoices/invoice.type';
import type { BillingRun } from '../src/runs/billing-run.type';
import { SAMPLES, ZONE, sampleTariff, seedBillingClient, testDatabase, type TestClient } from './support/billing-kit';
import { runAndWait, startRunKit, type RunKit } from './support/run-kit';

/**
 * The September 2025 samples through the database: the customer workbook, meter files and forecasts parsed with the
 * platform's parsers and stored as rows, then runBilling and issueInvoices. Every line amount, subtotal, VAT and total
 * must equal `samples/expected/invoices-2025-09.json`, and issuing numbers the ten invoices 1..10 without a gap.
 */

const PERIOD = '2025-09';
const read = (path: string): Buffer => readFileSync(resolve(SAMPLES, path));

interface ExpectedInvoice {
  customer: string;
  lines: { kind: string; quantity: string; rate?: string; amount: string; missingForecastHours?: number }[];
  subtotal: string;
  vat: string;
  total: string;
  maxDemandAt: string;
  missingSlots: number;
  expectedSlots: number;
}

const expected = JSON.parse(read('expected/invoices-2025-09.json').toString('utf8')) as ExpectedInvoice[];

let database: ReturnType<typeof testDatabase>;
let client: TestClient;
let run: BillingRun;
let kit: RunKit;
const invoices = new Map<string, Invoice>();

async function loadSamples(target: TestClient): Promise<void> {
  const workbook = parseCustomerWorkbook(read('customers/Datos de clientes para facturación.xlsx'));
  expect(workbook.errors).toEqual([]);
  const meterIds = new Map<string, string>();
  const customerIds = new Map<string, string>();
  for (const c of workbook.customers) {
    const customer = await target.customer({
      code: c.code,
      name: c.name,
      nit: c.nit,
      nrc: c.nrc,
      lossFactor: c.lossFactor.toFixed(),
      discount: c.discount.toFixed(),
      deviationTolerance: c.deviationTolerance?.toFixed() ?? null,
      paymentTermsDays: c.paymentTermsDays ?? 30,
    });
    customerIds.set(c.code, customer.id);
    for (const m of c.meters) {
      const meter = await target.meter(customer.id, { serial: m.serial, multiplier: m.multiplier.toFixed() });
      meterIds.set(m.serial, meter.id);
    }
  }

  for (const file of ['Descargas medidores 2025-09.xlsx', 'Medidor 5614112 2025-09.csv']) {
    const parsed = parseMeterFile(read(`meters/${file}`), { fileName: file, zone: ZONE, period: PERIOD });
    expect(parsed.problems).toEqual([]);
    for (const source of parsed.sources) {
      const meterId = meterIds.get(source.serial ?? '');
      if (!meterId) throw new Error(`meter ${source.serial} of ${file} is not in the customer workbook`);
      await target.readings(
        meterId,
        source.readings.map((r) => ({ slotStart: r.slotStart, kwh: r.kwh.toFixed() })),
      );
    }
  }

  const forecasts = parseForecastWorkbook(read('forecasts/Pronósticos 2025-09.xlsx'), { zone: ZONE, period: PERIOD });
  expect(forecasts.problems).toEqual([]);
  await target.system(async (tx) => {
    for (const f of forecasts.customers) {
      const customerId = customerIds.get(f.customerCode);
      if (!customerId) throw new Error(`forecast of unknown customer ${f.customerCode}`);
      await tx
        .insert(schema.forecasts)
        .values(
          f.hours.map((h) => ({ clientId: target.clientId, customerId, hourStart: h.hourStart, kwh: h.kwh.toFixed() })),
        );
    }
  });
}

beforeAll(async () => {
  database = testDatabase();
  client = await seedBillingClient(database, sampleTariff());
  await loadSamples(client);
  kit = await startRunKit(database);
  run = await runAndWait(kit, client.admin, client.clientId, PERIOD);
  for (const outcome of run.customers) {
    if (outcome.invoiceId) invoices.set(outcome.customerCode, await getInvoiceOrThrow(client.admin, outcome.invoiceId));
  }
}, 120_000);

afterAll(async () => {
  await kit?.close();
  await database?.close();
});

function invoiceOf(code: string): Invoice {
  const invoice = invoices.get(code);
  if (!invoice) throw new Error(`no draft for ${code}`);
  return invoice;
}

describe('billing run of the September 2025 samples stored in the database', () => {
  it('drafts an invoice for each of the ten customers, with no missing slot', () => {
    expect(run.status).toBe('COMPLETED');
    expect(run.counts).toMatchObject({ drafted: 10, noReadings: 0, alreadyIssued: 0, negativeTotal: 0, failed: 0 });
    expect(run).toMatchObject({ customersTotal: 10, customersDone: 10, customersFailed: 0 });
    expect(run.customers.map((c) => [c.customerCode, c.status, c.missingSlots])).toEqual(
      expected.map((e) => [e.customer, 'DRAFTED', e.missingSlots]),
    );
  });

  describe.each(expected.map((e) => [e.customer, e] as const))('%s', (code, exp) => {
    it('has every line amount, quantity and the demand rate of invoices-2025-09.json', () => {
      const lines = invoiceOf(code).lines;
      expect(lines.map((l) => l.kind)).toEqual(exp.lines.map((l) => l.kind));
      const got = lines.map((l, i) => ({
        kind: l.kind,
        amount: l.amount.toFixed(2),
        // Quantities are stored numeric(20,6): compare at that precision.
        quantity: l.quantity?.toFixed(6),
        ...(exp.lines[i]?.rate === undefined ? {} : { rate: l.rate?.toFixed(6) }),
      }));
      expect(got).toEqual(
        exp.lines.map((e) => ({
          kind: e.kind,
          amount: e.amount,
          quantity: new Decimal(e.quantity).toFixed(6),
          ...(e.rate === undefined ? {} : { rate: e.rate }),
        })),
      );
    });

    it('has the subtotal, VAT and total of invoices-2025-09.json', () => {
      const invoice = invoiceOf(code);
      expect({
        subtotal: invoice.subtotal.toFixed(2),
        vat: invoice.vat.toFixed(2),
        total: invoice.total.toFixed(2),
      }).toEqual({
        subtotal: exp.subtotal,
        vat: exp.vat,
        total: exp.total,
      });
    });

    it('reports the same data quality', () => {
      const dq = invoiceOf(code).dataQuality;
      const deviation = exp.lines.find((l) => l.kind === 'DEVIATION');
      expect({
        maxDemandAt: dq?.maxDemandAt,
        expectedSlots: dq?.expectedSlots,
        missingSlots: dq?.missingSlots,
      }).toEqual({
        maxDemandAt: exp.maxDemandAt,
        expectedSlots: exp.expectedSlots,
        missingSlots: exp.missingSlots,
      });
      if (deviation) expect(dq?.missingForecastHours).toBe(deviation.missingForecastHours);
    });
  });

  it('issues the ten drafts numbered 1..10 without a gap, due after each customer’s payment terms', async () => {
    const issued = await issueInvoices(client.admin, { runId: run.id });
    const year = Number(localDate(new Date(), ZONE).slice(0, 4));
    expect(issued.map((i) => i.number)).toEqual(
      expected.map((_, i) => `${client.code}-${year}-${String(i + 1).padStart(6, '0')}`),
    );
    expect(issued.map((i) => i.total.toFixed(2))).toEqual(expected.map((e) => e.total));
    const terms = await client.system((tx) =>
      tx.execute<{ code: string; days: number }>(
        sql`select code, payment_terms_days as days from customers where client_id = ${client.clientId} order by code`,
      ),
    );
    const issueDate = localDate(issued[0].issuedAt!, ZONE);
    expect(issued.map((i) => i.dueDate)).toEqual([...terms].map((t) => addDays(issueDate, Number(t.days))));
    const sequence = await client.system((tx) =>
      tx.execute<{ last: number }>(
        sql`select last_number as last from invoice_number_sequences where client_id = ${client.clientId} and year = ${year}`,
      ),
    );
    expect([...sequence].map((r) => r.last)).toEqual([10]);
  });
});

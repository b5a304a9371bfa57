import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { schema } from '@ciro/db';
import { toGlobalId } from '@ciro/subgraph-common';
import { eq } from 'drizzle-orm';
import { parseForecastWorkbook, parseMeterFile } from '../../../metering/src/parsing';
import { parseCustomerWorkbook } from '../../../tenancy/src/customers/customer-workbook.parser';
import { issueInvoices } from '../../../billing/src/invoices/invoice-issue.service';
import { runBilling } from '../../../billing/src/runs/billing-run.service';
import { SAMPLES, ZONE, type TestClient, type TestCustomer } from '../../../billing/test/support/billing-kit';

const PERIOD = '2025-09';
const read = (path: string): Buffer => readFileSync(resolve(SAMPLES, path));

/** A 1×1 PNG, so the branding path with a logo is exercised. */
export const TINY_LOGO =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/**
 * Stores C-0001 and C-0002 of the September 2025 samples (customer workbook, meter readings, forecasts) through the
 * platform's parsers, as billing's sample test does, runs billing and issues. Returns the invoice ids by code.
 */
export async function issueSeptemberInvoices(
  client: TestClient,
  codes: string[] = ['C-0001', 'C-0002'],
): Promise<{ invoiceIds: Map<string, string>; customers: Map<string, TestCustomer> }> {
  await client.system((tx) =>
    tx
      .update(schema.clients)
      .set({
        legalName: 'EIS Power, S.A. de C.V.',
        nit: '0614-010190-101-5',
        nrc: '245871-3',
        address: 'Blvd. del Hipódromo 123, San Salvador',
        branding: { primaryColor: '#0b4f6c', accentColor: '#f5a623', logoDataUri: TINY_LOGO },
      })
      .where(eq(schema.clients.id, client.clientId)),
  );
  const workbook = parseCustomerWorkbook(read('customers/Datos de clientes para facturación.xlsx'));
  if (workbook.errors.length > 0) throw new Error(JSON.stringify(workbook.errors));
  const meterIds = new Map<string, string>();
  const customerIds = new Map<string, string>();
  const customers = new Map<string, TestCustomer>();
  for (const c of workbook.customers.filter((x) => codes.includes(x.code))) {
    const customer = await client.customer({
      code: c.code,
      name: c.name,
      legalName: c.legalName ?? null,
      nit: c.nit,
      nrc: c.nrc,
      contractNumber: c.contractNumber ?? null,
      address: c.address ?? null,
      department: c.department ?? null,
      municipality: c.municipality ?? null,
      contractedKw: c.contractedKw?.toFixed() ?? null,
      voltageLevel: c.voltageLevel ?? null,
      lossFactor: c.lossFactor.toFixed(),
      discount: c.discount.toFixed(),
      deviationTolerance: c.deviationTolerance?.toFixed() ?? null,
      paymentTermsDays: c.paymentTermsDays ?? 30,
    });
    customers.set(c.code, customer);
    customerIds.set(c.code, customer.id);
    for (const m of c.meters) {
      const meter = await client.meter(customer.id, { serial: m.serial, multiplier: m.multiplier.toFixed() });
      await client.system((tx) => tx.update(schema.meters).set({ node: m.node }).where(eq(schema.meters.id, meter.id)));
      meterIds.set(m.serial, meter.id);
    }
  }
  for (const file of ['Descargas medidores 2025-09.xlsx', 'Medidor 5614112 2025-09.csv']) {
    const parsed = parseMeterFile(read(`meters/${file}`), { fileName: file, zone: ZONE, period: PERIOD });
    for (const source of parsed.sources) {
      const meterId = meterIds.get(source.serial ?? '');
      if (!meterId) continue;
      await client.readings(
        meterId,
        source.readings.map((r) => ({ slotStart: r.slotStart, kwh: r.kwh.toFixed() })),
      );
    }
  }
  const forecasts = parseForecastWorkbook(read('forecasts/Pronósticos 2025-09.xlsx'), { zone: ZONE, period: PERIOD });
  await client.system(async (tx) => {
    for (const f of forecasts.customers) {
      const customerId = customerIds.get(f.customerCode);
      if (!customerId) continue;
      await tx
        .insert(schema.forecasts)
        .values(
          f.hours.map((h) => ({ clientId: client.clientId, customerId, hourStart: h.hourStart, kwh: h.kwh.toFixed() })),
        );
    }
  });
  const run = await runBilling(client.admin, {
    clientId: toGlobalId('Client', client.clientId, client.clientId),
    period: PERIOD,
  });
  const issued = await issueInvoices(client.admin, { runId: run.id });
  const invoiceIds = new Map<string, string>();
  for (const outcome of run.customers) {
    const invoice = issued.find((i) => i.id === outcome.invoiceId);
    if (invoice) invoiceIds.set(outcome.customerCode, invoice.invoiceId);
  }
  return { invoiceIds, customers };
}

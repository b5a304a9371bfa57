import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Decimal from 'decimal.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseForecastWorkbook, parseMeterFile } from '../../metering/src/parsing';
import type { Reading } from '../../metering/src/parsing';
import { parseCustomerWorkbook, type ParsedCustomer } from '../../tenancy/src/customers/customer-workbook.parser';
import { computeInvoiceDraftOrThrow, tariffFromJson, type InvoiceDraft, type TariffInput } from '../src/engine';

/**
 * Golden test: the ten September 2025 invoices computed from the sample files with the platform's parsers and the
 * engine must equal `samples/expected/invoices-2025-09.json` exactly (BILLING.md: "the target is exact").
 */

const SAMPLES = process.env.SAMPLES_DIR ?? resolve(__dirname, '../../../../shared/samples');
const ZONE = 'America/El_Salvador';
const PERIOD = '2025-09';
const VAT_RATE = '0.13';
const read = (path: string): Buffer => readFileSync(resolve(SAMPLES, path));

interface ExpectedLine {
  kind: string;
  quantity: string;
  rate?: string;
  amount: string;
  missingForecastHours?: number;
}
interface ExpectedInvoice {
  customer: string;
  period: string;
  lines: ExpectedLine[];
  subtotal: string;
  vat: string;
  total: string;
  maxDemandAt: string;
  missingSlots: number;
  expectedSlots: number;
}

const expected = JSON.parse(
  readFileSync(resolve(SAMPLES, 'expected/invoices-2025-09.json'), 'utf8'),
) as ExpectedInvoice[];

let customers: Map<string, ParsedCustomer>;
let readingsBySerial: Map<string, Reading[]>;
let forecastsByCustomer: Map<string, Map<string, Decimal>>;
let tariff: TariffInput;
const drafts = new Map<string, InvoiceDraft>();

beforeAll(() => {
  const parsedCustomers = parseCustomerWorkbook(read('customers/Datos de clientes para facturación.xlsx'));
  expect(parsedCustomers.errors).toEqual([]);
  customers = new Map(parsedCustomers.customers.map((c) => [c.code, c]));

  readingsBySerial = new Map();
  for (const file of ['Descargas medidores 2025-09.xlsx', 'Medidor 5614112 2025-09.csv']) {
    const result = parseMeterFile(read(`meters/${file}`), { fileName: file, zone: ZONE, period: PERIOD });
    expect(result.problems).toEqual([]);
    for (const source of result.sources) {
      expect(source.problems).toEqual([]);
      readingsBySerial.set(source.serial ?? '', source.readings);
    }
  }

  const forecasts = parseForecastWorkbook(read('forecasts/Pronósticos 2025-09.xlsx'), { zone: ZONE, period: PERIOD });
  expect(forecasts.problems).toEqual([]);
  forecastsByCustomer = new Map(
    forecasts.customers.map((c) => [c.customerCode, new Map(c.hours.map((h) => [h.hourStart.toISOString(), h.kwh]))]),
  );

  tariff = tariffFromJson(JSON.parse(read('tariffs/MT-H.json').toString('utf8')));

  for (const exp of expected) {
    const customer = customers.get(exp.customer);
    if (!customer) throw new Error(`customer ${exp.customer} is not in the customer workbook`);
    drafts.set(
      exp.customer,
      computeInvoiceDraftOrThrow({
        customer: {
          code: customer.code,
          lossFactor: customer.lossFactor,
          discount: customer.discount,
          deviationTolerance: customer.deviationTolerance,
        },
        meters: customer.meters.map((m) => {
          const readings = readingsBySerial.get(m.serial);
          if (!readings) throw new Error(`no readings for meter ${m.serial} of ${customer.code}`);
          return {
            id: m.serial,
            multiplier: m.multiplier,
            assignments: [{ from: new Date('2000-01-01T00:00:00Z'), to: null }],
            readings,
          };
        }),
        tariff,
        forecasts: forecastsByCustomer.get(customer.code) ?? new Map<string, Decimal>(),
        period: PERIOD,
        zone: ZONE,
        vatRate: VAT_RATE,
      }),
    );
  }
});

function draftOf(code: string): InvoiceDraft {
  const draft = drafts.get(code);
  if (!draft) throw new Error(`no draft for ${code}`);
  return draft;
}

describe('September 2025 invoices from the sample files equal invoices-2025-09.json', () => {
  it('covers the ten sample customers', () => {
    expect(expected.map((e) => e.customer)).toEqual([
      'C-0001',
      'C-0002',
      'C-0003',
      'C-0004',
      'C-0005',
      'C-0006',
      'C-0007',
      'C-0008',
      'C-0009',
      'C-0010',
    ]);
  });

  describe.each(expected.map((e) => [e.customer, e] as const))('%s', (code, exp) => {
    it('has the same lines in the same order', () => {
      expect(draftOf(code).lines.map((l) => l.kind)).toEqual(exp.lines.map((l) => l.kind));
    });

    it('matches every line amount exactly and every quantity numerically', () => {
      const lines = draftOf(code).lines;
      const got = exp.lines.map((e, i) => ({
        kind: e.kind,
        amount: lines[i].amount.toFixed(2),
        quantityEqual: lines[i].quantity.equals(new Decimal(e.quantity)),
        quantity: lines[i].quantity.toFixed(),
        ...(e.rate === undefined ? {} : { rate: lines[i].rate?.toFixed(6) }),
      }));
      const want = exp.lines.map((e) => ({
        kind: e.kind,
        amount: e.amount,
        quantityEqual: true,
        quantity: new Decimal(e.quantity).toFixed(),
        ...(e.rate === undefined ? {} : { rate: e.rate }),
      }));
      expect(got).toEqual(want);
    });

    it('matches subtotal, VAT and total exactly', () => {
      const d = draftOf(code);
      expect({ subtotal: d.subtotal.toFixed(2), vat: d.vat.toFixed(2), total: d.total.toFixed(2) }).toEqual({
        subtotal: exp.subtotal,
        vat: exp.vat,
        total: exp.total,
      });
    });

    it('reports the same data quality', () => {
      const q = draftOf(code).dataQuality;
      const deviation = exp.lines.find((l) => l.kind === 'DEVIATION');
      expect({ maxDemandAt: q.maxDemandAt, expectedSlots: q.expectedSlots, missingSlots: q.missingSlots }).toEqual({
        maxDemandAt: exp.maxDemandAt,
        expectedSlots: exp.expectedSlots,
        missingSlots: exp.missingSlots,
      });
      if (deviation) expect(q.missingForecastHours).toBe(deviation.missingForecastHours);
    });
  });
});

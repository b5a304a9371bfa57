import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { asSystem } from '@ciro/db';
import Decimal from 'decimal.js';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEngineTariff, sampleTariff } from '../../subgraphs/billing/test/support/billing-kit';
import {
  BillingRunByIdDocument,
  ImportCustomerWorkbookDocument,
  InvoicesDocument,
  IssueInvoicesDocument,
  RunBillingDocument,
  type BillingRunByIdQuery,
  type InvoicesQuery,
  type IssueInvoicesMutation,
  type RunBillingMutation,
} from './__generated__/graphql';
import { expectData, gql, seed, startStack, type SeededClient, type Stack } from './kit';
import { waitForBillingRun } from './kit/billing-runs';

/**
 * Issue 4's proof through the platform: an EIS-like client admin imports the sample customer workbook, uploads the
 * September meter workbook, the meter CSV and the forecast workbook through `POST /v1/meter-readings/upload`, waits
 * for each preview and commits it, runs billing for 2025-09 (a BullMQ flow), waits for it, issues the drafts, and
 * every invoice — every line amount, subtotal, VAT and total — equals `samples/expected/invoices-2025-09.json`.
 */
const SAMPLES = process.env.SAMPLES_DIR ?? resolve(__dirname, '../../../shared/samples');
const PERIOD = '2025-09';
const read = (path: string) => readFileSync(resolve(SAMPLES, path));

interface ExpectedInvoice {
  customer: string;
  lines: { kind: string; quantity: string; rate?: string; amount: string }[];
  subtotal: string;
  vat: string;
  total: string;
  missingSlots: number;
  expectedSlots: number;
}
const expected = JSON.parse(read('expected/invoices-2025-09.json').toString('utf8')) as ExpectedInvoice[];

const UPLOAD = /* GraphQL */ `
  query PlatformUpload($id: ID!) {
    upload(id: $id) {
      id
      status
      preview {
        committable
        readings
      }
    }
  }
`;
const COMMIT = /* GraphQL */ `
  mutation PlatformCommit($input: UploadIdInput!) {
    commitUpload(input: $input) {
      summary {
        new
        unchanged
        replaced
      }
      userErrors {
        message
      }
    }
  }
`;

interface UploadView {
  id: string;
  status: string;
  preview: { committable: boolean; readings: number } | null;
}

let stack: Stack;
let client: SeededClient;
let token: string;

beforeAll(async () => {
  stack = await startStack();
  const seeded = await seed(stack).client();
  client = seeded.client;
  // The client's tariff as configured once by its admin (tariff mutations have their own tests).
  await asSystem(stack.database, 'test: MT-H tariff of the samples', (tx) =>
    insertEngineTariff(tx, client.id, sampleTariff()),
  );
  token = await seeded.admin.login();
}, 60_000);
afterAll(() => stack?.stop());

async function uploadFile(path: string, kind: 'METER_READINGS' | 'FORECASTS'): Promise<string> {
  const bytes = read(path);
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(bytes)]), path.split('/').at(-1));
  const query = new URLSearchParams({ clientId: client.globalId, kind });
  const response = await fetch(`${stack.baseUrl}/v1/meter-readings/upload?${query.toString()}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const body = (await response.json()) as { outcome: string; upload: { id: string } };
  expect({ path, status: response.status, outcome: body.outcome }).toEqual({ path, status: 201, outcome: 'CREATED' });
  return body.upload.id;
}

async function waitForPreview(id: string, timeoutMs = 90_000): Promise<UploadView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = expectData(
      await gql<{ upload: UploadView }>(stack, { query: UPLOAD, variables: { id }, token }),
    ).upload;
    if (['PREVIEW_READY', 'FAILED'].includes(view.status)) return view;
    if (Date.now() > deadline) throw new Error(`upload ${id} still ${view.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const money = (value: string | null | undefined) => (value == null ? null : new Decimal(value).toFixed(2));

describe('September 2025 samples uploaded, committed, billed and issued through the gateway', () => {
  it('issues the ten invoices of invoices-2025-09.json to the cent', async () => {
    const imported = expectData(
      await gql<{ importCustomerWorkbook: { created: number; metersCreated: number; userErrors: unknown[] } }>(stack, {
        query: print(ImportCustomerWorkbookDocument),
        variables: {
          input: {
            clientId: client.globalId,
            contentBase64: read('customers/Datos de clientes para facturación.xlsx').toString('base64'),
          },
        },
        token,
      }),
    ).importCustomerWorkbook;
    expect(imported).toMatchObject({ created: 10, metersCreated: 11, userErrors: [] });

    const files: [string, 'METER_READINGS' | 'FORECASTS'][] = [
      ['meters/Descargas medidores 2025-09.xlsx', 'METER_READINGS'],
      ['meters/Medidor 5614112 2025-09.csv', 'METER_READINGS'],
      ['forecasts/Pronósticos 2025-09.xlsx', 'FORECASTS'],
    ];
    for (const [path, kind] of files) {
      const view = await waitForPreview(await uploadFile(path, kind));
      expect({ path, status: view.status, committable: view.preview?.committable }).toEqual({
        path,
        status: 'PREVIEW_READY',
        committable: true,
      });
      const committed = expectData(
        await gql<{ commitUpload: { summary: { new: number } | null; userErrors: unknown[] } }>(stack, {
          query: COMMIT,
          variables: { input: { id: view.id } },
          token,
        }),
      ).commitUpload;
      expect({ path, userErrors: committed.userErrors, new: committed.summary?.new }).toEqual({
        path,
        userErrors: [],
        new: view.preview!.readings,
      });
    }

    const queued = expectData(
      await gql<RunBillingMutation>(stack, {
        query: print(RunBillingDocument),
        variables: { input: { clientId: client.globalId, period: PERIOD } },
        token,
      }),
    ).runBilling;
    expect(queued.userErrors).toEqual([]);
    expect(['QUEUED', 'RUNNING']).toContain(queued.billingRun!.status);
    const finished = await waitForBillingRun(stack, token, queued.billingRun!.id, 120_000);
    expect(finished).toMatchObject({ status: 'COMPLETED', customersTotal: 10, customersDone: 10, customersFailed: 0 });
    expect(finished.startedAt).not.toBeNull();
    expect(finished.finishedAt).not.toBeNull();

    const run = expectData(
      await gql<BillingRunByIdQuery>(stack, {
        query: print(BillingRunByIdDocument),
        variables: { id: queued.billingRun!.id },
        token,
      }),
    ).billingRun;
    expect(run.customers.map((c) => [c.customerCode, c.status, c.missingSlots])).toEqual(
      expected.map((e) => [e.customer, 'DRAFTED', e.missingSlots]),
    );

    const issued = expectData(
      await gql<IssueInvoicesMutation>(stack, {
        query: print(IssueInvoicesDocument),
        variables: { input: { runId: run.id } },
        token,
      }),
    ).issueInvoices;
    expect(issued.userErrors).toEqual([]);
    expect(issued.invoices.map((i) => i.number?.slice(-6))).toEqual(
      expected.map((_, i) => String(i + 1).padStart(6, '0')),
    );

    const listed = expectData(
      await gql<InvoicesQuery>(stack, {
        query: print(InvoicesDocument),
        variables: { clientId: client.globalId, period: PERIOD, status: 'ISSUED', first: 50 },
        token,
      }),
    ).invoices;
    expect(listed.totalCount).toBe(10);
    const codeOfInvoice = new Map(run.customers.map((c) => [c.invoiceId, c.customerCode]));
    const got = listed.edges
      .map((e) => e.node)
      .map((invoice) => ({
        customer: codeOfInvoice.get(invoice.id),
        lines: invoice.lines.map((l) => ({ kind: l.kind, amount: money(l.amount) })),
        subtotal: money(invoice.subtotal),
        vat: money(invoice.vat),
        total: money(invoice.total),
        expectedSlots: invoice.dataQuality?.expectedSlots,
      }))
      .sort((a, b) => String(a.customer).localeCompare(String(b.customer)));
    expect(got).toEqual(
      expected.map((e) => ({
        customer: e.customer,
        lines: e.lines.map((l) => ({ kind: l.kind, amount: l.amount })),
        subtotal: e.subtotal,
        vat: e.vat,
        total: e.total,
        expectedSlots: e.expectedSlots,
      })),
    );
    // Quantities too (numeric(20,6) in the database) and the demand rate.
    for (const invoice of listed.edges.map((e) => e.node)) {
      const exp = expected.find((e) => e.customer === codeOfInvoice.get(invoice.id))!;
      expect(invoice.lines.map((l) => [l.kind, new Decimal(l.quantity ?? '0').toFixed(6)])).toEqual(
        exp.lines.map((l) => [l.kind, new Decimal(l.quantity).toFixed(6)]),
      );
      const demand = invoice.lines.find((l) => l.kind === 'DEMAND');
      expect(new Decimal(demand!.rate!).toFixed(6)).toBe(exp.lines.find((l) => l.kind === 'DEMAND')!.rate);
    }
  }, 240_000);
});

import { randomBytes } from 'node:crypto';
import { asSystem, schema } from '@ciro/db';
import { InvoiceBlobStore, PdfRenderer, startRenderWorker, type RunningRenderWorker } from '@ciro/documents';
import { configureRenderQueue, createLogger } from '@ciro/subgraph-common';
import { and, eq } from 'drizzle-orm';
import { print, type DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { constantReadings, insertEngineTariff, sampleTariff } from '../../subgraphs/billing/test/support/billing-kit';
import { NO_BILLING_RUN_DOCUMENTS_EVENTS } from '../../subgraphs/documents/src/events/billing-run-documents.events';
import {
  IssueInvoicesDocument,
  RunBillingDocument,
  type IssueInvoicesMutation,
  type RunBillingMutation,
} from './__generated__/graphql';
import {
  expectData,
  expectErrorCode,
  gql,
  seed,
  startStack,
  type SeededClient,
  type SeededLogin,
  type Stack,
} from './kit';
import { waitForBillingRun } from './kit/billing-runs';

const PERIOD = '2025-09';
const op = (document: DocumentNode) => print(document);

const INVOICE_DTE = /* GraphQL */ `
  query InvoiceDte($id: ID!) {
    invoice(id: $id) {
      id
      number
      total
      pdfStatus
      dte
    }
  }
`;
const RUN_DOCUMENTS = /* GraphQL */ `
  query RunDocuments($id: ID!) {
    billingRun(id: $id) {
      id
      documentsTotal
      documentsReady
      documentsFailed
      documentsPending
    }
  }
`;

interface Dte {
  identificacion: Record<string, unknown>;
  receptor: Record<string, unknown>;
  resumen: Record<string, unknown>;
  apendice: unknown[];
}
interface InvoiceDteQuery {
  invoice: { id: string; number: string; total: string; pdfStatus: string; dte: Dte | null };
}
interface RunDocumentsQuery {
  billingRun: {
    id: string;
    documentsTotal: number;
    documentsReady: number;
    documentsFailed: number;
    documentsPending: number;
  };
}

let stack: Stack;
let client: SeededClient;
let adminToken: string;
let ownUser: SeededLogin;
let otherUser: SeededLogin;
let otherAdminToken: string;
let invoiceId: string;
let runId: string;
let worker: RunningRenderWorker;
const renderer = new PdfRenderer({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });

beforeAll(async () => {
  stack = await startStack();
  // billing (in this process) publishes "invoices issued" on a queue of this file's own; a documents render worker
  // consumes it, as the documents process does in production.
  const queue = { redisUrl: inject('redisUrl'), prefix: `test-gw-docs-${randomBytes(4).toString('hex')}` };
  await configureRenderQueue(queue);
  worker = await startRenderWorker({
    queue,
    concurrency: 1,
    database: stack.database,
    storage: new InvoiceBlobStore(inject('azuriteConnectionString')),
    renderer,
    events: NO_BILLING_RUN_DOCUMENTS_EVENTS,
    logger: createLogger('test', 'silent'),
  });
  const seeded = await seed(stack).client();
  client = seeded.client;
  const first = await client.customer();
  const second = await client.customer();
  ownUser = first.user;
  otherUser = second.user;
  await asSystem(stack.database, 'test seed: tariff, meter and readings', async (tx) => {
    const tariffId = await insertEngineTariff(tx, client.id, sampleTariff());
    await tx.execute(
      `select ensure_meter_reading_partitions('2025-09-01T06:00:00Z'::timestamptz, '2025-10-01T05:45:00Z'::timestamptz)`,
    );
    await tx
      .update(schema.customers)
      .set({ tariffId, nit: '0614-150396-102-3', nrc: '87654-2', department: 'La Libertad' })
      .where(and(eq(schema.customers.clientId, client.id), eq(schema.customers.id, first.customer.id)));
    const [meter] = await tx
      .insert(schema.meters)
      .values({ clientId: client.id, serial: `E-${first.customer.code}`, node: 'Nodo Test', multiplier: '1' })
      .returning();
    await tx.insert(schema.meterAssignments).values({
      clientId: client.id,
      meterId: meter.id,
      customerId: first.customer.id,
      validFrom: new Date('2020-01-01T06:00:00Z'),
    });
    await tx.insert(schema.meterReadings).values(
      constantReadings(PERIOD, '1.25').map((r) => ({
        clientId: client.id,
        meterId: meter.id,
        slotStart: r.slotStart,
        kwh: r.kwh,
      })),
    );
  });
  adminToken = await seeded.admin.login();
  otherAdminToken = await (await seed(stack).client()).admin.login();
  const run = expectData(
    await gql<RunBillingMutation>(stack, {
      query: op(RunBillingDocument),
      variables: { input: { clientId: client.globalId, period: PERIOD } },
      token: adminToken,
    }),
  ).runBilling;
  runId = run.billingRun!.id;
  await waitForBillingRun(stack, adminToken, runId);
  const issued = expectData(
    await gql<IssueInvoicesMutation>(stack, {
      query: op(IssueInvoicesDocument),
      variables: { input: { runId } },
      token: adminToken,
    }),
  ).issueInvoices;
  expect(issued.invoices).toHaveLength(1);
  invoiceId = issued.invoices[0].id;
}, 180_000);

afterAll(async () => {
  await configureRenderQueue(null);
  await worker?.close();
  await renderer.close();
  await stack?.stop();
});

async function runDocuments(token: string) {
  return gql<RunDocumentsQuery>(stack, { query: RUN_DOCUMENTS, variables: { id: runId }, token });
}

describe('issued invoices get their PDF from the queue, and the run counts them (through the gateway)', () => {
  it('pdfStatus turns READY without anyone asking; the run then counts 1 issued, 1 ready', async () => {
    const started = Date.now();
    let status = 'PENDING';
    while (status !== 'READY' && Date.now() - started < 60_000) {
      status = expectData(
        await gql<InvoiceDteQuery>(stack, { query: INVOICE_DTE, variables: { id: invoiceId }, token: adminToken }),
      ).invoice.pdfStatus;
      if (status !== 'READY') await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status).toBe('READY');
    console.info(`issued → PDF READY (seen through the gateway) in ${Date.now() - started} ms`);
    expect(expectData(await runDocuments(adminToken)).billingRun).toEqual({
      id: runId,
      documentsTotal: 1,
      documentsReady: 1,
      documentsFailed: 0,
      documentsPending: 0,
    });
  }, 90_000);

  it('serves Invoice.dte to the admin and to the invoice’s own customer: a Crédito Fiscal with the invoice total', async () => {
    for (const token of [adminToken, await ownUser.login()]) {
      const invoice = expectData(
        await gql<InvoiceDteQuery>(stack, { query: INVOICE_DTE, variables: { id: invoiceId }, token }),
      ).invoice;
      expect(invoice.dte?.identificacion).toMatchObject({ tipoDte: '03', ambiente: '00', tipoMoneda: 'USD' });
      expect(invoice.dte?.identificacion.numeroControl).toMatch(/^DTE-03-M001P001-\d{15}$/);
      expect(invoice.dte?.receptor).toMatchObject({ nit: '06141503961023', nrc: '876542' });
      expect(invoice.dte?.resumen.totalPagar).toBe(invoice.total);
      expect(invoice.dte?.apendice).toEqual([{ campo: 'numeroFactura', etiqueta: 'Factura', valor: invoice.number }]);
    }
  });

  it('refuses Invoice.dte to another customer’s user and to another client’s admin (FORBIDDEN)', async () => {
    for (const token of [await otherUser.login(), otherAdminToken]) {
      expectErrorCode(
        await gql<InvoiceDteQuery>(stack, { query: INVOICE_DTE, variables: { id: invoiceId }, token }),
        'FORBIDDEN',
      );
    }
  });

  it('refuses the run’s document counts to another client’s admin and to customer users (FORBIDDEN)', async () => {
    expectErrorCode(await runDocuments(otherAdminToken), 'FORBIDDEN');
    expectErrorCode(await runDocuments(await ownUser.login()), 'FORBIDDEN');
  });
});

import { asSystem, schema } from '@ciro/db';
import { toGlobalId } from '@ciro/subgraph-common';
import { and, eq } from 'drizzle-orm';
import { print, type DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { constantReadings, insertEngineTariff, sampleTariff } from '../../subgraphs/billing/test/support/billing-kit';
import {
  InvoicePdfDocument,
  IssueInvoicesDocument,
  RegenerateInvoicePdfDocument,
  RunBillingDocument,
  type InvoicePdfQuery,
  type IssueInvoicesMutation,
  type RegenerateInvoicePdfMutation,
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
let stack: Stack;
let client: SeededClient;
let adminToken: string;
let ownUser: SeededLogin;
let otherUser: SeededLogin;
let invoiceId: string;

async function getPdf(id: string, token?: string) {
  return fetch(`${stack.baseUrl}/v1/invoices/${id}/pdf`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

beforeAll(async () => {
  stack = await startStack();
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
      .set({ tariffId, nit: '0614-150396-102-3' })
      .where(and(eq(schema.customers.clientId, client.id), eq(schema.customers.id, first.customer.id)));
    const [meter] = await tx
      .insert(schema.meters)
      .values({ clientId: client.id, serial: `P-${first.customer.code}`, node: 'Nodo Test', multiplier: '1' })
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
  const run = expectData(
    await gql<RunBillingMutation>(stack, {
      query: op(RunBillingDocument),
      variables: { input: { clientId: client.globalId, period: PERIOD } },
      token: adminToken,
    }),
  ).runBilling;
  await waitForBillingRun(stack, adminToken, run.billingRun!.id);
  const issued = expectData(
    await gql<IssueInvoicesMutation>(stack, {
      query: op(IssueInvoicesDocument),
      variables: { input: { runId: run.billingRun!.id } },
      token: adminToken,
    }),
  ).issueInvoices;
  expect(issued.invoices).toHaveLength(1);
  invoiceId = issued.invoices[0].id;
}, 120_000);
afterAll(() => stack?.stop());

describe('invoice PDFs through the gateway', () => {
  it('is PENDING after issuing until rendered; regenerateInvoicePdf renders it and pdfUrl downloads it', async () => {
    const before = expectData(
      await gql<InvoicePdfQuery>(stack, {
        query: op(InvoicePdfDocument),
        variables: { id: invoiceId },
        token: adminToken,
      }),
    ).invoice;
    expect(before).toMatchObject({ pdfStatus: 'PENDING', pdfUrl: null });
    const regenerated = expectData(
      await gql<RegenerateInvoicePdfMutation>(stack, {
        query: op(RegenerateInvoicePdfDocument),
        variables: { input: { invoiceId } },
        token: adminToken,
      }),
    ).regenerateInvoicePdf;
    expect(regenerated.userErrors).toEqual([]);
    expect(regenerated.invoice?.pdfStatus).toBe('READY');
    const own = expectData(
      await gql<InvoicePdfQuery>(stack, {
        query: op(InvoicePdfDocument),
        variables: { id: invoiceId },
        token: await ownUser.login(),
      }),
    ).invoice;
    const download = await fetch(own.pdfUrl!);
    expect(download.status).toBe(200);
    expect(
      Buffer.from(await download.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it('streams the PDF from GET /v1/invoices/:id/pdf to the invoice’s own customer user', async () => {
    const response = await getPdf(invoiceId, await ownUser.login());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await response.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it('gives another customer’s user FORBIDDEN on pdfUrl and 403 from the REST route', async () => {
    const token = await otherUser.login();
    expectErrorCode(
      await gql<InvoicePdfQuery>(stack, { query: op(InvoicePdfDocument), variables: { id: invoiceId }, token }),
      'FORBIDDEN',
    );
    expect((await getPdf(invoiceId, token)).status).toBe(403);
  });

  it('gives another client’s admin 403, a made-up id 404, and an anonymous caller 401', async () => {
    const other = await seed(stack).client();
    expect((await getPdf(invoiceId, await other.admin.login())).status).toBe(403);
    const forged = toGlobalId('Invoice', client.id, '00000000-0000-4000-8000-000000000000');
    expect((await getPdf(forged, adminToken)).status).toBe(404);
    expect((await getPdf('not-an-id', adminToken)).status).toBe(404);
    expect((await getPdf(invoiceId)).status).toBe(401);
  });

  it('does not let a customer user regenerate', async () => {
    expectErrorCode(
      await gql<RegenerateInvoicePdfMutation>(stack, {
        query: op(RegenerateInvoicePdfDocument),
        variables: { input: { invoiceId } },
        token: await ownUser.login(),
      }),
      'FORBIDDEN',
    );
  });
});

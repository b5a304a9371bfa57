import { asSystem, schema } from '@ciro/db';
import { toGlobalId } from '@ciro/subgraph-common';
import { and, eq } from 'drizzle-orm';
import { print, type DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { constantReadings, insertEngineTariff, sampleTariff } from '../../subgraphs/billing/test/support/billing-kit';
import {
  BillingRunByIdDocument,
  ClientBillingSummaryDocument,
  CreateAdjustmentDocument,
  CreateCreditNoteDocument,
  CustomerInvoicesDocument,
  InvoiceByIdDocument,
  InvoicesDocument,
  IssueInvoicesDocument,
  RecordPaymentDocument,
  RunBillingDocument,
  VoidInvoiceDocument,
  type BillingRunByIdQuery,
  type ClientBillingSummaryQuery,
  type CreateAdjustmentMutation,
  type CreateCreditNoteMutation,
  type CustomerInvoicesQuery,
  type InvoiceByIdQuery,
  type InvoicesQuery,
  type IssueInvoicesMutation,
  type RecordPaymentMutation,
  type RunBillingMutation,
  type VoidInvoiceMutation,
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
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

interface BilledCustomer {
  id: string;
  globalId: string;
  code: string;
  user: SeededLogin;
}

/** A client with the MT-H tariff and two customers, each with one meter read every slot of September 2025. */
async function clientWithReadings(): Promise<{ client: SeededClient; token: string; customers: BilledCustomer[] }> {
  const { client, admin } = await seed(stack).client();
  const customers: BilledCustomer[] = [];
  for (let i = 0; i < 2; i++) {
    const { customer, user } = await client.customer();
    customers.push({ id: customer.id, globalId: customer.globalId, code: customer.code, user });
  }
  await asSystem(stack.database, 'test seed: tariff, meters and readings', async (tx) => {
    const tariffId = await insertEngineTariff(tx, client.id, sampleTariff());
    await tx.execute(
      `select ensure_meter_reading_partitions('2025-09-01T06:00:00Z'::timestamptz, '2025-10-01T05:45:00Z'::timestamptz)`,
    );
    for (const [index, customer] of customers.entries()) {
      await tx
        .update(schema.customers)
        .set({ tariffId, lossFactor: '0.0235', paymentTermsDays: 30 })
        .where(and(eq(schema.customers.clientId, client.id), eq(schema.customers.id, customer.id)));
      const [meter] = await tx
        .insert(schema.meters)
        .values({ clientId: client.id, serial: `G${index}-${customer.code}`, multiplier: '40' })
        .returning();
      await tx.insert(schema.meterAssignments).values({
        clientId: client.id,
        meterId: meter.id,
        customerId: customer.id,
        validFrom: new Date('2020-01-01T06:00:00Z'),
      });
      await tx.insert(schema.meterReadings).values(
        constantReadings(PERIOD, index === 0 ? '1.25' : '2.5').map((r) => ({
          clientId: client.id,
          meterId: meter.id,
          slotStart: r.slotStart,
          kwh: r.kwh,
        })),
      );
    }
  });
  return { client, token: await admin.login(), customers };
}

const op = (document: DocumentNode) => print(document);

/** runBilling returns with the run QUEUED: waits for its final status and reads it whole. */
async function runBillingAs(token: string, clientGlobalId: string) {
  const payload = expectData(
    await gql<RunBillingMutation>(stack, {
      query: op(RunBillingDocument),
      variables: { input: { clientId: clientGlobalId, period: PERIOD } },
      token,
    }),
  ).runBilling;
  if (!payload.billingRun) return payload;
  expect(['QUEUED', 'RUNNING', 'COMPLETED']).toContain(payload.billingRun.status);
  await waitForBillingRun(stack, token, payload.billingRun.id);
  const billingRun = expectData(
    await gql<BillingRunByIdQuery>(stack, {
      query: op(BillingRunByIdDocument),
      variables: { id: payload.billingRun.id },
      token,
    }),
  ).billingRun;
  return { ...payload, billingRun };
}

describe('billing through the gateway', () => {
  it('runs billing, reads drafts, adjusts, issues, takes payments, voids and summarises', async () => {
    const { client, token, customers } = await clientWithReadings();
    const run = await runBillingAs(token, client.globalId);
    expect(run.userErrors).toEqual([]);
    expect(run.billingRun).toMatchObject({ period: PERIOD, status: 'COMPLETED', progress: 2, total: 2 });
    expect(run.billingRun?.counts).toEqual({
      drafted: 2,
      noReadings: 0,
      alreadyIssued: 0,
      negativeTotal: 0,
      failed: 0,
    });

    const fetched = expectData(
      await gql<BillingRunByIdQuery>(stack, {
        query: op(BillingRunByIdDocument),
        variables: { id: run.billingRun!.id },
        token,
      }),
    ).billingRun;
    expect(fetched.customers.map((c) => c.status)).toEqual(['DRAFTED', 'DRAFTED']);

    const listed = expectData(
      await gql<InvoicesQuery>(stack, {
        query: op(InvoicesDocument),
        variables: { clientId: client.globalId, period: PERIOD, status: 'DRAFT', first: 10 },
        token,
      }),
    ).invoices;
    expect(listed.totalCount).toBe(2);
    const draft = listed.edges[0].node;
    expect(draft.lines.map((l) => l.kind)).toEqual([
      'ENERGY_VALLE',
      'ENERGY_RESTO',
      'ENERGY_PUNTA',
      'DEMAND',
      'LOSSES',
      'FTPMS',
    ]);
    expect(draft.dataQuality).toMatchObject({
      expectedSlots: 2880,
      missingSlots: 0,
      maxDemandAt: '2025-09-01T00:00:00',
    });
    expect(draft.lines.find((l) => l.kind === 'LOSSES')?.rateSplit.map((p) => p.block)).toEqual([
      'VALLE',
      'RESTO',
      'PUNTA',
    ]);

    const first = customers[0];
    const adjustment = expectData(
      await gql<CreateAdjustmentMutation>(stack, {
        query: op(CreateAdjustmentDocument),
        variables: {
          input: { customerId: first.globalId, period: PERIOD, description: 'Crédito por corte', amount: '-10.00' },
        },
        token,
      }),
    ).createAdjustment;
    expect(adjustment.userErrors).toEqual([]);
    const rerun = await runBillingAs(token, client.globalId);
    const firstInvoiceId = rerun.billingRun!.customers.find((c) => c.customerCode === first.code)!.invoiceId!;

    const issued = expectData(
      await gql<IssueInvoicesMutation>(stack, {
        query: op(IssueInvoicesDocument),
        variables: { input: { runId: rerun.billingRun!.id } },
        token,
      }),
    ).issueInvoices;
    expect(issued.userErrors).toEqual([]);
    expect(issued.invoices.map((i) => i.number?.replace(/-\d{4}-/, '-YYYY-'))).toEqual([
      `${client.code}-YYYY-000001`,
      `${client.code}-YYYY-000002`,
    ]);

    const detail = expectData(
      await gql<InvoiceByIdQuery>(stack, { query: op(InvoiceByIdDocument), variables: { id: firstInvoiceId }, token }),
    ).invoice;
    expect(detail.status).toBe('ISSUED');
    expect(detail.lines.at(-1)).toMatchObject({ kind: 'ADJUSTMENT', description: 'Crédito por corte', amount: '-10' });

    const paid = expectData(
      await gql<RecordPaymentMutation>(stack, {
        query: op(RecordPaymentDocument),
        variables: {
          input: { invoiceId: firstInvoiceId, amount: '1000.00', paidAt: '2025-10-20T15:00:00Z', method: 'TRANSFER' },
        },
        token,
      }),
    ).recordPayment;
    expect(paid.userErrors).toEqual([]);
    expect(paid.invoice).toMatchObject({ status: 'PARTIALLY_PAID', paidAmount: '1000' });
    const over = expectData(
      await gql<RecordPaymentMutation>(stack, {
        query: op(RecordPaymentDocument),
        variables: { input: { invoiceId: firstInvoiceId, amount: '999999.00', paidAt: '2025-10-21T15:00:00Z' } },
        token,
      }),
    ).recordPayment;
    expect(over.userErrors.map((e) => e.field?.join('.'))).toEqual(['input.amount']);

    const secondId = issued.invoices.find((i) => i.id !== firstInvoiceId)!.id;
    const voided = expectData(
      await gql<VoidInvoiceMutation>(stack, {
        query: op(VoidInvoiceDocument),
        variables: { input: { id: secondId, reason: 'Medidor equivocado' } },
        token,
      }),
    ).voidInvoice;
    expect(voided.invoice).toMatchObject({ status: 'VOID', voidReason: 'Medidor equivocado', balance: '0' });

    const credit = expectData(
      await gql<CreateCreditNoteMutation>(stack, {
        query: op(CreateCreditNoteDocument),
        variables: { input: { invoiceId: firstInvoiceId, amount: '50.00', reason: 'Lectura corregida' } },
        token,
      }),
    ).createCreditNote;
    expect(credit.userErrors).toEqual([]);
    expect(credit.invoice).toMatchObject({
      kind: 'CREDIT_NOTE',
      status: 'DRAFT',
      creditNoteOf: firstInvoiceId,
      total: '-56.5',
    });
    const issuedCredit = expectData(
      await gql<IssueInvoicesMutation>(stack, {
        query: op(IssueInvoicesDocument),
        variables: { input: { invoiceIds: [credit.invoice!.id] } },
        token,
      }),
    ).issueInvoices;
    expect(issuedCredit.invoices.map((i) => i.number?.slice(-6))).toEqual(['000003']);

    const summary = expectData(
      await gql<ClientBillingSummaryQuery>(stack, {
        query: op(ClientBillingSummaryDocument),
        variables: { id: client.globalId, period: PERIOD },
        token,
      }),
    ).client.billingSummary;
    expect(summary).toMatchObject({
      invoiceCount: 1,
      billed: detail.total,
      credited: '56.5',
      collected: '1000',
      overdue: '0',
    });

    // The customer user reads its own invoices through the tenancy Customer entity.
    const own = expectData(
      await gql<CustomerInvoicesQuery>(stack, {
        query: op(CustomerInvoicesDocument),
        variables: { id: first.globalId, period: PERIOD },
        token: await first.user.login(),
      }),
    ).customer;
    expect(own.code).toBe(first.code);
    expect(own.invoices.edges.map((e) => [e.node.id, e.node.status, e.node.total])).toEqual([
      [firstInvoiceId, 'PARTIALLY_PAID', detail.total],
      [credit.invoice!.id, 'ISSUED', '-56.5'],
    ]);
  });
});

describe('billing authorization through the gateway', () => {
  let owner: Awaited<ReturnType<typeof clientWithReadings>>;
  let runId: string;
  let invoiceId: string;
  let otherAdmin: string;
  let otherCustomerUser: string;
  let ownCustomerUser: string;

  beforeAll(async () => {
    owner = await clientWithReadings();
    const run = await runBillingAs(owner.token, owner.client.globalId);
    runId = run.billingRun!.id;
    invoiceId = run.billingRun!.customers.find((c) => c.customerCode === owner.customers[0].code)!.invoiceId!;
    const other = await seed(stack).client();
    otherAdmin = await other.admin.login();
    otherCustomerUser = await owner.customers[1].user.login();
    ownCustomerUser = await owner.customers[0].user.login();
  });

  const clientId = () => owner.client.globalId;
  const customerId = () => owner.customers[0].globalId;

  /** Each operation with variables; `reads` are open to the invoice's own customer user. */
  const operations = (): {
    name: string;
    query: string;
    variables: Record<string, unknown>;
    ownCustomerMay: boolean;
  }[] => [
    {
      name: 'runBilling',
      query: op(RunBillingDocument),
      variables: { input: { clientId: clientId(), period: PERIOD } },
      ownCustomerMay: false,
    },
    { name: 'billingRun', query: op(BillingRunByIdDocument), variables: { id: runId }, ownCustomerMay: false },
    { name: 'invoice', query: op(InvoiceByIdDocument), variables: { id: invoiceId }, ownCustomerMay: true },
    {
      name: 'invoices',
      query: op(InvoicesDocument),
      variables: { clientId: clientId(), customerId: customerId() },
      ownCustomerMay: true,
    },
    {
      name: 'Customer.invoices',
      query: op(CustomerInvoicesDocument),
      variables: { id: customerId() },
      ownCustomerMay: true,
    },
    {
      name: 'Client.billingSummary',
      query: op(ClientBillingSummaryDocument),
      variables: { id: clientId(), period: PERIOD },
      ownCustomerMay: false,
    },
    {
      name: 'issueInvoices',
      query: op(IssueInvoicesDocument),
      variables: { input: { invoiceIds: [invoiceId] } },
      ownCustomerMay: false,
    },
    {
      name: 'voidInvoice',
      query: op(VoidInvoiceDocument),
      variables: { input: { id: invoiceId, reason: 'x' } },
      ownCustomerMay: false,
    },
    {
      name: 'recordPayment',
      query: op(RecordPaymentDocument),
      variables: { input: { invoiceId, amount: '1.00', paidAt: '2025-10-20T15:00:00Z' } },
      ownCustomerMay: false,
    },
    {
      name: 'createCreditNote',
      query: op(CreateCreditNoteDocument),
      variables: { input: { invoiceId, amount: '1.00', reason: 'x' } },
      ownCustomerMay: false,
    },
    {
      name: 'createAdjustment',
      query: op(CreateAdjustmentDocument),
      variables: { input: { customerId: customerId(), period: PERIOD, description: 'x', amount: '1.00' } },
      ownCustomerMay: false,
    },
  ];

  it('refuses another client’s admin on every billing query and mutation (FORBIDDEN)', async () => {
    for (const operation of operations()) {
      const result = await gql(stack, { query: operation.query, variables: operation.variables, token: otherAdmin });
      expect({ name: operation.name, code: expectErrorCode(result, 'FORBIDDEN').extensions?.code }).toEqual({
        name: operation.name,
        code: 'FORBIDDEN',
      });
    }
  });

  it('refuses a customer user of another customer of the same client (FORBIDDEN)', async () => {
    for (const operation of operations()) {
      const result = await gql(stack, {
        query: operation.query,
        variables: operation.variables,
        token: otherCustomerUser,
      });
      expect({ name: operation.name, code: expectErrorCode(result, 'FORBIDDEN').extensions?.code }).toEqual({
        name: operation.name,
        code: 'FORBIDDEN',
      });
    }
  });

  it('lets the invoice’s own customer user read it, and nothing else', async () => {
    for (const operation of operations()) {
      const result = await gql(stack, {
        query: operation.query,
        variables: operation.variables,
        token: ownCustomerUser,
      });
      if (operation.ownCustomerMay) expectData(result);
      else expectErrorCode(result, 'FORBIDDEN');
    }
  });

  it('refuses anonymous callers (UNAUTHENTICATED)', async () => {
    for (const operation of operations()) {
      expectErrorCode(await gql(stack, { query: operation.query, variables: operation.variables }), 'UNAUTHENTICATED');
    }
  });

  it('lets the owning admin run every operation (the refusals above changed nothing)', async () => {
    const byName = new Map(operations().map((o) => [o.name, o]));
    // Reads first, then the mutations in an order that keeps each valid: the draft is issued, paid, and a
    // re-run leaves it alone. voidInvoice (refused once paid) runs as the owner in the flow test above.
    const order = [
      'billingRun',
      'invoice',
      'invoices',
      'Customer.invoices',
      'Client.billingSummary',
      'createAdjustment',
      'issueInvoices',
      'recordPayment',
      'createCreditNote',
      'runBilling',
    ];
    expect([...byName.keys()].filter((name) => !order.includes(name))).toEqual(['voidInvoice']);
    for (const name of order) {
      const operation = byName.get(name)!;
      const data = expectData(
        await gql(stack, { query: operation.query, variables: operation.variables, token: owner.token }),
      );
      const payload = Object.values(data)[0] as { userErrors?: unknown[] };
      expect({ name, userErrors: payload.userErrors ?? [] }).toEqual({ name, userErrors: [] });
    }
  });

  it('never lets an admin read another client’s invoice by guessing ids', async () => {
    const forged = toGlobalId('Invoice', owner.client.id, owner.customers[0].id);
    expectErrorCode(
      await gql(stack, { query: op(InvoiceByIdDocument), variables: { id: forged }, token: otherAdmin }),
      'FORBIDDEN',
    );
  });
});

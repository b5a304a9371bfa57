import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, gql, refusal, seed, seedBillableClient, startStack, subscribe, type Stack } from './kit';

const PERIOD = '2025-09';
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ renderQueue: true });
});
afterAll(() => stack?.stop());

const BILLING_RUN_PROGRESS = /* GraphQL */ `
  subscription GatewayBillingRunProgress($id: ID!) {
    billingRunProgress(id: $id) {
      runId
      kind
      status
      customersTotal
      customersDone
      customersFailed
      customerId
      documentsTotal
      documentsReady
      documentsFailed
      invoiceId
    }
  }
`;

interface Progress {
  runId: string;
  kind: string;
  status: string;
  customersTotal: number;
  customersDone: number;
  customersFailed: number;
  customerId: string | null;
  documentsTotal: number;
  documentsReady: number;
  documentsFailed: number;
  invoiceId: string | null;
}
type ProgressData = { billingRunProgress: Progress };

async function runBilling(token: string, clientId: string): Promise<string> {
  const payload = expectData(
    await gql<{ runBilling: { billingRun: { id: string } | null; userErrors: { message: string }[] } }>(stack, {
      query: `mutation ProgressRunBilling($input: RunBillingInput!) { runBilling(input: $input) { billingRun { id } userErrors { message } } }`,
      variables: { input: { clientId, period: PERIOD } },
      token,
    }),
  ).runBilling;
  expect(payload.userErrors).toEqual([]);
  if (!payload.billingRun) throw new Error('no billing run');
  return payload.billingRun.id;
}

describe('billingRunProgress through the gateway', () => {
  it('streams a run from its state to COMPLETED, then the PDFs of its issued invoices', async () => {
    const seeded = await seedBillableClient(stack, { multiplier: '40' });
    const { client, token, customerIds } = seeded;
    const runId = await runBilling(token, client.globalId);
    const progress = subscribe<ProgressData>(stack, { query: BILLING_RUN_PROGRESS, variables: { id: runId }, token });
    const snapshot = await progress.waitFor(() => true);
    expect(snapshot.errors).toBeUndefined();
    expect(snapshot.data?.billingRunProgress).toMatchObject({
      runId,
      kind: 'SNAPSHOT',
      customersTotal: 2,
      documentsTotal: 0,
      invoiceId: null,
    });

    const completed = await progress.waitFor((result) => result.data?.billingRunProgress.status === 'COMPLETED');
    expect(completed.data?.billingRunProgress).toMatchObject({
      customersTotal: 2,
      customersDone: 2,
      customersFailed: 0,
    });
    const items = progress.results.map((result) => result.data?.billingRunProgress);
    // What happened before subscribing is in the snapshot; every customer billed afterwards is an item (one billed
    // while the snapshot was read may be announced too: items repeat rather than go missing).
    const customerItems = items.filter((item) => item?.kind === 'CUSTOMER');
    expect(customerItems.length).toBeGreaterThanOrEqual(2 - (snapshot.data?.billingRunProgress.customersDone ?? 0));
    expect(customerItems.length).toBeLessThanOrEqual(2);
    for (const item of customerItems) expect(customerIds).toContain(item?.customerId);
    const done = items.map((item) => item?.customersDone ?? 0);
    expect(done).toEqual([...done].sort((a, b) => a - b));

    const from = progress.results.length;
    const issued = expectData(
      await gql<{ issueInvoices: { invoices: { id: string }[]; userErrors: unknown[] } }>(stack, {
        query: `mutation ProgressIssue($input: IssueInvoicesInput!) { issueInvoices(input: $input) { invoices { id } userErrors { message } } }`,
        variables: { input: { runId } },
        token,
      }),
    ).issueInvoices;
    expect(issued.userErrors).toEqual([]);
    expect(issued.invoices).toHaveLength(2);
    const rendered = await progress.waitFor((result) => result.data?.billingRunProgress.documentsReady === 2, {
      from,
      timeoutMs: 60_000,
    });
    expect(rendered.data?.billingRunProgress).toMatchObject({
      kind: 'DOCUMENT',
      documentsTotal: 2,
      documentsFailed: 0,
    });
    const documentItems = progress.results.slice(from).map((result) => result.data?.billingRunProgress);
    expect(
      documentItems
        .filter((item) => item?.kind === 'DOCUMENT')
        .map((item) => item?.invoiceId)
        .sort(),
    ).toEqual(issued.invoices.map((invoice) => invoice.id).sort());
    await progress.close();
  }, 120_000);

  it("refuses the run to a customer user (scope) and to another client's admin (FORBIDDEN)", async () => {
    const seeded = await seedBillableClient(stack, { multiplier: '40' });
    const runId = await runBilling(seeded.token, seeded.client.globalId);
    // Refusals: a customer user lacks the scope; another client's admin gets FORBIDDEN.
    const asCustomer = await refusal(
      subscribe(stack, {
        query: BILLING_RUN_PROGRESS,
        variables: { id: runId },
        token: await seeded.customerUser.login(),
      }),
    );
    expect(asCustomer.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    const other = await seed(stack).client();
    const asOtherAdmin = await refusal(
      subscribe(stack, { query: BILLING_RUN_PROGRESS, variables: { id: runId }, token: await other.admin.login() }),
    );
    expect(asOtherAdmin.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});

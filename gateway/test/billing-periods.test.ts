import { asSystem, schema } from '@ciro/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectData,
  expectErrorCode,
  gql,
  seed,
  seedBillableClient,
  startStack,
  type SeededClient,
  type Stack,
} from './kit';
import { waitForBillingRun } from './kit/billing-runs';

const PERIOD = '2025-09';
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const PERIODS = /* GraphQL */ `
  query BillingPeriods($clientId: ID!) {
    billingPeriods(clientId: $clientId) {
      totalCount
      edges {
        node {
          period
          status
          runs
          runsInProgress
          lastRunId
          drafts
          issued
        }
      }
    }
  }
`;
const CLOSE = /* GraphQL */ `
  mutation CloseBillingPeriod($input: BillingPeriodInput!) {
    closeBillingPeriod(input: $input) {
      billingPeriod {
        period
        status
        drafts
        issued
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;
const REOPEN = CLOSE.replace('CloseBillingPeriod', 'ReopenBillingPeriod').replace(
  'closeBillingPeriod(',
  'reopenBillingPeriod(',
);
const RUN = /* GraphQL */ `
  mutation PeriodsRunBilling($input: RunBillingInput!) {
    runBilling(input: $input) {
      billingRun {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

interface PeriodView {
  period: string;
  status: string;
  runs: number;
  runsInProgress: number;
  lastRunId: string | null;
  drafts: number;
  issued: number;
}
interface PeriodPayload {
  billingPeriod: { period: string; status: string; drafts: number; issued: number } | null;
  userErrors: { field: string[] | null; message: string; code: string }[];
}
interface RunPayload {
  runBilling: { billingRun: { id: string } | null; userErrors: { field: string[] | null; message: string }[] };
}

async function clientWithReadings(): Promise<{ client: SeededClient; token: string; userToken: string }> {
  const seeded = await seedBillableClient(stack, { kwh: '2' });
  return { client: seeded.client, token: seeded.token, userToken: await seeded.customerUser.login() };
}

async function periods(token: string, clientId: string): Promise<PeriodView[]> {
  return expectData(
    await gql<{ billingPeriods: { totalCount: number; edges: { node: PeriodView }[] } }>(stack, {
      query: PERIODS,
      variables: { clientId },
      token,
    }),
  ).billingPeriods.edges.map((edge) => edge.node);
}

async function run(token: string, clientId: string): Promise<RunPayload['runBilling']> {
  return expectData(
    await gql<RunPayload>(stack, { query: RUN, variables: { input: { clientId, period: PERIOD } }, token }),
  ).runBilling;
}

describe('billing periods through the gateway', () => {
  it('lists a month with its runs and invoices, closes it only when finished, and refuses billing it until reopened', async () => {
    const { client, token } = await clientWithReadings();
    expect(await periods(token, client.globalId)).toEqual([]);

    const started = await run(token, client.globalId);
    expect(started.userErrors).toEqual([]);
    const runId = started.billingRun?.id ?? '';
    await waitForBillingRun(stack, token, runId);
    expect(await periods(token, client.globalId)).toEqual([
      { period: PERIOD, status: 'OPEN', runs: 1, runsInProgress: 0, lastRunId: runId, drafts: 2, issued: 0 },
    ]);

    const withDrafts = expectData(
      await gql<{ closeBillingPeriod: PeriodPayload }>(stack, {
        query: CLOSE,
        variables: { input: { clientId: client.globalId, period: PERIOD } },
        token,
      }),
    ).closeBillingPeriod;
    expect(withDrafts.billingPeriod).toBeNull();
    expect(withDrafts.userErrors).toMatchObject([{ field: ['input', 'period'], code: 'BAD_USER_INPUT' }]);
    expect(withDrafts.userErrors[0]?.message).toContain('2 draft invoice(s)');

    const issued = expectData(
      await gql<{ issueInvoices: { userErrors: unknown[] } }>(stack, {
        query: `mutation PeriodsIssue($input: IssueInvoicesInput!) { issueInvoices(input: $input) { userErrors { message } } }`,
        variables: { input: { runId } },
        token,
      }),
    ).issueInvoices;
    expect(issued.userErrors).toEqual([]);

    const closed = expectData(
      await gql<{ closeBillingPeriod: PeriodPayload }>(stack, {
        query: CLOSE,
        variables: { input: { clientId: client.globalId, period: PERIOD } },
        token,
      }),
    ).closeBillingPeriod;
    expect(closed).toEqual({
      billingPeriod: { period: PERIOD, status: 'CLOSED', drafts: 0, issued: 2 },
      userErrors: [],
    });

    const refused = await run(token, client.globalId);
    expect(refused.billingRun).toBeNull();
    expect(refused.userErrors).toMatchObject([{ field: ['input', 'period'] }]);
    expect(refused.userErrors[0]?.message).toContain('is closed');
    expect((await periods(token, client.globalId))[0]).toMatchObject({ status: 'CLOSED', runs: 1 });

    const reopened = expectData(
      await gql<{ reopenBillingPeriod: PeriodPayload }>(stack, {
        query: REOPEN,
        variables: { input: { clientId: client.globalId, period: PERIOD } },
        token,
      }),
    ).reopenBillingPeriod;
    expect(reopened.billingPeriod?.status).toBe('OPEN');
    const again = await run(token, client.globalId);
    expect(again.userErrors).toEqual([]);
    await waitForBillingRun(stack, token, again.billingRun?.id ?? '');
    // Issued invoices are left alone by the second run: nothing new to draft.
    expect((await periods(token, client.globalId))[0]).toMatchObject({ status: 'OPEN', runs: 2, drafts: 0, issued: 2 });

    const audit = await asSystem(stack.database, 'test: audit of the period', (tx) =>
      tx.select().from(schema.auditLog).where(eq(schema.auditLog.clientId, client.id)),
    );
    expect(audit.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['billing.period.close', 'billing.period.reopen']),
    );
  }, 120_000);

  it("refuses another client's admin and customer users, and explains that a month never billed has no period", async () => {
    const { client, token, userToken } = await clientWithReadings();
    const other = await seed(stack).client();
    const otherToken = await other.admin.login();
    expectErrorCode(
      await gql(stack, { query: PERIODS, variables: { clientId: client.globalId }, token: otherToken }),
      'FORBIDDEN',
    );
    expectErrorCode(
      await gql(stack, { query: PERIODS, variables: { clientId: client.globalId }, token: userToken }),
      'FORBIDDEN',
    );
    expectErrorCode(
      await gql(stack, {
        query: CLOSE,
        variables: { input: { clientId: client.globalId, period: PERIOD } },
        token: otherToken,
      }),
      'FORBIDDEN',
    );
    expectErrorCode(
      await gql(stack, {
        query: REOPEN,
        variables: { input: { clientId: client.globalId, period: PERIOD } },
        token: userToken,
      }),
      'FORBIDDEN',
    );
    const never = await gql<{ closeBillingPeriod: PeriodPayload }>(stack, {
      query: CLOSE,
      variables: { input: { clientId: client.globalId, period: '2024-01' } },
      token,
    });
    expect(expectData(never).closeBillingPeriod).toMatchObject({
      billingPeriod: null,
      userErrors: [{ field: ['input', 'period'], code: 'BAD_USER_INPUT' }],
    });
  });
});

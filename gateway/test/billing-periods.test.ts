import { asSystem, schema } from '@ciro/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { constantReadings, insertEngineTariff, sampleTariff } from '../../subgraphs/billing/test/support/billing-kit';
import { expectData, expectErrorCode, gql, seed, startStack, type SeededClient, type Stack } from './kit';
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

/** A client with the MT-H tariff and two customers read every slot of September 2025. */
async function clientWithReadings(): Promise<{ client: SeededClient; token: string; userToken: string }> {
  const { client, admin } = await seed(stack).client();
  const first = await client.customer();
  await client.customer();
  await asSystem(stack.database, 'test seed: tariff, meters and readings', async (tx) => {
    const tariffId = await insertEngineTariff(tx, client.id, sampleTariff());
    await tx.execute(
      `select ensure_meter_reading_partitions('2025-09-01T06:00:00Z'::timestamptz, '2025-10-01T05:45:00Z'::timestamptz)`,
    );
    const customers = await tx.select().from(schema.customers).where(eq(schema.customers.clientId, client.id));
    for (const [index, customer] of customers.entries()) {
      await tx
        .update(schema.customers)
        .set({ tariffId, lossFactor: '0.0235', paymentTermsDays: 30 })
        .where(and(eq(schema.customers.clientId, client.id), eq(schema.customers.id, customer.id)));
      const [meter] = await tx
        .insert(schema.meters)
        .values({ clientId: client.id, serial: `BP${index}-${customer.code}`, multiplier: '1' })
        .returning();
      if (!meter) throw new Error('no meter');
      await tx.insert(schema.meterAssignments).values({
        clientId: client.id,
        meterId: meter.id,
        customerId: customer.id,
        validFrom: new Date('2020-01-01T06:00:00Z'),
      });
      await tx.insert(schema.meterReadings).values(
        constantReadings(PERIOD, '2').map((r) => ({
          clientId: client.id,
          meterId: meter.id,
          slotStart: r.slotStart,
          kwh: r.kwh,
        })),
      );
    }
  });
  return { client, token: await admin.login(), userToken: await first.user.login() };
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

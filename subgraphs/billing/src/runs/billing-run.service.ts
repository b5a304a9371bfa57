import { withTenant } from '@ciro/db';
import {
  NotFoundError,
  assertClientAdmin,
  fromTenantIdOrThrow,
  recordAudit,
  tenantContextFor,
  toGlobalId,
  type Caller,
} from '@ciro/subgraph-common';
import Decimal from 'decimal.js';
import { billCustomer } from './bill-customer';
import { loadBillingScope } from './billing-inputs.repository';
import {
  findBillingRunRow,
  finishBillingRun,
  insertBillingRun,
  listRunCustomerOutcomes,
  markRunFailed,
  type BillingRunRow,
  type RunCounts,
} from './billing-run.repository';
import {
  BillingRunCustomerStatus,
  type BillingRunStatus,
  type BillingRun,
  type RunBillingInput,
} from './billing-run.type';

function toBillingRun(row: BillingRunRow, outcomes: Awaited<ReturnType<typeof listRunCustomerOutcomes>>): BillingRun {
  const counts = (row.counts as RunCounts | null) ?? null;
  const tally = (status: BillingRunCustomerStatus) =>
    counts ? counts[status] : outcomes.filter((o) => o.status === (status as string)).length;
  return {
    id: toGlobalId('BillingRun', row.clientId, row.id),
    clientId: row.clientId,
    runId: row.id,
    period: row.period,
    status: row.status as BillingRunStatus,
    progress: row.progress,
    total: row.total,
    counts: {
      drafted: tally(BillingRunCustomerStatus.DRAFTED),
      noReadings: tally(BillingRunCustomerStatus.NO_READINGS),
      alreadyIssued: tally(BillingRunCustomerStatus.ALREADY_ISSUED),
      negativeTotal: tally(BillingRunCustomerStatus.NEGATIVE_TOTAL),
      failed: tally(BillingRunCustomerStatus.FAILED),
    },
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
    customers: outcomes.map((o) => ({
      customer: { id: toGlobalId('Customer', o.clientId, o.customerId) },
      customerCode: o.customerCode,
      status: o.status as BillingRunCustomerStatus,
      invoiceId: o.invoiceId ? toGlobalId('Invoice', o.clientId, o.invoiceId) : null,
      total: o.total === null ? null : new Decimal(o.total),
      expectedSlots: o.expectedSlots,
      presentSlots: o.presentSlots,
      missingSlots: o.expectedSlots === null || o.presentSlots === null ? null : o.expectedSlots - o.presentSlots,
      missingForecastHours: o.missingForecastHours,
      message: o.message,
    })),
  };
}

export async function getBillingRunOrThrow(caller: Caller, globalId: string): Promise<BillingRun> {
  const { clientId, id } = fromTenantIdOrThrow('BillingRun', globalId);
  assertClientAdmin(caller.identity, clientId);
  const run = await withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    const row = await findBillingRunRow(tx, clientId, id);
    return row ? toBillingRun(row, await listRunCustomerOutcomes(tx, clientId, id)) : null;
  });
  if (!run) throw new NotFoundError('BillingRun', globalId);
  return run;
}

/**
 * Bills every ACTIVE customer of a client for a period, synchronously for now: the run row first, then one
 * transaction per customer (`billCustomer`, what a queue's child job will run), then the totals. Re-running a period
 * replaces its drafts and never duplicates an invoice.
 */
export async function runBilling(caller: Caller, input: RunBillingInput): Promise<BillingRun> {
  const { clientId } = fromTenantIdOrThrow('Client', input.clientId);
  assertClientAdmin(caller.identity, clientId);
  const context = tenantContextFor(caller.identity, clientId);
  const started = await withTenant(caller.database, context, async (tx) => {
    const scope = await loadBillingScope(tx, clientId, input.period);
    if (!scope) throw new NotFoundError('Client', input.clientId);
    const run = await insertBillingRun(tx, {
      clientId,
      period: input.period,
      total: scope.customers.length,
      startedByUserId: caller.identity.userId,
    });
    await recordAudit(tx, caller, {
      clientId,
      action: 'billing.run',
      entityType: 'BillingRun',
      entityId: run.id,
      after: { period: input.period, customers: scope.customers.length },
    });
    return { scope, run };
  });
  const { scope, run } = started;
  try {
    for (const customer of scope.customers) {
      await withTenant(caller.database, context, (tx) => billCustomer(tx, scope, customer, run.id));
    }
  } catch (error) {
    await withTenant(caller.database, context, (tx) =>
      markRunFailed(tx, clientId, run.id, error instanceof Error ? error.message : String(error)),
    );
    throw error;
  }
  await withTenant(caller.database, context, (tx) => finishBillingRun(tx, clientId, run.id));
  return getBillingRunOrThrow(caller, toGlobalId('BillingRun', clientId, run.id));
}

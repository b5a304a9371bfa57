import { withTenant } from '@ciro/db';
import {
  BadUserInputError,
  NotFoundError,
  assertClientAdmin,
  createLogger,
  fromTenantIdOrThrow,
  recordAudit,
  tenantContextFor,
  toGlobalId,
  type Caller,
} from '@ciro/subgraph-common';
import Decimal from 'decimal.js';
import { assertPeriodOpen } from '../periods/billing-period.service';
import { NO_BILLING_RUN_EVENTS } from './billing-run-events';
import { loadBillingScope } from './billing-inputs.repository';
import {
  findBillingRunRow,
  insertBillingRun,
  listRunCustomerOutcomes,
  markRunFailed,
  type BillingRunRow,
  type RunCountsJson,
} from './billing-run.repository';
import { publishRunProgress, resumeRun, runInline, type BillingRunDeps } from './billing-run.steps';
import { BillingRunCustomerStatus, BillingRunStatus, type BillingRun, type RunBillingInput } from './billing-run.type';
import { RunScopeCache } from './run-scope-cache';

function toBillingRun(row: BillingRunRow, outcomes: Awaited<ReturnType<typeof listRunCustomerOutcomes>>): BillingRun {
  const json = (row.counts as RunCountsJson | null) ?? {};
  const tally = (status: BillingRunCustomerStatus) => outcomes.filter((o) => o.status === (status as string)).length;
  const failed = tally(BillingRunCustomerStatus.FAILED);
  return {
    id: toGlobalId('BillingRun', row.clientId, row.id),
    clientId: row.clientId,
    runId: row.id,
    period: row.period,
    status: row.status as BillingRunStatus,
    progress: row.progress,
    total: row.total,
    customersTotal: row.total,
    customersDone: row.progress,
    customersFailed: failed,
    counts: {
      drafted: tally(BillingRunCustomerStatus.DRAFTED),
      noReadings: tally(BillingRunCustomerStatus.NO_READINGS),
      alreadyIssued: tally(BillingRunCustomerStatus.ALREADY_ISSUED),
      negativeTotal: tally(BillingRunCustomerStatus.NEGATIVE_TOTAL),
      failed,
      withMissingSlots: outcomes.filter((o) => (o.expectedSlots ?? 0) > (o.presentSlots ?? 0)).length,
      withMissingForecastHours: outcomes.filter((o) => (o.missingForecastHours ?? 0) > 0).length,
    },
    createdAt: row.createdAt,
    startedAt: json.startedAt ? new Date(json.startedAt) : null,
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

interface StartedRun {
  clientId: string;
  runId: string;
  customerIds: string[];
}

/** The run row (QUEUED) for every ACTIVE customer of the client, and its audit entry. */
async function createRun(caller: Caller, input: RunBillingInput): Promise<StartedRun> {
  const { clientId } = fromTenantIdOrThrow('Client', input.clientId);
  assertClientAdmin(caller.identity, clientId);
  return withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    const scope = await loadBillingScope(tx, clientId, input.period);
    if (!scope) throw new NotFoundError('Client', input.clientId);
    await assertPeriodOpen(tx, clientId, input.period);
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
    return { clientId, runId: run.id, customerIds: scope.customers.map((c) => c.id) };
  });
}

/**
 * Starts a billing run of every ACTIVE customer of a client for a period and returns at once with the run QUEUED:
 * a BullMQ flow bills one customer per child job (`billCustomer`) and its parent closes the run (DESIGN §7).
 * Re-running a period replaces its drafts and never duplicates an invoice. Poll `billingRun(id)` or listen to the
 * run's progress events for the end.
 */
export async function queueBillingRun(
  caller: Caller,
  input: RunBillingInput,
  deps: BillingRunDeps,
): Promise<BillingRun> {
  const queue = deps.queue;
  if (!queue) throw new Error('queueBillingRun needs the billing queue');
  const run = await createRun(caller, input);
  // Announced before its jobs exist, so QUEUED always comes before the workers' events.
  await publishRunProgress(deps, run, null);
  try {
    await queue.enqueueRun(run);
  } catch (error) {
    await withTenant(caller.database, tenantContextFor(caller.identity, run.clientId), (tx) =>
      markRunFailed(tx, run.clientId, run.runId, `Could not queue the run: ${(error as Error).message}`),
    );
    await publishRunProgress(deps, run, null);
    throw error;
  }
  return getBillingRunOrThrow(caller, toGlobalId('BillingRun', run.clientId, run.runId));
}

/**
 * Puts a run that stopped midway (FAILED, or QUEUED/RUNNING with its jobs lost) back on the queue: customers that
 * already have an outcome are skipped. A run still in progress, or finished, is returned as it is.
 */
export async function resumeBillingRun(caller: Caller, globalId: string, deps: BillingRunDeps): Promise<BillingRun> {
  const { clientId, id } = fromTenantIdOrThrow('BillingRun', globalId);
  const before = await getBillingRunOrThrow(caller, globalId);
  if (before.status === BillingRunStatus.COMPLETED || before.status === BillingRunStatus.COMPLETED_WITH_ERRORS) {
    throw new BadUserInputError('id', `Billing run ${globalId} is ${before.status}: run billing again instead`);
  }
  await resumeRun(deps, { clientId, runId: id });
  return getBillingRunOrThrow(caller, globalId);
}

let inlineDeps: BillingRunDeps | null = null;

/**
 * The synchronous path: bills every ACTIVE customer in this process, one transaction each, with the same steps as
 * the queue's jobs, and returns the finished run. For scripts and test fixtures of other packages that need drafts
 * at once; the GraphQL mutation queues (`queueBillingRun`).
 */
export async function runBilling(caller: Caller, input: RunBillingInput): Promise<BillingRun> {
  const run = await createRun(caller, input);
  inlineDeps ??= {
    database: caller.database,
    events: NO_BILLING_RUN_EVENTS,
    logger: createLogger('billing-inline'),
    queue: null,
    scopes: new RunScopeCache(),
  };
  await runInline({ ...inlineDeps, database: caller.database }, run, run.customerIds);
  return getBillingRunOrThrow(caller, toGlobalId('BillingRun', run.clientId, run.runId));
}

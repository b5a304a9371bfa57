import { withTenant, type Database, type TenantContext } from '@ciro/db';
import type { Logger } from '@ciro/subgraph-common';
import type { BillingRunQueue } from '../jobs/queue';
import { billCustomer } from './bill-customer';
import type { BillingRunEvents } from './billing-run-events';
import {
  findBillingRunRow,
  finishBillingRun,
  hasRunCustomerOutcome,
  listRunCustomerIdsWithOutcome,
  lockRunCustomer,
  markRunFailed,
  markRunStarted,
  putRunCustomerOutcome,
  readRunProgress,
  reopenBillingRun,
  TERMINAL_RUN_STATUSES,
  type BillingRunCustomerStatus,
  type RunProgressRow,
  type RunStatus,
} from './billing-run.repository';
import { loadBillingScope } from './billing-inputs.repository';
import type { PricingPool } from './pricing-pool';
import type { RunScopeCache } from './run-scope-cache';

/** What the steps of a run need: the same in a queue worker and in the inline run. */
export interface BillingRunDeps {
  database: Database;
  events: BillingRunEvents;
  logger: Logger;
  /** Where runs are queued; null where there is no queue (the inline run). */
  queue: BillingRunQueue | null;
  scopes: RunScopeCache;
  /** Where the engine runs (engine threads, or inline when absent). */
  pricing?: PricingPool;
}

/** Workers act for the client of the job: a system role narrowed to that client by RLS. */
export function workerContext(clientId: string): TenantContext {
  return { role: 'SYSTEM_ADMIN', clientId, customerId: null, userId: null };
}

export interface RunRef {
  clientId: string;
  runId: string;
}

/** Publishes the run's current figures; never fails the step that calls it (events are advisory). */
export async function publishRunProgress(deps: BillingRunDeps, ref: RunRef, customerId: string | null): Promise<void> {
  try {
    const progress = await withTenant(deps.database, workerContext(ref.clientId), (tx) =>
      readRunProgress(tx, ref.clientId, ref.runId),
    );
    await publishProgress(deps, ref, progress, customerId);
  } catch (error) {
    deps.logger.warn({ err: error, runId: ref.runId }, 'could not publish billing run progress');
  }
}

export type BillRunCustomerResult = BillingRunCustomerStatus | 'SKIPPED' | 'RUN_GONE';

async function publishProgress(
  deps: BillingRunDeps,
  ref: RunRef,
  progress: RunProgressRow | null,
  customerId: string | null,
): Promise<void> {
  if (!progress) return;
  try {
    await deps.events.publish(ref.clientId, {
      runId: ref.runId,
      status: progress.status,
      customersTotal: progress.total,
      customersDone: progress.done,
      customersFailed: progress.failed,
      customerId,
    });
  } catch (error) {
    deps.logger.warn({ err: error, runId: ref.runId }, 'could not publish billing run progress');
  }
}

/**
 * One child of a run: bills the customer (BILLING.md, `billCustomer`) in one transaction unless the customer already
 * has an outcome in this run (a resumed or retried job), then publishes progress. On the last attempt an unexpected
 * error becomes the customer's FAILED outcome instead of a failed job, so the run can finish.
 */
export async function billRunCustomer(
  deps: BillingRunDeps,
  ref: RunRef & { customerId: string },
  options: { lastAttempt: boolean } = { lastAttempt: true },
): Promise<BillRunCustomerResult> {
  const ctx = workerContext(ref.clientId);
  let started = false;
  let result: BillRunCustomerResult;
  let progress: RunProgressRow | null = null;
  try {
    result = await withTenant(deps.database, ctx, async (tx) => {
      // billCustomer's lock, taken before the check: a second worker on the same customer waits, then skips it.
      const run = await lockRunCustomer(tx, ref.clientId, ref.runId, ref.customerId);
      if (!run) return 'RUN_GONE';
      // QUEUED → RUNNING with the first customer (in this transaction: no extra round trip for the others).
      if (run.status === 'QUEUED') started = await markRunStarted(tx, ref.clientId, ref.runId, new Date());
      if (await hasRunCustomerOutcome(tx, ref.clientId, ref.runId, ref.customerId)) return 'SKIPPED';
      const found = await deps.scopes.customerOf(
        tx,
        { clientId: ref.clientId, id: ref.runId, period: run.period },
        ref.customerId,
      );
      if (!found?.customer) {
        progress = await putRunCustomerOutcome(tx, {
          clientId: ref.clientId,
          runId: ref.runId,
          customerId: ref.customerId,
          status: 'FAILED',
          message: 'The customer is no longer ACTIVE',
        });
        return 'FAILED';
      }
      const billed = await billCustomer(tx, found.scope, found.customer, ref.runId, {
        locked: true,
        pricing: deps.pricing,
      });
      progress = billed.progress;
      return billed.status;
    });
  } catch (error) {
    if (!options.lastAttempt) throw error;
    const message = error instanceof Error ? error.message : String(error);
    deps.logger.error({ err: error, runId: ref.runId, customerId: ref.customerId }, 'billing a customer failed');
    progress = await withTenant(deps.database, ctx, (tx) =>
      putRunCustomerOutcome(tx, {
        clientId: ref.clientId,
        runId: ref.runId,
        customerId: ref.customerId,
        status: 'FAILED',
        message: `Unexpected error: ${message}`,
      }),
    );
    result = 'FAILED';
  }
  if (started) await publishRunProgress(deps, ref, null);
  if (result !== 'RUN_GONE' && result !== 'SKIPPED') await publishProgress(deps, ref, progress, ref.customerId);
  return result;
}

/** The parent of a run, once every child is done: final status and counts (see `finishBillingRun`). */
export async function finishRun(deps: BillingRunDeps, ref: RunRef): Promise<RunStatus | 'RUN_GONE'> {
  const status = await withTenant(deps.database, workerContext(ref.clientId), async (tx) => {
    const run = await findBillingRunRow(tx, ref.clientId, ref.runId);
    if (!run) return 'RUN_GONE' as const;
    if (TERMINAL_RUN_STATUSES.includes(run.status as RunStatus)) return run.status as RunStatus;
    return (await finishBillingRun(tx, ref.clientId, ref.runId)).status as RunStatus;
  });
  deps.scopes.forget(ref.runId);
  if (status !== 'RUN_GONE') await publishRunProgress(deps, ref, null);
  return status;
}

/** After the parent's last attempt failed: the run is FAILED (and can be resumed). */
export async function failRun(deps: BillingRunDeps, ref: RunRef, message: string): Promise<void> {
  await withTenant(deps.database, workerContext(ref.clientId), (tx) =>
    markRunFailed(tx, ref.clientId, ref.runId, message),
  );
  deps.scopes.forget(ref.runId);
  await publishRunProgress(deps, ref, null);
}

export type ResumeOutcome = 'ALREADY_FINISHED' | 'IN_PROGRESS' | 'RESUMED' | 'RUN_GONE';

/**
 * Puts an unfinished (QUEUED, RUNNING) or FAILED run back on the queue with a child for each ACTIVE customer that
 * has no outcome yet; customers already billed are skipped. A run whose jobs are still queued is left alone, and
 * deterministic job ids keep a customer from being queued twice.
 */
export async function resumeRun(deps: BillingRunDeps, ref: RunRef): Promise<ResumeOutcome> {
  const queue = deps.queue;
  if (!queue) throw new Error('resuming a billing run needs the billing queue');
  const ctx = workerContext(ref.clientId);
  const plan = await withTenant(deps.database, ctx, async (tx) => {
    const run = await findBillingRunRow(tx, ref.clientId, ref.runId);
    if (!run) return 'RUN_GONE' as const;
    if (run.status === 'COMPLETED' || run.status === 'COMPLETED_WITH_ERRORS') return 'ALREADY_FINISHED' as const;
    const scope = await loadBillingScope(tx, ref.clientId, run.period);
    const done = await listRunCustomerIdsWithOutcome(tx, ref.clientId, ref.runId);
    const missing = (scope?.customers ?? []).filter((c) => !done.has(c.id)).map((c) => c.id);
    return { run, done: done.size, missing };
  });
  if (typeof plan === 'string') return plan;
  if (plan.run.status !== 'FAILED' && (await queue.isRunInFlight(ref.runId))) return 'IN_PROGRESS';
  await withTenant(deps.database, ctx, (tx) =>
    reopenBillingRun(tx, ref.clientId, ref.runId, {
      status: plan.done > 0 ? 'RUNNING' : 'QUEUED',
      total: plan.done + plan.missing.length,
    }),
  );
  deps.scopes.forget(ref.runId);
  await queue.enqueueRun({ clientId: ref.clientId, runId: ref.runId, customerIds: plan.missing }, { replace: true });
  await publishRunProgress(deps, ref, null);
  deps.logger.info({ runId: ref.runId, skipped: plan.done, queued: plan.missing.length }, 'billing run resumed');
  return 'RESUMED';
}

/** Every customer of a run in this process, one after the other: the same steps as the queue's jobs. */
export async function runInline(deps: BillingRunDeps, ref: RunRef, customerIds: string[]): Promise<void> {
  for (const customerId of customerIds) {
    await billRunCustomer(deps, { ...ref, customerId });
  }
  await finishRun(deps, ref);
}

import { schema, type Tx } from '@ciro/db';
import { and, asc, eq, sql } from 'drizzle-orm';

export type BillingRunRow = typeof schema.billingRuns.$inferSelect;
export type BillingRunCustomerRow = typeof schema.billingRunCustomers.$inferSelect;
export type BillingRunCustomerStatus = BillingRunCustomerRow['status'];
export type NewBillingRunCustomer = Omit<typeof schema.billingRunCustomers.$inferInsert, 'updatedAt'>;

/** Statuses of `billing_runs.status`; QUEUED and RUNNING are not terminal. */
export type RunStatus = 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'COMPLETED_WITH_ERRORS' | 'FAILED';
export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED'];

/**
 * `billing_runs.counts` (jsonb): when the first customer started (billing_runs has no column for it) and, once the
 * run is finished, how many customers ended in each outcome.
 */
export type RunCountsJson = Partial<RunCounts> & { startedAt?: string };

export async function insertBillingRun(
  tx: Tx,
  values: { clientId: string; period: string; total: number; startedByUserId: string | null; status?: RunStatus },
): Promise<BillingRunRow> {
  const [row] = await tx
    .insert(schema.billingRuns)
    .values({ ...values, status: values.status ?? 'QUEUED', progress: 0 })
    .returning();
  if (!row) throw new Error('insert into billing_runs returned no row');
  return row;
}

export async function findBillingRunRow(tx: Tx, clientId: string, id: string): Promise<BillingRunRow | null> {
  const [row] = await tx
    .select()
    .from(schema.billingRuns)
    .where(and(eq(schema.billingRuns.clientId, clientId), eq(schema.billingRuns.id, id)));
  return row ?? null;
}

/**
 * Records (or, on a resumed run, replaces) one customer's outcome and counts it in the run's progress once, in one
 * statement, and returns the run's figures after it (what a progress event carries).
 */
export async function putRunCustomerOutcome(tx: Tx, outcome: NewBillingRunCustomer): Promise<RunProgressRow | null> {
  const o = outcome;
  const rows = await tx.execute<{ status: string; total: number; done: number; failed: number }>(sql`
    with put as (
      insert into billing_run_customers (client_id, run_id, customer_id, status, invoice_id, total, expected_slots,
        present_slots, missing_forecast_hours, message, updated_at)
      values (${o.clientId}, ${o.runId}, ${o.customerId}, ${o.status}, ${o.invoiceId ?? null}, ${o.total ?? null},
        ${o.expectedSlots ?? null}, ${o.presentSlots ?? null}, ${o.missingForecastHours ?? null}, ${o.message ?? null}, now())
      on conflict (client_id, run_id, customer_id) do update set status = excluded.status,
        invoice_id = excluded.invoice_id, total = excluded.total, expected_slots = excluded.expected_slots,
        present_slots = excluded.present_slots, missing_forecast_hours = excluded.missing_forecast_hours,
        message = excluded.message, updated_at = excluded.updated_at
      -- xmax = 0 only for a row this statement inserted.
      returning (xmax = 0) as fresh, status
    )
    update billing_runs r set progress = r.progress + (select count(*) from put where fresh)::int
    where r.client_id = ${o.clientId} and r.id = ${o.runId}
    returning r.status, r.total, r.progress as done,
      ((select count(*) from billing_run_customers c
         where c.client_id = ${o.clientId} and c.run_id = ${o.runId} and c.status = 'FAILED' and c.customer_id <> ${o.customerId})
       + (select count(*) from put where status = 'FAILED'))::int as failed`);
  const [row] = [...rows];
  return row ? { status: row.status as RunStatus, total: row.total, done: row.done, failed: row.failed } : null;
}

export async function listRunCustomerOutcomes(
  tx: Tx,
  clientId: string,
  runId: string,
): Promise<(BillingRunCustomerRow & { customerCode: string })[]> {
  const t = schema.billingRunCustomers;
  const rows = await tx
    .select({ outcome: t, customerCode: schema.customers.code })
    .from(t)
    .innerJoin(schema.customers, and(eq(schema.customers.clientId, t.clientId), eq(schema.customers.id, t.customerId)))
    .where(and(eq(t.clientId, clientId), eq(t.runId, runId)))
    .orderBy(asc(schema.customers.code));
  return rows.map((r) => ({ ...r.outcome, customerCode: r.customerCode }));
}

export type RunCounts = Record<BillingRunCustomerStatus, number>;

const runKey = (clientId: string, runId: string) =>
  and(eq(schema.billingRuns.clientId, clientId), eq(schema.billingRuns.id, runId));

/** QUEUED → RUNNING when the first customer starts (records startedAt); true when this call moved it. */
export async function markRunStarted(tx: Tx, clientId: string, runId: string, at: Date): Promise<boolean> {
  const rows = await tx
    .update(schema.billingRuns)
    .set({
      status: 'RUNNING',
      counts: sql`coalesce(${schema.billingRuns.counts}, '{}'::jsonb) || ${JSON.stringify({ startedAt: at.toISOString() })}::jsonb`,
    })
    .where(and(runKey(clientId, runId), eq(schema.billingRuns.status, 'QUEUED')))
    .returning({ id: schema.billingRuns.id });
  return rows.length > 0;
}

/**
 * The run's period, under the customer's billing lock (`billing:<client>:<customer>:<period>`, the one
 * `billCustomer` takes): null when the run is not visible.
 */
export async function lockRunCustomer(
  tx: Tx,
  clientId: string,
  runId: string,
  customerId: string,
): Promise<{ period: string; status: string } | null> {
  const rows = await tx.execute<{ period: string; status: string }>(sql`
    select period, status, pg_advisory_xact_lock(hashtextextended('billing:' || client_id || ':' || ${customerId}::text || ':' || period, 0))
    from billing_runs where client_id = ${clientId} and id = ${runId}`);
  const [row] = [...rows];
  return row ? { period: row.period, status: row.status } : null;
}

export async function hasRunCustomerOutcome(tx: Tx, clientId: string, runId: string, customerId: string) {
  const t = schema.billingRunCustomers;
  const [row] = await tx
    .select({ status: t.status })
    .from(t)
    .where(and(eq(t.clientId, clientId), eq(t.runId, runId), eq(t.customerId, customerId)));
  return row !== undefined;
}

export interface RunProgressRow {
  status: RunStatus;
  total: number;
  done: number;
  failed: number;
}

/** The figures of a progress event: outcomes recorded so far and how many of them FAILED. */
export async function readRunProgress(tx: Tx, clientId: string, runId: string): Promise<RunProgressRow | null> {
  const t = schema.billingRunCustomers;
  const [row] = await tx
    .select({
      status: schema.billingRuns.status,
      total: schema.billingRuns.total,
      done: schema.billingRuns.progress,
      failed: sql<number>`(select count(*)::int from ${t} where ${t.clientId} = ${clientId} and ${t.runId} = ${runId} and ${t.status} = 'FAILED')`,
    })
    .from(schema.billingRuns)
    .where(runKey(clientId, runId));
  return row ? { ...row, status: row.status as RunStatus } : null;
}

/** Customer ids of a run that already have an outcome (a resumed run skips them). */
export async function listRunCustomerIdsWithOutcome(tx: Tx, clientId: string, runId: string): Promise<Set<string>> {
  const t = schema.billingRunCustomers;
  const rows = await tx
    .select({ customerId: t.customerId })
    .from(t)
    .where(and(eq(t.clientId, clientId), eq(t.runId, runId)));
  return new Set(rows.map((r) => r.customerId));
}

/** A resumed run is open again: QUEUED (nothing done yet) or RUNNING, no finish time, no errors. */
export async function reopenBillingRun(
  tx: Tx,
  clientId: string,
  runId: string,
  values: { status: 'QUEUED' | 'RUNNING'; total: number },
): Promise<void> {
  await tx
    .update(schema.billingRuns)
    .set({ status: values.status, total: values.total, errors: null, finishedAt: null })
    .where(runKey(clientId, runId));
}

/** Runs not finished, of every client or one (a worker resumes them when it starts): call through asSystem. */
export async function listUnfinishedRuns(tx: Tx, clientId?: string): Promise<{ clientId: string; id: string }[]> {
  return tx
    .select({ clientId: schema.billingRuns.clientId, id: schema.billingRuns.id })
    .from(schema.billingRuns)
    .where(
      and(
        sql`${schema.billingRuns.status} in ('QUEUED', 'RUNNING')`,
        clientId === undefined ? undefined : eq(schema.billingRuns.clientId, clientId),
      ),
    )
    .orderBy(asc(schema.billingRuns.createdAt));
}

/**
 * Closes a run: COMPLETED, or COMPLETED_WITH_ERRORS when some customer failed; counts per outcome. A run where some
 * customer has no outcome at all (its job gave up without recording one) is FAILED and can be resumed.
 */
export async function finishBillingRun(tx: Tx, clientId: string, runId: string): Promise<BillingRunRow> {
  const t = schema.billingRunCustomers;
  const grouped = await tx
    .select({ status: t.status, n: sql<number>`count(*)::int` })
    .from(t)
    .where(and(eq(t.clientId, clientId), eq(t.runId, runId)))
    .groupBy(t.status);
  const counts: RunCounts = { DRAFTED: 0, NO_READINGS: 0, ALREADY_ISSUED: 0, NEGATIVE_TOTAL: 0, FAILED: 0 };
  for (const g of grouped) counts[g.status] = g.n;
  const errors = await tx
    .select({ customerId: t.customerId, status: t.status, message: t.message })
    .from(t)
    .where(and(eq(t.clientId, clientId), eq(t.runId, runId), sql`${t.status} in ('FAILED', 'NEGATIVE_TOTAL')`));
  const [current] = await tx
    .select({ total: schema.billingRuns.total, counts: schema.billingRuns.counts })
    .from(schema.billingRuns)
    .where(runKey(clientId, runId));
  if (!current) throw new Error(`billing run ${runId} is not visible`);
  const done = Object.values(counts).reduce((a, b) => a + b, 0);
  const missing = current.total - done;
  const status = missing > 0 ? 'FAILED' : counts.FAILED > 0 ? 'COMPLETED_WITH_ERRORS' : 'COMPLETED';
  const allErrors =
    missing > 0
      ? [...errors, { message: `${missing} customer(s) have no outcome: resume the run (resumeBillingRun)` }]
      : errors;
  const json: RunCountsJson = { ...((current.counts as RunCountsJson | null) ?? {}), ...counts };
  const [row] = await tx
    .update(schema.billingRuns)
    .set({ status, counts: json, errors: allErrors, finishedAt: new Date() })
    .where(runKey(clientId, runId))
    .returning();
  if (!row) throw new Error(`billing run ${runId} is not visible`);
  return row;
}

/** A run that stopped midway: the customers already billed keep their outcome, so it can be resumed or re-run. */
export async function markRunFailed(tx: Tx, clientId: string, runId: string, message: string): Promise<void> {
  await tx
    .update(schema.billingRuns)
    .set({ status: 'FAILED', errors: [{ message }], finishedAt: new Date() })
    .where(runKey(clientId, runId));
}

import { schema, type Tx } from '@ciro/db';
import { and, asc, eq, sql } from 'drizzle-orm';

export type BillingRunRow = typeof schema.billingRuns.$inferSelect;
export type BillingRunCustomerRow = typeof schema.billingRunCustomers.$inferSelect;
export type BillingRunCustomerStatus = BillingRunCustomerRow['status'];
export type NewBillingRunCustomer = Omit<typeof schema.billingRunCustomers.$inferInsert, 'updatedAt'>;

export async function insertBillingRun(
  tx: Tx,
  values: { clientId: string; period: string; total: number; startedByUserId: string | null },
): Promise<BillingRunRow> {
  const [row] = await tx
    .insert(schema.billingRuns)
    .values({ ...values, status: 'RUNNING', progress: 0 })
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

/** Records (or, on a resumed run, replaces) one customer's outcome and counts it in the run's progress once. */
export async function putRunCustomerOutcome(tx: Tx, outcome: NewBillingRunCustomer): Promise<void> {
  const t = schema.billingRunCustomers;
  const [inserted] = await tx
    .insert(t)
    .values(outcome)
    .onConflictDoUpdate({
      target: [t.clientId, t.runId, t.customerId],
      set: {
        status: outcome.status,
        invoiceId: outcome.invoiceId ?? null,
        total: outcome.total ?? null,
        expectedSlots: outcome.expectedSlots ?? null,
        presentSlots: outcome.presentSlots ?? null,
        missingForecastHours: outcome.missingForecastHours ?? null,
        message: outcome.message ?? null,
        updatedAt: new Date(),
      },
    })
    // xmax = 0 only for a row this statement inserted.
    .returning({ fresh: sql<boolean>`(xmax = 0)` });
  if (inserted?.fresh) {
    await tx
      .update(schema.billingRuns)
      .set({ progress: sql`${schema.billingRuns.progress} + 1` })
      .where(and(eq(schema.billingRuns.clientId, outcome.clientId), eq(schema.billingRuns.id, outcome.runId)));
  }
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

/** Closes a run: COMPLETED, or COMPLETED_WITH_ERRORS when some customer failed; counts per outcome. */
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
  const [row] = await tx
    .update(schema.billingRuns)
    .set({ status: counts.FAILED > 0 ? 'COMPLETED_WITH_ERRORS' : 'COMPLETED', counts, errors, finishedAt: new Date() })
    .where(and(eq(schema.billingRuns.clientId, clientId), eq(schema.billingRuns.id, runId)))
    .returning();
  if (!row) throw new Error(`billing run ${runId} is not visible`);
  return row;
}

/** A run that stopped midway: the customers already billed keep their outcome, so it can be resumed or re-run. */
export async function markRunFailed(tx: Tx, clientId: string, runId: string, message: string): Promise<void> {
  await tx
    .update(schema.billingRuns)
    .set({ status: 'FAILED', errors: [{ message }], finishedAt: new Date() })
    .where(and(eq(schema.billingRuns.clientId, clientId), eq(schema.billingRuns.id, runId)));
}

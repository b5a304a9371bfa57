import { schema, type Tx } from '@ciro/db';
import { and, asc, count, desc, eq, inArray, ne, not, sql, type SQL } from 'drizzle-orm';

export type InvoiceRow = typeof schema.invoices.$inferSelect;
export type NewInvoiceRow = typeof schema.invoices.$inferInsert;
export type InvoiceLineRow = typeof schema.invoiceLines.$inferSelect;
export type NewInvoiceLineRow = Omit<typeof schema.invoiceLines.$inferInsert, 'clientId' | 'invoiceId'>;

/** Statuses as callers see them: OVERDUE is computed from the due date and the balance, never stored. */
export type EffectiveStatus = 'DRAFT' | 'ISSUED' | 'PAID' | 'PARTIALLY_PAID' | 'OVERDUE' | 'VOID';

const inv = schema.invoices;

export async function findInvoiceRow(tx: Tx, clientId: string, id: string): Promise<InvoiceRow | null> {
  const [row] = await tx
    .select()
    .from(inv)
    .where(and(eq(inv.clientId, clientId), eq(inv.id, id)));
  return row ?? null;
}

/** Locks an invoice row for a payment, a void or a credit note. */
export async function findInvoiceRowForUpdate(tx: Tx, clientId: string, id: string): Promise<InvoiceRow | null> {
  const [row] = await tx
    .select()
    .from(inv)
    .where(and(eq(inv.clientId, clientId), eq(inv.id, id)))
    .for('update');
  return row ?? null;
}

/** The customer's live (not voided) invoice of the period, locked: at most one exists (unique index). */
export async function findLiveInvoiceForUpdate(
  tx: Tx,
  clientId: string,
  customerId: string,
  period: string,
): Promise<InvoiceRow | null> {
  const [row] = await tx
    .select()
    .from(inv)
    .where(
      and(
        eq(inv.clientId, clientId),
        eq(inv.customerId, customerId),
        eq(inv.period, period),
        eq(inv.kind, 'INVOICE'),
        ne(inv.status, 'VOID'),
      ),
    )
    .for('update');
  return row ?? null;
}

/** Deletes a DRAFT (its lines cascade); adjustments it carried become free for the next draft. */
export async function deleteDraftInvoice(tx: Tx, clientId: string, invoiceId: string): Promise<void> {
  await tx
    .update(schema.adjustments)
    .set({ invoiceId: null })
    .where(and(eq(schema.adjustments.clientId, clientId), eq(schema.adjustments.invoiceId, invoiceId)));
  await tx.delete(inv).where(and(eq(inv.clientId, clientId), eq(inv.id, invoiceId), eq(inv.status, 'DRAFT')));
}

export async function insertInvoice(tx: Tx, values: NewInvoiceRow, lines: NewInvoiceLineRow[]): Promise<InvoiceRow> {
  const [row] = await tx.insert(inv).values(values).returning();
  if (!row) throw new Error('insert into invoices returned no row');
  if (lines.length > 0) {
    await tx
      .insert(schema.invoiceLines)
      .values(lines.map((line) => ({ ...line, clientId: row.clientId, invoiceId: row.id })));
  }
  return row;
}

export async function linkAdjustments(tx: Tx, clientId: string, ids: string[], invoiceId: string): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .update(schema.adjustments)
    .set({ invoiceId })
    .where(and(eq(schema.adjustments.clientId, clientId), inArray(schema.adjustments.id, ids)));
}

/** Lines of several invoices in one query, by invoice, in line order. */
export async function listLines(
  tx: Tx,
  clientId: string,
  invoiceIds: string[],
): Promise<Map<string, InvoiceLineRow[]>> {
  const out = new Map<string, InvoiceLineRow[]>(invoiceIds.map((id) => [id, []]));
  if (invoiceIds.length === 0) return out;
  const rows = await tx
    .select()
    .from(schema.invoiceLines)
    .where(and(eq(schema.invoiceLines.clientId, clientId), inArray(schema.invoiceLines.invoiceId, invoiceIds)))
    .orderBy(asc(schema.invoiceLines.invoiceId), asc(schema.invoiceLines.lineNo));
  for (const row of rows) out.get(row.invoiceId)?.push(row);
  return out;
}

/** Issued invoice with a balance whose due date (a local date) is before `today`. */
function overdueSql(today: string): SQL {
  return sql`(${inv.kind} = 'INVOICE' and ${inv.status} in ('ISSUED', 'PARTIALLY_PAID') and ${inv.dueDate} < ${today} and ${inv.total} > ${inv.paidAmount})`;
}

export function effectiveStatusSql(status: EffectiveStatus, today: string): SQL {
  switch (status) {
    case 'OVERDUE':
      return overdueSql(today);
    case 'ISSUED':
    case 'PARTIALLY_PAID':
      return and(eq(inv.status, status), not(overdueSql(today)))!;
    default:
      return eq(inv.status, status);
  }
}

export interface InvoiceFilter {
  clientId: string;
  customerId?: string | null;
  period?: string | null;
  status?: EffectiveStatus | null;
  /** Local date of the client today, for OVERDUE. */
  today: string;
}

function filterSql(filter: InvoiceFilter): SQL {
  return and(
    eq(inv.clientId, filter.clientId),
    filter.customerId ? eq(inv.customerId, filter.customerId) : undefined,
    filter.period ? eq(inv.period, filter.period) : undefined,
    filter.status ? effectiveStatusSql(filter.status, filter.today) : undefined,
  )!;
}

/** Newest period first; within a period by number (drafts last), then creation. */
export async function listInvoiceRows(
  tx: Tx,
  filter: InvoiceFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: InvoiceRow[]; total: number }> {
  const where = filterSql(filter);
  const rows = await tx
    .select()
    .from(inv)
    .where(where)
    .orderBy(desc(inv.period), sql`${inv.number} asc nulls last`, asc(inv.createdAt), asc(inv.id))
    .limit(page.limit)
    .offset(page.offset);
  const [counted] = await tx.select({ n: count() }).from(inv).where(where);
  return { rows, total: counted?.n ?? 0 };
}

/** DRAFT invoices to issue, locked so two issuers never number the same draft twice. */
export async function lockDraftsForIssue(
  tx: Tx,
  clientId: string,
  target: { runId: string } | { invoiceIds: string[] },
): Promise<(InvoiceRow & { customerCode: string; paymentTermsDays: number })[]> {
  const rows = await tx
    .select({
      invoice: inv,
      customerCode: schema.customers.code,
      paymentTermsDays: schema.customers.paymentTermsDays,
    })
    .from(inv)
    .innerJoin(
      schema.customers,
      and(eq(schema.customers.clientId, inv.clientId), eq(schema.customers.id, inv.customerId)),
    )
    .where(
      and(
        eq(inv.clientId, clientId),
        eq(inv.status, 'DRAFT'),
        'runId' in target ? eq(inv.billingRunId, target.runId) : inArray(inv.id, target.invoiceIds),
      ),
    )
    .orderBy(asc(inv.period), asc(inv.kind), asc(schema.customers.code), asc(inv.createdAt), asc(inv.id))
    .for('update', { of: inv });
  return rows.map((r) => ({ ...r.invoice, customerCode: r.customerCode, paymentTermsDays: r.paymentTermsDays }));
}

/**
 * Reserves `n` consecutive numbers of the client's fiscal year and returns the last one. The upsert takes the
 * sequence row's lock until the transaction ends, so concurrent issuers queue and numbers never gap or repeat.
 */
export async function reserveInvoiceNumbers(tx: Tx, clientId: string, year: number, n: number): Promise<number> {
  const seq = schema.invoiceNumberSequences;
  const [row] = await tx
    .insert(seq)
    .values({ clientId, year, lastNumber: n })
    .onConflictDoUpdate({
      target: [seq.clientId, seq.year],
      set: { lastNumber: sql`${seq.lastNumber} + ${n}` },
    })
    .returning({ lastNumber: seq.lastNumber });
  if (!row) throw new Error('invoice number sequence returned no row');
  return row.lastNumber;
}

export async function markIssued(
  tx: Tx,
  clientId: string,
  id: string,
  values: { number: string; fiscalYear: number; sequence: number; issuedAt: Date; dueDate: string },
): Promise<InvoiceRow> {
  const [row] = await tx
    .update(inv)
    .set({ ...values, status: 'ISSUED' })
    .where(and(eq(inv.clientId, clientId), eq(inv.id, id), eq(inv.status, 'DRAFT')))
    .returning();
  if (!row) throw new Error(`invoice ${id} is no longer a draft`);
  return row;
}

export async function updateInvoiceLifecycle(
  tx: Tx,
  clientId: string,
  id: string,
  values: Partial<Pick<InvoiceRow, 'status' | 'paidAmount' | 'voidedAt' | 'voidReason'>>,
): Promise<InvoiceRow> {
  const [row] = await tx
    .update(inv)
    .set(values)
    .where(and(eq(inv.clientId, clientId), eq(inv.id, id)))
    .returning();
  if (!row) throw new Error(`invoice ${id} is not visible`);
  return row;
}

export interface BillingSummaryRow {
  billed: string;
  credited: string;
  collected: string;
  outstanding: string;
  overdue: string;
  invoiceCount: number;
}

/** Totals of the issued (not voided) invoices and credit notes of a period. */
export async function billingSummary(
  tx: Tx,
  clientId: string,
  period: string,
  today: string,
): Promise<BillingSummaryRow> {
  const isInvoice = sql`${inv.kind} = 'INVOICE'`;
  const [row] = await tx
    .select({
      billed: sql<string>`coalesce(sum(${inv.total}) filter (where ${isInvoice}), 0)::text`,
      credited: sql<string>`coalesce(-sum(${inv.total}) filter (where not ${isInvoice}), 0)::text`,
      collected: sql<string>`coalesce(sum(${inv.paidAmount}) filter (where ${isInvoice}), 0)::text`,
      outstanding: sql<string>`coalesce(sum(${inv.total} - ${inv.paidAmount}) filter (where ${isInvoice}), 0)::text`,
      overdue: sql<string>`coalesce(sum(${inv.total} - ${inv.paidAmount}) filter (where ${overdueSql(today)}), 0)::text`,
      invoiceCount: sql<number>`(count(*) filter (where ${isInvoice}))::int`,
    })
    .from(inv)
    .where(
      and(
        eq(inv.clientId, clientId),
        eq(inv.period, period),
        inArray(inv.status, ['ISSUED', 'PAID', 'PARTIALLY_PAID']),
      ),
    );
  return row ?? { billed: '0', credited: '0', collected: '0', outstanding: '0', overdue: '0', invoiceCount: 0 };
}

export interface ClientBillingRow {
  code: string;
  zone: string;
  currency: string;
  vatRate: string;
}

export async function findClientBilling(tx: Tx, clientId: string): Promise<ClientBillingRow | null> {
  const [row] = await tx
    .select({
      code: schema.clients.code,
      zone: schema.clients.timeZone,
      currency: schema.clients.currency,
      vatRate: schema.clients.vatRate,
    })
    .from(schema.clients)
    .where(eq(schema.clients.id, clientId));
  return row ?? null;
}

/** Σ subtotals (negative) of the credit notes, not voided, that correct an invoice. */
export async function creditedSubtotal(tx: Tx, clientId: string, invoiceId: string): Promise<string> {
  const [row] = await tx
    .select({ sum: sql<string>`coalesce(sum(${inv.subtotal}), 0)::text` })
    .from(inv)
    .where(
      and(
        eq(inv.clientId, clientId),
        eq(inv.creditNoteOf, invoiceId),
        eq(inv.kind, 'CREDIT_NOTE'),
        ne(inv.status, 'VOID'),
      ),
    );
  return row?.sum ?? '0';
}

import { schema, type Tx } from '@ciro/db';
import { and, asc, eq } from 'drizzle-orm';

export type PaymentRow = typeof schema.payments.$inferSelect;

export async function insertPayment(tx: Tx, values: typeof schema.payments.$inferInsert): Promise<PaymentRow> {
  const [row] = await tx.insert(schema.payments).values(values).returning();
  if (!row) throw new Error('insert into payments returned no row');
  return row;
}

export async function listInvoicePayments(tx: Tx, clientId: string, invoiceId: string): Promise<PaymentRow[]> {
  return tx
    .select()
    .from(schema.payments)
    .where(and(eq(schema.payments.clientId, clientId), eq(schema.payments.invoiceId, invoiceId)))
    .orderBy(asc(schema.payments.paidAt), asc(schema.payments.createdAt));
}

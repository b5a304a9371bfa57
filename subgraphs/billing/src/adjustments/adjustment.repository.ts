import { schema, type Tx } from '@ciro/db';
import { and, eq } from 'drizzle-orm';

export type AdjustmentRow = typeof schema.adjustments.$inferSelect;

export async function insertAdjustment(tx: Tx, values: typeof schema.adjustments.$inferInsert): Promise<AdjustmentRow> {
  const [row] = await tx.insert(schema.adjustments).values(values).returning();
  if (!row) throw new Error('insert into adjustments returned no row');
  return row;
}

export async function customerExists(tx: Tx, clientId: string, customerId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: schema.customers.id })
    .from(schema.customers)
    .where(and(eq(schema.customers.clientId, clientId), eq(schema.customers.id, customerId)));
  return row !== undefined;
}

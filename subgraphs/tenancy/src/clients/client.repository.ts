import { schema, type Tx } from '@ciro/db';
import { asc, count, eq } from 'drizzle-orm';

export type ClientRow = typeof schema.clients.$inferSelect;
export type NewClientRow = typeof schema.clients.$inferInsert;

export async function findClientById(tx: Tx, id: string): Promise<ClientRow | null> {
  const [row] = await tx.select().from(schema.clients).where(eq(schema.clients.id, id));
  return row ?? null;
}

export async function findClientByCode(tx: Tx, code: string): Promise<ClientRow | null> {
  const [row] = await tx.select().from(schema.clients).where(eq(schema.clients.code, code));
  return row ?? null;
}

/** Lists the clients the current RLS context can see. */
export async function listVisibleClients(
  tx: Tx,
  limit: number,
  offset: number,
): Promise<{ rows: ClientRow[]; total: number }> {
  const rows = await tx.select().from(schema.clients).orderBy(asc(schema.clients.code)).limit(limit).offset(offset);
  const [totals] = await tx.select({ total: count() }).from(schema.clients);
  return { rows, total: totals?.total ?? 0 };
}

export async function insertClient(tx: Tx, values: NewClientRow): Promise<ClientRow> {
  const [row] = await tx.insert(schema.clients).values(values).returning();
  if (!row) throw new Error('insert into clients returned no row');
  return row;
}

export async function updateClientRow(tx: Tx, id: string, patch: Partial<NewClientRow>): Promise<ClientRow | null> {
  const [row] = await tx
    .update(schema.clients)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(schema.clients.id, id))
    .returning();
  return row ?? null;
}

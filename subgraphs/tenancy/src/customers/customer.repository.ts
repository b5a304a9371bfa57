import { schema, type Tx } from '@ciro/db';
import { and, asc, count, eq, ilike, or, type SQL } from 'drizzle-orm';

export type CustomerRow = typeof schema.customers.$inferSelect;
export type NewCustomerRow = typeof schema.customers.$inferInsert;

export interface CustomerWithTariff {
  customer: CustomerRow;
  tariffCode: string | null;
}

function selectWithTariff(tx: Tx) {
  return tx
    .select({ customer: schema.customers, tariffCode: schema.tariffs.code })
    .from(schema.customers)
    .leftJoin(
      schema.tariffs,
      and(eq(schema.tariffs.clientId, schema.customers.clientId), eq(schema.tariffs.id, schema.customers.tariffId)),
    );
}

export async function findCustomer(tx: Tx, clientId: string, id: string): Promise<CustomerWithTariff | null> {
  const [row] = await selectWithTariff(tx).where(
    and(eq(schema.customers.clientId, clientId), eq(schema.customers.id, id)),
  );
  return row ?? null;
}

export async function findCustomerByCode(tx: Tx, clientId: string, code: string): Promise<CustomerRow | null> {
  const [row] = await tx
    .select()
    .from(schema.customers)
    .where(and(eq(schema.customers.clientId, clientId), eq(schema.customers.code, code)));
  return row ?? null;
}

export async function listCustomers(
  tx: Tx,
  clientId: string,
  options: { limit: number; offset: number; search?: string },
): Promise<{ rows: CustomerWithTariff[]; total: number }> {
  const conditions: SQL[] = [eq(schema.customers.clientId, clientId)];
  if (options.search) {
    const pattern = `%${options.search.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    const match = or(ilike(schema.customers.code, pattern), ilike(schema.customers.name, pattern));
    if (match) conditions.push(match);
  }
  const where = and(...conditions);
  const rows = await selectWithTariff(tx)
    .where(where)
    .orderBy(asc(schema.customers.code))
    .limit(options.limit)
    .offset(options.offset);
  const [totals] = await tx.select({ total: count() }).from(schema.customers).where(where);
  return { rows, total: totals?.total ?? 0 };
}

export async function findTariffIdByCode(tx: Tx, clientId: string, code: string): Promise<string | null> {
  const [row] = await tx
    .select({ id: schema.tariffs.id })
    .from(schema.tariffs)
    .where(and(eq(schema.tariffs.clientId, clientId), eq(schema.tariffs.code, code)));
  return row?.id ?? null;
}

export async function insertCustomer(tx: Tx, values: NewCustomerRow): Promise<CustomerRow> {
  const [row] = await tx.insert(schema.customers).values(values).returning();
  if (!row) throw new Error('insert into customers returned no row');
  return row;
}

export async function updateCustomerRow(
  tx: Tx,
  clientId: string,
  id: string,
  patch: Partial<NewCustomerRow>,
): Promise<CustomerRow | null> {
  const [row] = await tx
    .update(schema.customers)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(schema.customers.clientId, clientId), eq(schema.customers.id, id)))
    .returning();
  return row ?? null;
}

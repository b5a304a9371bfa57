import { schema, type Tx } from '@ciro/db';
import { and, asc, count, desc, eq, gt, inArray, isNull, lte, or } from 'drizzle-orm';

export type MeterRow = typeof schema.meters.$inferSelect;
export type NewMeterRow = typeof schema.meters.$inferInsert;
export type MeterAssignmentRow = typeof schema.meterAssignments.$inferSelect;

export async function findMeter(tx: Tx, clientId: string, id: string): Promise<MeterRow | null> {
  const [row] = await tx
    .select()
    .from(schema.meters)
    .where(and(eq(schema.meters.clientId, clientId), eq(schema.meters.id, id)));
  return row ?? null;
}

export async function findMeterBySerial(tx: Tx, clientId: string, serial: string): Promise<MeterRow | null> {
  const [row] = await tx
    .select()
    .from(schema.meters)
    .where(and(eq(schema.meters.clientId, clientId), eq(schema.meters.serial, serial)));
  return row ?? null;
}

export async function listMeters(
  tx: Tx,
  clientId: string,
  limit: number,
  offset: number,
): Promise<{ rows: MeterRow[]; total: number }> {
  const where = eq(schema.meters.clientId, clientId);
  const rows = await tx
    .select()
    .from(schema.meters)
    .where(where)
    .orderBy(asc(schema.meters.serial))
    .limit(limit)
    .offset(offset);
  const [totals] = await tx.select({ total: count() }).from(schema.meters).where(where);
  return { rows, total: totals?.total ?? 0 };
}

/** Meters assigned to the customer at `at` (default: now). */
export async function listCustomerMeters(
  tx: Tx,
  clientId: string,
  customerId: string,
  at = new Date(),
): Promise<MeterRow[]> {
  const assigned = tx
    .select({ meterId: schema.meterAssignments.meterId })
    .from(schema.meterAssignments)
    .where(
      and(
        eq(schema.meterAssignments.clientId, clientId),
        eq(schema.meterAssignments.customerId, customerId),
        lte(schema.meterAssignments.validFrom, at),
        or(isNull(schema.meterAssignments.validTo), gt(schema.meterAssignments.validTo, at)),
      ),
    );
  return tx
    .select()
    .from(schema.meters)
    .where(and(eq(schema.meters.clientId, clientId), inArray(schema.meters.id, assigned)))
    .orderBy(asc(schema.meters.serial));
}

export async function listAssignments(tx: Tx, clientId: string, meterIds: string[]): Promise<MeterAssignmentRow[]> {
  if (meterIds.length === 0) return [];
  return tx
    .select()
    .from(schema.meterAssignments)
    .where(and(eq(schema.meterAssignments.clientId, clientId), inArray(schema.meterAssignments.meterId, meterIds)))
    .orderBy(desc(schema.meterAssignments.validFrom));
}

export async function insertMeter(tx: Tx, values: NewMeterRow): Promise<MeterRow> {
  const [row] = await tx.insert(schema.meters).values(values).returning();
  if (!row) throw new Error('insert into meters returned no row');
  return row;
}

export async function updateMeterRow(
  tx: Tx,
  clientId: string,
  id: string,
  patch: Partial<NewMeterRow>,
): Promise<MeterRow | null> {
  const [row] = await tx
    .update(schema.meters)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(schema.meters.clientId, clientId), eq(schema.meters.id, id)))
    .returning();
  return row ?? null;
}

/** Ends the open assignment (if any) at `at` and opens one for the customer from `at`. */
export async function reassignMeter(
  tx: Tx,
  clientId: string,
  meterId: string,
  customerId: string,
  at: Date,
): Promise<void> {
  await tx
    .update(schema.meterAssignments)
    .set({ validTo: at })
    .where(
      and(
        eq(schema.meterAssignments.clientId, clientId),
        eq(schema.meterAssignments.meterId, meterId),
        isNull(schema.meterAssignments.validTo),
      ),
    );
  await tx.insert(schema.meterAssignments).values({ clientId, meterId, customerId, validFrom: at });
}

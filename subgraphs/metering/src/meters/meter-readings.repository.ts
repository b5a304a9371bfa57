import { schema, type Tx } from '@ciro/db';
import { and, asc, count, eq, gte, lt } from 'drizzle-orm';

export type ReadingRow = Pick<typeof schema.meterReadings.$inferSelect, 'slotStart' | 'kwh' | 'kvarh' | 'uploadId'>;

export async function findVisibleMeter(tx: Tx, clientId: string, meterId: string): Promise<{ id: string } | null> {
  const [row] = await tx
    .select({ id: schema.meters.id })
    .from(schema.meters)
    .where(and(eq(schema.meters.clientId, clientId), eq(schema.meters.id, meterId)));
  return row ?? null;
}

export async function listReadings(
  tx: Tx,
  clientId: string,
  meterId: string,
  from: Date,
  to: Date,
  limit: number,
  offset: number,
): Promise<{ rows: ReadingRow[]; total: number }> {
  const where = and(
    eq(schema.meterReadings.clientId, clientId),
    eq(schema.meterReadings.meterId, meterId),
    gte(schema.meterReadings.slotStart, from),
    lt(schema.meterReadings.slotStart, to),
  );
  const rows = await tx
    .select({
      slotStart: schema.meterReadings.slotStart,
      kwh: schema.meterReadings.kwh,
      kvarh: schema.meterReadings.kvarh,
      uploadId: schema.meterReadings.uploadId,
    })
    .from(schema.meterReadings)
    .where(where)
    .orderBy(asc(schema.meterReadings.slotStart))
    .limit(limit)
    .offset(offset);
  const [totals] = await tx.select({ total: count() }).from(schema.meterReadings).where(where);
  return { rows, total: totals?.total ?? 0 };
}

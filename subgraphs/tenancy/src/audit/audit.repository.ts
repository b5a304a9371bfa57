import { schema, type Tx } from '@ciro/db';
import { count, desc, eq } from 'drizzle-orm';

export type AuditLogRow = typeof schema.auditLog.$inferSelect;

export async function listAuditLog(
  tx: Tx,
  clientId: string,
  limit: number,
  offset: number,
): Promise<{ rows: AuditLogRow[]; total: number }> {
  const where = eq(schema.auditLog.clientId, clientId);
  const rows = await tx
    .select()
    .from(schema.auditLog)
    .where(where)
    .orderBy(desc(schema.auditLog.occurredAt), desc(schema.auditLog.id))
    .limit(limit)
    .offset(offset);
  const [totals] = await tx.select({ total: count() }).from(schema.auditLog).where(where);
  return { rows, total: totals?.total ?? 0 };
}

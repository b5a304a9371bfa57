import { schema, type Tx } from '@ciro/db';
import { and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { UploadKindValue, UploadStatusValue } from './upload.model';

export type UploadRow = typeof schema.uploads.$inferSelect;
export type NewUploadRow = typeof schema.uploads.$inferInsert;

export async function findUpload(tx: Tx, clientId: string, id: string): Promise<UploadRow | null> {
  const [row] = await tx
    .select()
    .from(schema.uploads)
    .where(and(eq(schema.uploads.clientId, clientId), eq(schema.uploads.id, id)));
  return row ?? null;
}

/** The row locked until the transaction ends (commit, discard, mapping change and the parse job serialise on it). */
export async function lockUpload(tx: Tx, clientId: string, id: string): Promise<UploadRow | null> {
  const [row] = await tx
    .select()
    .from(schema.uploads)
    .where(and(eq(schema.uploads.clientId, clientId), eq(schema.uploads.id, id)))
    .for('update');
  return row ?? null;
}

/**
 * Serialises uploads of the same content in one client (until the transaction ends), so two
 * identical files sent at once cannot both pass the duplicate check.
 */
export async function lockContentHash(tx: Tx, clientId: string, sha256: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`uploads:${clientId}:${sha256}`}, 0))`);
}

/** The newest upload of this content and kind whose status makes a new one a duplicate. */
export async function findLiveUploadByHash(
  tx: Tx,
  clientId: string,
  kind: UploadKindValue,
  sha256: string,
  statuses: readonly UploadStatusValue[],
): Promise<UploadRow | null> {
  const [row] = await tx
    .select()
    .from(schema.uploads)
    .where(
      and(
        eq(schema.uploads.clientId, clientId),
        eq(schema.uploads.sha256, sha256),
        eq(schema.uploads.kind, kind),
        inArray(schema.uploads.status, [...statuses]),
      ),
    )
    .orderBy(desc(schema.uploads.createdAt))
    .limit(1);
  return row ?? null;
}

export async function insertUpload(tx: Tx, values: NewUploadRow): Promise<UploadRow> {
  const [row] = await tx.insert(schema.uploads).values(values).returning();
  if (!row) throw new Error('insert into uploads returned no row');
  return row;
}

export async function updateUploadRow(
  tx: Tx,
  clientId: string,
  id: string,
  patch: Partial<NewUploadRow>,
): Promise<UploadRow | null> {
  const [row] = await tx
    .update(schema.uploads)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(schema.uploads.clientId, clientId), eq(schema.uploads.id, id)))
    .returning();
  return row ?? null;
}

export async function listUploadRows(
  tx: Tx,
  clientId: string,
  filter: { status?: UploadStatusValue; kind?: UploadKindValue },
  limit: number,
  offset: number,
): Promise<{ rows: UploadRow[]; total: number }> {
  const where = and(
    eq(schema.uploads.clientId, clientId),
    filter.status ? eq(schema.uploads.status, filter.status) : undefined,
    filter.kind ? eq(schema.uploads.kind, filter.kind) : undefined,
  );
  const rows = await tx
    .select()
    .from(schema.uploads)
    .where(where)
    .orderBy(desc(schema.uploads.createdAt), desc(schema.uploads.id))
    .limit(limit)
    .offset(offset);
  const [totals] = await tx.select({ total: count() }).from(schema.uploads).where(where);
  return { rows, total: totals?.total ?? 0 };
}

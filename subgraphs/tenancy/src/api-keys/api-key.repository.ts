import { schema, type Tx } from '@ciro/db';
import { and, count, desc, eq, isNull, lt, or } from 'drizzle-orm';

export type ApiKeyRow = typeof schema.apiKeys.$inferSelect;
export type NewApiKeyRow = typeof schema.apiKeys.$inferInsert;

export async function insertApiKey(tx: Tx, values: NewApiKeyRow): Promise<ApiKeyRow> {
  const [row] = await tx.insert(schema.apiKeys).values(values).returning();
  if (!row) throw new Error('insert into api_keys returned no row');
  return row;
}

export async function findApiKey(tx: Tx, clientId: string, id: string): Promise<ApiKeyRow | null> {
  const [row] = await tx
    .select()
    .from(schema.apiKeys)
    .where(and(eq(schema.apiKeys.clientId, clientId), eq(schema.apiKeys.id, id)));
  return row ?? null;
}

/** Sets revoked_at unless already set; returns the row as it is afterwards. */
export async function revokeApiKeyRow(tx: Tx, clientId: string, id: string, at: Date): Promise<ApiKeyRow | null> {
  const [row] = await tx
    .update(schema.apiKeys)
    .set({ revokedAt: at })
    .where(and(eq(schema.apiKeys.clientId, clientId), eq(schema.apiKeys.id, id), isNull(schema.apiKeys.revokedAt)))
    .returning();
  return row ?? findApiKey(tx, clientId, id);
}

export async function listApiKeys(
  tx: Tx,
  clientId: string,
  limit: number,
  offset: number,
): Promise<{ rows: ApiKeyRow[]; total: number }> {
  const where = eq(schema.apiKeys.clientId, clientId);
  const rows = await tx
    .select()
    .from(schema.apiKeys)
    .where(where)
    .orderBy(desc(schema.apiKeys.createdAt), desc(schema.apiKeys.id))
    .limit(limit)
    .offset(offset);
  const [totals] = await tx.select({ total: count() }).from(schema.apiKeys).where(where);
  return { rows, total: totals?.total ?? 0 };
}

/** A key by its public prefix, with the organization of its client. */
export async function findApiKeyByPrefix(
  tx: Tx,
  prefix: string,
): Promise<{ key: ApiKeyRow; organizationId: string; clientStatus: string } | null> {
  const [row] = await tx
    .select({ key: schema.apiKeys, organizationId: schema.clients.organizationId, clientStatus: schema.clients.status })
    .from(schema.apiKeys)
    .innerJoin(schema.clients, eq(schema.clients.id, schema.apiKeys.clientId))
    .where(eq(schema.apiKeys.prefix, prefix));
  return row ?? null;
}

/** Records use, at most once per `minInterval` ms, so hot keys do not write on every request. */
export async function touchApiKey(
  tx: Tx,
  clientId: string,
  id: string,
  now: Date,
  minIntervalMs: number,
): Promise<void> {
  await tx
    .update(schema.apiKeys)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(schema.apiKeys.clientId, clientId),
        eq(schema.apiKeys.id, id),
        or(isNull(schema.apiKeys.lastUsedAt), lt(schema.apiKeys.lastUsedAt, new Date(now.getTime() - minIntervalMs))),
      ),
    );
}

import { schema, type Tx } from '@ciro/db';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';

export type UserRow = typeof schema.users.$inferSelect;
export type RoleAssignmentRow = typeof schema.roleAssignments.$inferSelect;
export type ClientRow = typeof schema.clients.$inferSelect;
export type RefreshTokenRow = typeof schema.refreshTokens.$inferSelect;

export interface AssignmentWithClient {
  assignment: RoleAssignmentRow;
  client: ClientRow;
}

export async function findUserByEmail(tx: Tx, email: string): Promise<UserRow | null> {
  const [row] = await tx.select().from(schema.users).where(eq(schema.users.email, email));
  return row ?? null;
}

export async function findUserById(tx: Tx, id: string): Promise<UserRow | null> {
  const [row] = await tx.select().from(schema.users).where(eq(schema.users.id, id));
  return row ?? null;
}

/** Role assignments of a user with their clients, oldest first. */
export async function listAssignmentsOfUser(tx: Tx, userId: string): Promise<AssignmentWithClient[]> {
  return tx
    .select({ assignment: schema.roleAssignments, client: schema.clients })
    .from(schema.roleAssignments)
    .innerJoin(schema.clients, eq(schema.clients.id, schema.roleAssignments.clientId))
    .where(eq(schema.roleAssignments.userId, userId))
    .orderBy(asc(schema.roleAssignments.createdAt), asc(schema.roleAssignments.id));
}

/**
 * Counts one failed attempt; at `maxFailures` consecutive failures the account
 * is locked until `lockUntil` and the counter starts again. Returns the new
 * lock (null when not locked).
 */
export async function recordFailedAttempt(
  tx: Tx,
  userId: string,
  policy: { maxFailures: number; lockUntil: Date },
): Promise<Date | null> {
  const reachesLimit = sql`${schema.users.failedLoginCount} + 1 >= ${policy.maxFailures}`;
  const [row] = await tx
    .update(schema.users)
    .set({
      failedLoginCount: sql`CASE WHEN ${reachesLimit} THEN 0 ELSE ${schema.users.failedLoginCount} + 1 END`,
      lockedUntil: sql`CASE WHEN ${reachesLimit} THEN ${policy.lockUntil.toISOString()}::timestamptz ELSE ${schema.users.lockedUntil} END`,
    })
    .where(eq(schema.users.id, userId))
    .returning({ lockedUntil: schema.users.lockedUntil });
  const lockedUntil = row?.lockedUntil ?? null;
  return lockedUntil && lockedUntil > new Date() ? lockedUntil : null;
}

export async function clearFailedAttempts(tx: Tx, userId: string): Promise<void> {
  await tx.update(schema.users).set({ failedLoginCount: 0, lockedUntil: null }).where(eq(schema.users.id, userId));
}

/** Stores a TOTP secret (sealed: see secret-box.ts) awaiting confirmation; never replaces an active one. */
export async function setPendingMfaSecret(tx: Tx, userId: string, sealedSecret: string): Promise<boolean> {
  const rows = await tx
    .update(schema.users)
    .set({ mfaSecret: sealedSecret })
    .where(and(eq(schema.users.id, userId), isNull(schema.users.mfaEnabledAt)))
    .returning({ id: schema.users.id });
  return rows.length === 1;
}

export async function activateMfa(tx: Tx, userId: string, at: Date, timeStep: number): Promise<void> {
  await tx
    .update(schema.users)
    .set({ mfaEnabledAt: at, mfaLastTimeStep: timeStep, failedLoginCount: 0, lockedUntil: null })
    .where(eq(schema.users.id, userId));
}

/**
 * Replaces a plain TOTP secret stored before encryption at rest by its sealed
 * form, unless the row changed meanwhile (a new enrolment wrote another secret).
 */
export async function resealLegacyMfaSecret(
  tx: Tx,
  userId: string,
  legacySecret: string,
  sealedSecret: string,
): Promise<boolean> {
  const rows = await tx
    .update(schema.users)
    .set({ mfaSecret: sealedSecret })
    .where(and(eq(schema.users.id, userId), eq(schema.users.mfaSecret, legacySecret)))
    .returning({ id: schema.users.id });
  return rows.length === 1;
}

/** Records the TOTP step just accepted, so the same code cannot be used again. */
export async function recordTotpStep(tx: Tx, userId: string, timeStep: number): Promise<void> {
  await tx.update(schema.users).set({ mfaLastTimeStep: timeStep }).where(eq(schema.users.id, userId));
}

export async function insertRefreshToken(
  tx: Tx,
  values: { userId: string; familyId: string; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await tx.insert(schema.refreshTokens).values(values);
}

export async function findRefreshTokenByHash(tx: Tx, tokenHash: string): Promise<RefreshTokenRow | null> {
  const [row] = await tx.select().from(schema.refreshTokens).where(eq(schema.refreshTokens.tokenHash, tokenHash));
  return row ?? null;
}

/** Marks a token used; false when another request used or revoked it first. */
export async function markRefreshTokenUsed(tx: Tx, id: string, at: Date): Promise<boolean> {
  const rows = await tx
    .update(schema.refreshTokens)
    .set({ usedAt: at })
    .where(
      and(eq(schema.refreshTokens.id, id), isNull(schema.refreshTokens.usedAt), isNull(schema.refreshTokens.revokedAt)),
    )
    .returning({ id: schema.refreshTokens.id });
  return rows.length === 1;
}

export async function revokeRefreshFamily(tx: Tx, familyId: string, at: Date): Promise<number> {
  const rows = await tx
    .update(schema.refreshTokens)
    .set({ revokedAt: at })
    .where(and(eq(schema.refreshTokens.familyId, familyId), isNull(schema.refreshTokens.revokedAt)))
    .returning({ id: schema.refreshTokens.id });
  return rows.length;
}

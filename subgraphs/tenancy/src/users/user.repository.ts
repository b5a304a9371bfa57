import { schema, type Tx } from '@ciro/db';
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { AssignmentWithClient, UserRow } from '../auth/auth.repository';

export type NewUserRow = typeof schema.users.$inferInsert;
export type NewRoleAssignmentRow = typeof schema.roleAssignments.$inferInsert;

/** Users holding any role in the client, by email. */
export async function listClientUsers(
  tx: Tx,
  clientId: string,
  limit: number,
  offset: number,
): Promise<{ rows: UserRow[]; total: number }> {
  const members = tx
    .select({ userId: schema.roleAssignments.userId })
    .from(schema.roleAssignments)
    .where(eq(schema.roleAssignments.clientId, clientId));
  const where = inArray(schema.users.id, members);
  const rows = await tx
    .select()
    .from(schema.users)
    .where(where)
    .orderBy(asc(schema.users.email))
    .limit(limit)
    .offset(offset);
  const [totals] = await tx.select({ total: count() }).from(schema.users).where(where);
  return { rows, total: totals?.total ?? 0 };
}

/** Role assignments of these users inside one client. */
export async function listAssignmentsInClient(
  tx: Tx,
  clientId: string,
  userIds: readonly string[],
): Promise<AssignmentWithClient[]> {
  if (userIds.length === 0) return [];
  return tx
    .select({ assignment: schema.roleAssignments, client: schema.clients })
    .from(schema.roleAssignments)
    .innerJoin(schema.clients, eq(schema.clients.id, schema.roleAssignments.clientId))
    .where(and(eq(schema.roleAssignments.clientId, clientId), inArray(schema.roleAssignments.userId, [...userIds])))
    .orderBy(asc(schema.roleAssignments.createdAt));
}

export async function customerExists(tx: Tx, clientId: string, customerId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: schema.customers.id })
    .from(schema.customers)
    .where(and(eq(schema.customers.clientId, clientId), eq(schema.customers.id, customerId)));
  return row !== undefined;
}

export async function insertUser(tx: Tx, values: NewUserRow): Promise<UserRow> {
  const [row] = await tx.insert(schema.users).values(values).returning();
  if (!row) throw new Error('insert into users returned no row');
  return row;
}

export async function insertRoleAssignment(tx: Tx, values: NewRoleAssignmentRow): Promise<void> {
  await tx.insert(schema.roleAssignments).values(values);
}

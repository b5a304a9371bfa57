import { randomUUID } from 'node:crypto';
import { asSystem, withTenant } from '@ciro/db';
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  assertClientAdmin,
  isSystemAdmin,
  fromTenantIdOrThrow,
  parseInputOrThrow,
  tenantContextFor,
  tenantContextOf,
  type Page,
} from '@ciro/subgraph-common';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.service';
import { findUserByEmail, findUserById, listAssignmentsOfUser, type UserRow } from '../auth/auth.repository';
import { hashPassword, passwordField } from '../auth/password';
import type { Caller } from '../caller';
import { clientIdOrThrow } from '../clients/client.service';
import { fields } from '../validation/fields';
import { toUser, toViewer } from './user.mapper';
import {
  customerExists,
  insertRoleAssignment,
  insertUser,
  listAssignmentsInClient,
  listClientUsers,
} from './user.repository';
import type { CreateSystemAdminInput, CreateUserInput, User, Viewer } from './user.type';

/** The caller as a Viewer; the user part is what the caller's own tenant context may see. */
export async function getViewer(caller: Caller): Promise<Viewer> {
  const { identity } = caller;
  if (!identity.userId) return toViewer(identity, null);
  const userId = identity.userId;
  const user = await withTenant(caller.database, tenantContextOf(identity), async (tx) => {
    const row = await findUserById(tx, userId);
    return row ? toUser(row, await listAssignmentsOfUser(tx, userId)) : null;
  });
  if (!user) throw new UnauthenticatedError('This account no longer exists: log in again');
  return toViewer(identity, user);
}

export async function listUsersOfClient(
  caller: Caller,
  clientId: string,
  page: Page,
): Promise<{ rows: User[]; total: number }> {
  assertClientAdmin(caller.identity, clientId);
  return withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    const { rows, total } = await listClientUsers(tx, clientId, page.limit, page.offset);
    const assignments = await listAssignmentsInClient(
      tx,
      clientId,
      rows.map((row) => row.id),
    );
    return {
      // Client admins see roles inside their client, not who operates the platform.
      rows: rows.map((row) =>
        toUser(
          isSystemAdmin(caller.identity) ? row : { ...row, isSystemAdmin: false },
          assignments.filter((a) => a.assignment.userId === row.id),
        ),
      ),
      total,
    };
  });
}

const newUserFields = {
  email: fields.email,
  displayName: fields.name,
  password: passwordField,
  locale: fields.locale.default('es'),
};

const createUserSchema = z
  .object({
    ...newUserFields,
    clientId: z.string(),
    role: z.enum(['CLIENT_ADMIN', 'CUSTOMER_USER'], { message: 'Must be CLIENT_ADMIN or CUSTOMER_USER' }),
    customerId: z.string().nullish(),
  })
  .superRefine((value, ctx) => {
    if (value.role === 'CUSTOMER_USER' && !value.customerId) {
      ctx.addIssue({ code: 'custom', path: ['customerId'], message: 'customerId is required for a CUSTOMER_USER' });
    }
    if (value.role === 'CLIENT_ADMIN' && value.customerId) {
      ctx.addIssue({
        code: 'custom',
        path: ['customerId'],
        message: 'A CLIENT_ADMIN acts for the whole client: omit customerId',
      });
    }
  });

function customerIdOfClientOrThrow(clientId: string, customerGlobalId: string): string {
  let decoded: { clientId: string; id: string };
  try {
    decoded = fromTenantIdOrThrow('Customer', customerGlobalId);
  } catch (error) {
    if (error instanceof NotFoundError) throw new BadUserInputError('customerId', 'customerId is not a Customer id');
    throw error;
  }
  if (decoded.clientId !== clientId) {
    throw new BadUserInputError('customerId', 'customerId must be a customer of the same client');
  }
  return decoded.id;
}

function duplicateEmail(email: string): ConflictError {
  return new ConflictError('email', `A user with email ${email} already exists`);
}

/** SQLSTATE 23505 anywhere in the error's cause chain (drizzle wraps driver errors). */
function isUniqueViolation(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; cause?: unknown };
  return e.code === '23505' || isUniqueViolation(e.cause, depth + 1);
}

function publicUserFields(row: UserRow): Record<string, unknown> {
  const { passwordHash: _hash, mfaSecret: _secret, ...rest } = row;
  return rest;
}

/**
 * Creates a user with one role in a client. Identity rows are written through
 * asSystem (RLS lets no request edit users), so the tenant checks happen here
 * first: client admins only inside their own client.
 */
export async function createUser(caller: Caller, input: CreateUserInput): Promise<User> {
  const clientId = clientIdOrThrow(caller, input.clientId);
  assertClientAdmin(caller.identity, clientId);
  const valid = parseInputOrThrow(createUserSchema, input);
  const customerId = valid.customerId ? customerIdOfClientOrThrow(clientId, valid.customerId) : null;
  const passwordHash = await hashPassword(valid.password);
  try {
    return await asSystem(caller.database, 'create user (identity rows are platform-owned)', async (tx) => {
      if (customerId && !(await customerExists(tx, clientId, customerId))) {
        throw new BadUserInputError('customerId', 'customerId is not a customer of this client');
      }
      if (await findUserByEmail(tx, valid.email)) throw duplicateEmail(valid.email);
      const user = await insertUser(tx, {
        id: randomUUID(),
        email: valid.email,
        displayName: valid.displayName,
        passwordHash,
        locale: valid.locale,
      });
      await insertRoleAssignment(tx, { clientId, userId: user.id, role: valid.role, customerId });
      await recordAudit(tx, caller, {
        clientId,
        action: 'user.create',
        entityType: 'User',
        entityId: user.id,
        after: { ...publicUserFields(user), role: valid.role, customerId },
      });
      return toUser(user, await listAssignmentsInClient(tx, clientId, [user.id]));
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateEmail(valid.email);
    throw error;
  }
}

const createSystemAdminSchema = z.object(newUserFields);

/** Creates a platform operator; recorded in the platform audit log. */
export async function createSystemAdmin(caller: Caller, input: CreateSystemAdminInput): Promise<User> {
  if (caller.identity.role !== 'SYSTEM_ADMIN') {
    throw new ForbiddenError('Only system administrators can create system administrators');
  }
  const valid = parseInputOrThrow(createSystemAdminSchema, input);
  const passwordHash = await hashPassword(valid.password);
  try {
    return await asSystem(caller.database, 'create system administrator', async (tx) => {
      if (await findUserByEmail(tx, valid.email)) throw duplicateEmail(valid.email);
      const user = await insertUser(tx, {
        id: randomUUID(),
        email: valid.email,
        displayName: valid.displayName,
        passwordHash,
        locale: valid.locale,
        isSystemAdmin: true,
      });
      await recordAudit(tx, caller, {
        clientId: null,
        action: 'user.create_system_admin',
        entityType: 'User',
        entityId: user.id,
        after: publicUserFields(user),
      });
      return toUser(user, []);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateEmail(valid.email);
    throw error;
  }
}

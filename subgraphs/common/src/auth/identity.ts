import type { TenantContext } from '@ciro/db';
import { ForbiddenError, UnauthenticatedError } from '../errors/errors';
import type { Role, Scope } from './scopes';

/** Who is calling, as proven by a verified access token. */
export interface Identity {
  /** User id, or `apikey:<id>` for an API key. */
  subject: string;
  userId: string | null;
  apiKeyId: string | null;
  role: Role;
  orgId: string | null;
  clientId: string | null;
  customerId: string | null;
  scopes: readonly Scope[];
}

export function requireIdentity(identity: Identity | null): Identity {
  if (!identity) throw new UnauthenticatedError();
  return identity;
}

export function isSystemAdmin(identity: Identity): boolean {
  return identity.role === 'SYSTEM_ADMIN';
}

/** Throws FORBIDDEN unless the caller may act inside the given client. */
export function assertClientAccess(identity: Identity, clientId: string): void {
  if (isSystemAdmin(identity)) return;
  if (identity.clientId !== clientId) {
    throw new ForbiddenError('This resource belongs to another client');
  }
}

/** Throws FORBIDDEN unless the caller may see data of the given customer. */
export function assertCustomerAccess(identity: Identity, clientId: string, customerId: string): void {
  assertClientAccess(identity, clientId);
  if (identity.role === 'CUSTOMER_USER' && identity.customerId !== customerId) {
    throw new ForbiddenError('This resource belongs to another customer');
  }
}

/** Throws FORBIDDEN unless the caller is an administrator of that client (or a system admin). */
export function assertClientAdmin(identity: Identity, clientId: string): void {
  assertClientAccess(identity, clientId);
  if (identity.role === 'CUSTOMER_USER') {
    throw new ForbiddenError('Only administrators of this client may do this');
  }
}

/** The database context that row-level security enforces for this caller. */
export function tenantContextOf(identity: Identity): TenantContext {
  return {
    role: identity.role,
    clientId: identity.clientId,
    customerId: identity.customerId,
    userId: identity.userId,
  };
}

/**
 * Context for a system admin acting on one client: RLS still narrows it to
 * that client so one request cannot touch two tenants by accident.
 */
export function tenantContextFor(identity: Identity, clientId: string): TenantContext {
  assertClientAccess(identity, clientId);
  return { ...tenantContextOf(identity), clientId };
}

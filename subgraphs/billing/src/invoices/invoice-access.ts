import {
  ForbiddenError,
  assertClientAccess,
  fromTenantIdOrThrow,
  type Caller,
  type Identity,
} from '@ciro/subgraph-common';

/**
 * Whose invoices a caller may read inside a client: `null` = every customer (administrators holding
 * `invoices:read`), otherwise only that customer (`invoices:read:own`). Throws FORBIDDEN across clients.
 */
export function invoiceReaderScopeOrThrow(identity: Identity, clientId: string): { customerId: string | null } {
  assertClientAccess(identity, clientId);
  if (identity.role !== 'CUSTOMER_USER' && identity.scopes.includes('invoices:read')) return { customerId: null };
  if (identity.customerId && identity.scopes.includes('invoices:read:own')) return { customerId: identity.customerId };
  throw new ForbiddenError('Only administrators of this client or its customers may read its invoices');
}

/** Decodes an Invoice id and checks the caller's client; the customer is checked once the row is read. */
export function invoiceIdsOrThrow(caller: Caller, globalId: string): { clientId: string; invoiceId: string } {
  const { clientId, id } = fromTenantIdOrThrow('Invoice', globalId);
  assertClientAccess(caller.identity, clientId);
  return { clientId, invoiceId: id };
}

/** A Customer id of the given client; another client's customer is FORBIDDEN. */
export function customerIdOfClientOrThrow(caller: Caller, globalId: string): { clientId: string; customerId: string } {
  const { clientId, id } = fromTenantIdOrThrow('Customer', globalId);
  assertClientAccess(caller.identity, clientId);
  return { clientId, customerId: id };
}

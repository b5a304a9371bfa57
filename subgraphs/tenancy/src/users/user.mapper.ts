import { toGlobalId, type Identity } from '@ciro/subgraph-common';
import type { AssignmentWithClient, UserRow } from '../auth/auth.repository';
import { toClient } from '../clients/client.service';
import type { RoleAssignment, User, Viewer } from './user.type';

export function userGlobalId(userId: string): string {
  return toGlobalId('User', null, userId);
}

/** Public shape of a user: never the password hash or TOTP secret. */
export function toUser(row: UserRow, assignments: readonly AssignmentWithClient[]): User {
  const roles: RoleAssignment[] = assignments.map(({ assignment, client }) => ({
    role: assignment.role,
    client: toClient(client),
    customerId: assignment.customerId ? toGlobalId('Customer', assignment.clientId, assignment.customerId) : null,
  }));
  if (row.isSystemAdmin) roles.unshift({ role: 'SYSTEM_ADMIN', client: null, customerId: null });
  return {
    id: userGlobalId(row.id),
    email: row.email,
    displayName: row.displayName,
    locale: row.locale,
    mfaEnabled: row.mfaEnabledAt !== null,
    roles,
    status: row.status,
    createdAt: row.createdAt,
  };
}

export function toViewer(identity: Identity, user: User | null): Viewer {
  return {
    user,
    role: identity.role,
    clientId: identity.clientId ? toGlobalId('Client', identity.clientId, identity.clientId) : null,
    customerId:
      identity.clientId && identity.customerId ? toGlobalId('Customer', identity.clientId, identity.customerId) : null,
    scopes: [...identity.scopes],
  };
}

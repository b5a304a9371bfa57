import {
  BadUserInputError,
  ForbiddenError,
  ROLE_SCOPES,
  toGlobalId,
  type Identity,
  type Role,
} from '@ciro/subgraph-common';
import type { AssignmentWithClient, UserRow } from './auth.repository';

/**
 * Decides who a user acts as after login: a platform administrator, or the
 * role assigned to them in one client. `requestedClientId` picks the client
 * when the user has roles in several.
 */
export function chooseIdentity(
  user: UserRow,
  assignments: readonly AssignmentWithClient[],
  requestedClientId: string | null,
): Identity {
  const inClient = requestedClientId
    ? assignments.filter((a) => a.assignment.clientId === requestedClientId)
    : assignments;

  if (user.isSystemAdmin && (!requestedClientId || inClient.length === 0)) {
    return identityOf(user.id, 'SYSTEM_ADMIN', null, null, null);
  }
  if (requestedClientId && inClient.length === 0) {
    throw new BadUserInputError('clientId', 'This account has no role in that client');
  }
  if (inClient.length === 0) {
    throw new ForbiddenError('This account has no role in any client; ask an administrator to assign one');
  }
  const clientIds = [...new Set(inClient.map((a) => a.assignment.clientId))];
  if (clientIds.length > 1) {
    const choices = inClient
      .filter((a, index) => inClient.findIndex((b) => b.client.id === a.client.id) === index)
      .map((a) => `${a.client.code} (${toGlobalId('Client', a.client.id, a.client.id)})`);
    throw new BadUserInputError(
      'clientId',
      `This account has roles in several clients: pass clientId, one of ${choices.join(', ')}`,
    );
  }
  const admin = inClient.find((a) => a.assignment.role === 'CLIENT_ADMIN');
  const customers = inClient.filter((a) => a.assignment.role === 'CUSTOMER_USER');
  if (!admin && customers.length > 1) {
    throw new ForbiddenError('This account is a user of several customers of this client, which is not supported');
  }
  const chosen = admin ?? customers[0];
  if (!chosen) throw new ForbiddenError('This account has no role in that client');
  if (chosen.client.status !== 'ACTIVE') {
    throw new ForbiddenError(`Client ${chosen.client.code} is suspended; contact the platform operator`);
  }
  return identityOf(
    user.id,
    chosen.assignment.role,
    chosen.client.organizationId,
    chosen.client.id,
    chosen.assignment.role === 'CUSTOMER_USER' ? chosen.assignment.customerId : null,
  );
}

function identityOf(
  userId: string,
  role: Role,
  orgId: string | null,
  clientId: string | null,
  customerId: string | null,
): Identity {
  return { subject: userId, userId, apiKeyId: null, role, orgId, clientId, customerId, scopes: ROLE_SCOPES[role] };
}

export function isAdminRole(role: Role): boolean {
  return role === 'SYSTEM_ADMIN' || role === 'CLIENT_ADMIN';
}

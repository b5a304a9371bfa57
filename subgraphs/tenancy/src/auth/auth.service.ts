import {
  BadUserInputError,
  NotFoundError,
  UnauthenticatedError,
  fromTenantIdOrThrow,
  parseInputOrThrow,
  type Identity,
} from '@ciro/subgraph-common';
import type { Tx } from '@ciro/db';
import { z } from 'zod';
import { fields } from '../validation/fields';
import {
  clearFailedAttempts,
  findRefreshTokenByHash,
  findUserByEmail,
  findUserById,
  listAssignmentsOfUser,
  markRefreshTokenUsed,
  recordFailedAttempt,
  revokeRefreshFamily,
  type AssignmentWithClient,
  type UserRow,
} from './auth.repository';
import type { LoginInput, LogoutInput, RefreshSessionInput } from './auth.type';
import { isAdminRole } from './login-identity';
import { signMfaToken } from './mfa-token';
import { verifyDummyPassword, verifyPassword } from './password';
import {
  auditAuth,
  emptyPayload,
  identityStep,
  issueSession,
  lockPolicy,
  lockedError,
  systemStep,
  type AuthDeps,
  type PayloadFields,
} from './session';
import { sessionClientOf, sha256Hex } from './session-tokens';

export const BAD_CREDENTIALS_MESSAGE = 'Email or password is incorrect';
export const REFRESH_REUSE_MESSAGE = 'Refresh token reuse detected; log in again';

/** After the password: a session, or the MFA step the user still owes. */
async function afterFirstFactor(
  tx: Tx,
  deps: AuthDeps,
  user: UserRow,
  assignments: readonly AssignmentWithClient[],
  identity: Identity,
): Promise<PayloadFields> {
  const challenge = { userId: user.id, clientId: identity.clientId };
  if (user.mfaEnabledAt) {
    await auditAuth(tx, deps, identity, {
      clientId: identity.clientId,
      action: 'auth.login',
      userId: user.id,
      after: { next: 'MFA_REQUIRED' },
    });
    return {
      ...emptyPayload(),
      mfaRequired: true,
      mfaToken: await signMfaToken({ ...challenge, purpose: 'verify' }, deps.settings.jwtSecret),
    };
  }
  if (isAdminRole(identity.role) && deps.settings.mfaRequiredForAdmins) {
    await auditAuth(tx, deps, identity, {
      clientId: identity.clientId,
      action: 'auth.login',
      userId: user.id,
      after: { next: 'MFA_ENROLLMENT_REQUIRED' },
    });
    return {
      ...emptyPayload(),
      mfaEnrollmentRequired: true,
      mfaToken: await signMfaToken({ ...challenge, purpose: 'enroll' }, deps.settings.jwtSecret),
    };
  }
  await auditAuth(tx, deps, identity, {
    clientId: identity.clientId,
    action: 'auth.login',
    userId: user.id,
    after: { next: 'SESSION' },
  });
  return issueSession(tx, deps, user, assignments, identity);
}

function clientIdOfInput(globalId: string): string {
  try {
    return fromTenantIdOrThrow('Client', globalId).clientId;
  } catch (error) {
    if (error instanceof NotFoundError) throw new BadUserInputError('clientId', 'clientId is not a Client id');
    throw error;
  }
}

const loginSchema = z.object({
  email: fields.email,
  password: z.string().min(1, 'Must not be empty'),
  clientId: z.string().optional(),
});

export async function login(deps: AuthDeps, input: LoginInput): Promise<PayloadFields> {
  const valid = parseInputOrThrow(loginSchema, input);
  const requestedClientId = valid.clientId ? clientIdOfInput(valid.clientId) : null;
  return systemStep<PayloadFields>(deps, 'login', async (tx) => {
    const now = new Date();
    const user = await findUserByEmail(tx, valid.email);
    if (!user?.passwordHash) {
      await verifyDummyPassword(valid.password);
      await auditAuth(tx, deps, null, {
        clientId: null,
        action: 'auth.login_failed',
        userId: user?.id ?? null,
        after: { email: valid.email, reason: 'UNKNOWN_EMAIL' },
      });
      return { error: new UnauthenticatedError(BAD_CREDENTIALS_MESSAGE) };
    }
    if (user.lockedUntil && user.lockedUntil > now) {
      await verifyDummyPassword(valid.password);
      return { error: lockedError(user.lockedUntil) };
    }
    if (!(await verifyPassword(user.passwordHash, valid.password))) {
      const lockedUntil = await recordFailedAttempt(tx, user.id, lockPolicy(now));
      await auditAuth(tx, deps, null, {
        clientId: null,
        action: 'auth.login_failed',
        userId: user.id,
        after: { reason: 'WRONG_PASSWORD', lockedUntil },
      });
      return { error: lockedUntil ? lockedError(lockedUntil) : new UnauthenticatedError(BAD_CREDENTIALS_MESSAGE) };
    }
    if (user.status !== 'ACTIVE')
      return { error: new UnauthenticatedError('This account is disabled; ask an administrator') };
    if (user.failedLoginCount > 0 || user.lockedUntil) await clearFailedAttempts(tx, user.id);
    const assignments = await listAssignmentsOfUser(tx, user.id);
    const identity = identityStep(user, assignments, requestedClientId);
    if ('error' in identity) return identity;
    return { value: await afterFirstFactor(tx, deps, user, assignments, identity.value) };
  });
}

const refreshSchema = z.object({
  refreshToken: z.string().min(1, 'Must not be empty').max(200, 'Not a refresh token'),
});

export async function refreshSession(deps: AuthDeps, input: RefreshSessionInput): Promise<PayloadFields> {
  const valid = parseInputOrThrow(refreshSchema, input);
  const sessionClientId = sessionClientOf(valid.refreshToken);
  return systemStep<PayloadFields>(deps, 'refresh session', async (tx) => {
    const now = new Date();
    const token = await findRefreshTokenByHash(tx, sha256Hex(valid.refreshToken));
    if (!token) return { error: new UnauthenticatedError('Refresh token is invalid; log in again') };
    if (token.revokedAt) return { error: new UnauthenticatedError('Refresh token was revoked; log in again') };
    // A used token coming back means it was copied: end every session of the family.
    if (token.usedAt || !(await markRefreshTokenUsed(tx, token.id, now))) {
      await revokeRefreshFamily(tx, token.familyId, now);
      await auditAuth(tx, deps, null, {
        clientId: sessionClientId,
        action: 'auth.refresh_reuse_detected',
        userId: token.userId,
        after: { familyId: token.familyId },
      });
      return { error: new UnauthenticatedError(REFRESH_REUSE_MESSAGE) };
    }
    if (token.expiresAt <= now) return { error: new UnauthenticatedError('Refresh token expired; log in again') };
    const user = await findUserById(tx, token.userId);
    const assignments = user ? await listAssignmentsOfUser(tx, user.id) : [];
    const identity = user && user.status === 'ACTIVE' ? identityStep(user, assignments, sessionClientId) : null;
    if (!user || !identity || 'error' in identity) {
      await revokeRefreshFamily(tx, token.familyId, now);
      return { error: new UnauthenticatedError('This account or its access changed; log in again') };
    }
    await auditAuth(tx, deps, identity.value, {
      clientId: identity.value.clientId,
      action: 'auth.refresh',
      userId: user.id,
    });
    return { value: await issueSession(tx, deps, user, assignments, identity.value, token.familyId) };
  });
}

export async function logout(deps: AuthDeps, input: LogoutInput): Promise<{ loggedOut: boolean }> {
  const valid = parseInputOrThrow(refreshSchema, input);
  return systemStep<{ loggedOut: boolean }>(deps, 'logout', async (tx) => {
    const token = await findRefreshTokenByHash(tx, sha256Hex(valid.refreshToken));
    if (!token) return { value: { loggedOut: false } };
    const revoked = await revokeRefreshFamily(tx, token.familyId, new Date());
    await auditAuth(tx, deps, null, {
      clientId: sessionClientOf(valid.refreshToken),
      action: 'auth.logout',
      userId: token.userId,
      after: { familyId: token.familyId, revokedTokens: revoked },
    });
    return { value: { loggedOut: true } };
  });
}

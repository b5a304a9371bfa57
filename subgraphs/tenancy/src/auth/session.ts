// Shared steps of the login, MFA and refresh flows.
import { randomUUID } from 'node:crypto';
import { asSystem, type Database, type Tx } from '@ciro/db';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  DomainError,
  UnauthenticatedError,
  signAccessToken,
  type Identity,
} from '@ciro/subgraph-common';
import { recordAudit } from '../audit/audit.service';
import type { TenancySettings } from '../context';
import { toUser, toViewer } from '../users/user.mapper';
import { insertRefreshToken, type AssignmentWithClient, type UserRow } from './auth.repository';
import type { LoginPayload } from './auth.type';
import { chooseIdentity } from './login-identity';
import { newRefreshToken } from './session-tokens';

export const MAX_FAILED_ATTEMPTS = 10;
export const LOCK_MINUTES = 15;

/** What the auth flows need; they run before any tenant is known, so through asSystem. */
export interface AuthDeps {
  database: Database;
  settings: TenancySettings;
  requestId: string;
}

export type PayloadFields = Omit<LoginPayload, 'userErrors'>;

/**
 * A transaction body either returns a value or an error to throw *after*
 * commit, so failure counters, locks, revocations and audit rows survive the
 * failure they record.
 */
export type Step<T> = { value: T } | { error: DomainError };

export async function systemStep<T>(deps: AuthDeps, reason: string, body: (tx: Tx) => Promise<Step<T>>): Promise<T> {
  const step = await asSystem(deps.database, reason, body);
  if ('error' in step) throw step.error;
  return step.value;
}

export function identityStep(
  user: UserRow,
  assignments: readonly AssignmentWithClient[],
  clientId: string | null,
): Step<Identity> {
  try {
    return { value: chooseIdentity(user, assignments, clientId) };
  } catch (error) {
    if (error instanceof DomainError) return { error };
    throw error;
  }
}

export function lockedError(until: Date): UnauthenticatedError {
  return new UnauthenticatedError(
    `Too many failed attempts: this account is locked until ${until.toISOString()}; try again later`,
  );
}

export function lockPolicy(now: Date): { maxFailures: number; lockUntil: Date } {
  return { maxFailures: MAX_FAILED_ATTEMPTS, lockUntil: new Date(now.getTime() + LOCK_MINUTES * 60_000) };
}

/** Why this user may not continue right now, if anything. */
export function blockedError(user: UserRow | null, now: Date): DomainError | null {
  if (!user) return new UnauthenticatedError('This account no longer exists: log in again');
  if (user.status !== 'ACTIVE') return new UnauthenticatedError('This account is disabled; ask an administrator');
  if (user.lockedUntil && user.lockedUntil > now) return lockedError(user.lockedUntil);
  return null;
}

export async function auditAuth(
  tx: Tx,
  deps: AuthDeps,
  actor: Identity | null,
  entry: { clientId: string | null; action: string; userId: string | null; after?: unknown },
): Promise<void> {
  await recordAudit(
    tx,
    { identity: actor, requestId: deps.requestId },
    {
      clientId: entry.clientId,
      action: entry.action,
      entityType: 'User',
      entityId: entry.userId,
      after: entry.after,
    },
  );
}

export function emptyPayload(): PayloadFields {
  return {
    accessToken: null,
    refreshToken: null,
    accessTokenExpiresAt: null,
    mfaRequired: false,
    mfaEnrollmentRequired: false,
    mfaToken: null,
    viewer: null,
  };
}

export const EMPTY_LOGIN_PAYLOAD: PayloadFields = emptyPayload();

/** Creates a refresh token (in `familyId`, or a new family) and an access token. */
export async function issueSession(
  tx: Tx,
  deps: AuthDeps,
  user: UserRow,
  assignments: readonly AssignmentWithClient[],
  identity: Identity,
  familyId: string = randomUUID(),
): Promise<PayloadFields> {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const refresh = newRefreshToken(identity.clientId);
  await insertRefreshToken(tx, {
    userId: user.id,
    familyId,
    tokenHash: refresh.hash,
    expiresAt: new Date((nowSeconds + deps.settings.refreshTokenTtlDays * 86_400) * 1000),
  });
  return {
    ...emptyPayload(),
    accessToken: await signAccessToken(identity, deps.settings.jwtSecret),
    refreshToken: refresh.raw,
    accessTokenExpiresAt: new Date((nowSeconds + ACCESS_TOKEN_TTL_SECONDS) * 1000),
    viewer: toViewer(identity, toUser(user, assignments)),
  };
}

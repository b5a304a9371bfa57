import { randomUUID } from 'node:crypto';
import { asSystem, type Database, type Tx } from '@ciro/db';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  BadUserInputError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  fromTenantIdOrThrow,
  parseInputOrThrow,
  signAccessToken,
  type Identity,
} from '@ciro/subgraph-common';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.service';
import type { TenancySettings } from '../context';
import { toUser, toViewer } from '../users/user.mapper';
import { fields } from '../validation/fields';
import {
  activateMfa,
  clearFailedAttempts,
  findRefreshTokenByHash,
  findUserByEmail,
  findUserById,
  insertRefreshToken,
  listAssignmentsOfUser,
  markRefreshTokenUsed,
  recordFailedAttempt,
  revokeRefreshFamily,
  setPendingMfaSecret,
  type AssignmentWithClient,
  type UserRow,
} from './auth.repository';
import type {
  ConfirmMfaEnrollmentInput,
  LoginInput,
  LoginPayload,
  LogoutInput,
  MfaEnrollmentPayload,
  RefreshSessionInput,
  VerifyMfaInput,
} from './auth.type';
import { chooseIdentity, isAdminRole } from './login-identity';
import { signMfaToken, verifyMfaTokenOrThrow } from './mfa-token';
import { verifyDummyPassword, verifyPassword } from './password';
import { newRefreshToken, sessionClientOf, sha256Hex } from './session-tokens';
import { isValidTotpCode, newTotpSecret, totpUri } from './totp';

export const MAX_FAILED_ATTEMPTS = 10;
export const LOCK_MINUTES = 15;
export const BAD_CREDENTIALS_MESSAGE = 'Email or password is incorrect';
export const BAD_CODE_MESSAGE = 'The code is not valid';
export const REFRESH_REUSE_MESSAGE = 'Refresh token reuse detected; log in again';

/** What the auth flows need; they run before any tenant is known, so through asSystem. */
export interface AuthDeps {
  database: Database;
  settings: TenancySettings;
  requestId: string;
}

/** Who a MFA enrolment is for: the bearer of a login mfaToken, or a logged-in user. */
export type MfaSubject = { mfaToken: string } | { identity: Identity };

type PayloadFields = Omit<LoginPayload, 'userErrors'>;

/**
 * A transaction body either returns a value or an error to throw *after*
 * commit, so failure counters, locks, revocations and audit rows survive the
 * failure they record.
 */
type Step<T> = { value: T } | { error: DomainError };

async function systemStep<T>(deps: AuthDeps, reason: string, body: (tx: Tx) => Promise<Step<T>>): Promise<T> {
  const step = await asSystem(deps.database, reason, body);
  if ('error' in step) throw step.error;
  return step.value;
}

function identityStep(user: UserRow, assignments: readonly AssignmentWithClient[], clientId: string | null): Step<Identity> {
  try {
    return { value: chooseIdentity(user, assignments, clientId) };
  } catch (error) {
    if (error instanceof DomainError) return { error };
    throw error;
  }
}

function lockedError(until: Date): UnauthenticatedError {
  return new UnauthenticatedError(
    `Too many failed attempts: this account is locked until ${until.toISOString()}; try again later`,
  );
}

function lockPolicy(now: Date): { maxFailures: number; lockUntil: Date } {
  return { maxFailures: MAX_FAILED_ATTEMPTS, lockUntil: new Date(now.getTime() + LOCK_MINUTES * 60_000) };
}

/** Why this user may not continue right now, if anything. */
function blockedError(user: UserRow | null, now: Date): DomainError | null {
  if (!user) return new UnauthenticatedError('This account no longer exists: log in again');
  if (user.status !== 'ACTIVE') return new UnauthenticatedError('This account is disabled; ask an administrator');
  if (user.lockedUntil && user.lockedUntil > now) return lockedError(user.lockedUntil);
  return null;
}

async function auditAuth(
  tx: Tx,
  deps: AuthDeps,
  actor: Identity | null,
  entry: { clientId: string | null; action: string; userId: string | null; after?: unknown },
): Promise<void> {
  await recordAudit(tx, { identity: actor, requestId: deps.requestId }, {
    clientId: entry.clientId,
    action: entry.action,
    entityType: 'User',
    entityId: entry.userId,
    after: entry.after,
  });
}

function emptyPayload(): PayloadFields {
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
async function issueSession(
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
    await auditAuth(tx, deps, identity, { clientId: identity.clientId, action: 'auth.login', userId: user.id, after: { next: 'MFA_REQUIRED' } });
    return {
      ...emptyPayload(),
      mfaRequired: true,
      mfaToken: await signMfaToken({ ...challenge, purpose: 'verify' }, deps.settings.jwtSecret),
    };
  }
  if (isAdminRole(identity.role) && deps.settings.mfaRequiredForAdmins) {
    await auditAuth(tx, deps, identity, { clientId: identity.clientId, action: 'auth.login', userId: user.id, after: { next: 'MFA_ENROLLMENT_REQUIRED' } });
    return {
      ...emptyPayload(),
      mfaEnrollmentRequired: true,
      mfaToken: await signMfaToken({ ...challenge, purpose: 'enroll' }, deps.settings.jwtSecret),
    };
  }
  await auditAuth(tx, deps, identity, { clientId: identity.clientId, action: 'auth.login', userId: user.id, after: { next: 'SESSION' } });
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
    if (user.status !== 'ACTIVE') return { error: new UnauthenticatedError('This account is disabled; ask an administrator') };
    if (user.failedLoginCount > 0 || user.lockedUntil) await clearFailedAttempts(tx, user.id);
    const assignments = await listAssignmentsOfUser(tx, user.id);
    const identity = identityStep(user, assignments, requestedClientId);
    if ('error' in identity) return identity;
    return { value: await afterFirstFactor(tx, deps, user, assignments, identity.value) };
  });
}

/** Counts a wrong TOTP code like a wrong password, so codes cannot be brute-forced. */
async function wrongCode(tx: Tx, deps: AuthDeps, user: UserRow, now: Date): Promise<{ error: DomainError }> {
  const lockedUntil = await recordFailedAttempt(tx, user.id, lockPolicy(now));
  await auditAuth(tx, deps, null, { clientId: null, action: 'auth.mfa_failed', userId: user.id, after: { lockedUntil } });
  return { error: lockedUntil ? lockedError(lockedUntil) : new UnauthenticatedError(BAD_CODE_MESSAGE) };
}

const codeSchema = z.string().trim().min(1, 'Enter the 6-digit code from the authenticator app');

export async function verifyMfa(deps: AuthDeps, input: VerifyMfaInput): Promise<PayloadFields> {
  const valid = parseInputOrThrow(z.object({ mfaToken: z.string().min(1, 'Must not be empty'), code: codeSchema }), input);
  const challenge = await verifyMfaTokenOrThrow(valid.mfaToken, 'verify', deps.settings.jwtSecret);
  return systemStep<PayloadFields>(deps, 'verify MFA code', async (tx) => {
    const now = new Date();
    const user = await findUserById(tx, challenge.userId);
    const blocked = blockedError(user, now);
    if (blocked || !user) return { error: blocked ?? new UnauthenticatedError() };
    if (!user.mfaEnabledAt || !user.mfaSecret) {
      return { error: new UnauthenticatedError('MFA is not enabled for this account: log in again') };
    }
    if (!(await isValidTotpCode(user.mfaSecret, valid.code))) return wrongCode(tx, deps, user, now);
    if (user.failedLoginCount > 0) await clearFailedAttempts(tx, user.id);
    const assignments = await listAssignmentsOfUser(tx, user.id);
    const identity = identityStep(user, assignments, challenge.clientId);
    if ('error' in identity) return identity;
    await auditAuth(tx, deps, identity.value, { clientId: identity.value.clientId, action: 'auth.mfa_verified', userId: user.id });
    return { value: await issueSession(tx, deps, user, assignments, identity.value) };
  });
}

/** The user an enrolment is for, and the client its session will act in. */
async function enrolmentTarget(deps: AuthDeps, subject: MfaSubject): Promise<{ userId: string; clientId: string | null }> {
  if ('mfaToken' in subject) {
    const challenge = await verifyMfaTokenOrThrow(subject.mfaToken, 'enroll', deps.settings.jwtSecret);
    return { userId: challenge.userId, clientId: challenge.clientId };
  }
  if (!subject.identity.userId) throw new ForbiddenError('Only users can enrol an authenticator, not API keys');
  return { userId: subject.identity.userId, clientId: subject.identity.clientId };
}

const mfaAlreadyEnabled = (): DomainError => new DomainError('BAD_USER_INPUT', 'MFA is already enabled for this account');

export async function startMfaEnrollment(
  deps: AuthDeps,
  subject: MfaSubject,
): Promise<Omit<MfaEnrollmentPayload, 'userErrors'>> {
  const target = await enrolmentTarget(deps, subject);
  return systemStep<Omit<MfaEnrollmentPayload, 'userErrors'>>(deps, 'start MFA enrolment', async (tx) => {
    const user = await findUserById(tx, target.userId);
    const blocked = blockedError(user, new Date());
    if (blocked || !user) return { error: blocked ?? new UnauthenticatedError() };
    if (user.mfaEnabledAt) return { error: mfaAlreadyEnabled() };
    const secret = newTotpSecret();
    if (!(await setPendingMfaSecret(tx, user.id, secret))) return { error: mfaAlreadyEnabled() };
    await auditAuth(tx, deps, 'identity' in subject ? subject.identity : null, {
      clientId: target.clientId,
      action: 'auth.mfa_enrollment_started',
      userId: user.id,
    });
    return { value: { secret, otpauthUri: totpUri(secret, user.email) } };
  });
}

export async function confirmMfaEnrollment(
  deps: AuthDeps,
  subject: MfaSubject,
  input: Pick<ConfirmMfaEnrollmentInput, 'code'>,
): Promise<PayloadFields> {
  const valid = parseInputOrThrow(z.object({ code: codeSchema }), input);
  const target = await enrolmentTarget(deps, subject);
  return systemStep<PayloadFields>(deps, 'confirm MFA enrolment', async (tx) => {
    const now = new Date();
    const user = await findUserById(tx, target.userId);
    const blocked = blockedError(user, now);
    if (blocked || !user) return { error: blocked ?? new UnauthenticatedError() };
    if (user.mfaEnabledAt) return { error: mfaAlreadyEnabled() };
    if (!user.mfaSecret) {
      return { error: new DomainError('BAD_USER_INPUT', 'No enrolment in progress: call startMfaEnrollment first') };
    }
    if (!(await isValidTotpCode(user.mfaSecret, valid.code))) return wrongCode(tx, deps, user, now);
    await activateMfa(tx, user.id, now);
    const enrolled = { ...user, mfaEnabledAt: now, failedLoginCount: 0, lockedUntil: null };
    const assignments = await listAssignmentsOfUser(tx, user.id);
    const identity = identityStep(enrolled, assignments, target.clientId);
    if ('error' in identity) return identity;
    await auditAuth(tx, deps, identity.value, { clientId: identity.value.clientId, action: 'auth.mfa_enabled', userId: user.id });
    return { value: await issueSession(tx, deps, enrolled, assignments, identity.value) };
  });
}

const refreshSchema = z.object({ refreshToken: z.string().min(1, 'Must not be empty').max(200, 'Not a refresh token') });

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
    await auditAuth(tx, deps, identity.value, { clientId: identity.value.clientId, action: 'auth.refresh', userId: user.id });
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

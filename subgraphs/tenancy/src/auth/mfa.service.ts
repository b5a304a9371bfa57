import type { Tx } from '@ciro/db';
import {
  DomainError,
  ForbiddenError,
  UnauthenticatedError,
  parseInputOrThrow,
  type Identity,
} from '@ciro/subgraph-common';
import { z } from 'zod';
import {
  activateMfa,
  clearFailedAttempts,
  recordTotpStep,
  findUserById,
  listAssignmentsOfUser,
  recordFailedAttempt,
  resealLegacyMfaSecret,
  setPendingMfaSecret,
  type UserRow,
} from './auth.repository';
import type { ConfirmMfaEnrollmentInput, MfaEnrollmentPayload, VerifyMfaInput } from './auth.type';
import { verifyMfaTokenOrThrow } from './mfa-token';
import { openMfaSecret, sealMfaSecret, SecretBoxError } from './secret-box';
import {
  auditAuth,
  blockedError,
  identityStep,
  issueSession,
  lockPolicy,
  lockedError,
  systemStep,
  type AuthDeps,
  type PayloadFields,
} from './session';
import { acceptTotpCode, newTotpSecret, totpUri } from './totp';

export const BAD_CODE_MESSAGE = 'The code is not valid';

/** Who a MFA enrolment is for: the bearer of a login mfaToken, or a logged-in user. */
export type MfaSubject = { mfaToken: string } | { identity: Identity };

/** Counts a wrong TOTP code like a wrong password, so codes cannot be brute-forced. */
async function wrongCode(tx: Tx, deps: AuthDeps, user: UserRow, now: Date): Promise<{ error: DomainError }> {
  const lockedUntil = await recordFailedAttempt(tx, user.id, lockPolicy(now));
  await auditAuth(tx, deps, null, {
    clientId: null,
    action: 'auth.mfa_failed',
    userId: user.id,
    after: { lockedUntil },
  });
  return { error: lockedUntil ? lockedError(lockedUntil) : new UnauthenticatedError(BAD_CODE_MESSAGE) };
}

/** A user's TOTP secret as stored: sealed, or plain when written before encryption at rest. */
interface StoredTotpSecret {
  secret: string;
  legacy: boolean;
}

/**
 * Opens the stored TOTP secret with the settings' key. A value that does not
 * open (another key, altered, copied from another user) is a server fault, not
 * a wrong code: it fails the request (INTERNAL_SERVER_ERROR, logged with the
 * user id and the reason, never the value) and counts no attempt.
 */
function openStoredSecret(deps: AuthDeps, userId: string, stored: string): StoredTotpSecret {
  try {
    return openMfaSecret(deps.settings.mfaSecretBox, userId, stored);
  } catch (error) {
    if (error instanceof SecretBoxError) {
      // The log shows the cause's message after this one (pino's error serializer).
      throw new Error(`The TOTP secret of user ${userId} cannot be read`, { cause: error });
    }
    throw error;
  }
}

/** After a code is accepted: a plain secret from before encryption at rest is stored sealed from now on. */
async function sealIfLegacy(
  tx: Tx,
  deps: AuthDeps,
  userId: string,
  stored: string,
  opened: StoredTotpSecret,
): Promise<void> {
  if (!opened.legacy) return;
  await resealLegacyMfaSecret(tx, userId, stored, sealMfaSecret(deps.settings.mfaSecretBox, userId, opened.secret));
}

const codeSchema = z.string().trim().min(1, 'Enter the 6-digit code from the authenticator app');

export async function verifyMfa(deps: AuthDeps, input: VerifyMfaInput): Promise<PayloadFields> {
  const valid = parseInputOrThrow(
    z.object({ mfaToken: z.string().min(1, 'Must not be empty'), code: codeSchema }),
    input,
  );
  const challenge = await verifyMfaTokenOrThrow(valid.mfaToken, 'verify', deps.settings.jwtSecret);
  return systemStep<PayloadFields>(deps, 'verify MFA code', async (tx) => {
    const now = new Date();
    const user = await findUserById(tx, challenge.userId);
    const blocked = blockedError(user, now);
    if (blocked || !user) return { error: blocked ?? new UnauthenticatedError() };
    if (!user.mfaEnabledAt || !user.mfaSecret) {
      return { error: new UnauthenticatedError('MFA is not enabled for this account: log in again') };
    }
    const opened = openStoredSecret(deps, user.id, user.mfaSecret);
    const timeStep = await acceptTotpCode(opened.secret, valid.code, user.mfaLastTimeStep);
    if (timeStep === null) return wrongCode(tx, deps, user, now);
    await recordTotpStep(tx, user.id, timeStep);
    await sealIfLegacy(tx, deps, user.id, user.mfaSecret, opened);
    if (user.failedLoginCount > 0) await clearFailedAttempts(tx, user.id);
    const assignments = await listAssignmentsOfUser(tx, user.id);
    const identity = identityStep(user, assignments, challenge.clientId);
    if ('error' in identity) return identity;
    await auditAuth(tx, deps, identity.value, {
      clientId: identity.value.clientId,
      action: 'auth.mfa_verified',
      userId: user.id,
    });
    return { value: await issueSession(tx, deps, user, assignments, identity.value) };
  });
}

/** The user an enrolment is for, and the client its session will act in. */
async function enrolmentTarget(
  deps: AuthDeps,
  subject: MfaSubject,
): Promise<{ userId: string; clientId: string | null }> {
  if ('mfaToken' in subject) {
    const challenge = await verifyMfaTokenOrThrow(subject.mfaToken, 'enroll', deps.settings.jwtSecret);
    return { userId: challenge.userId, clientId: challenge.clientId };
  }
  if (!subject.identity.userId) throw new ForbiddenError('Only users can enrol an authenticator, not API keys');
  return { userId: subject.identity.userId, clientId: subject.identity.clientId };
}

const mfaAlreadyEnabled = (): DomainError =>
  new DomainError('BAD_USER_INPUT', 'MFA is already enabled for this account');

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
    const sealed = sealMfaSecret(deps.settings.mfaSecretBox, user.id, secret);
    if (!(await setPendingMfaSecret(tx, user.id, sealed))) return { error: mfaAlreadyEnabled() };
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
    const opened = openStoredSecret(deps, user.id, user.mfaSecret);
    const timeStep = await acceptTotpCode(opened.secret, valid.code, null);
    if (timeStep === null) return wrongCode(tx, deps, user, now);
    await activateMfa(tx, user.id, now, timeStep);
    await sealIfLegacy(tx, deps, user.id, user.mfaSecret, opened);
    const enrolled = { ...user, mfaEnabledAt: now, failedLoginCount: 0, lockedUntil: null };
    const assignments = await listAssignmentsOfUser(tx, user.id);
    const identity = identityStep(enrolled, assignments, target.clientId);
    if ('error' in identity) return identity;
    await auditAuth(tx, deps, identity.value, {
      clientId: identity.value.clientId,
      action: 'auth.mfa_enabled',
      userId: user.id,
    });
    return { value: await issueSession(tx, deps, enrolled, assignments, identity.value) };
  });
}

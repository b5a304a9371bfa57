import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { TOKEN_ISSUER, UnauthenticatedError } from '@ciro/subgraph-common';
import { z } from 'zod';

export const MFA_TOKEN_TTL_SECONDS = 5 * 60;
/** A different audience from access tokens, so one can never pass for the other. */
const MFA_AUDIENCE = 'ciro-mfa';

export type MfaPurpose = 'verify' | 'enroll';

/** What the second login step needs to know about the first one. */
export interface MfaChallenge {
  userId: string;
  purpose: MfaPurpose;
  /** Client chosen at login (null: platform administrator or the only assignment). */
  clientId: string | null;
}

const claimsSchema = z.object({
  sub: z.string().uuid(),
  typ: z.literal('mfa'),
  purpose: z.enum(['verify', 'enroll']),
  cid: z.string().uuid().nullable(),
});

function keyOf(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export async function signMfaToken(challenge: MfaChallenge, secret: string): Promise<string> {
  return new SignJWT({ typ: 'mfa', purpose: challenge.purpose, cid: challenge.clientId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(challenge.userId)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(MFA_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${MFA_TOKEN_TTL_SECONDS}s`)
    .sign(keyOf(secret));
}

/** Verifies an MFA token issued by login for the given purpose; UNAUTHENTICATED otherwise. */
export async function verifyMfaTokenOrThrow(token: string, purpose: MfaPurpose, secret: string): Promise<MfaChallenge> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, keyOf(secret), {
      issuer: TOKEN_ISSUER,
      audience: MFA_AUDIENCE,
      algorithms: ['HS256'],
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) {
      throw new UnauthenticatedError('The MFA step expired: log in again');
    }
    throw new UnauthenticatedError('MFA token is invalid: log in again');
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) throw new UnauthenticatedError('MFA token is invalid: log in again');
  if (claims.data.purpose !== purpose) {
    throw new UnauthenticatedError(
      purpose === 'verify'
        ? 'This MFA token is for enrolment: call startMfaEnrollment and confirmMfaEnrollment'
        : 'This MFA token is for verification: call verifyMfa',
    );
  }
  return { userId: claims.data.sub, purpose, clientId: claims.data.cid };
}

import { generateSecret, generateURI, verify } from 'otplib';

/** RFC 6238 settings every authenticator app understands. */
const PERIOD_SECONDS = 30;
const DIGITS = 6;
/** Accept the previous and next 30 s step, for clock drift and typing time. */
const TOLERANCE_SECONDS = PERIOD_SECONDS;
const ISSUER = 'CIRO Energy Portal';

/** A new base32 TOTP secret (160 bits). */
export function newTotpSecret(): string {
  return generateSecret();
}

/** The otpauth:// URI an authenticator app reads from a QR code. */
export function totpUri(secret: string, accountName: string): string {
  return generateURI({ issuer: ISSUER, label: accountName, secret, period: PERIOD_SECONDS, digits: DIGITS });
}

/**
 * The time step of `code` when it is the current 6-digit code (± one step)
 * for `secret` and newer than `lastTimeStep`; null otherwise. Refusing steps
 * already used stops a code seen over a shoulder from being replayed.
 */
export async function acceptTotpCode(
  secret: string,
  code: string,
  lastTimeStep: number | null,
): Promise<number | null> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  try {
    const result = await verify({
      secret,
      token,
      period: PERIOD_SECONDS,
      digits: DIGITS,
      epochTolerance: TOLERANCE_SECONDS,
      ...(lastTimeStep === null ? {} : { afterTimeStep: lastTimeStep }),
    });
    if (!result.valid || !('epoch' in result)) return null;
    return Math.floor(result.epoch / PERIOD_SECONDS);
  } catch {
    // A malformed stored secret is a failed check, not a server error.
    return null;
  }
}

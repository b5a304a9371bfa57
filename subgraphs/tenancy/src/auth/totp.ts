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

/** True when `code` is the current 6-digit code (± one step) for `secret`. */
export async function isValidTotpCode(secret: string, code: string): Promise<boolean> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return false;
  try {
    const result = await verify({
      secret,
      token,
      period: PERIOD_SECONDS,
      digits: DIGITS,
      epochTolerance: TOLERANCE_SECONDS,
    });
    return result.valid;
  } catch {
    // A malformed stored secret is a failed check, not a server error.
    return false;
  }
}

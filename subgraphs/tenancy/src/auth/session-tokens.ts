import { createHash, randomBytes } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** SHA-256 (hex) of a token: what is stored instead of the token itself. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export interface NewRefreshToken {
  raw: string;
  hash: string;
}

/**
 * An opaque refresh token: 256 random bits, followed by the client the session
 * was opened for (when one was chosen), so a refresh yields the same tenant for
 * a user with roles in several clients. Only the SHA-256 of the whole string is
 * stored, so the suffix cannot be altered without the token becoming unknown.
 */
export function newRefreshToken(sessionClientId: string | null): NewRefreshToken {
  const secret = randomBytes(32).toString('base64url');
  const raw = sessionClientId ? `${secret}.${sessionClientId}` : secret;
  return { raw, hash: sha256Hex(raw) };
}

/** The client a refresh token was issued for; read only after its hash matched. */
export function sessionClientOf(raw: string): string | null {
  const suffix = raw.split('.')[1];
  return suffix && UUID.test(suffix) ? suffix : null;
}

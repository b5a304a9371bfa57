import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';

export const MIN_PASSWORD_LENGTH = 12;
/** Bounds the work an anonymous caller can make argon2 do. */
export const MAX_PASSWORD_LENGTH = 256;

/** Password policy: long enough to resist guessing; no composition rules (NIST 800-63B). */
export const passwordField = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Password must be at least ${MIN_PASSWORD_LENGTH} characters long`)
  .max(MAX_PASSWORD_LENGTH, `Password must be at most ${MAX_PASSWORD_LENGTH} characters long`);

/**
 * argon2id with the library defaults (19 MiB, 2 passes, 1 lane): OWASP's
 * recommended minimum, and fast enough for a login on a 2-core machine.
 */
export async function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** False for a wrong password, one longer than the policy allows, and a malformed stored hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return verifyDummyPassword(password);
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | null = null;

/**
 * Spends the same time as a real verification, so a login with an unknown
 * email cannot be told apart from a wrong password by its latency.
 */
export async function verifyDummyPassword(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(18).toString('base64url'));
  await verifyPassword(await dummyHash, password.slice(0, MAX_PASSWORD_LENGTH));
  return false;
}

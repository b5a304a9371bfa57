import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const API_KEY_PREFIX_LENGTH = 12;
export const API_KEY_SECRET_LENGTH = 40;
const API_KEY_PATTERN = new RegExp(
  `^ciro_([0-9A-Za-z]{${API_KEY_PREFIX_LENGTH}})_([0-9A-Za-z]{${API_KEY_SECRET_LENGTH}})$`,
);

/** Uniform random base62 (rejection sampling keeps every character equally likely). */
function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

export interface NewApiKey {
  /** `ciro_<prefix12>_<secret40>`: shown to the caller once, never stored. */
  raw: string;
  /** Public part, stored to find the key. */
  prefix: string;
  /** SHA-256 (hex) of the whole key, stored to check it. */
  hash: string;
}

export function hashApiKey(raw: string): string {
  return createHash('sha256').update(raw, 'utf8').digest('hex');
}

/** A new key: 12 + 40 base62 characters (~238 random bits in the secret part). */
export function generateApiKey(): NewApiKey {
  const prefix = randomBase62(API_KEY_PREFIX_LENGTH);
  const raw = `ciro_${prefix}_${randomBase62(API_KEY_SECRET_LENGTH)}`;
  return { raw, prefix, hash: hashApiKey(raw) };
}

/** The prefix of a well-formed key, or null. */
export function apiKeyPrefixOf(raw: string): string | null {
  return API_KEY_PATTERN.exec(raw)?.[1] ?? null;
}

/** Constant-time comparison of a presented key with the stored hash. */
export function apiKeyMatches(raw: string, storedHash: string): boolean {
  const presented = Buffer.from(hashApiKey(raw), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

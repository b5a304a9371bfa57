// Encryption at rest of small secrets (the users' TOTP secrets): AES-256-GCM
// with a random 12-byte IV, bound to the row it belongs to through additional
// authenticated data. The key lives in the tenancy settings (a SecretBox), never
// in module state.
import { createCipheriv, createDecipheriv, createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
/** Any versioned value, `v<n>:…`; a base32 TOTP secret never contains `:`. */
const VERSIONED = /^v\d+:/;
/** A TOTP secret stored before encryption at rest (RFC 4648 base32). */
const LEGACY_BASE32 = /^[A-Z2-7]+=*$/i;

/** Shortest MFA_ENCRYPTION_KEY accepted (characters), like JWT_SECRET. */
export const MIN_MFA_ENCRYPTION_KEY_LENGTH = 32;
/** HKDF info of the key derived from MFA_ENCRYPTION_KEY. */
export const MFA_KEY_INFO = 'ciro/tenancy/users.mfa_secret/v1';
/** HKDF info of the development key derived from JWT_SECRET (distinct, so the two keys never coincide). */
export const MFA_KEY_FROM_JWT_SECRET_INFO = 'ciro/tenancy/users.mfa_secret/from-jwt-secret/v1';

export type SecretBoxErrorReason = 'MALFORMED' | 'UNSUPPORTED_VERSION' | 'CANNOT_OPEN';

/** A sealed value that cannot be opened. Its message never contains the value or the secret. */
export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
  constructor(
    readonly reason: SecretBoxErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/** 32 key bytes from a configured string: HKDF-SHA256, empty salt, fixed info label. */
export function deriveKey(material: string, info: string): Buffer {
  if (material.length === 0) throw new Error('Cannot derive an encryption key from an empty string');
  return Buffer.from(hkdfSync('sha256', Buffer.from(material, 'utf8'), Buffer.alloc(0), info, KEY_BYTES));
}

/**
 * Seals and opens strings with one AES-256-GCM key. Sealed form:
 * `v1:<iv>:<tag>:<ciphertext>` (base64url parts). `aad` (for TOTP secrets, the
 * user id) is authenticated but not stored: a value opens only with the same
 * key and the same `aad`, so a sealed secret copied to another row fails.
 */
export class SecretBox {
  readonly #key: KeyObject;

  constructor(key: Buffer) {
    if (key.length !== KEY_BYTES) throw new Error(`A SecretBox key must be ${KEY_BYTES} bytes, got ${key.length}`);
    this.#key = createSecretKey(key);
  }

  seal(plaintext: string, aad: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join(':');
  }

  open(sealed: string, aad: string): string {
    const { iv, tag, ciphertext } = parseSealed(sealed);
    const decipher = createDecipheriv(ALGORITHM, this.#key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError(
        'CANNOT_OPEN',
        'Sealed value does not open: it was sealed with another key (was MFA_ENCRYPTION_KEY, or JWT_SECRET ' +
          'when that is unset outside production, changed?), for another row, or it was altered',
      );
    }
  }

  /** Never print the key, whatever logs a settings object. */
  toJSON(): string {
    return 'SecretBox';
  }

  [inspect.custom](): string {
    return 'SecretBox';
  }
}

function parseSealed(sealed: string): { iv: Buffer; tag: Buffer; ciphertext: Buffer } {
  const parts = sealed.split(':');
  if (VERSIONED.test(sealed) && parts[0] !== VERSION) {
    throw new SecretBoxError(
      'UNSUPPORTED_VERSION',
      `Sealed value has version ${parts[0] ?? ''}; this build reads only ${VERSION}`,
    );
  }
  const malformed = (why: string) =>
    new SecretBoxError('MALFORMED', `Sealed value is malformed (${why}): expected ${VERSION}:<iv>:<tag>:<ciphertext>`);
  if (parts.length !== 4 || parts[0] !== VERSION)
    throw malformed(parts.length === 4 ? `no ${VERSION} prefix` : `${parts.length} parts, not 4`);
  const [, ivText = '', tagText = '', ciphertextText = ''] = parts;
  if (![ivText, tagText, ciphertextText].every((part) => BASE64URL.test(part))) throw malformed('not base64url');
  const iv = Buffer.from(ivText, 'base64url');
  const tag = Buffer.from(tagText, 'base64url');
  if (iv.length !== IV_BYTES) throw malformed(`IV of ${iv.length} bytes, not ${IV_BYTES}`);
  if (tag.length !== TAG_BYTES) throw malformed(`tag of ${tag.length} bytes, not ${TAG_BYTES}`);
  return { iv, tag, ciphertext: Buffer.from(ciphertextText, 'base64url') };
}

/** The box of TOTP secrets keyed by MFA_ENCRYPTION_KEY (at least 32 characters). */
export function mfaSecretBoxFromKey(mfaEncryptionKey: string): SecretBox {
  if (mfaEncryptionKey.length < MIN_MFA_ENCRYPTION_KEY_LENGTH) {
    throw new Error(`MFA_ENCRYPTION_KEY must be at least ${MIN_MFA_ENCRYPTION_KEY_LENGTH} characters`);
  }
  return new SecretBox(deriveKey(mfaEncryptionKey, MFA_KEY_INFO));
}

/** Outside production only: the box of TOTP secrets keyed from JWT_SECRET when MFA_ENCRYPTION_KEY is unset. */
export function mfaSecretBoxFromJwtSecret(jwtSecret: string): SecretBox {
  return new SecretBox(deriveKey(jwtSecret, MFA_KEY_FROM_JWT_SECRET_INFO));
}

/** True when a stored `users.mfa_secret` is sealed (not a plain secret from before encryption at rest). */
export function isSealed(stored: string): boolean {
  return VERSIONED.test(stored);
}

/** The value to store in `users.mfa_secret` of `userId`. */
export function sealMfaSecret(box: SecretBox, userId: string, secret: string): string {
  return box.seal(secret, userId);
}

/**
 * The TOTP secret in `users.mfa_secret` of `userId`. A plain base32 secret
 * stored before encryption at rest is returned as is with `legacy: true`, so the
 * caller re-seals it once the user's code is accepted.
 */
export function openMfaSecret(box: SecretBox, userId: string, stored: string): { secret: string; legacy: boolean } {
  if (isSealed(stored)) return { secret: box.open(stored, userId), legacy: false };
  if (LEGACY_BASE32.test(stored)) return { secret: stored, legacy: true };
  throw new SecretBoxError('MALFORMED', 'Stored MFA secret is neither sealed (v1:…) nor a base32 secret');
}

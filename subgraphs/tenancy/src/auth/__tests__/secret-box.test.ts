import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { mfaSecretBoxFromEnv, readTenancyEnv } from '../../env';
import {
  SecretBox,
  SecretBoxError,
  deriveKey,
  isSealed,
  mfaSecretBoxFromJwtSecret,
  mfaSecretBoxFromKey,
  openMfaSecret,
  sealMfaSecret,
} from '../secret-box';

const KEY = 'k'.repeat(32) + '-mfa-encryption-key-for-tests';
const JWT_SECRET = 'j'.repeat(32) + '-jwt-secret-for-tests';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** The SecretBoxError `fn` throws (fails the test when it throws nothing or something else). */
function boxError(fn: () => unknown): SecretBoxError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SecretBoxError) return error;
    throw error;
  }
  throw new Error('expected a SecretBoxError, nothing was thrown');
}

/** `sealed` with one base64url character of part `index` (1 iv, 2 tag, 3 ciphertext) changed. */
function tamper(sealed: string, index: 1 | 2 | 3): string {
  const parts = sealed.split(':');
  const part = parts[index] ?? '';
  parts[index] = (part[0] === 'A' ? 'B' : 'A') + part.slice(1);
  return parts.join(':');
}

describe('SecretBox', () => {
  const box = mfaSecretBoxFromKey(KEY);
  const userId = randomUUID();

  it('seals to v1:<12-byte iv>:<16-byte tag>:<ciphertext> with a new IV each time, and opens back', () => {
    const first = box.seal(SECRET, userId);
    const second = box.seal(SECRET, userId);
    expect(first).toMatch(/^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]{43}$/);
    expect(first).not.toContain(SECRET);
    expect(second).not.toBe(first);
    expect(first.split(':')[1]).not.toBe(second.split(':')[1]);
    expect(box.open(first, userId)).toBe(SECRET);
    expect(box.open(second, userId)).toBe(SECRET);
    expect(box.open(box.seal('', userId), userId)).toBe('');
    expect(box.open(box.seal('ñandú ✓', userId), userId)).toBe('ñandú ✓');
  });

  it.each([
    ['iv', 1],
    ['tag', 2],
    ['ciphertext', 3],
  ] as const)('refuses a value whose %s was altered', (_part, index) => {
    const sealed = box.seal(SECRET, userId);
    const error = boxError(() => box.open(tamper(sealed, index), userId));
    expect(error.reason).toBe('CANNOT_OPEN');
    expect(error.message).toMatch(/^Sealed value does not open: it was sealed with another key .* or it was altered$/);
  });

  it('refuses a value sealed with another key, or for another user (AAD), with the same clear error', () => {
    const sealed = box.seal(SECRET, userId);
    const otherKey = boxError(() => mfaSecretBoxFromKey(`${KEY}-rotated`).open(sealed, userId));
    const otherUser = boxError(() => box.open(sealed, randomUUID()));
    for (const error of [otherKey, otherUser]) {
      expect(error.reason).toBe('CANNOT_OPEN');
      expect(error.message).toContain('MFA_ENCRYPTION_KEY');
      expect(error.message).toContain('for another row');
      expect(error.message).not.toContain(SECRET);
      expect(error.message).not.toContain(sealed);
    }
  });

  it.each([
    ['too few parts', 'v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA', 'MALFORMED', '3 parts, not 4'],
    ['too many parts', 'v1:a:b:c:d', 'MALFORMED', '5 parts, not 4'],
    ['not base64url', 'v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA:abc+/=', 'MALFORMED', 'not base64url'],
    ['a short IV', 'v1:AAAA:AAAAAAAAAAAAAAAAAAAAAA:abcd', 'MALFORMED', 'IV of 3 bytes, not 12'],
    ['a short tag', 'v1:AAAAAAAAAAAAAAAA:AAAA:abcd', 'MALFORMED', 'tag of 3 bytes, not 16'],
    ['no version', 'x1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA:abcd', 'MALFORMED', 'no v1 prefix'],
    ['another version', 'v2:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA:abcd', 'UNSUPPORTED_VERSION', 'version v2'],
  ])('names the problem of a value with %s', (_case, value, reason, detail) => {
    const error = boxError(() => box.open(value, userId));
    expect(error.reason).toBe(reason);
    expect(error.message).toContain(detail);
  });

  it('never shows its key when logged or serialized', () => {
    expect(JSON.stringify({ settings: { mfaSecretBox: box } })).toBe('{"settings":{"mfaSecretBox":"SecretBox"}}');
    expect(inspect({ mfaSecretBox: box })).toBe('{ mfaSecretBox: SecretBox }');
  });

  it('takes only 32-byte keys', () => {
    expect(() => new SecretBox(Buffer.alloc(16))).toThrow('A SecretBox key must be 32 bytes, got 16');
  });
});

describe('MFA keys', () => {
  it('derive 32 bytes with HKDF-SHA256 and fixed labels, distinct for MFA_ENCRYPTION_KEY and JWT_SECRET', () => {
    // Pinned: changing the derivation would leave every stored TOTP secret unreadable.
    expect(deriveKey('x'.repeat(32), 'ciro/tenancy/users.mfa_secret/v1').toString('hex')).toBe(
      '435e88c2da9594b03aa7adf50653ff037e1da708e8b720639b59ffcf6a41bfa8',
    );
    expect(deriveKey('x'.repeat(32), 'ciro/tenancy/users.mfa_secret/from-jwt-secret/v1').toString('hex')).toBe(
      '58bdeb3e45568cabf6ec63888420c987ece00918240d6ca0fd3c60ca8e117619',
    );
    const sealed = mfaSecretBoxFromKey(KEY).seal(SECRET, 'user');
    expect(mfaSecretBoxFromKey(KEY).open(sealed, 'user')).toBe(SECRET);
    expect(boxError(() => mfaSecretBoxFromJwtSecret(KEY).open(sealed, 'user')).reason).toBe('CANNOT_OPEN');
  });

  it('refuses an MFA_ENCRYPTION_KEY shorter than 32 characters', () => {
    expect(() => mfaSecretBoxFromKey('k'.repeat(31))).toThrow('MFA_ENCRYPTION_KEY must be at least 32 characters');
  });
});

describe('MFA_ENCRYPTION_KEY setting', () => {
  it('is required in production, at least 32 characters and not the JWT secret', () => {
    expect(() => readTenancyEnv({ NODE_ENV: 'production', JWT_SECRET })).toThrow(
      'MFA_ENCRYPTION_KEY: MFA_ENCRYPTION_KEY is required in production (at least 32 characters): it encrypts the TOTP secrets at rest',
    );
    expect(() => readTenancyEnv({ NODE_ENV: 'production', JWT_SECRET, MFA_ENCRYPTION_KEY: 'short' })).toThrow(
      'MFA_ENCRYPTION_KEY: MFA_ENCRYPTION_KEY must be at least 32 characters',
    );
    expect(() => readTenancyEnv({ NODE_ENV: 'production', JWT_SECRET, MFA_ENCRYPTION_KEY: JWT_SECRET })).toThrow(
      'MFA_ENCRYPTION_KEY: MFA_ENCRYPTION_KEY must differ from JWT_SECRET',
    );
    expect(() => readTenancyEnv({ NODE_ENV: 'development', JWT_SECRET, MFA_ENCRYPTION_KEY: 'short' })).toThrow(
      'MFA_ENCRYPTION_KEY must be at least 32 characters',
    );
  });

  it('keys the box in production; elsewhere, when unset, the box comes from JWT_SECRET under its own label', () => {
    const production = readTenancyEnv({ NODE_ENV: 'production', JWT_SECRET, MFA_ENCRYPTION_KEY: KEY });
    const sealed = mfaSecretBoxFromEnv(production).seal(SECRET, 'user');
    expect(mfaSecretBoxFromKey(KEY).open(sealed, 'user')).toBe(SECRET);
    expect(boxError(() => mfaSecretBoxFromJwtSecret(JWT_SECRET).open(sealed, 'user')).reason).toBe('CANNOT_OPEN');

    for (const NODE_ENV of ['development', 'test'] as const) {
      const env = readTenancyEnv({ NODE_ENV, JWT_SECRET });
      expect(env.MFA_ENCRYPTION_KEY).toBeUndefined();
      const devSealed = mfaSecretBoxFromEnv(env).seal(SECRET, 'user');
      expect(mfaSecretBoxFromJwtSecret(JWT_SECRET).open(devSealed, 'user')).toBe(SECRET);
      // Not the JWT secret used as MFA_ENCRYPTION_KEY: the labels differ.
      expect(boxError(() => mfaSecretBoxFromKey(JWT_SECRET).open(devSealed, 'user')).reason).toBe('CANNOT_OPEN');
    }
    expect(() => mfaSecretBoxFromEnv({ NODE_ENV: 'production', JWT_SECRET, MFA_ENCRYPTION_KEY: undefined })).toThrow(
      'MFA_ENCRYPTION_KEY is required in production',
    );
  });
});

describe('stored MFA secrets', () => {
  const box = mfaSecretBoxFromKey(KEY);

  it('are sealed for their user and open back', () => {
    const userId = randomUUID();
    const stored = sealMfaSecret(box, userId, SECRET);
    expect(isSealed(stored)).toBe(true);
    expect(stored).not.toContain(SECRET);
    expect(openMfaSecret(box, userId, stored)).toEqual({ secret: SECRET, legacy: false });
    expect(boxError(() => openMfaSecret(box, randomUUID(), stored)).reason).toBe('CANNOT_OPEN');
  });

  it('read a plain base32 secret from before encryption at rest as is, flagged legacy', () => {
    expect(isSealed(SECRET)).toBe(false);
    expect(openMfaSecret(box, randomUUID(), SECRET)).toEqual({ secret: SECRET, legacy: true });
  });

  it('refuse a value that is neither sealed nor base32', () => {
    const error = boxError(() => openMfaSecret(box, randomUUID(), 'not a secret!'));
    expect(error.reason).toBe('MALFORMED');
    expect(error.message).toBe('Stored MFA secret is neither sealed (v1:…) nor a base32 secret');
  });
});

import { randomBytes } from 'node:crypto';
import { asSystem, schema } from '@ciro/db';
import { eq } from 'drizzle-orm';
import { generate } from 'otplib';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  firstError,
  seedClient,
  seedUser,
  startTestServer,
  totpNow,
  wrongTotp,
  type GraphQLResponse,
  type TestServer,
} from '../src/auth/__tests__/kit';
import { mfaSecretBoxFromKey, openMfaSecret } from '../src/auth/secret-box';
import { newTotpSecret } from '../src/auth/totp';

const SESSION = `accessToken mfaRequired mfaEnrollmentRequired mfaToken viewer { role user { id mfaEnabled } }`;
const LOGIN = `mutation Login($input: LoginInput!) { login(input: $input) { ${SESSION} } }`;
const VERIFY_MFA = `mutation VerifyMfa($input: VerifyMfaInput!) { verifyMfa(input: $input) { ${SESSION} } }`;
const START_ENROLLMENT = `mutation Start($input: StartMfaEnrollmentInput) {
  startMfaEnrollment(input: $input) { secret otpauthUri } }`;
const CONFIRM_ENROLLMENT = `mutation Confirm($input: ConfirmMfaEnrollmentInput!) {
  confirmMfaEnrollment(input: $input) { ${SESSION} } }`;

interface Session {
  accessToken: string | null;
  mfaRequired: boolean;
  mfaEnrollmentRequired: boolean;
  mfaToken: string | null;
  viewer: { role: string; user: { id: string; mfaEnabled: boolean } } | null;
}

/** `v1:` + 12-byte IV + 16-byte tag + the 32 base32 characters encrypted (32 bytes), all base64url. */
const SEALED_SECRET = /^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]{43}$/;

let server: TestServer;
/** Every log line of the servers of this file (errors only). */
const logs: string[] = [];
const logger = pino(
  { name: 'tenancy-test', level: 'error' },
  {
    write: (line: string) => {
      logs.push(line);
    },
  },
);

beforeAll(async () => {
  server = await startTestServer({}, { logger });
});

afterAll(async () => {
  await server?.stop();
});

async function login(on: TestServer, email: string, password: string): Promise<Session> {
  return (await on.data<{ login: Session }>(LOGIN, { input: { email, password } })).login;
}

async function userRow(id: string) {
  const row = await asSystem(server.database, 'test read', async (tx) => {
    const [found] = await tx.select().from(schema.users).where(eq(schema.users.id, id));
    return found;
  });
  if (!row) throw new Error(`user ${id} not found`);
  return row;
}

async function setStoredSecret(id: string, stored: string): Promise<void> {
  await asSystem(server.database, 'test: write users.mfa_secret', async (tx) => {
    await tx.update(schema.users).set({ mfaSecret: stored }).where(eq(schema.users.id, id));
  });
}

/** The code of the next 30 s step: valid now (one step of drift is accepted) and newer than the current one. */
function totpNextStep(secret: string): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
}

async function clientAdmin(options: { mfaSecret?: string; sealed?: boolean } = {}) {
  const client = await seedClient(server.database);
  return seedUser(server.database, {
    roles: [{ clientId: client.clientId, role: 'CLIENT_ADMIN' }],
    ...(options.mfaSecret ? { mfaSecret: options.mfaSecret } : {}),
    ...(options.sealed ? { sealWith: server.settings.mfaSecretBox } : {}),
  });
}

/** Expects the masked server error the caller gets, and the reason in the log (never the secret nor the stored value). */
function expectUnreadableSecret(result: GraphQLResponse<unknown>, userId: string, hidden: string[]): void {
  expect(firstError(result)).toEqual({ code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' });
  const lines = logs.filter((line) => line.includes(userId));
  expect(lines).toHaveLength(1);
  const entry = JSON.parse(lines[0] ?? '{}') as { msg: string; err: { message: string } };
  expect(entry.msg).toBe('unexpected error in resolver');
  expect(entry.err.message).toMatch(
    new RegExp(
      `^The TOTP secret of user ${userId} cannot be read: Sealed value does not open: it was sealed with another key`,
    ),
  );
  for (const value of hidden) expect(lines[0]).not.toContain(value);
}

describe('TOTP secrets at rest', () => {
  it('are stored sealed for their user at enrolment, and sign-in with a valid code still works', async () => {
    const admin = await clientAdmin();
    const first = await login(server, admin.email, admin.password);
    expect(first.mfaEnrollmentRequired).toBe(true);

    const started = await server.data<{ startMfaEnrollment: { secret: string } }>(START_ENROLLMENT, {
      input: { mfaToken: first.mfaToken },
    });
    const secret = started.startMfaEnrollment.secret;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const pending = await userRow(admin.id);
    expect(pending.mfaEnabledAt).toBeNull();
    expect(pending.mfaSecret).toMatch(SEALED_SECRET);
    expect(pending.mfaSecret).not.toContain(secret);
    expect(pending.mfaSecret?.toUpperCase()).not.toContain(secret);
    expect(openMfaSecret(server.settings.mfaSecretBox, admin.id, pending.mfaSecret ?? '')).toEqual({
      secret,
      legacy: false,
    });

    const confirmed = await server.data<{ confirmMfaEnrollment: Session }>(CONFIRM_ENROLLMENT, {
      input: { mfaToken: first.mfaToken, code: await totpNow(secret) },
    });
    expect(confirmed.confirmMfaEnrollment.accessToken).toMatch(/^ey/);
    const enrolled = await userRow(admin.id);
    expect(enrolled.mfaEnabledAt).toBeInstanceOf(Date);
    expect(enrolled.mfaSecret).toBe(pending.mfaSecret);

    const next = await login(server, admin.email, admin.password);
    expect(next).toMatchObject({ accessToken: null, mfaRequired: true });
    const wrong = await server.request(VERIFY_MFA, {
      input: { mfaToken: next.mfaToken, code: await wrongTotp(secret) },
    });
    expect(firstError(wrong)).toEqual({ code: 'UNAUTHENTICATED', message: 'The code is not valid' });
    const verified = await server.data<{ verifyMfa: Session }>(VERIFY_MFA, {
      input: { mfaToken: next.mfaToken, code: await totpNextStep(secret) },
    });
    expect(verified.verifyMfa.accessToken).toMatch(/^ey/);
    expect(verified.verifyMfa.viewer).toMatchObject({ role: 'CLIENT_ADMIN', user: { mfaEnabled: true } });
    expect((await userRow(admin.id)).mfaSecret).toBe(pending.mfaSecret);
  });

  it('still verify when stored plain before encryption at rest, and are sealed once a code is accepted', async () => {
    const secret = newTotpSecret();
    const admin = await clientAdmin({ mfaSecret: secret });
    expect((await userRow(admin.id)).mfaSecret).toBe(secret);

    const first = await login(server, admin.email, admin.password);
    const wrong = await server.request(VERIFY_MFA, {
      input: { mfaToken: first.mfaToken, code: await wrongTotp(secret) },
    });
    expect(firstError(wrong)).toEqual({ code: 'UNAUTHENTICATED', message: 'The code is not valid' });
    expect((await userRow(admin.id)).mfaSecret).toBe(secret);

    const verified = await server.data<{ verifyMfa: Session }>(VERIFY_MFA, {
      input: { mfaToken: first.mfaToken, code: await totpNow(secret) },
    });
    expect(verified.verifyMfa.accessToken).toMatch(/^ey/);
    const resealed = await userRow(admin.id);
    expect(resealed.mfaSecret).toMatch(SEALED_SECRET);
    expect(resealed.mfaSecret?.startsWith('v1:')).toBe(true);
    expect(resealed.mfaSecret).not.toContain(secret);
    expect(openMfaSecret(server.settings.mfaSecretBox, admin.id, resealed.mfaSecret ?? '')).toEqual({
      secret,
      legacy: false,
    });
    expect(resealed.mfaLastTimeStep).toBeGreaterThan(0);

    // The sealed secret still verifies, and is not sealed again.
    const second = await login(server, admin.email, admin.password);
    const again = await server.data<{ verifyMfa: Session }>(VERIFY_MFA, {
      input: { mfaToken: second.mfaToken, code: await totpNextStep(secret) },
    });
    expect(again.verifyMfa.accessToken).toMatch(/^ey/);
    expect((await userRow(admin.id)).mfaSecret).toBe(resealed.mfaSecret);
  });

  it('pending enrolment stored plain: confirmed with its code, then stored sealed', async () => {
    const secret = newTotpSecret();
    const admin = await clientAdmin();
    await setStoredSecret(admin.id, secret);
    const first = await login(server, admin.email, admin.password);
    expect(first.mfaEnrollmentRequired).toBe(true);

    const confirmed = await server.data<{ confirmMfaEnrollment: Session }>(CONFIRM_ENROLLMENT, {
      input: { mfaToken: first.mfaToken, code: await totpNow(secret) },
    });
    expect(confirmed.confirmMfaEnrollment.accessToken).toMatch(/^ey/);
    const enrolled = await userRow(admin.id);
    expect(enrolled.mfaEnabledAt).toBeInstanceOf(Date);
    expect(enrolled.mfaSecret).toMatch(SEALED_SECRET);
    expect(openMfaSecret(server.settings.mfaSecretBox, admin.id, enrolled.mfaSecret ?? '')).toEqual({
      secret,
      legacy: false,
    });
  });

  it("do not open when copied to another user's row, and the attempt counts no failure", async () => {
    const secretA = newTotpSecret();
    const a = await clientAdmin({ mfaSecret: secretA, sealed: true });
    const b = await clientAdmin({ mfaSecret: newTotpSecret(), sealed: true });
    const storedA = (await userRow(a.id)).mfaSecret ?? '';
    expect(storedA).toMatch(SEALED_SECRET);
    await setStoredSecret(b.id, storedA);

    const session = await login(server, b.email, b.password);
    const result = await server.request(VERIFY_MFA, {
      input: { mfaToken: session.mfaToken, code: await totpNow(secretA) },
    });
    expectUnreadableSecret(result, b.id, [secretA, storedA]);
    const rowB = await userRow(b.id);
    expect(rowB).toMatchObject({ mfaSecret: storedA, failedLoginCount: 0, mfaLastTimeStep: null });
  });

  it('do not open when altered', async () => {
    const secret = newTotpSecret();
    const admin = await clientAdmin({ mfaSecret: secret, sealed: true });
    const stored = (await userRow(admin.id)).mfaSecret ?? '';
    const parts = stored.split(':');
    parts[3] = (parts[3]?.startsWith('A') ? 'B' : 'A') + (parts[3] ?? '').slice(1);
    const altered = parts.join(':');
    await setStoredSecret(admin.id, altered);

    const session = await login(server, admin.email, admin.password);
    const result = await server.request(VERIFY_MFA, {
      input: { mfaToken: session.mfaToken, code: await totpNow(secret) },
    });
    expectUnreadableSecret(result, admin.id, [secret, altered]);
    expect((await userRow(admin.id)).mfaSecret).toBe(altered);
  });

  it('do not open on a server with another key', async () => {
    const secret = newTotpSecret();
    const admin = await clientAdmin({ mfaSecret: secret, sealed: true });
    const stored = (await userRow(admin.id)).mfaSecret ?? '';
    const other = await startTestServer(
      { mfaSecretBox: mfaSecretBoxFromKey(randomBytes(32).toString('base64url')) },
      { logger },
    );
    try {
      const session = await login(other, admin.email, admin.password);
      const result = await other.request(VERIFY_MFA, {
        input: { mfaToken: session.mfaToken, code: await totpNow(secret) },
      });
      expectUnreadableSecret(result, admin.id, [secret, stored]);
    } finally {
      await other.stop();
    }
    // The right key still opens it.
    const session = await login(server, admin.email, admin.password);
    const verified = await server.data<{ verifyMfa: Session }>(VERIFY_MFA, {
      input: { mfaToken: session.mfaToken, code: await totpNow(secret) },
    });
    expect(verified.verifyMfa.accessToken).toMatch(/^ey/);
    expect((await userRow(admin.id)).mfaSecret).toBe(stored);
  });
});

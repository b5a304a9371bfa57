import { asSystem, schema } from '@ciro/db';
import { ROLE_SCOPES, TOKEN_AUDIENCE, TOKEN_ISSUER } from '@ciro/subgraph-common';
import { eq } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  firstError,
  seedClient,
  seedUser,
  startTestServer,
  totpNow,
  wrongTotp,
  type TestServer,
} from '../src/auth/__tests__/kit';
import { hashPassword, verifyPassword } from '../src/auth/password';
import { newTotpSecret } from '../src/auth/totp';

const SESSION = `accessToken refreshToken accessTokenExpiresAt mfaRequired mfaEnrollmentRequired mfaToken
  viewer { role clientId customerId scopes user { id email mfaEnabled roles { role customerId client { id code } } } }
  userErrors { field message code }`;

const LOGIN = `mutation Login($input: LoginInput!) { login(input: $input) { ${SESSION} } }`;
const VERIFY_MFA = `mutation VerifyMfa($input: VerifyMfaInput!) { verifyMfa(input: $input) { ${SESSION} } }`;
const START_ENROLLMENT = `mutation Start($input: StartMfaEnrollmentInput) {
  startMfaEnrollment(input: $input) { secret otpauthUri userErrors { field message code } } }`;
const CONFIRM_ENROLLMENT = `mutation Confirm($input: ConfirmMfaEnrollmentInput!) { confirmMfaEnrollment(input: $input) { ${SESSION} } }`;
const REFRESH = `mutation Refresh($input: RefreshSessionInput!) { refreshSession(input: $input) { ${SESSION} } }`;
const LOGOUT = `mutation Logout($input: LogoutInput!) { logout(input: $input) { loggedOut userErrors { message } } }`;
const ME = `query Me { me { role clientId customerId scopes user { email } } }`;

interface Session {
  accessToken: string | null;
  refreshToken: string | null;
  accessTokenExpiresAt: string | null;
  mfaRequired: boolean;
  mfaEnrollmentRequired: boolean;
  mfaToken: string | null;
  viewer: {
    role: string;
    clientId: string | null;
    customerId: string | null;
    scopes: string[];
    user: {
      id: string;
      email: string;
      mfaEnabled: boolean;
      roles: { role: string; customerId: string | null; client: { id: string; code: string } | null }[];
    };
  } | null;
  userErrors: { field: string[] | null; message: string; code: string }[];
}

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.stop();
});

async function login(email: string, password: string, clientId?: string): Promise<Session> {
  const data = await server.data<{ login: Session }>(LOGIN, {
    input: { email, password, ...(clientId ? { clientId } : {}) },
  });
  return data.login;
}

async function userRow(id: string) {
  return asSystem(server.database, 'test read', async (tx) => {
    const [row] = await tx.select().from(schema.users).where(eq(schema.users.id, id));
    return row;
  });
}

describe('passwords', () => {
  it('are hashed with argon2id and verified against the hash', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery stapler')).toBe(false);
    expect(await verifyPassword('not a hash', 'anything')).toBe(false);
  });
});

describe('login', () => {
  it('returns a session whose viewer and `me` show the customer user, its client and scopes', async () => {
    const client = await seedClient(server.database);
    const user = await seedUser(server.database, {
      roles: [{ clientId: client.clientId, role: 'CUSTOMER_USER', customerId: client.customerId }],
    });

    const before = Date.now();
    const session = await login(user.email.toUpperCase(), user.password);

    expect(session.mfaRequired).toBe(false);
    expect(session.mfaEnrollmentRequired).toBe(false);
    expect(session.mfaToken).toBeNull();
    expect(session.accessToken).toMatch(/^ey/);
    expect(session.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}\./);
    const expiresIn = Date.parse(session.accessTokenExpiresAt ?? '') - before;
    expect(expiresIn).toBeGreaterThan(14 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000 + 1000);
    expect(session.viewer).toMatchObject({
      role: 'CUSTOMER_USER',
      clientId: client.clientGlobalId,
      customerId: client.customerGlobalId,
      scopes: [...ROLE_SCOPES.CUSTOMER_USER],
      user: {
        email: user.email,
        mfaEnabled: false,
        roles: [
          {
            role: 'CUSTOMER_USER',
            customerId: client.customerGlobalId,
            client: { id: client.clientGlobalId, code: client.code },
          },
        ],
      },
    });

    const me = await server.data<{ me: unknown }>(ME, {}, session.accessToken ?? '');
    expect(me.me).toEqual({
      role: 'CUSTOMER_USER',
      clientId: client.clientGlobalId,
      customerId: client.customerGlobalId,
      scopes: [...ROLE_SCOPES.CUSTOMER_USER],
      user: { email: user.email },
    });
  });

  it('answers a wrong password and an unknown email with the same UNAUTHENTICATED error', async () => {
    const client = await seedClient(server.database);
    const user = await seedUser(server.database, {
      roles: [{ clientId: client.clientId, role: 'CUSTOMER_USER', customerId: client.customerId }],
    });

    const wrongPassword = await server.request(LOGIN, {
      input: { email: user.email, password: 'not the password at all' },
    });
    const unknownEmail = await server.request(LOGIN, {
      input: { email: `nobody-${user.id}@test.example`, password: user.password },
    });

    expect(firstError(wrongPassword)).toEqual({ code: 'UNAUTHENTICATED', message: 'Email or password is incorrect' });
    expect(firstError(unknownEmail)).toEqual(firstError(wrongPassword));
    expect(wrongPassword.data?.login ?? null).toBeNull();
    expect((await userRow(user.id))?.failedLoginCount).toBe(1);
  });

  it('locks the account for 15 minutes after 10 consecutive failures, even for the right password', async () => {
    const client = await seedClient(server.database);
    const user = await seedUser(server.database, {
      roles: [{ clientId: client.clientId, role: 'CUSTOMER_USER', customerId: client.customerId }],
    });

    const messages: string[] = [];
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      const result = await server.request(LOGIN, {
        input: { email: user.email, password: `wrong password ${attempt}` },
      });
      messages.push(firstError(result)?.message ?? '');
    }
    expect(messages.slice(0, 9).every((m) => m === 'Email or password is incorrect')).toBe(true);
    expect(messages[9]).toMatch(/^Too many failed attempts: this account is locked until /);

    const row = await userRow(user.id);
    const lockedFor = (row?.lockedUntil?.getTime() ?? 0) - Date.now();
    expect(lockedFor).toBeGreaterThan(14 * 60_000);
    expect(lockedFor).toBeLessThanOrEqual(15 * 60_000);

    const rightPassword = await server.request(LOGIN, { input: { email: user.email, password: user.password } });
    expect(firstError(rightPassword)?.code).toBe('UNAUTHENTICATED');
    expect(firstError(rightPassword)?.message).toMatch(/locked until/);
  });

  it('asks a user with roles in several clients to pick one, then logs in to the chosen client', async () => {
    const first = await seedClient(server.database);
    const second = await seedClient(server.database);
    const user = await seedUser(server.database, {
      roles: [
        { clientId: first.clientId, role: 'CUSTOMER_USER', customerId: first.customerId },
        { clientId: second.clientId, role: 'CUSTOMER_USER', customerId: second.customerId },
      ],
    });

    const ambiguous = await login(user.email, user.password);
    expect(ambiguous.accessToken).toBeNull();
    expect(ambiguous.userErrors).toHaveLength(1);
    expect(ambiguous.userErrors[0]).toMatchObject({ field: ['input', 'clientId'], code: 'BAD_USER_INPUT' });
    expect(ambiguous.userErrors[0]?.message).toContain(second.clientGlobalId);

    const chosen = await login(user.email, user.password, second.clientGlobalId);
    expect(chosen.viewer?.clientId).toBe(second.clientGlobalId);
    expect(chosen.viewer?.customerId).toBe(second.customerGlobalId);

    // The refresh keeps the tenant chosen at login.
    const refreshed = await server.data<{ refreshSession: Session }>(REFRESH, {
      input: { refreshToken: chosen.refreshToken },
    });
    expect(refreshed.refreshSession.viewer?.clientId).toBe(second.clientGlobalId);
  });
});

describe('MFA', () => {
  it('gives an admin with MFA no tokens until verifyMfa gets a real code, and refuses a wrong one', async () => {
    const client = await seedClient(server.database);
    const secret = newTotpSecret();
    const admin = await seedUser(server.database, {
      roles: [{ clientId: client.clientId, role: 'CLIENT_ADMIN' }],
      mfaSecret: secret,
      sealWith: server.settings.mfaSecretBox,
    });

    const first = await login(admin.email, admin.password);
    expect(first).toMatchObject({
      accessToken: null,
      refreshToken: null,
      viewer: null,
      mfaRequired: true,
      mfaEnrollmentRequired: false,
    });
    expect(first.mfaToken).toMatch(/^ey/);

    const wrong = await server.request(VERIFY_MFA, {
      input: { mfaToken: first.mfaToken, code: await wrongTotp(secret) },
    });
    expect(firstError(wrong)).toEqual({ code: 'UNAUTHENTICATED', message: 'The code is not valid' });

    const verified = await server.data<{ verifyMfa: Session }>(VERIFY_MFA, {
      input: { mfaToken: first.mfaToken, code: await totpNow(secret) },
    });
    expect(verified.verifyMfa.accessToken).toMatch(/^ey/);
    expect(verified.verifyMfa.viewer).toMatchObject({
      role: 'CLIENT_ADMIN',
      clientId: client.clientGlobalId,
      customerId: null,
    });
    expect((await userRow(admin.id))?.failedLoginCount).toBe(0);
  });

  it('never accepts the same TOTP code twice, even in a new login (replay)', async () => {
    const client = await seedClient(server.database);
    const secret = newTotpSecret();
    const admin = await seedUser(server.database, {
      roles: [{ clientId: client.clientId, role: 'CLIENT_ADMIN' }],
      mfaSecret: secret,
      sealWith: server.settings.mfaSecretBox,
    });
    const code = await totpNow(secret);
    const first = await login(admin.email, admin.password);
    const verified = await server.data<{ verifyMfa: Session }>(VERIFY_MFA, {
      input: { mfaToken: first.mfaToken, code },
    });
    expect(verified.verifyMfa.accessToken).toMatch(/^ey/);

    const second = await login(admin.email, admin.password);
    const replayed = await server.request(VERIFY_MFA, { input: { mfaToken: second.mfaToken, code } });
    expect(firstError(replayed)).toEqual({ code: 'UNAUTHENTICATED', message: 'The code is not valid' });
    expect((await userRow(admin.id))?.mfaLastTimeStep).toBeGreaterThan(0);
  });

  it('refuses an mfaToken of another purpose and an access token in its place', async () => {
    const client = await seedClient(server.database);
    const admin = await seedUser(server.database, { roles: [{ clientId: client.clientId, role: 'CLIENT_ADMIN' }] });
    const enrolment = await login(admin.email, admin.password);
    expect(enrolment.mfaEnrollmentRequired).toBe(true);

    const misused = await server.request(VERIFY_MFA, { input: { mfaToken: enrolment.mfaToken, code: '123456' } });
    expect(firstError(misused)?.code).toBe('UNAUTHENTICATED');
    expect(firstError(misused)?.message).toMatch(/for enrolment/);

    const customer = await seedUser(server.database, {
      roles: [{ clientId: client.clientId, role: 'CUSTOMER_USER', customerId: client.customerId }],
    });
    const session = await login(customer.email, customer.password);
    const accessAsMfa = await server.request(VERIFY_MFA, { input: { mfaToken: session.accessToken, code: '123456' } });
    expect(firstError(accessAsMfa)).toEqual({ code: 'UNAUTHENTICATED', message: 'MFA token is invalid: log in again' });
  });

  it('walks an admin without MFA through enrolment before any token, then requires the code at the next login', async () => {
    const client = await seedClient(server.database);
    const admin = await seedUser(server.database, { roles: [{ clientId: client.clientId, role: 'CLIENT_ADMIN' }] });

    const first = await login(admin.email, admin.password);
    expect(first).toMatchObject({
      accessToken: null,
      refreshToken: null,
      mfaRequired: false,
      mfaEnrollmentRequired: true,
    });

    const started = await server.data<{ startMfaEnrollment: { secret: string; otpauthUri: string } }>(
      START_ENROLLMENT,
      {
        input: { mfaToken: first.mfaToken },
      },
    );
    const { secret, otpauthUri } = started.startMfaEnrollment;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUri).toBe(
      `otpauth://totp/CIRO%20Energy%20Portal:${encodeURIComponent(admin.email)}?secret=${secret}&issuer=CIRO%20Energy%20Portal`,
    );
    expect((await userRow(admin.id))?.mfaEnabledAt).toBeNull();

    const wrong = await server.request(CONFIRM_ENROLLMENT, {
      input: { mfaToken: first.mfaToken, code: await wrongTotp(secret) },
    });
    expect(firstError(wrong)).toEqual({ code: 'UNAUTHENTICATED', message: 'The code is not valid' });

    const confirmed = await server.data<{ confirmMfaEnrollment: Session }>(CONFIRM_ENROLLMENT, {
      input: { mfaToken: first.mfaToken, code: await totpNow(secret) },
    });
    expect(confirmed.confirmMfaEnrollment.accessToken).toMatch(/^ey/);
    expect(confirmed.confirmMfaEnrollment.viewer?.user.mfaEnabled).toBe(true);
    expect(confirmed.confirmMfaEnrollment.viewer?.role).toBe('CLIENT_ADMIN');

    const next = await login(admin.email, admin.password);
    expect(next).toMatchObject({ accessToken: null, mfaRequired: true, mfaEnrollmentRequired: false });
  });

  it('lets a logged-in customer opt in with the access token alone', async () => {
    const client = await seedClient(server.database);
    const customer = await seedUser(server.database, {
      roles: [{ clientId: client.clientId, role: 'CUSTOMER_USER', customerId: client.customerId }],
    });
    const session = await login(customer.email, customer.password);

    const anonymous = await server.request(START_ENROLLMENT, {});
    expect(firstError(anonymous)?.code).toBe('UNAUTHENTICATED');

    const started = await server.data<{ startMfaEnrollment: { secret: string } }>(
      START_ENROLLMENT,
      {},
      session.accessToken ?? '',
    );
    const confirmed = await server.data<{ confirmMfaEnrollment: Session }>(
      CONFIRM_ENROLLMENT,
      { input: { code: await totpNow(started.startMfaEnrollment.secret) } },
      session.accessToken ?? '',
    );
    expect(confirmed.confirmMfaEnrollment.viewer).toMatchObject({
      role: 'CUSTOMER_USER',
      customerId: client.customerGlobalId,
    });
    expect((await userRow(customer.id))?.mfaEnabledAt).toBeInstanceOf(Date);

    const next = await login(customer.email, customer.password);
    expect(next.mfaRequired).toBe(true);
    expect(next.accessToken).toBeNull();
  });
});

describe('refresh tokens', () => {
  async function customerSession(): Promise<Session> {
    const client = await seedClient(server.database);
    const user = await seedUser(server.database, {
      roles: [{ clientId: client.clientId, role: 'CUSTOMER_USER', customerId: client.customerId }],
    });
    return login(user.email, user.password);
  }

  it('rotates on refresh; replaying a used token revokes the family so the newest token fails too', async () => {
    const session = await customerSession();
    const rotated = (
      await server.data<{ refreshSession: Session }>(REFRESH, { input: { refreshToken: session.refreshToken } })
    ).refreshSession;
    expect(rotated.accessToken).toMatch(/^ey/);
    expect(rotated.refreshToken).not.toBe(session.refreshToken);
    expect(rotated.viewer?.role).toBe('CUSTOMER_USER');

    const replay = await server.request(REFRESH, { input: { refreshToken: session.refreshToken } });
    expect(firstError(replay)).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'Refresh token reuse detected; log in again',
    });

    const newest = await server.request(REFRESH, { input: { refreshToken: rotated.refreshToken } });
    expect(firstError(newest)).toEqual({ code: 'UNAUTHENTICATED', message: 'Refresh token was revoked; log in again' });
  });

  it('stores only the SHA-256 of a refresh token', async () => {
    const session = await customerSession();
    const userId =
      Buffer.from(session.viewer?.user.id ?? '', 'base64url')
        .toString('utf8')
        .split(':')[2] ?? '';
    const rows = await asSystem(server.database, 'test read', (tx) =>
      tx.select().from(schema.refreshTokens).where(eq(schema.refreshTokens.userId, userId)),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]?.tokenHash).not.toContain(session.refreshToken?.slice(0, 20));
  });

  it('ends the session on logout', async () => {
    const session = await customerSession();
    const loggedOut = await server.data<{ logout: { loggedOut: boolean } }>(LOGOUT, {
      input: { refreshToken: session.refreshToken },
    });
    expect(loggedOut.logout.loggedOut).toBe(true);

    const refresh = await server.request(REFRESH, { input: { refreshToken: session.refreshToken } });
    expect(firstError(refresh)).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'Refresh token was revoked; log in again',
    });

    const unknown = await server.data<{ logout: { loggedOut: boolean } }>(LOGOUT, {
      input: { refreshToken: 'no-such-token' },
    });
    expect(unknown.logout.loggedOut).toBe(false);
  });

  it('refuses an unknown refresh token', async () => {
    const result = await server.request(REFRESH, { input: { refreshToken: 'a'.repeat(43) } });
    expect(firstError(result)).toEqual({ code: 'UNAUTHENTICATED', message: 'Refresh token is invalid; log in again' });
  });
});

describe('access tokens on a protected query', () => {
  async function claimsFor() {
    const client = await seedClient(server.database);
    const user = await seedUser(server.database, {
      roles: [{ clientId: client.clientId, role: 'CUSTOMER_USER', customerId: client.customerId }],
    });
    const session = await login(user.email, user.password);
    return { user, client, session };
  }

  function sign(claims: Record<string, unknown>, secret: string, exp: number) {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(exp - 900)
      .setExpirationTime(exp)
      .sign(new TextEncoder().encode(secret));
  }

  it('refuses an expired token with UNAUTHENTICATED', async () => {
    const { user, client } = await claimsFor();
    const expired = await sign(
      {
        sub: user.id,
        typ: 'access',
        role: 'CUSTOMER_USER',
        orgId: client.organizationId,
        clientId: client.clientId,
        customerId: client.customerId,
        scopes: ['profile:read'],
      },
      server.settings.jwtSecret,
      Math.floor(Date.now() / 1000) - 60,
    );
    const result = await server.request(ME, {}, expired);
    expect(firstError(result)).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'Access token expired: refresh it or log in again',
    });
    expect(result.data?.me ?? null).toBeNull();
  });

  it('refuses a token signed with another secret and a tampered one', async () => {
    const { user, client, session } = await claimsFor();
    const forged = await sign(
      {
        sub: user.id,
        typ: 'access',
        role: 'SYSTEM_ADMIN',
        orgId: null,
        clientId: null,
        customerId: null,
        scopes: [...ROLE_SCOPES.SYSTEM_ADMIN],
      },
      'another secret that is long enough to be plausible',
      Math.floor(Date.now() / 1000) + 600,
    );
    expect(firstError(await server.request(ME, {}, forged))).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'Access token is invalid',
    });

    const [header, payload, signature] = (session.accessToken ?? '').split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims.clientId).toBe(client.clientId);
    const escalated = Buffer.from(JSON.stringify({ ...claims, role: 'SYSTEM_ADMIN', clientId: null })).toString(
      'base64url',
    );
    const tampered = `${header}.${escalated}.${signature}`;
    expect(firstError(await server.request(ME, {}, tampered))).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'Access token is invalid',
    });

    // The untouched token still works.
    expect((await server.data<{ me: { role: string } }>(ME, {}, session.accessToken ?? '')).me.role).toBe(
      'CUSTOMER_USER',
    );
  });
});

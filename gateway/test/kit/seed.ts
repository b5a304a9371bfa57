import { randomBytes, randomUUID } from 'node:crypto';
import { asSystem, schema, type Tx } from '@ciro/db';
import { toGlobalId } from '@ciro/subgraph-common';
import { generate, generateSecret } from 'otplib';
// Tenancy's own hashing, so seeded users log in exactly like real ones.
// (Not exported from @ciro/tenancy's index; a relative import keeps it test-only.)
import { hashPassword } from '../../../subgraphs/tenancy/src/auth/password';
import { expectData, gql } from './gql';
import type { Stack } from './stack';

export interface SeededLogin {
  userId: string;
  email: string;
  password: string;
  /** Base32 TOTP secret when MFA is enrolled. */
  totpSecret: string | null;
  /** Logs in through the gateway (login, then verifyMfa with a fresh TOTP code when enrolled); returns the access token. */
  login(): Promise<string>;
}

export interface SeededCustomer {
  id: string;
  globalId: string;
  code: string;
  name: string;
}

export interface SeededClient {
  id: string;
  globalId: string;
  code: string;
  name: string;
  organizationId: string;
  /** A new customer of this client with one customer user (no MFA, as customers may choose). */
  customer(): Promise<{ customer: SeededCustomer; user: SeededLogin }>;
}

export interface Seed {
  /** A new client (own organization) with one client admin, MFA enrolled. */
  client(): Promise<{ client: SeededClient; admin: SeededLogin }>;
  /** A new platform administrator, MFA enrolled. */
  systemAdmin(): Promise<SeededLogin>;
}

const LOGIN = /* GraphQL */ `
  mutation SeedLogin($input: LoginInput!) {
    login(input: $input) {
      accessToken
      mfaRequired
      mfaToken
      userErrors {
        field
        message
        code
      }
    }
  }
`;
const VERIFY_MFA = /* GraphQL */ `
  mutation SeedVerifyMfa($input: VerifyMfaInput!) {
    verifyMfa(input: $input) {
      accessToken
      userErrors {
        field
        message
        code
      }
    }
  }
`;

interface LoginResult {
  accessToken: string | null;
  mfaRequired?: boolean;
  mfaToken?: string | null;
  userErrors: { message: string }[];
}

const shortId = () => randomUUID().slice(0, 8);

/**
 * A TOTP code is accepted once (replay protection), so a second MFA login in
 * the same 30 s would fail: the first session's access token (15 min) is reused.
 */
function loginThroughGateway(stack: Stack, email: string, password: string, totpSecret: string | null) {
  let session: Promise<string> | null = null;
  return (): Promise<string> => {
    session ??= freshLogin(stack, email, password, totpSecret).catch((error: unknown) => {
      session = null;
      throw error;
    });
    return session;
  };
}

function freshLogin(stack: Stack, email: string, password: string, totpSecret: string | null) {
  return (async (): Promise<string> => {
    const first = expectData(
      await gql<{ login: LoginResult }>(stack, { query: LOGIN, variables: { input: { email, password } } }),
    ).login;
    if (first.accessToken) return first.accessToken;
    if (!first.mfaRequired || !first.mfaToken || !totpSecret) {
      throw new Error(`login of ${email} did not return a session or an MFA step: ${JSON.stringify(first)}`);
    }
    const code = await generate({ secret: totpSecret });
    const second = expectData(
      await gql<{ verifyMfa: LoginResult }>(stack, {
        query: VERIFY_MFA,
        variables: { input: { mfaToken: first.mfaToken, code } },
      }),
    ).verifyMfa;
    if (!second.accessToken) throw new Error(`verifyMfa of ${email} failed: ${JSON.stringify(second)}`);
    return second.accessToken;
  })();
}

async function insertUser(
  tx: Tx,
  stack: Stack,
  label: string,
  options: { mfa: boolean; systemAdmin?: boolean },
): Promise<SeededLogin> {
  const email = `${label}-${randomUUID()}@test.ciro.example`;
  const password = randomBytes(18).toString('base64url');
  const totpSecret = options.mfa ? generateSecret() : null;
  const userId = randomUUID();
  await tx.insert(schema.users).values({
    id: userId,
    email,
    displayName: label,
    passwordHash: await hashPassword(password),
    isSystemAdmin: options.systemAdmin ?? false,
    mfaSecret: totpSecret,
    mfaEnabledAt: totpSecret ? new Date() : null,
  });
  return { userId, email, password, totpSecret, login: loginThroughGateway(stack, email, password, totpSecret) };
}

/**
 * Fluent seed builder: every call creates new rows with unique codes and
 * emails, so tests never share a tenant and can run concurrently.
 *
 *   const { client, admin } = await seed(stack).client();
 *   const { customer, user } = await client.customer();
 *   const token = await admin.login();
 */
export function seed(stack: Stack): Seed {
  const system = <T>(reason: string, fn: (tx: Tx) => Promise<T>) =>
    asSystem(stack.database, `test seed: ${reason}`, fn);

  function clientHandle(client: Omit<SeededClient, 'customer'>): SeededClient {
    return {
      ...client,
      customer: () =>
        system('customer', async (tx) => {
          const id = randomUUID();
          const code = `C-${shortId()}`;
          const name = `Customer ${code}`;
          await tx.insert(schema.customers).values({ clientId: client.id, id, code, name });
          const user = await insertUser(tx, stack, 'customer-user', { mfa: false });
          await tx
            .insert(schema.roleAssignments)
            .values({ clientId: client.id, userId: user.userId, role: 'CUSTOMER_USER', customerId: id });
          return { customer: { id, globalId: toGlobalId('Customer', client.id, id), code, name }, user };
        }),
    };
  }

  return {
    client: () =>
      system('client', async (tx) => {
        const organizationId = randomUUID();
        const suffix = shortId();
        await tx
          .insert(schema.organizations)
          .values({ id: organizationId, name: `Org ${suffix}`, slug: `org-${suffix}-${shortId()}` });
        const id = randomUUID();
        const code = `T-${suffix}`;
        const name = `Test client ${suffix}`;
        await tx.insert(schema.clients).values({ id, organizationId, code, name, legalName: `${name} S.A. de C.V.` });
        const admin = await insertUser(tx, stack, 'client-admin', { mfa: true });
        await tx.insert(schema.roleAssignments).values({ clientId: id, userId: admin.userId, role: 'CLIENT_ADMIN' });
        const client = clientHandle({ id, globalId: toGlobalId('Client', id, id), code, name, organizationId });
        return { client, admin };
      }),
    systemAdmin: () =>
      system('system admin', (tx) => insertUser(tx, stack, 'system-admin', { mfa: true, systemAdmin: true })),
  };
}

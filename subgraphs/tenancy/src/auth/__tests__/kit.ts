/**
 * Test kit for the tenancy auth, users and API-key integration tests: a real
 * tenancy server on port 0 over the test database, a GraphQL-over-HTTP helper
 * that prints the operation and response when a call fails, and seed helpers
 * that create a fresh tenant per test so files can run in parallel.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { asSystem, createDb, schema, type Database } from '@ciro/db';
import {
  ROLE_SCOPES,
  createLogger,
  signAccessToken,
  toGlobalId,
  type Identity,
  type Logger,
  type RunningSubgraph,
} from '@ciro/subgraph-common';
import { generate } from 'otplib';
import type { TenancySettings } from '../../context';
import { startTenancyServer } from '../../server';
import { hashPassword } from '../password';
import { mfaSecretBoxFromKey, sealMfaSecret, type SecretBox } from '../secret-box';

export interface GraphQLResponse<TData = Record<string, unknown>> {
  data?: TData | null;
  errors?: { message: string; extensions?: { code?: string; [key: string]: unknown }; path?: unknown[] }[];
}

export interface TestServer {
  url: string;
  database: Database;
  settings: TenancySettings;
  /** POSTs an operation; `token` goes in `Authorization: Bearer`. */
  request<TData = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GraphQLResponse<TData>>;
  /** Like request, but throws (printing both) unless the response has data and no errors. */
  data<TData = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<TData>;
  /** Signs an access token as the server would after login. */
  tokenFor(identity: Identity): Promise<string>;
  stop(): Promise<void>;
}

export async function startTestServer(
  overrides: Partial<TenancySettings> = {},
  options: { logger?: Logger } = {},
): Promise<TestServer> {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error('DATABASE_URL is not set: run the tests through vitest (its globalSetup creates the database)');
  const database = createDb({ url, max: 4, applicationName: 'tenancy-auth-tests' });
  const settings: TenancySettings = {
    jwtSecret: randomBytes(32).toString('base64url'),
    mfaRequiredForAdmins: true,
    refreshTokenTtlDays: 30,
    // A random MFA_ENCRYPTION_KEY, as production configures one.
    mfaSecretBox: mfaSecretBoxFromKey(randomBytes(32).toString('base64url')),
    ...overrides,
  };
  let server: RunningSubgraph;
  try {
    server = await startTenancyServer({
      database,
      settings,
      port: 0,
      logger: options.logger ?? createLogger('tenancy-test', 'silent'),
    });
  } catch (error) {
    await database.close();
    throw error;
  }

  async function request<TData>(query: string, variables: Record<string, unknown> = {}, token?: string) {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResponse<TData>;
  }

  return {
    url: server.url,
    database,
    settings,
    request,
    async data<TData>(query: string, variables: Record<string, unknown> = {}, token?: string) {
      const result = await request<TData>(query, variables, token);
      if (result.errors?.length || !result.data) {
        throw new Error(
          `GraphQL call failed\n--- operation\n${query}\n--- variables\n${JSON.stringify(variables, null, 2)}\n` +
            `--- response\n${JSON.stringify(result, null, 2)}`,
        );
      }
      return result.data;
    },
    tokenFor: (identity) => signAccessToken(identity, settings.jwtSecret),
    async stop() {
      await server.stop();
      await database.close();
    },
  };
}

/** The first error's code and message, for compact assertions. */
export function firstError(result: GraphQLResponse<unknown>): { code: string | undefined; message: string } | null {
  const error = result.errors?.[0];
  return error ? { code: error.extensions?.code, message: error.message } : null;
}

export const PASSWORD = 'correct horse battery staple';

export interface SeededClient {
  clientId: string;
  organizationId: string;
  customerId: string;
  code: string;
  clientGlobalId: string;
  customerGlobalId: string;
}

/** A new organization, client and customer with unique codes. */
export async function seedClient(database: Database): Promise<SeededClient> {
  const suffix = randomUUID().slice(0, 8).toUpperCase();
  return asSystem(database, 'test seed', async (tx) => {
    const organizationId = randomUUID();
    await tx
      .insert(schema.organizations)
      .values({ id: organizationId, name: `Org ${suffix}`, slug: `org-${suffix.toLowerCase()}` });
    const clientId = randomUUID();
    const code = `T${suffix}`;
    await tx
      .insert(schema.clients)
      .values({ id: clientId, organizationId, code, name: `Client ${suffix}`, legalName: `Client ${suffix} S.A.` });
    const customerId = randomUUID();
    await tx
      .insert(schema.customers)
      .values({ clientId, id: customerId, code: 'C-0001', name: `Customer of ${suffix}` });
    return {
      clientId,
      organizationId,
      customerId,
      code,
      clientGlobalId: toGlobalId('Client', clientId, clientId),
      customerGlobalId: toGlobalId('Customer', clientId, customerId),
    };
  });
}

export interface SeedUserOptions {
  roles?: { clientId: string; role: 'CLIENT_ADMIN' | 'CUSTOMER_USER'; customerId?: string }[];
  systemAdmin?: boolean;
  /** A confirmed TOTP secret (MFA enabled). */
  mfaSecret?: string;
  /**
   * Stores `mfaSecret` sealed with this box (the server's `settings.mfaSecretBox`), as enrolment does;
   * without it the row holds the plain secret, as rows written before encryption at rest do.
   */
  sealWith?: SecretBox;
  password?: string;
}

export interface SeededUser {
  id: string;
  email: string;
  password: string;
}

const passwordHashes = new Map<string, Promise<string>>();

export async function seedUser(database: Database, options: SeedUserOptions = {}): Promise<SeededUser> {
  const password = options.password ?? PASSWORD;
  if (!passwordHashes.has(password)) passwordHashes.set(password, hashPassword(password));
  const passwordHash = await (passwordHashes.get(password) as Promise<string>);
  const email = `user-${randomUUID()}@test.example`;
  const id = randomUUID();
  await asSystem(database, 'test seed', async (tx) => {
    await tx.insert(schema.users).values({
      id,
      email,
      displayName: 'Test User',
      passwordHash,
      isSystemAdmin: options.systemAdmin ?? false,
      mfaSecret:
        options.mfaSecret && options.sealWith
          ? sealMfaSecret(options.sealWith, id, options.mfaSecret)
          : (options.mfaSecret ?? null),
      mfaEnabledAt: options.mfaSecret ? new Date() : null,
    });
    for (const role of options.roles ?? []) {
      await tx.insert(schema.roleAssignments).values({
        clientId: role.clientId,
        userId: id,
        role: role.role,
        customerId: role.customerId ?? null,
      });
    }
  });
  return { id, email, password };
}

/** The identity login would give a client admin, for tests that need no login round trip. */
export function clientAdminIdentity(user: SeededUser, client: SeededClient): Identity {
  return {
    subject: user.id,
    userId: user.id,
    apiKeyId: null,
    role: 'CLIENT_ADMIN',
    orgId: client.organizationId,
    clientId: client.clientId,
    customerId: null,
    scopes: ROLE_SCOPES.CLIENT_ADMIN,
  };
}

export function systemAdminIdentity(user: SeededUser): Identity {
  return {
    subject: user.id,
    userId: user.id,
    apiKeyId: null,
    role: 'SYSTEM_ADMIN',
    orgId: null,
    clientId: null,
    customerId: null,
    scopes: ROLE_SCOPES.SYSTEM_ADMIN,
  };
}

/** The current TOTP code, as an authenticator app would show it. */
export function totpNow(secret: string): Promise<string> {
  return generate({ secret });
}

/** A 6-digit code that is not valid now (nor one step either side). */
export async function wrongTotp(secret: string): Promise<string> {
  const epoch = Math.floor(Date.now() / 1000);
  const valid = new Set(await Promise.all([-30, 0, 30].map((offset) => generate({ secret, epoch: epoch + offset }))));
  for (let n = 0; ; n += 1) {
    const candidate = String(n).padStart(6, '0');
    if (!valid.has(candidate)) return candidate;
  }
}

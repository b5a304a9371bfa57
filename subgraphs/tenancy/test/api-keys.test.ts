import { asSystem, schema } from '@ciro/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyApiKey } from '../src/api-keys/verify-api-key';
import {
  clientAdminIdentity,
  firstError,
  seedClient,
  seedUser,
  startTestServer,
  type SeededClient,
  type TestServer,
} from '../src/auth/__tests__/kit';

const CREATE_KEY = `mutation CreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    secret
    apiKey { id name prefix scopes role customerId status expiresAt lastUsedAt revokedAt }
    userErrors { field message code }
  }
}`;
const REVOKE_KEY = `mutation RevokeApiKey($input: RevokeApiKeyInput!) {
  revokeApiKey(input: $input) { apiKey { id status revokedAt } userErrors { field message code } }
}`;
const LIST_KEYS = `query Keys($id: ID!) {
  client(id: $id) { apiKeys(first: 10) { totalCount edges { node { id name prefix scopes role status lastUsedAt } } } }
}`;

interface CreatePayload {
  secret: string | null;
  apiKey: {
    id: string;
    name: string;
    prefix: string;
    scopes: string[];
    role: string;
    customerId: string | null;
    status: string;
    expiresAt: string | null;
    lastUsedAt: string | null;
    revokedAt: string | null;
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

async function adminOf(client: SeededClient): Promise<string> {
  const admin = await seedUser(server.database, { roles: [{ clientId: client.clientId, role: 'CLIENT_ADMIN' }] });
  return server.tokenFor(clientAdminIdentity(admin, client));
}

async function createKey(token: string, input: Record<string, unknown>): Promise<CreatePayload> {
  return (await server.data<{ createApiKey: CreatePayload }>(CREATE_KEY, { input }, token)).createApiKey;
}

describe('API keys', () => {
  it('shows the secret once, lists the key without it, and verifyApiKey returns its identity and scopes', async () => {
    const client = await seedClient(server.database);
    const token = await adminOf(client);

    const created = await createKey(token, {
      clientId: client.clientGlobalId,
      name: 'ERP export',
      scopes: ['invoices:read', 'customers:read'],
    });

    expect(created.userErrors).toEqual([]);
    expect(created.secret).toMatch(/^ciro_[0-9A-Za-z]{12}_[0-9A-Za-z]{40}$/);
    expect(created.apiKey).toMatchObject({
      name: 'ERP export',
      scopes: ['invoices:read', 'customers:read'],
      role: 'CLIENT_ADMIN',
      customerId: null,
      status: 'ACTIVE',
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(created.secret?.slice(5, 17)).toBe(created.apiKey?.prefix);
    const secret = created.secret ?? '';

    const listed = await server.data<{
      client: { apiKeys: { totalCount: number; edges: { node: Record<string, unknown> }[] } };
    }>(LIST_KEYS, { id: client.clientGlobalId }, token);
    expect(listed.client.apiKeys.totalCount).toBe(1);
    expect(JSON.stringify(listed)).not.toContain(secret.slice(18));

    const stored = await asSystem(server.database, 'test read', (tx) =>
      tx.select().from(schema.apiKeys).where(eq(schema.apiKeys.clientId, client.clientId)),
    );
    expect(stored[0]?.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored[0]?.keyHash).not.toContain(secret.slice(18));

    const identity = await verifyApiKey(server.database, secret);
    expect(identity).toEqual({
      subject: `apikey:${stored[0]?.id}`,
      userId: null,
      apiKeyId: stored[0]?.id,
      role: 'CLIENT_ADMIN',
      orgId: client.organizationId,
      clientId: client.clientId,
      customerId: null,
      scopes: ['invoices:read', 'customers:read'],
    });

    // Last use is recorded, at most once a minute.
    const [afterFirst] = await asSystem(server.database, 'test read', (tx) =>
      tx.select().from(schema.apiKeys).where(eq(schema.apiKeys.clientId, client.clientId)),
    );
    expect(afterFirst?.lastUsedAt).toBeInstanceOf(Date);
    await verifyApiKey(server.database, secret);
    const [afterSecond] = await asSystem(server.database, 'test read', (tx) =>
      tx.select().from(schema.apiKeys).where(eq(schema.apiKeys.clientId, client.clientId)),
    );
    expect(afterSecond?.lastUsedAt?.getTime()).toBe(afterFirst?.lastUsedAt?.getTime());

    const audit = await asSystem(server.database, 'test read', (tx) =>
      tx
        .select()
        .from(schema.auditLog)
        .where(and(eq(schema.auditLog.clientId, client.clientId), eq(schema.auditLog.action, 'api-key.create'))),
    );
    expect(audit).toHaveLength(1);
    expect((audit[0]?.after as Record<string, unknown>).keyHash).toBe('[redacted]');
  });

  it('rejects a revoked key, a tampered key and a malformed one', async () => {
    const client = await seedClient(server.database);
    const token = await adminOf(client);
    const created = await createKey(token, {
      clientId: client.clientGlobalId,
      name: 'Auditor',
      scopes: ['invoices:read'],
    });
    const secret = created.secret ?? '';

    const last = secret.at(-1) === 'a' ? 'b' : 'a';
    await expect(verifyApiKey(server.database, `${secret.slice(0, -1)}${last}`)).rejects.toThrow('API key is invalid');
    await expect(verifyApiKey(server.database, 'Bearer nonsense')).rejects.toThrow('API key is invalid');

    const revoked = await server.data<{ revokeApiKey: { apiKey: { id: string; status: string; revokedAt: string } } }>(
      REVOKE_KEY,
      { input: { id: created.apiKey?.id } },
      token,
    );
    expect(revoked.revokeApiKey.apiKey).toMatchObject({ id: created.apiKey?.id, status: 'REVOKED' });
    expect(Date.parse(revoked.revokeApiKey.apiKey.revokedAt)).toBeGreaterThan(Date.now() - 60_000);

    const failure = await verifyApiKey(server.database, secret).catch((error: unknown) => error);
    expect(failure).toMatchObject({ message: 'API key is revoked', extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('rejects an expired key', async () => {
    const client = await seedClient(server.database);
    const token = await adminOf(client);
    const created = await createKey(token, {
      clientId: client.clientGlobalId,
      name: 'Short-lived',
      scopes: ['invoices:read'],
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    await asSystem(server.database, 'test: let the key expire', (tx) =>
      tx
        .update(schema.apiKeys)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(schema.apiKeys.clientId, client.clientId)),
    );
    await expect(verifyApiKey(server.database, created.secret ?? '')).rejects.toThrow('API key is expired');
  });

  it('refuses unknown and excess scopes as userErrors on scopes that name them', async () => {
    const client = await seedClient(server.database);
    const token = await adminOf(client);

    const result = await createKey(token, {
      clientId: client.clientGlobalId,
      name: 'Too much',
      scopes: ['invoices:read', 'clients:write', 'launch:missiles'],
    });

    expect(result.secret).toBeNull();
    expect(result.apiKey).toBeNull();
    expect(result.userErrors).toEqual([
      {
        field: ['input', 'scopes'],
        message: 'Scope "clients:write" is not available to a key acting as CLIENT_ADMIN',
        code: 'BAD_USER_INPUT',
      },
      { field: ['input', 'scopes'], message: 'Unknown scope "launch:missiles"', code: 'BAD_USER_INPUT' },
    ]);
  });

  it('limits a customer key to the customer role', async () => {
    const client = await seedClient(server.database);
    const token = await adminOf(client);

    const excess = await createKey(token, {
      clientId: client.clientGlobalId,
      name: 'Plant dashboard',
      scopes: ['invoices:read:own', 'billing:run'],
      customerId: client.customerGlobalId,
    });
    expect(excess.userErrors).toEqual([
      {
        field: ['input', 'scopes'],
        message: 'Scope "billing:run" is not available to a key acting as CUSTOMER_USER',
        code: 'BAD_USER_INPUT',
      },
    ]);

    const created = await createKey(token, {
      clientId: client.clientGlobalId,
      name: 'Plant dashboard',
      scopes: ['invoices:read:own', 'consumption:read:own'],
      customerId: client.customerGlobalId,
    });
    expect(created.apiKey).toMatchObject({ role: 'CUSTOMER_USER', customerId: client.customerGlobalId });
    const identity = await verifyApiKey(server.database, created.secret ?? '');
    expect(identity).toMatchObject({
      role: 'CUSTOMER_USER',
      clientId: client.clientId,
      customerId: client.customerId,
      scopes: ['invoices:read:own', 'consumption:read:own'],
    });
  });

  it('is FORBIDDEN in another client, for creating and for revoking', async () => {
    const mine = await seedClient(server.database);
    const theirs = await seedClient(server.database);
    const myToken = await adminOf(mine);
    const theirToken = await adminOf(theirs);

    const create = await server.request(
      CREATE_KEY,
      { input: { clientId: theirs.clientGlobalId, name: 'x', scopes: ['invoices:read'] } },
      myToken,
    );
    expect(firstError(create)?.code).toBe('FORBIDDEN');

    const theirKey = await createKey(theirToken, {
      clientId: theirs.clientGlobalId,
      name: 'theirs',
      scopes: ['invoices:read'],
    });
    const revoke = await server.request(REVOKE_KEY, { input: { id: theirKey.apiKey?.id } }, myToken);
    expect(firstError(revoke)?.code).toBe('FORBIDDEN');
    await expect(verifyApiKey(server.database, theirKey.secret ?? '')).resolves.toMatchObject({
      clientId: theirs.clientId,
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, expectErrorCode, gql, seed, startStack, type SeededClient, type Stack } from './kit';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.stop();
});

const CREATE_KEY = /* GraphQL */ `
  mutation CreateKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      secret
      apiKey {
        id
        prefix
        scopes
        role
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;
const REVOKE_KEY = /* GraphQL */ `
  mutation RevokeKey($input: RevokeApiKeyInput!) {
    revokeApiKey(input: $input) {
      apiKey {
        id
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;
const CLIENTS = /* GraphQL */ `
  query Clients {
    clients {
      edges {
        node {
          code
        }
      }
    }
  }
`;

interface CreatedKey {
  createApiKey: { secret: string | null; apiKey: { id: string; status: string } | null; userErrors: unknown[] };
}

async function clientWithKey(
  scopes: string[],
): Promise<{ client: SeededClient; adminToken: string; key: string; keyId: string }> {
  const { client, admin } = await seed(stack).client();
  const adminToken = await admin.login();
  const created = expectData(
    await gql<CreatedKey>(stack, {
      query: CREATE_KEY,
      variables: { input: { clientId: client.globalId, name: 'ERP export', scopes } },
      token: adminToken,
    }),
  ).createApiKey;
  if (!created.secret || !created.apiKey) throw new Error(`no key created: ${JSON.stringify(created)}`);
  return { client, adminToken, key: created.secret, keyId: created.apiKey.id };
}

type ClientsData = { clients: { edges: { node: { code: string } }[] } };

describe('API keys', () => {
  it('authenticate with X-Api-Key, Authorization: ApiKey and Authorization: Bearer, acting within their client', async () => {
    const { client, key } = await clientWithKey(['clients:read']);
    const codes = (data: ClientsData) => data.clients.edges.map((edge) => edge.node.code);
    expect(codes(expectData(await gql<ClientsData>(stack, { query: CLIENTS, apiKey: key })))).toEqual([client.code]);
    const viaApiKeyScheme = await gql<ClientsData>(stack, {
      query: CLIENTS,
      headers: { authorization: `ApiKey ${key}` },
    });
    expect(codes(expectData(viaApiKeyScheme))).toEqual([client.code]);
    expect(codes(expectData(await gql<ClientsData>(stack, { query: CLIENTS, token: key })))).toEqual([client.code]);
  });

  it('carry only their own scopes: a field outside them is FORBIDDEN at the gateway', async () => {
    const { key } = await clientWithKey(['clients:read']);
    const result = await gql(stack, { query: '{ me { role } }', apiKey: key });
    expect(expectErrorCode(result, 'FORBIDDEN').message).toContain('Query.me needs one of the scopes: profile:read');
  });

  it('reach subgraphs as a short-lived access token, never as the raw key', async () => {
    const { key } = await clientWithKey(['clients:read', 'profile:read']);
    const me = expectData(
      await gql<{ me: { role: string; scopes: string[]; user: unknown } }>(stack, {
        query: '{ me { role scopes user { id } } }',
        apiKey: key,
      }),
    ).me;
    expect(me).toEqual({ role: 'CLIENT_ADMIN', scopes: ['clients:read', 'profile:read'], user: null });
  });

  it('stop working once revoked', async () => {
    const { adminToken, key, keyId } = await clientWithKey(['clients:read']);
    expectData(await gql(stack, { query: CLIENTS, apiKey: key }));
    const revoked = expectData(
      await gql<{ revokeApiKey: { apiKey: { status: string } } }>(stack, {
        query: REVOKE_KEY,
        variables: { input: { id: keyId } },
        token: adminToken,
      }),
    ).revokeApiKey;
    expect(revoked.apiKey.status).toBe('REVOKED');
    const result = await gql(stack, { query: CLIENTS, apiKey: key });
    expect(expectErrorCode(result, 'UNAUTHENTICATED').message).toBe('API key is revoked');
    expect(result.body.data ?? null).toBeNull();
  });

  it('reject an unknown key with UNAUTHENTICATED', async () => {
    const fake = `ciro_${'A'.repeat(12)}_${'b'.repeat(40)}`;
    const result = await gql(stack, { query: CLIENTS, apiKey: fake });
    expect(expectErrorCode(result, 'UNAUTHENTICATED').message).toBe('API key is invalid');
  });

  it('refuse a request carrying both a bearer token and an API key', async () => {
    const { key, adminToken } = await clientWithKey(['clients:read']);
    const result = await gql(stack, { query: CLIENTS, apiKey: key, token: adminToken });
    expect(expectErrorCode(result, 'UNAUTHENTICATED').message).toContain('not both');
  });
});

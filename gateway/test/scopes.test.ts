import { signAccessToken, ROLE_SCOPES, type Identity } from '@ciro/subgraph-common';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, expectErrorCode, gql, seed, startStack, type Stack } from './kit';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.stop();
});

const CLIENTS = /* GraphQL */ `
  query Clients {
    clients(first: 5) {
      totalCount
      edges {
        node {
          id
          code
        }
      }
    }
  }
`;

const ME = /* GraphQL */ `
  query Me {
    me {
      role
      clientId
      customerId
      scopes
    }
  }
`;

function identity(overrides: Partial<Identity> = {}): Identity {
  return {
    subject: '00000000-0000-4000-8000-000000000001',
    userId: '00000000-0000-4000-8000-000000000001',
    apiKeyId: null,
    role: 'CUSTOMER_USER',
    orgId: null,
    clientId: '00000000-0000-4000-8000-000000000002',
    customerId: '00000000-0000-4000-8000-000000000003',
    scopes: ROLE_SCOPES.CUSTOMER_USER,
    ...overrides,
  };
}

/** Subgraph requests made while running fn. */
async function subgraphCallsDuring(fn: () => Promise<unknown>): Promise<number> {
  const before = stack.subgraphRequests.length;
  await fn();
  return stack.subgraphRequests.length - before;
}

describe('scope enforcement at the gateway', () => {
  it('rejects a customer user selecting clients with FORBIDDEN, before any subgraph is called', async () => {
    const { client } = await seed(stack).client();
    const { user } = await client.customer();
    const token = await user.login();
    let result!: Awaited<ReturnType<typeof gql>>;
    const calls = await subgraphCallsDuring(async () => {
      result = await gql(stack, { query: CLIENTS, token });
    });
    const error = expectErrorCode(result, 'FORBIDDEN');
    expect(error.message).toContain('Query.clients needs one of the scopes: clients:read');
    expect(result.status).toBe(200);
    expect(result.body.data ?? null).toBeNull();
    expect(calls).toBe(0);
  });

  it('lets the same customer user read its own profile', async () => {
    const { client } = await seed(stack).client();
    const { customer, user } = await client.customer();
    const me = expectData(
      await gql<{ me: { role: string; customerId: string } }>(stack, { query: ME, token: await user.login() }),
    ).me;
    expect(me.role).toBe('CUSTOMER_USER');
    expect(me.customerId).toBe(customer.globalId);
  });

  it('lets a client admin (after MFA) list clients and see only its own', async () => {
    const { client, admin } = await seed(stack).client();
    const data = expectData(
      await gql<{ clients: { totalCount: number; edges: { node: { code: string } }[] } }>(stack, {
        query: CLIENTS,
        token: await admin.login(),
      }),
    );
    expect(data.clients.edges.map((edge) => edge.node.code)).toEqual([client.code]);
  });

  it('rejects an anonymous caller selecting a scoped field with UNAUTHENTICATED, without calling a subgraph', async () => {
    let result!: Awaited<ReturnType<typeof gql>>;
    const calls = await subgraphCallsDuring(async () => {
      result = await gql(stack, { query: ME });
    });
    const error = expectErrorCode(result, 'UNAUTHENTICATED');
    expect(error.message).toContain('Query.me needs one of the scopes: profile:read');
    expect(calls).toBe(0);
  });

  it('checks fields reached through fragments', async () => {
    const { client } = await seed(stack).client();
    const { user } = await client.customer();
    const result = await gql(stack, {
      query: `query Q { ...Root } fragment Root on Query { me { role } ...Clients } fragment Clients on Query { clients { totalCount } }`,
      token: await user.login(),
    });
    expect(expectErrorCode(result, 'FORBIDDEN').message).toContain('Query.clients');
  });

  it('lets anonymous callers use public mutations: login answers (here with a wrong password)', async () => {
    const { admin } = await seed(stack).client();
    const result = await gql<{ login: { accessToken: string | null; mfaRequired: boolean; mfaToken: string | null } }>(
      stack,
      {
        query: `mutation { login(input: { email: "${admin.email}", password: "${admin.password}" }) { accessToken mfaRequired mfaToken } }`,
      },
    );
    const login = expectData(result).login;
    expect(login.accessToken).toBeNull();
    expect(login.mfaRequired).toBe(true);
    expect(login.mfaToken).toEqual(expect.any(String));
  });
});

describe('tokens', () => {
  it('rejects an expired access token with UNAUTHENTICATED and the precise reason', async () => {
    const expired = await new SignJWT({
      typ: 'access',
      role: 'CUSTOMER_USER',
      orgId: null,
      clientId: identity().clientId,
      customerId: identity().customerId,
      scopes: [...ROLE_SCOPES.CUSTOMER_USER],
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(identity().subject)
      .setIssuer('ciro-energy-portal')
      .setAudience('ciro-api')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(stack.jwtSecret));
    const error = expectErrorCode(await gql(stack, { query: ME, token: expired }), 'UNAUTHENTICATED');
    expect(error.message).toBe('Access token expired: refresh it or log in again');
  });

  it('rejects a token signed with another secret (forged) with UNAUTHENTICATED', async () => {
    const forged = await signAccessToken(
      identity({ role: 'SYSTEM_ADMIN', scopes: ROLE_SCOPES.SYSTEM_ADMIN }),
      'x'.repeat(48),
    );
    const result = await gql(stack, { query: CLIENTS, token: forged });
    expect(expectErrorCode(result, 'UNAUTHENTICATED').message).toBe('Access token is invalid');
  });

  it('rejects a malformed Authorization header with UNAUTHENTICATED', async () => {
    const result = await gql(stack, { query: ME, headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(expectErrorCode(result, 'UNAUTHENTICATED').message).toContain('Authorization header must be');
  });

  it('still runs public operations when the token sent is expired or forged', async () => {
    const forged = await signAccessToken(identity(), 'y'.repeat(48));
    const result = await gql<{ login: unknown }>(stack, {
      query: `mutation { login(input: { email: "nobody-${Date.now()}@test.ciro.example", password: "wrong-password-123" }) { accessToken } }`,
      token: forged,
    });
    // The public mutation ran (the subgraph answered): its own refusal, not the token's.
    expect(result.body.errors?.[0]?.message).toBe('Email or password is incorrect');
  });

  it('forwards the request id to the caller', async () => {
    const result = await gql(stack, { query: '{ __typename }', headers: { 'x-request-id': 'test-request-42' } });
    expect(result.headers.get('x-request-id')).toBe('test-request-42');
  });
});

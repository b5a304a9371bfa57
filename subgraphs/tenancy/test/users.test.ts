import { asSystem, schema } from '@ciro/db';
import { toGlobalId } from '@ciro/subgraph-common';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientAdminIdentity,
  firstError,
  seedClient,
  seedUser,
  startTestServer,
  systemAdminIdentity,
  type SeededClient,
  type TestServer,
} from '../src/auth/__tests__/kit';

const CREATE_USER = `mutation CreateUser($input: CreateUserInput!) {
  createUser(input: $input) {
    user { id email displayName locale mfaEnabled status roles { role customerId client { id } } }
    userErrors { field message code }
  }
}`;
const CREATE_SYSTEM_ADMIN = `mutation CreateSystemAdmin($input: CreateSystemAdminInput!) {
  createSystemAdmin(input: $input) { user { id email roles { role client { id } } } userErrors { field message code } }
}`;
const CLIENT_USERS = `query ClientUsers($id: ID!, $first: Int, $after: String) {
  client(id: $id) { users(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { email roles { role client { id } } } }
  } }
}`;
const LOGIN = `mutation Login($input: LoginInput!) { login(input: $input) { accessToken viewer { role customerId } userErrors { message } } }`;

interface UserPayload {
  user: {
    id: string;
    email: string;
    displayName: string;
    locale: string;
    mfaEnabled: boolean;
    status: string;
    roles: { role: string; customerId: string | null; client: { id: string } | null }[];
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

function newUserInput(client: SeededClient, extra: Record<string, unknown> = {}) {
  return {
    clientId: client.clientGlobalId,
    email: `New.User-${Math.random().toString(36).slice(2)}@Test.Example`,
    displayName: 'Ana López',
    password: 'a long enough password',
    role: 'CUSTOMER_USER',
    customerId: client.customerGlobalId,
    ...extra,
  };
}

describe('createUser', () => {
  it('creates a customer user in the admin’s own client, who can then log in; the audit log records it', async () => {
    const client = await seedClient(server.database);
    const token = await adminOf(client);
    const input = newUserInput(client);

    const { createUser } = await server.data<{ createUser: UserPayload }>(CREATE_USER, { input }, token);

    expect(createUser.userErrors).toEqual([]);
    expect(createUser.user).toMatchObject({
      email: input.email.toLowerCase(),
      displayName: 'Ana López',
      locale: 'es',
      mfaEnabled: false,
      status: 'ACTIVE',
      roles: [{ role: 'CUSTOMER_USER', customerId: client.customerGlobalId, client: { id: client.clientGlobalId } }],
    });

    const login = await server.data<{ login: { accessToken: string; viewer: { role: string; customerId: string } } }>(
      LOGIN,
      {
        input: { email: input.email, password: input.password },
      },
    );
    expect(login.login.viewer).toEqual({ role: 'CUSTOMER_USER', customerId: client.customerGlobalId });

    const userId =
      Buffer.from(createUser.user?.id ?? '', 'base64url')
        .toString('utf8')
        .split(':')[2] ?? '';
    const audit = await asSystem(server.database, 'test read', (tx) =>
      tx
        .select()
        .from(schema.auditLog)
        .where(and(eq(schema.auditLog.clientId, client.clientId), eq(schema.auditLog.action, 'user.create'))),
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entityType: 'User', entityId: userId, actorRole: 'CLIENT_ADMIN' });
    expect(JSON.stringify(audit[0]?.after)).not.toContain('argon2');
  });

  it('is FORBIDDEN for an admin of another client', async () => {
    const mine = await seedClient(server.database);
    const theirs = await seedClient(server.database);
    const token = await adminOf(mine);

    const result = await server.request(CREATE_USER, { input: newUserInput(theirs) }, token);

    expect(firstError(result)?.code).toBe('FORBIDDEN');
    expect(result.data?.createUser ?? null).toBeNull();
  });

  it('is FORBIDDEN for a customer user (no users:write scope)', async () => {
    const client = await seedClient(server.database);
    const customer = await seedUser(server.database, {
      roles: [{ clientId: client.clientId, role: 'CUSTOMER_USER', customerId: client.customerId }],
    });
    const token = await server.tokenFor({
      ...clientAdminIdentity(customer, client),
      role: 'CUSTOMER_USER',
      customerId: client.customerId,
      scopes: ['profile:read'],
    });
    const result = await server.request(CREATE_USER, { input: newUserInput(client) }, token);
    expect(firstError(result)).toEqual({ code: 'FORBIDDEN', message: 'This needs one of the scopes: users:write' });
  });

  it('reports a taken email as a userError on email', async () => {
    const client = await seedClient(server.database);
    const token = await adminOf(client);
    const existing = await seedUser(server.database);

    const { createUser } = await server.data<{ createUser: UserPayload }>(
      CREATE_USER,
      { input: newUserInput(client, { email: existing.email.toUpperCase() }) },
      token,
    );

    expect(createUser.user).toBeNull();
    expect(createUser.userErrors).toEqual([
      {
        field: ['input', 'email'],
        message: `A user with email ${existing.email} already exists`,
        code: 'BAD_USER_INPUT',
      },
    ]);
  });

  it('explains a short password, a missing customer and a customer of another client', async () => {
    const client = await seedClient(server.database);
    const other = await seedClient(server.database);
    const token = await adminOf(client);

    const weak = await server.data<{ createUser: UserPayload }>(
      CREATE_USER,
      { input: newUserInput(client, { password: 'short' }) },
      token,
    );
    expect(weak.createUser.userErrors).toEqual([
      { field: ['input', 'password'], message: 'Password must be at least 12 characters long', code: 'BAD_USER_INPUT' },
    ]);

    const noCustomer = await server.data<{ createUser: UserPayload }>(
      CREATE_USER,
      { input: newUserInput(client, { customerId: null }) },
      token,
    );
    expect(noCustomer.createUser.userErrors).toEqual([
      { field: ['input', 'customerId'], message: 'customerId is required for a CUSTOMER_USER', code: 'BAD_USER_INPUT' },
    ]);

    const foreign = await server.data<{ createUser: UserPayload }>(
      CREATE_USER,
      { input: newUserInput(client, { customerId: other.customerGlobalId }) },
      token,
    );
    expect(foreign.createUser.userErrors).toEqual([
      {
        field: ['input', 'customerId'],
        message: 'customerId must be a customer of the same client',
        code: 'BAD_USER_INPUT',
      },
    ]);
  });

  it('creates a client admin without a customer', async () => {
    const client = await seedClient(server.database);
    const token = await adminOf(client);
    const { createUser } = await server.data<{ createUser: UserPayload }>(
      CREATE_USER,
      { input: newUserInput(client, { role: 'CLIENT_ADMIN', customerId: null, locale: 'en' }) },
      token,
    );
    expect(createUser.userErrors).toEqual([]);
    expect(createUser.user?.locale).toBe('en');
    expect(createUser.user?.roles).toEqual([
      { role: 'CLIENT_ADMIN', customerId: null, client: { id: client.clientGlobalId } },
    ]);
  });
});

describe('Client.users', () => {
  it('lists the users of the client only, paginated', async () => {
    const client = await seedClient(server.database);
    const other = await seedClient(server.database);
    const token = await adminOf(client);
    await seedUser(server.database, {
      roles: [{ clientId: client.clientId, role: 'CUSTOMER_USER', customerId: client.customerId }],
    });
    await seedUser(server.database, {
      roles: [{ clientId: other.clientId, role: 'CUSTOMER_USER', customerId: other.customerId }],
    });

    type Page = {
      client: {
        users: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean; endCursor: string };
          edges: { node: { email: string; roles: { role: string; client: { id: string } }[] } }[];
        };
      };
    };
    const page1 = await server.data<Page>(CLIENT_USERS, { id: client.clientGlobalId, first: 1 }, token);
    expect(page1.client.users.totalCount).toBe(2);
    expect(page1.client.users.pageInfo.hasNextPage).toBe(true);
    const page2 = await server.data<Page>(
      CLIENT_USERS,
      { id: client.clientGlobalId, first: 1, after: page1.client.users.pageInfo.endCursor },
      token,
    );
    expect(page2.client.users.pageInfo.hasNextPage).toBe(false);
    const roles = [...page1.client.users.edges, ...page2.client.users.edges].map((e) => e.node.roles[0]?.role).sort();
    expect(roles).toEqual(['CLIENT_ADMIN', 'CUSTOMER_USER']);
    for (const edge of [...page1.client.users.edges, ...page2.client.users.edges]) {
      expect(edge.node.roles.every((r) => r.client.id === client.clientGlobalId)).toBe(true);
    }

    const foreign = await server.request(CLIENT_USERS, { id: other.clientGlobalId }, token);
    expect(firstError(foreign)?.code).toBe('FORBIDDEN');
  });
});

describe('createSystemAdmin', () => {
  it('is FORBIDDEN for a client admin and records a platform audit entry for a system admin', async () => {
    const client = await seedClient(server.database);
    const input = {
      email: `ops-${client.code.toLowerCase()}@ciro.example`,
      displayName: 'Ops',
      password: 'another long password',
    };

    const refused = await server.request(CREATE_SYSTEM_ADMIN, { input }, await adminOf(client));
    expect(firstError(refused)).toEqual({
      code: 'FORBIDDEN',
      message: 'Only system administrators can create system administrators',
    });

    const operator = await seedUser(server.database, { systemAdmin: true });
    const token = await server.tokenFor(systemAdminIdentity(operator));
    const created = await server.data<{ createSystemAdmin: UserPayload }>(CREATE_SYSTEM_ADMIN, { input }, token);
    expect(created.createSystemAdmin.user).toMatchObject({
      email: input.email,
      roles: [{ role: 'SYSTEM_ADMIN', client: null }],
    });

    const userId =
      Buffer.from(created.createSystemAdmin.user?.id ?? '', 'base64url')
        .toString('utf8')
        .split(':')[2] ?? '';
    expect(created.createSystemAdmin.user?.id).toBe(toGlobalId('User', null, userId));
    const audit = await asSystem(server.database, 'test read', (tx) =>
      tx.select().from(schema.platformAuditLog).where(eq(schema.platformAuditLog.entityId, userId)),
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'user.create_system_admin',
      actorUserId: operator.id,
      actorRole: 'SYSTEM_ADMIN',
    });
  });
});

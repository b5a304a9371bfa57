/**
 * Every tenancy query and mutation, through the real gateway and subgraph on
 * the real database: the rightful caller gets data, everyone else gets
 * FORBIDDEN or UNAUTHENTICATED — never an empty success.
 */
import { randomUUID } from 'node:crypto';
import { print, type DocumentNode } from 'graphql';
import { asSystem, createDb, schema, type Database } from '@ciro/db';
import { ROLE_SCOPES, signAccessToken, toGlobalId, type Identity, type Role } from '@ciro/subgraph-common';
import { startTenancyServer } from '@ciro/tenancy';
import type { RunningSubgraph } from '@ciro/subgraph-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../src/server';
import {
  AssignMeterDocument,
  ClientByIdDocument,
  ClientCustomersDocument,
  ClientMetersDocument,
  ClientApiKeysDocument,
  ClientAuditLogDocument,
  ClientUsersDocument,
  ClientsDocument,
  CreateApiKeyDocument,
  CreateSystemAdminDocument,
  CreateUserDocument,
  RevokeApiKeyDocument,
  CreateClientDocument,
  CreateCustomerDocument,
  CreateMeterDocument,
  CreateOrganizationDocument,
  CustomerByIdDocument,
  MeDocument,
  MeterByIdDocument,
  OrganizationsDocument,
  UpdateClientDocument,
  UpdateCustomerDocument,
  UpdateMeterDocument,
} from './__generated__/graphql';

const jwtSecret = randomUUID() + randomUUID();
let database: Database;
let tenancy: RunningSubgraph;
let gateway: RunningGateway;

interface Tenant {
  organizationGid: string;
  clientId: string;
  clientGid: string;
  customers: { id: string; gid: string; code: string }[];
  meterGid: string;
  meterId: string;
}

let tenantA: Tenant;
let tenantB: Tenant;
const tokens: Record<string, string> = {};

async function insertTenant(db: Database, label: string): Promise<Tenant> {
  const suffix = randomUUID().slice(0, 8).toUpperCase();
  return asSystem(db, `test: seed tenant ${label}`, async (tx) => {
    const organizationId = randomUUID();
    await tx
      .insert(schema.organizations)
      .values({ id: organizationId, name: `Org ${suffix}`, slug: `org-${suffix.toLowerCase()}` });
    const clientId = randomUUID();
    await tx.insert(schema.clients).values({
      id: clientId,
      organizationId,
      code: `T${suffix}`,
      name: `Tenant ${label}`,
      legalName: `Tenant ${label} S.A.`,
    });
    const [tariff] = await tx.insert(schema.tariffs).values({ clientId, code: 'MT-H', name: 'MT-H' }).returning();
    const customers = [];
    for (const code of ['C-0001', 'C-0002']) {
      const id = randomUUID();
      await tx
        .insert(schema.customers)
        .values({ clientId, id, code, name: `${label} ${code}`, tariffId: tariff.id, lossFactor: '0.0235' });
      customers.push({ id, gid: toGlobalId('Customer', clientId, id), code });
    }
    const meterId = randomUUID();
    await tx
      .insert(schema.meters)
      .values({ clientId, id: meterId, serial: `M${suffix}`, node: 'Ateos', multiplier: '40' });
    await tx
      .insert(schema.meterAssignments)
      .values({ clientId, meterId, customerId: customers[0].id, validFrom: new Date('2020-01-01T06:00:00Z') });
    return {
      organizationGid: toGlobalId('Organization', null, organizationId),
      clientId,
      clientGid: toGlobalId('Client', clientId, clientId),
      customers,
      meterId,
      meterGid: toGlobalId('Meter', clientId, meterId),
    };
  });
}

function identity(role: Role, clientId: string | null, customerId: string | null): Identity {
  const userId = randomUUID();
  return {
    subject: userId,
    userId,
    apiKeyId: null,
    role,
    orgId: null,
    clientId,
    customerId,
    scopes: ROLE_SCOPES[role],
  };
}

interface GqlResult {
  status: number;
  data: Record<string, unknown> | null;
  codes: string[];
  body: unknown;
}

async function run(document: DocumentNode, variables: Record<string, unknown>, as: string | null): Promise<GqlResult> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(as ? { authorization: `Bearer ${tokens[as]}` } : {}),
    },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as {
    data?: Record<string, unknown> | null;
    errors?: { extensions?: { code?: string } }[];
  };
  return {
    status: response.status,
    data: body.data ?? null,
    codes: (body.errors ?? []).map((e) => e.extensions?.code ?? 'NONE'),
    body,
  };
}

/** Asserts a refusal: the expected code and no data leaked. */
async function expectRefused(
  document: DocumentNode,
  variables: Record<string, unknown>,
  as: string | null,
  code: string,
) {
  const result = await run(document, variables, as);
  expect(result.codes, JSON.stringify({ op: print(document), as, body: result.body })).toContain(code);
  const values = Object.values(result.data ?? {}).filter((v) => v !== null);
  expect(values, 'no data may come back with a refusal').toEqual([]);
}

async function expectOk(
  document: DocumentNode,
  variables: Record<string, unknown>,
  as: string,
): Promise<Record<string, unknown>> {
  const result = await run(document, variables, as);
  expect(result.codes, JSON.stringify({ op: print(document), as, body: result.body })).toEqual([]);
  expect(result.data).not.toBeNull();
  return result.data!;
}

beforeAll(async () => {
  database = createDb({ url: process.env.DATABASE_URL!, max: 4 });
  tenancy = await startTenancyServer({
    database,
    port: 0,
    settings: { jwtSecret, mfaRequiredForAdmins: true, refreshTokenTtlDays: 30 },
  });
  gateway = await startGateway({ port: 0, database, jwtSecret, subgraphUrls: { tenancy: tenancy.url } });
  tenantA = await insertTenant(database, 'A');
  tenantB = await insertTenant(database, 'B');
  const identities: Record<string, Identity> = {
    system: identity('SYSTEM_ADMIN', null, null),
    adminA: identity('CLIENT_ADMIN', tenantA.clientId, null),
    adminB: identity('CLIENT_ADMIN', tenantB.clientId, null),
    userA1: identity('CUSTOMER_USER', tenantA.clientId, tenantA.customers[0].id),
    userA2: identity('CUSTOMER_USER', tenantA.clientId, tenantA.customers[1].id),
  };
  // Real user rows behind the tokens, as login would have produced them.
  await asSystem(database, 'test: users behind the tokens', async (tx) => {
    for (const [name, who] of Object.entries(identities)) {
      await tx.insert(schema.users).values({
        id: who.userId!,
        email: `${name.toLowerCase()}-${who.userId}@example.com`,
        displayName: name,
        passwordHash: 'not-used-by-these-tests',
        isSystemAdmin: who.role === 'SYSTEM_ADMIN',
      });
      if (who.clientId) {
        await tx.insert(schema.roleAssignments).values({
          clientId: who.clientId,
          userId: who.userId!,
          role: who.role as 'CLIENT_ADMIN' | 'CUSTOMER_USER',
          customerId: who.customerId,
        });
      }
    }
  });
  for (const [name, who] of Object.entries(identities)) tokens[name] = await signAccessToken(who, jwtSecret);
});

afterAll(async () => {
  await gateway?.stop();
  await tenancy?.stop();
  await database?.close();
});

describe('tenancy queries through the gateway', () => {
  it('client(id): own admin reads it; other client, customer user and anonymous are refused', async () => {
    const data = await expectOk(ClientByIdDocument, { id: tenantA.clientGid }, 'adminA');
    expect(data.client).toMatchObject({ id: tenantA.clientGid, name: 'Tenant A', vatRate: '0.13' });
    await expectRefused(ClientByIdDocument, { id: tenantA.clientGid }, 'adminB', 'FORBIDDEN');
    await expectRefused(ClientByIdDocument, { id: tenantA.clientGid }, 'userA1', 'FORBIDDEN');
    await expectRefused(ClientByIdDocument, { id: tenantA.clientGid }, null, 'UNAUTHENTICATED');
  });

  it('clients: a client admin sees only its own client; a system admin sees both', async () => {
    const own = await expectOk(ClientsDocument, {}, 'adminA');
    expect(own.clients).toMatchObject({ totalCount: 1, edges: [{ node: { id: tenantA.clientGid } }] });
    const all = (await expectOk(ClientsDocument, {}, 'system')) as { clients: { totalCount: number } };
    expect(all.clients.totalCount).toBeGreaterThanOrEqual(2);
    await expectRefused(ClientsDocument, {}, 'userA1', 'FORBIDDEN');
    await expectRefused(ClientsDocument, {}, null, 'UNAUTHENTICATED');
  });

  it('Client.customers and Client.meters: only the own client admin', async () => {
    const customers = await expectOk(ClientCustomersDocument, { id: tenantA.clientGid }, 'adminA');
    expect(customers.client).toMatchObject({ customers: { totalCount: 2 } });
    const meters = await expectOk(ClientMetersDocument, { id: tenantA.clientGid }, 'adminA');
    expect(meters.client).toMatchObject({ meters: { totalCount: 1, edges: [{ node: { id: tenantA.meterGid } }] } });
    for (const doc of [ClientCustomersDocument, ClientMetersDocument]) {
      await expectRefused(doc, { id: tenantA.clientGid }, 'adminB', 'FORBIDDEN');
      await expectRefused(doc, { id: tenantA.clientGid }, 'userA1', 'FORBIDDEN');
      await expectRefused(doc, { id: tenantA.clientGid }, null, 'UNAUTHENTICATED');
    }
  });

  it('customer(id): its admin and its own user read it; another customer, another client and anonymous are refused', async () => {
    const variables = { id: tenantA.customers[0].gid };
    const byAdmin = await expectOk(CustomerByIdDocument, variables, 'adminA');
    expect(byAdmin.customer).toMatchObject({
      code: 'C-0001',
      lossFactor: '0.0235',
      client: { code: expect.stringMatching(/^T/) },
    });
    const byUser = await expectOk(CustomerByIdDocument, variables, 'userA1');
    expect(byUser.customer).toMatchObject({ code: 'C-0001', meters: [{ multiplier: '40' }] });
    await expectRefused(CustomerByIdDocument, variables, 'userA2', 'FORBIDDEN');
    await expectRefused(CustomerByIdDocument, variables, 'adminB', 'FORBIDDEN');
    await expectRefused(CustomerByIdDocument, variables, null, 'UNAUTHENTICATED');
  });

  it('customer(id) with a made-up id is NOT_FOUND, not a leak', async () => {
    const forged = toGlobalId('Customer', tenantA.clientId, randomUUID());
    await expectRefused(CustomerByIdDocument, { id: forged }, 'adminA', 'NOT_FOUND');
    await expectRefused(CustomerByIdDocument, { id: 'not-an-id' }, 'adminA', 'NOT_FOUND');
  });

  it('meter(id): its admin and the assigned customer read it; others are refused', async () => {
    const variables = { id: tenantA.meterGid };
    expect((await expectOk(MeterByIdDocument, variables, 'adminA')).meter).toMatchObject({ multiplier: '40' });
    expect((await expectOk(MeterByIdDocument, variables, 'userA1')).meter).toMatchObject({ id: tenantA.meterGid });
    await expectRefused(MeterByIdDocument, variables, 'userA2', 'FORBIDDEN');
    await expectRefused(MeterByIdDocument, variables, 'adminB', 'FORBIDDEN');
    await expectRefused(MeterByIdDocument, variables, null, 'UNAUTHENTICATED');
  });

  it('organizations: system administrators only', async () => {
    const data = (await expectOk(OrganizationsDocument, {}, 'system')) as { organizations: unknown[] };
    expect(data.organizations.length).toBeGreaterThanOrEqual(2);
    await expectRefused(OrganizationsDocument, {}, 'adminA', 'FORBIDDEN');
    await expectRefused(OrganizationsDocument, {}, 'userA1', 'FORBIDDEN');
    await expectRefused(OrganizationsDocument, {}, null, 'UNAUTHENTICATED');
  });

  it('me: every signed-in caller reads its own identity; anonymous is refused', async () => {
    expect((await expectOk(MeDocument, {}, 'userA1')).me).toMatchObject({ role: 'CUSTOMER_USER' });
    expect((await expectOk(MeDocument, {}, 'adminB')).me).toMatchObject({ role: 'CLIENT_ADMIN' });
    await expectRefused(MeDocument, {}, null, 'UNAUTHENTICATED');
  });
});

describe('tenancy mutations through the gateway', () => {
  it('createClient / updateClient / createOrganization: system administrators only', async () => {
    const code = `N${randomUUID().slice(0, 6).toUpperCase()}`;
    const created = (await expectOk(
      CreateClientDocument,
      { input: { organizationId: tenantA.organizationGid, code, name: 'Nuevo', legalName: 'Nuevo S.A.' } },
      'system',
    )) as {
      createClient: { client: { id: string } | null; userErrors: unknown[] };
    };
    expect(created.createClient.userErrors).toEqual([]);
    expect(created.createClient.client?.id).toBeTruthy();
    for (const who of ['adminA', 'userA1']) {
      await expectRefused(
        CreateClientDocument,
        { input: { code: `${code}X`, name: 'x', legalName: 'x' } },
        who,
        'FORBIDDEN',
      );
      await expectRefused(UpdateClientDocument, { input: { id: tenantA.clientGid, name: 'Hacked' } }, who, 'FORBIDDEN');
      await expectRefused(
        CreateOrganizationDocument,
        { input: { name: 'x', slug: `x-${code.toLowerCase()}` } },
        who,
        'FORBIDDEN',
      );
    }
    await expectRefused(
      CreateClientDocument,
      { input: { code: `${code}Y`, name: 'x', legalName: 'x' } },
      null,
      'UNAUTHENTICATED',
    );
    const updated = await expectOk(
      UpdateClientDocument,
      { input: { id: tenantB.clientGid, name: 'Tenant B renamed' } },
      'system',
    );
    expect(updated.updateClient).toMatchObject({ client: { name: 'Tenant B renamed' }, userErrors: [] });
  });

  it('createCustomer: own admin creates; other client admin, customer user and anonymous are refused', async () => {
    const input = {
      clientId: tenantA.clientGid,
      code: `C-${randomUUID().slice(0, 4).toUpperCase()}`,
      name: 'Nueva Planta',
      nit: '06141503961023',
      nrc: '87654-2',
      tariffCode: 'MT-H',
      lossFactor: '0.0235',
    };
    const data = await expectOk(CreateCustomerDocument, { input }, 'adminA');
    expect(data.createCustomer).toMatchObject({
      customer: { nit: '0614-150396-102-3', nrc: '87654-2', tariffCode: 'MT-H', lossFactor: '0.0235' },
      userErrors: [],
    });
    await expectRefused(CreateCustomerDocument, { input: { ...input, code: 'C-9999' } }, 'adminB', 'FORBIDDEN');
    await expectRefused(CreateCustomerDocument, { input: { ...input, code: 'C-9998' } }, 'userA1', 'FORBIDDEN');
    await expectRefused(CreateCustomerDocument, { input: { ...input, code: 'C-9997' } }, null, 'UNAUTHENTICATED');
  });

  it('createCustomer: bad NIT, bad NRC and unknown tariff are BAD_USER_INPUT naming the field, and nothing is stored', async () => {
    const input = {
      clientId: tenantA.clientGid,
      code: 'C-0777',
      name: 'Planta',
      nit: '0614-1503-102',
      nrc: 'abc',
      tariffCode: 'MT-H',
    };
    const bad = (await expectOk(CreateCustomerDocument, { input }, 'adminA')) as {
      createCustomer: { customer: unknown; userErrors: { field: string[]; code: string; message: string }[] };
    };
    expect(bad.createCustomer.customer).toBeNull();
    expect(bad.createCustomer.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([
      ['input.nit', 'BAD_USER_INPUT'],
      ['input.nrc', 'BAD_USER_INPUT'],
    ]);
    expect(bad.createCustomer.userErrors[0].message).toMatch(/0000-000000-000-0/);
    const tariff = (await expectOk(
      CreateCustomerDocument,
      { input: { ...input, nit: '0614-150396-102-3', nrc: '87654-2', tariffCode: 'NOPE' } },
      'adminA',
    )) as {
      createCustomer: { customer: unknown; userErrors: { field: string[]; code: string; message: string }[] };
    };
    expect(tariff.createCustomer.customer).toBeNull();
    expect(tariff.createCustomer.userErrors).toEqual([
      { field: ['input', 'tariffCode'], code: 'BAD_USER_INPUT', message: expect.stringContaining('NOPE') },
    ]);
    // A loss factor or discount of 1 (100 %) is refused here, not later by the billing run.
    const whole = (await expectOk(
      CreateCustomerDocument,
      { input: { ...input, nit: '0614-150396-102-3', nrc: '87654-2', lossFactor: '1', discount: '1.0' } },
      'adminA',
    )) as {
      createCustomer: { customer: unknown; userErrors: { field: string[]; code: string; message: string }[] };
    };
    expect(whole.createCustomer.customer).toBeNull();
    expect(whole.createCustomer.userErrors).toEqual([
      {
        field: ['input', 'lossFactor'],
        code: 'BAD_USER_INPUT',
        message: expect.stringContaining('not including, "1"'),
      },
      { field: ['input', 'discount'], code: 'BAD_USER_INPUT', message: expect.stringContaining('(2.35% is "0.0235")') },
    ]);
    const customers = await expectOk(ClientCustomersDocument, { id: tenantA.clientGid }, 'adminA');
    expect(JSON.stringify(customers)).not.toContain('C-0777');
  });

  it('updateCustomer: own admin only', async () => {
    const input = { id: tenantA.customers[1].gid, name: 'Renamed' };
    expect((await expectOk(UpdateCustomerDocument, { input }, 'adminA')).updateCustomer).toMatchObject({
      customer: { name: 'Renamed' },
    });
    await expectRefused(UpdateCustomerDocument, { input }, 'adminB', 'FORBIDDEN');
    await expectRefused(UpdateCustomerDocument, { input }, 'userA2', 'FORBIDDEN');
    await expectRefused(UpdateCustomerDocument, { input }, null, 'UNAUTHENTICATED');
  });

  it('createMeter: duplicate serial within a client is BAD_USER_INPUT on serial; another client may reuse it', async () => {
    const serial = `S${randomUUID().slice(0, 8)}`;
    const first = await expectOk(
      CreateMeterDocument,
      { input: { clientId: tenantA.clientGid, serial, multiplier: '80' } },
      'adminA',
    );
    expect(first.createMeter).toMatchObject({ meter: { serial, multiplier: '80' }, userErrors: [] });
    const duplicate = await expectOk(CreateMeterDocument, { input: { clientId: tenantA.clientGid, serial } }, 'adminA');
    expect(duplicate.createMeter).toMatchObject({
      meter: null,
      userErrors: [{ field: ['input', 'serial'], code: 'BAD_USER_INPUT' }],
    });
    const otherClient = await expectOk(
      CreateMeterDocument,
      { input: { clientId: tenantB.clientGid, serial } },
      'adminB',
    );
    expect(otherClient.createMeter).toMatchObject({ meter: { serial }, userErrors: [] });
    await expectRefused(
      CreateMeterDocument,
      { input: { clientId: tenantA.clientGid, serial: `${serial}x` } },
      'adminB',
      'FORBIDDEN',
    );
    await expectRefused(
      CreateMeterDocument,
      { input: { clientId: tenantA.clientGid, serial: `${serial}y` } },
      'userA1',
      'FORBIDDEN',
    );
    await expectRefused(
      CreateMeterDocument,
      { input: { clientId: tenantA.clientGid, serial: `${serial}z` } },
      null,
      'UNAUTHENTICATED',
    );
  });

  it('updateMeter and assignMeter: own admin only; a customer of another client cannot be assigned', async () => {
    const update = { id: tenantA.meterGid, multiplier: '40' };
    expect((await expectOk(UpdateMeterDocument, { input: update }, 'adminA')).updateMeter).toMatchObject({
      meter: { multiplier: '40' },
    });
    await expectRefused(UpdateMeterDocument, { input: update }, 'adminB', 'FORBIDDEN');
    await expectRefused(UpdateMeterDocument, { input: update }, 'userA1', 'FORBIDDEN');
    await expectRefused(UpdateMeterDocument, { input: update }, null, 'UNAUTHENTICATED');

    const crossClient = await expectOk(
      AssignMeterDocument,
      { input: { meterId: tenantA.meterGid, customerId: tenantB.customers[0].gid, validFrom: '2025-10-15T06:00:00Z' } },
      'adminA',
    );
    expect(crossClient.assignMeter).toMatchObject({ meter: null, userErrors: [{ field: ['input', 'customerId'] }] });
    await expectRefused(
      AssignMeterDocument,
      { input: { meterId: tenantA.meterGid, customerId: tenantB.customers[0].gid, validFrom: '2025-10-15T06:00:00Z' } },
      'adminB',
      'FORBIDDEN',
    );
    const moved = await expectOk(
      AssignMeterDocument,
      { input: { meterId: tenantA.meterGid, customerId: tenantA.customers[1].gid, validFrom: '2030-01-01T06:00:00Z' } },
      'adminA',
    );
    expect(moved.assignMeter).toMatchObject({
      meter: { assignments: [{ customerId: tenantA.customers[1].gid }, { customerId: tenantA.customers[0].gid }] },
    });
  });
});

describe('users, API keys and audit log through the gateway', () => {
  it('Client.users and Client.apiKeys: only the own client admin', async () => {
    for (const doc of [ClientUsersDocument, ClientApiKeysDocument]) {
      await expectOk(doc, { id: tenantA.clientGid }, 'adminA');
      await expectRefused(doc, { id: tenantA.clientGid }, 'adminB', 'FORBIDDEN');
      await expectRefused(doc, { id: tenantA.clientGid }, 'userA1', 'FORBIDDEN');
      await expectRefused(doc, { id: tenantA.clientGid }, null, 'UNAUTHENTICATED');
    }
  });

  it('createUser: own admin creates a customer user of its own customer; others are refused', async () => {
    const input = {
      clientId: tenantA.clientGid,
      email: `user-${randomUUID()}@example.com`,
      displayName: 'Ana',
      password: 'correct horse battery',
      role: 'CUSTOMER_USER',
      customerId: tenantA.customers[0].gid,
    };
    const created = await expectOk(CreateUserDocument, { input }, 'adminA');
    expect(created.createUser).toMatchObject({ user: { email: input.email }, userErrors: [] });
    const users = await expectOk(ClientUsersDocument, { id: tenantA.clientGid }, 'adminA');
    expect(JSON.stringify(users)).toContain(input.email);
    await expectRefused(CreateUserDocument, { input: { ...input, email: `b-${input.email}` } }, 'adminB', 'FORBIDDEN');
    await expectRefused(CreateUserDocument, { input: { ...input, email: `c-${input.email}` } }, 'userA1', 'FORBIDDEN');
    await expectRefused(
      CreateUserDocument,
      { input: { ...input, email: `d-${input.email}` } },
      null,
      'UNAUTHENTICATED',
    );
  });

  it('createSystemAdmin: system administrators only', async () => {
    const input = { email: `root-${randomUUID()}@example.com`, displayName: 'Root', password: 'correct horse battery' };
    await expectRefused(CreateSystemAdminDocument, { input }, 'adminA', 'FORBIDDEN');
    await expectRefused(CreateSystemAdminDocument, { input }, 'userA1', 'FORBIDDEN');
    await expectRefused(CreateSystemAdminDocument, { input }, null, 'UNAUTHENTICATED');
    const created = await expectOk(CreateSystemAdminDocument, { input }, 'system');
    expect(created.createSystemAdmin).toMatchObject({ user: { email: input.email }, userErrors: [] });
  });

  it('createApiKey / revokeApiKey: own admin only; the secret is shown once', async () => {
    const input = { clientId: tenantA.clientGid, name: 'ERP', scopes: ['customers:read'] };
    const created = (await expectOk(CreateApiKeyDocument, { input }, 'adminA')) as {
      createApiKey: { apiKey: { id: string; scopes: string[] }; secret: string };
    };
    expect(created.createApiKey.apiKey.scopes).toEqual(['customers:read']);
    expect(created.createApiKey.secret).toMatch(/^ciro_/);
    const listed = await expectOk(ClientApiKeysDocument, { id: tenantA.clientGid }, 'adminA');
    expect(JSON.stringify(listed)).not.toContain(created.createApiKey.secret);
    await expectRefused(CreateApiKeyDocument, { input }, 'adminB', 'FORBIDDEN');
    await expectRefused(CreateApiKeyDocument, { input }, 'userA1', 'FORBIDDEN');
    await expectRefused(CreateApiKeyDocument, { input }, null, 'UNAUTHENTICATED');
    const revoke = { id: created.createApiKey.apiKey.id };
    await expectRefused(RevokeApiKeyDocument, { input: revoke }, 'adminB', 'FORBIDDEN');
    await expectRefused(RevokeApiKeyDocument, { input: revoke }, 'userA1', 'FORBIDDEN');
    await expectRefused(RevokeApiKeyDocument, { input: revoke }, null, 'UNAUTHENTICATED');
    const revoked = await expectOk(RevokeApiKeyDocument, { input: revoke }, 'adminA');
    expect(revoked.revokeApiKey).toMatchObject({ apiKey: { revokedAt: expect.any(String) }, userErrors: [] });
  });

  it('Client.auditLog: every mutation left a row with before/after; other clients and customers are refused', async () => {
    const input = {
      clientId: tenantA.clientGid,
      code: `C-${randomUUID().slice(0, 4).toUpperCase()}`,
      name: 'Auditada',
    };
    await expectOk(CreateCustomerDocument, { input }, 'adminA');
    const data = (await expectOk(ClientAuditLogDocument, { id: tenantA.clientGid }, 'adminA')) as {
      client: {
        auditLog: {
          edges: { node: { action: string; entityType: string; actorRole: string; after: Record<string, unknown> } }[];
        };
      };
    };
    const created = data.client.auditLog.edges.find(
      (e) => e.node.action === 'customer.create' && e.node.after?.code === input.code,
    );
    expect(created?.node).toMatchObject({ entityType: 'Customer', actorRole: 'CLIENT_ADMIN' });
    // Secrets never reach the audit trail: hashes are redacted wherever they appear.
    expect(JSON.stringify(data)).not.toMatch(/\$argon2/);
    const keyCreated = data.client.auditLog.edges.find((e) => e.node.after && 'keyHash' in e.node.after);
    expect(keyCreated?.node.after.keyHash).toBe('[redacted]');
    await expectRefused(ClientAuditLogDocument, { id: tenantA.clientGid }, 'adminB', 'FORBIDDEN');
    await expectRefused(ClientAuditLogDocument, { id: tenantA.clientGid }, 'userA1', 'FORBIDDEN');
    await expectRefused(ClientAuditLogDocument, { id: tenantA.clientGid }, null, 'UNAUTHENTICATED');
  });
});

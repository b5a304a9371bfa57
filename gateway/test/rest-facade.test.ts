import { randomUUID } from 'node:crypto';
import { asSystem, schema } from '@ciro/db';
import { toGlobalId } from '@ciro/subgraph-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed, startStack, type Stack } from './kit';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

async function post(path: string, body: unknown, token?: string) {
  const response = await fetch(`${stack.baseUrl}/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('REST facade: same operations, same authorization', () => {
  it('POST /v1/clients: 201 for a system admin, 403 for a client admin, 401 anonymous, 422 for bad input', async () => {
    const system = await seed(stack).systemAdmin();
    const { client, admin } = await seed(stack).client();
    const organizationId = toGlobalId('Organization', null, client.organizationId);
    const code = `R${randomUUID().slice(0, 6).toUpperCase()}`;
    const input = { organizationId, code, name: 'Rest Power', legalName: 'Rest Power, S.A. de C.V.' };

    const created = await post('/clients', input, await system.login());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      client: { code, name: 'Rest Power', vatRate: '0.13', timeZone: 'America/El_Salvador' },
      userErrors: [],
    });

    const forbidden = await post('/clients', { ...input, code: `${code}B` }, await admin.login());
    expect(forbidden).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    const anonymous = await post('/clients', { ...input, code: `${code}C` });
    expect(anonymous).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    const invalid = await post('/clients', { ...input, code: 'bad code' }, await system.login());
    expect(invalid.status).toBe(422);
    expect(invalid.body).toMatchObject({
      client: null,
      userErrors: [{ field: ['input', 'code'], code: 'BAD_USER_INPUT' }],
    });
  });

  it('POST /v1/customers: bulk upsert for the own client admin, 403 across tenants', async () => {
    const { client, admin } = await seed(stack).client();
    await asSystem(stack.database, 'test: tariff', (tx) =>
      tx.insert(schema.tariffs).values({ clientId: client.id, code: 'MT-H', name: 'MT-H' }),
    );
    const body = {
      clientId: client.globalId,
      customers: [
        { code: 'C-0001', name: 'Uno', tariffCode: 'MT-H', lossFactor: '0.0235', meters: [{ serial: '8800001' }] },
        { code: 'C-0002', name: 'Dos', nit: '123' },
      ],
    };
    const token = await admin.login();
    const saved = await post('/customers', body, token);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      created: 1,
      metersCreated: 1,
      userErrors: [{ field: ['input', 'customers', '1', 'nit'] }],
    });
    const again = await post('/customers', { ...body, customers: [body.customers[0]] }, token);
    expect(again.body).toMatchObject({ created: 0, unchanged: 1 });

    const other = await seed(stack).client();
    expect(await post('/customers', body, await other.admin.login())).toMatchObject({
      status: 403,
      body: { code: 'FORBIDDEN' },
    });
  });
});

describe('REST facade: billing', () => {
  async function get(path: string, token?: string) {
    const response = await fetch(`${stack.baseUrl}/v1${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('POST /v1/billing/run: 201 with the run for the own admin, 403 for another client', async () => {
    const { client, admin } = await seed(stack).client();
    const run = await post('/billing/run', { clientId: client.globalId, period: '2025-09' }, await admin.login());
    expect(run.status).toBe(201);
    expect(run.body).toMatchObject({ billingRun: { period: '2025-09', counts: { drafted: 0 } }, userErrors: [] });
    const other = await seed(stack).client();
    const refused = await post(
      '/billing/run',
      { clientId: client.globalId, period: '2025-09' },
      await other.admin.login(),
    );
    expect(refused).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
  });

  it('GET /v1/customers/:id/invoices: the customer’s own user and admin; 403 for another customer, 401 anonymous, 404 made up', async () => {
    const { client, admin } = await seed(stack).client();
    const first = await client.customer();
    const second = await client.customer();
    const path = `/customers/${first.customer.globalId}/invoices?period=2025-09`;
    const own = await get(path, await first.user.login());
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: first.customer.globalId, invoices: { totalCount: 0, edges: [] } });
    expect((await get(path, await admin.login())).status).toBe(200);
    expect(await get(path, await second.user.login())).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(await get(path)).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    const madeUp = toGlobalId('Customer', client.id, randomUUID());
    expect((await get(`/customers/${madeUp}/invoices`, await admin.login())).status).toBe(404);
  });
});

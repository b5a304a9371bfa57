import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectErrorCode, gql, startStack, type Stack } from './kit';

describe('health endpoints', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers /healthz while the process is alive', async () => {
    const response = await fetch(`${stack.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', service: 'gateway' });
  });

  it('answers /readyz 200 when the database and every subgraph answer', async () => {
    const response = await fetch(`${stack.baseUrl}/readyz`);
    expect(await response.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', tenancy: 'ok', metering: 'ok', billing: 'ok', documents: 'ok' },
      failed: [],
    });
    expect(response.status).toBe(200);
  });

  // Last: it stops the subgraph.
  it('answers /readyz 503 naming the subgraph that does not answer', async () => {
    await stack.stopTenancy();
    const response = await fetch(`${stack.baseUrl}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'unavailable',
      checks: { database: 'ok', tenancy: 'unavailable', metering: 'ok', billing: 'ok', documents: 'ok' },
      failed: ['tenancy'],
    });
  });

  it('masks what went wrong inside (here: the subgraph is down) as an internal error', async () => {
    const result = await gql(stack, {
      query:
        'mutation { login(input: { email: "nobody@test.ciro.example", password: "not-the-password" }) { accessToken } }',
    });
    expect(expectErrorCode(result, 'INTERNAL_SERVER_ERROR').message).toBe('Internal server error');
    expect(JSON.stringify(result.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack/i);
  });
});

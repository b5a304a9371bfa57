import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERY_LIMITS } from '../src';
import { expectData, expectErrorCode, gql, startStack, type Stack } from './kit';

let production: Stack;
let development: Stack;

beforeAll(async () => {
  [production, development] = await Promise.all([startStack({ production: true }), startStack({ production: false })]);
});

afterAll(async () => {
  await Promise.all([production?.stop(), development?.stop()]);
});

/** `clients { edges { node { customers { edges { node { client { customers … } } } } } } }`: a valid query `levels` deep. */
function nestedQuery(levels: number, leaf = 'id'): string {
  const steps = ['edges', 'node', 'customers', 'edges', 'node', 'client', 'customers'];
  let open = 'clients';
  let depth = 1;
  const parts = [open];
  while (depth < levels - 1) {
    open = steps[(depth - 1) % steps.length] ?? 'edges';
    parts.push(open);
    depth += 1;
  }
  // End on an object type that has `id`.
  while (['edges', 'customers', 'clients'].includes(parts[parts.length - 1] ?? '')) {
    parts.push(steps[(parts.length - 1) % steps.length] ?? 'node');
  }
  return `{ ${parts.join(' { ')} { ${leaf} }${' }'.repeat(parts.length)}`;
}

describe('query limits', () => {
  it(`rejects an operation deeper than ${QUERY_LIMITS.maxDepth} before it reaches a subgraph`, async () => {
    const before = production.subgraphRequests.length;
    const result = await gql(production, { query: nestedQuery(QUERY_LIMITS.maxDepth + 4) });
    expect(result.body.errors?.[0]?.message).toMatch(/depth limit of 12 exceeded/i);
    expect(result.body.data ?? null).toBeNull();
    expect(production.subgraphRequests.length).toBe(before);
  });

  it(`accepts ${QUERY_LIMITS.maxAliases} aliases and rejects one more`, async () => {
    const aliases = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: clients(first: 1) { totalCount }`).join(' ')} }`;
    // Within the limit the operation passes validation and meets the scope check (anonymous here).
    expectErrorCode(await gql(production, { query: aliases(QUERY_LIMITS.maxAliases) }), 'UNAUTHENTICATED');
    const result = await gql(production, { query: aliases(QUERY_LIMITS.maxAliases + 1) });
    expect(result.body.errors?.[0]?.message).toMatch(/aliases limit of 15 exceeded/i);
  });

  it(`rejects a document of more than ${QUERY_LIMITS.maxTokens} tokens`, async () => {
    const result = await gql(production, { query: `{ ${'__typename '.repeat(QUERY_LIMITS.maxTokens + 10)}}` });
    expect(result.status).toBe(400);
    expect(expectErrorCode(result, 'GRAPHQL_VALIDATION_FAILED').message).toMatch(/token limit of 2000 exceeded/i);
  });

  it(`rejects an operation costing more than ${QUERY_LIMITS.maxCost}`, async () => {
    // `first` multiplies the cost of a connection: nested pages of 100 × 100 rows.
    const result = await gql(production, {
      query: '{ clients(first: 100) { edges { node { customers(first: 100) { edges { node { id code name } } } } } } }',
    });
    expect(result.body.errors?.[0]?.message).toMatch(/cost limit of 20000 exceeded/i);
  });

  it('turns introspection off in production and leaves it on in development', async () => {
    const introspection = '{ __schema { queryType { name } } }';
    const refused = await gql(production, { query: introspection });
    expect(refused.body.errors?.[0]?.message).toMatch(/introspection is not allowed/i);
    expect(expectData(await gql<{ __schema: unknown }>(development, { query: introspection })).__schema).toEqual({
      queryType: { name: 'Query' },
    });
  });

  it('hides field suggestions in production only', async () => {
    const typo = '{ clientz { totalCount } }';
    const prod = expectErrorCode(await gql(production, { query: typo }), 'GRAPHQL_VALIDATION_FAILED');
    expect(prod.message).not.toMatch(/did you mean/i);
    const dev = expectErrorCode(await gql(development, { query: typo }), 'GRAPHQL_VALIDATION_FAILED');
    expect(dev.message).toMatch(/did you mean/i);
  });

  it('blocks simple cross-site requests (CSRF prevention)', async () => {
    const response = await fetch(production.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/Cross-Site Request Forgery/i);
  });

  it('refuses batched requests', async () => {
    const response = await fetch(production.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(response.status).toBe(400);
  });
});

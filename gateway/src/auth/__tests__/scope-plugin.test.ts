import { ApolloServer } from '@apollo/server';
import { ROLE_SCOPES, UnauthenticatedError, type Identity } from '@ciro/subgraph-common';
import { GraphQLError, Kind, buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { assertScopes, buildScopeMap, collectRequirements, scopePlugin, type ScopeCheckContext } from '../scope-plugin';

const SDL = /* GraphQL */ `
  directive @scopes(require: [String!]!) on FIELD_DEFINITION | OBJECT | INTERFACE

  type Query {
    login(email: String!): String @scopes(require: [])
    clients: [Client!]! @scopes(require: ["clients:read"])
    invoice(id: ID!): Invoice @scopes(require: ["invoices:read", "invoices:read:own"])
    node(id: ID!): Node @scopes(require: [])
    version: String
  }

  type Client {
    id: ID!
    name: String!
    apiKeys: [String!]! @scopes(require: ["api-keys:read"])
  }

  type Invoice @scopes(require: ["invoices:read", "invoices:read:own"]) {
    id: ID!
    total: String!
    publicNumber: String! @scopes(require: [])
  }

  extend type Invoice {
    pdfUrl: String
  }

  interface Node {
    id: ID!
  }

  type User implements Node {
    id: ID!
    email: String! @scopes(require: ["users:read"])
  }

  type Meter implements Node {
    id: ID!
    serial: String!
  }
`;

const schema = buildSchema(SDL);
const scopeMap = buildScopeMap(SDL);

function requirementsOf(query: string) {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (!operation) throw new Error('no operation');
  return collectRequirements(schema, document, operation, scopeMap);
}

function identity(role: Identity['role'], scopes = ROLE_SCOPES[role]): Identity {
  return {
    subject: 'u1',
    userId: 'u1',
    apiKeyId: null,
    role,
    orgId: null,
    clientId: role === 'SYSTEM_ADMIN' ? null : 'c1',
    customerId: role === 'CUSTOMER_USER' ? 'k1' : null,
    scopes,
  };
}

function errorOf(fn: () => void): GraphQLError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  throw new Error('expected a GraphQLError');
}

describe('buildScopeMap', () => {
  it('maps each field with @scopes to its scopes and leaves public and unmarked fields out', () => {
    expect(scopeMap.get('Query.clients')).toEqual([['clients:read']]);
    expect(scopeMap.get('Client.apiKeys')).toEqual([['api-keys:read']]);
    expect(scopeMap.has('Query.login')).toBe(false);
    expect(scopeMap.has('Query.version')).toBe(false);
    expect(scopeMap.has('Client.name')).toBe(false);
  });

  it('applies a type-level @scopes to every field of the type and its extensions, unless the field declares its own', () => {
    expect(scopeMap.get('Invoice.total')).toEqual([['invoices:read', 'invoices:read:own']]);
    expect(scopeMap.get('Invoice.pdfUrl')).toEqual([['invoices:read', 'invoices:read:own']]);
    expect(scopeMap.has('Invoice.publicNumber')).toBe(false);
  });

  it('follows a renamed import of the scopes spec in @link', () => {
    const renamed = buildScopeMap(`
      schema @link(url: "https://specs.ciro.energy/scopes/v1.0", import: [{ name: "@scopes", as: "@needs" }]) { query: Query }
      directive @link(url: String!, import: [link__Import]) repeatable on SCHEMA
      scalar link__Import
      directive @needs(require: [String!]!) on FIELD_DEFINITION
      directive @scopes(require: [String!]!) on FIELD_DEFINITION
      type Query { a: String @needs(require: ["x"]) b: String @scopes(require: ["y"]) }
    `);
    expect(renamed.get('Query.a')).toEqual([['x']]);
    expect(renamed.has('Query.b')).toBe(false);
  });
});

describe('collectRequirements', () => {
  it('collects nested fields, named fragments (transitively) and inline fragments', () => {
    const requirements = requirementsOf(`
      query Q { clients { ...ClientParts } invoice(id: "1") { ... on Invoice { total } } }
      fragment ClientParts on Client { name ...Keys }
      fragment Keys on Client { apiKeys }
    `);
    expect(requirements.map((r) => r.field).sort()).toEqual([
      'Client.apiKeys',
      'Invoice.total',
      'Query.clients',
      'Query.invoice',
    ]);
  });

  it('only looks at the executed operation and the fragments it uses', () => {
    const document = parse(`
      query Public { login(email: "a@b.c") }
      query Private { clients { ...F } }
      fragment F on Client { apiKeys }
    `);
    const operation = document.definitions[0] as OperationDefinitionNode;
    expect(collectRequirements(schema, document, operation, scopeMap)).toEqual([]);
  });

  it('charges a field selected on an interface with what every implementation needs', () => {
    const requirements = requirementsOf(`{ node(id: "1") { id ... on Meter { serial } } }`);
    expect(requirements).toEqual([]);
    const viaUser = requirementsOf(`{ node(id: "1") { ... on User { email } } }`);
    expect(viaUser.map((r) => r.field)).toEqual(['User.email']);
  });
});

describe('assertScopes', () => {
  const clientsOnly = requirementsOf('{ clients { name apiKeys } }');

  it('passes an operation with no scoped field for anyone, even with a broken token', () => {
    const requirements = requirementsOf('{ login(email: "a@b.c") version }');
    expect(() =>
      assertScopes({ identity: null, authError: new UnauthenticatedError('expired') }, requirements),
    ).not.toThrow();
  });

  it('rejects an anonymous caller with UNAUTHENTICATED naming what is needed', () => {
    const error = errorOf(() => assertScopes({ identity: null, authError: null }, clientsOnly));
    expect(error.extensions.code).toBe('UNAUTHENTICATED');
    expect(error.message).toContain('Query.clients needs one of the scopes: clients:read');
  });

  it("reports the token's own error when the credentials sent were refused", () => {
    const authError = new UnauthenticatedError('Access token expired: refresh it or log in again');
    const error = errorOf(() => assertScopes({ identity: null, authError }, clientsOnly));
    expect(error.extensions.code).toBe('UNAUTHENTICATED');
    expect(error.message).toBe('Access token expired: refresh it or log in again');
  });

  it('rejects a caller lacking a scope with FORBIDDEN naming each field and its scopes', () => {
    const error = errorOf(() => assertScopes({ identity: identity('CUSTOMER_USER'), authError: null }, clientsOnly));
    expect(error.extensions.code).toBe('FORBIDDEN');
    expect(error.message).toContain('Query.clients needs one of the scopes: clients:read');
    expect(error.message).toContain('Client.apiKeys needs one of the scopes: api-keys:read');
    expect(error.extensions.missingScopes).toEqual([
      { field: 'Query.clients', anyOf: ['clients:read'] },
      { field: 'Client.apiKeys', anyOf: ['api-keys:read'] },
    ]);
  });

  it('accepts any one of the listed scopes', () => {
    const requirements = requirementsOf('{ invoice(id: "1") { total } }');
    expect(() => assertScopes({ identity: identity('CUSTOMER_USER'), authError: null }, requirements)).not.toThrow();
    expect(() => assertScopes({ identity: identity('CLIENT_ADMIN'), authError: null }, requirements)).not.toThrow();
    const error = errorOf(() =>
      assertScopes({ identity: identity('CLIENT_ADMIN', ['clients:read']), authError: null }, requirements),
    );
    expect(error.extensions.code).toBe('FORBIDDEN');
  });
});

describe('scopePlugin', () => {
  async function serverWith(resolver: () => unknown) {
    const server = new ApolloServer<ScopeCheckContext>({
      typeDefs: SDL,
      resolvers: { Query: { clients: resolver, login: () => 'token' } },
      plugins: [scopePlugin<ScopeCheckContext>(SDL)],
    });
    await server.start();
    return server;
  }

  it('rejects in didResolveOperation, before anything executes', async () => {
    const resolver = vi.fn(() => []);
    const server = await serverWith(resolver);
    try {
      const response = await server.executeOperation(
        { query: '{ clients { id } }' },
        { contextValue: { identity: identity('CUSTOMER_USER'), authError: null } },
      );
      expect(response.http.status).toBe(200);
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      expect(response.body.singleResult.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(response.body.singleResult.data).toBeUndefined();
      expect(resolver).not.toHaveBeenCalled();

      const allowed = await server.executeOperation(
        { query: '{ clients { id } }' },
        { contextValue: { identity: identity('CLIENT_ADMIN'), authError: null } },
      );
      if (allowed.body.kind !== 'single') throw new Error('expected a single result');
      expect(allowed.body.singleResult.errors).toBeUndefined();
      expect(resolver).toHaveBeenCalledTimes(1);
    } finally {
      await server.stop();
    }
  });
});

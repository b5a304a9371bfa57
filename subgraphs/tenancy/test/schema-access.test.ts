import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, isObjectType, type GraphQLField } from 'graphql';
import { printSubgraphSdl } from '@ciro/subgraph-common';
import { buildTenancySchema } from '../src/schema';

const FEDERATION_FIELDS = new Set(['_entities', '_service']);

function declaredScopes(field: GraphQLField<unknown, unknown>): string[] | null {
  const directive = field.astNode?.directives?.find((d) => d.name.value === 'scopes');
  if (!directive) return null;
  const argument = directive.arguments?.find((a) => a.name.value === 'require');
  if (argument?.value.kind !== Kind.LIST) return null;
  return argument.value.values.map((v) => (v.kind === Kind.STRING ? v.value : '?'));
}

describe('tenancy schema access declarations', () => {
  it('declares @scopes (or explicit public) on every root field', async () => {
    const schema = await buildTenancySchema();
    const undeclared: string[] = [];
    for (const root of [schema.getQueryType(), schema.getMutationType()]) {
      if (!root) continue;
      for (const field of Object.values(root.getFields())) {
        if (FEDERATION_FIELDS.has(field.name)) continue;
        if (declaredScopes(field) === null) undeclared.push(`${root.name}.${field.name}`);
      }
    }
    expect(undeclared).toEqual([]);
  });

  it('leaves only login-type mutations public', async () => {
    const schema = await buildTenancySchema();
    const publicFields: string[] = [];
    for (const root of [schema.getQueryType(), schema.getMutationType()]) {
      for (const field of Object.values(root?.getFields() ?? {})) {
        if (declaredScopes(field)?.length === 0) publicFields.push(field.name);
      }
    }
    expect(publicFields.sort()).toEqual(expect.arrayContaining(['login', 'refreshSession']));
    for (const name of publicFields) {
      expect([
        'login',
        'refreshSession',
        'verifyMfa',
        'logout',
        'startMfaEnrollment',
        'confirmMfaEnrollment',
      ]).toContain(name);
    }
  });

  it('declares scopes on every field resolver that reaches other records', async () => {
    const schema = await buildTenancySchema();
    const client = schema.getType('Client');
    expect(isObjectType(client)).toBe(true);
    if (!isObjectType(client)) return;
    expect(declaredScopes(client.getFields().customers)).toEqual(['customers:read']);
    expect(declaredScopes(client.getFields().meters)).toEqual(['meters:read']);
  });

  it('matches the committed schema.graphql', async () => {
    const committed = readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8');
    expect(printSubgraphSdl(await buildTenancySchema())).toBe(committed);
  });
});

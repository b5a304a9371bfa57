import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printSubgraphSdl } from '@ciro/subgraph-common';
import { Kind, isObjectType, type GraphQLField } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildBillingSchema } from '../src/schema';

const FEDERATION_FIELDS = new Set(['_entities', '_service']);

function declaredScopes(field: GraphQLField<unknown, unknown>): string[] | null {
  const directive = field.astNode?.directives?.find((d) => d.name.value === 'scopes');
  if (!directive) return null;
  const argument = directive.arguments?.find((a) => a.name.value === 'require');
  if (argument?.value.kind !== Kind.LIST) return null;
  return argument.value.values.map((v) => (v.kind === Kind.STRING ? v.value : '?'));
}

describe('billing schema access declarations', () => {
  it('declares non-empty @scopes on every root field: nothing in billing is public', async () => {
    const schema = await buildBillingSchema();
    const problems: string[] = [];
    for (const root of [schema.getQueryType(), schema.getMutationType()]) {
      for (const field of Object.values(root?.getFields() ?? {})) {
        if (FEDERATION_FIELDS.has(field.name)) continue;
        const scopes = declaredScopes(field);
        if (!scopes?.length) problems.push(`${root?.name}.${field.name}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('declares @scopes on every field of the billing records and on the fields added to Client and Customer', async () => {
    const schema = await buildBillingSchema();
    const problems: string[] = [];
    for (const name of ['Invoice', 'BillingRun', 'Payment', 'Adjustment', 'BillingSummary', 'Client', 'Customer']) {
      const type = schema.getType(name);
      if (!isObjectType(type)) {
        problems.push(`${name} is not an object type`);
        continue;
      }
      for (const field of Object.values(type.getFields())) {
        // Entity stubs: their key belongs to tenancy, which guards it.
        if ((name === 'Client' || name === 'Customer') && field.name === 'id') continue;
        if (!declaredScopes(field)?.length) problems.push(`${name}.${field.name}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives mutations the write scopes and reads the read scopes', async () => {
    const schema = await buildBillingSchema();
    const mutation = schema.getMutationType()!.getFields();
    const query = schema.getQueryType()!.getFields();
    expect({
      runBilling: declaredScopes(mutation.runBilling),
      resumeBillingRun: declaredScopes(mutation.resumeBillingRun),
      issueInvoices: declaredScopes(mutation.issueInvoices),
      voidInvoice: declaredScopes(mutation.voidInvoice),
      recordPayment: declaredScopes(mutation.recordPayment),
      createAdjustment: declaredScopes(mutation.createAdjustment),
      billingRun: declaredScopes(query.billingRun),
      invoice: declaredScopes(query.invoice),
      invoices: declaredScopes(query.invoices),
    }).toEqual({
      runBilling: ['billing:run'],
      resumeBillingRun: ['billing:run'],
      issueInvoices: ['invoices:write'],
      voidInvoice: ['invoices:write'],
      recordPayment: ['payments:write'],
      createAdjustment: ['invoices:write'],
      billingRun: ['billing:read', 'billing:run'],
      invoice: ['invoices:read', 'invoices:read:own'],
      invoices: ['invoices:read', 'invoices:read:own'],
    });
  });

  it('matches the committed schema.graphql', async () => {
    const committed = readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8');
    expect(printSubgraphSdl(await buildBillingSchema())).toBe(committed);
  });
});

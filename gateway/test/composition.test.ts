import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Kind, parse } from 'graphql';
import { buildScopeMap } from '../src/auth/scope-plugin';
import { checkComposition, printSubgraphs } from '../src/compose';
import { REPO_ROOT, SUBGRAPHS, SUPERGRAPH_PATH } from '../src/subgraphs';
import { subscriptionOwners } from '../src/subscriptions/subscription-owners';

const STALE = 'is stale: run `npm run compose` and commit the result';

describe('composition', () => {
  it.each(SUBGRAPHS.map((s) => [s.name]))(
    "has %s's committed schema.graphql equal to the SDL its code prints",
    async (name) => {
      const printed = (await printSubgraphs()).find((subgraph) => subgraph.name === name);
      if (!printed) throw new Error(`no subgraph ${name}`);
      expect(readFileSync(printed.sdlPath, 'utf8'), `${relative(REPO_ROOT, printed.sdlPath)} ${STALE}`).toBe(
        printed.sdl,
      );
    },
  );

  it('has the committed supergraph equal to what the subgraphs compose to, without errors', async () => {
    const supergraph = await checkComposition();
    expect(readFileSync(SUPERGRAPH_PATH, 'utf8'), `gateway/supergraph.graphql ${STALE}`).toBe(supergraph);
  });

  it('keeps @scopes in the supergraph through @composeDirective', () => {
    const supergraph = readFileSync(SUPERGRAPH_PATH, 'utf8');
    expect(supergraph).toContain('@link(url: "https://specs.ciro.energy/scopes/v1.0", import: ["@scopes"])');
    const scopes = buildScopeMap(supergraph);
    expect(scopes.get('Query.clients')).toEqual([['clients:read']]);
    expect(scopes.has('Mutation.login')).toBe(false);
  });

  it('declares @scopes (or an explicit public `require: []`) on every root field of the supergraph', () => {
    const document = parse(readFileSync(SUPERGRAPH_PATH, 'utf8'));
    const undeclared: string[] = [];
    let roots = 0;
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
      if (!['Query', 'Mutation', 'Subscription'].includes(definition.name.value)) continue;
      for (const field of definition.fields ?? []) {
        if (field.name.value.startsWith('_')) continue;
        roots += 1;
        if (!field.directives?.some((directive) => directive.name.value === 'scopes')) {
          undeclared.push(`${definition.name.value}.${field.name.value}`);
        }
      }
    }
    expect(roots).toBeGreaterThanOrEqual(50);
    expect(undeclared).toEqual([]);
  });

  it('routes each subscription to the one subgraph that resolves it', () => {
    const owners = subscriptionOwners(readFileSync(SUPERGRAPH_PATH, 'utf8'));
    expect(Object.fromEntries(owners)).toEqual({
      billingRunProgress: 'billing',
      liveMetrics: 'metering',
      uploadProgress: 'metering',
    });
    const scopes = buildScopeMap(readFileSync(SUPERGRAPH_PATH, 'utf8'));
    expect(scopes.get('Subscription.liveMetrics')).toEqual([['consumption:read', 'consumption:read:own']]);
  });
});

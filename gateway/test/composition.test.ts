import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildScopeMap } from '../src/auth/scope-plugin';
import { checkComposition, printSubgraphs } from '../src/compose';
import { REPO_ROOT, SUBGRAPHS, SUPERGRAPH_PATH } from '../src/subgraphs';

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
});

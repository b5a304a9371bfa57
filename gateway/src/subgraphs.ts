import { join } from 'node:path';
import { printSubgraphSdl } from '@ciro/subgraph-common';
import { buildBillingSchema } from '@ciro/billing';
import { buildDocumentsSchema } from '@ciro/documents';
import { buildMeteringSchema } from '@ciro/metering';
import { buildTenancySchema } from '@ciro/tenancy';

/** Repository root, from gateway/src (tests) and gateway/dist (built) alike. */
export const REPO_ROOT = join(__dirname, '..', '..');

/** The committed supergraph the gateway serves. */
export const SUPERGRAPH_PATH = join(REPO_ROOT, 'gateway', 'supergraph.graphql');

export interface SubgraphDefinition {
  /** Name in the supergraph (`join__graph`) and in logs. */
  name: string;
  /** The subgraph's committed, printed SDL. */
  sdlPath: string;
  /** Where the subgraph listens by default (also written into the supergraph). */
  defaultUrl: string;
  /** Environment variable that overrides `defaultUrl` for the gateway. */
  urlEnv: `SUBGRAPH_${string}_URL`;
  /** Prints the SDL from the subgraph's code, as its schema.graphql should read. */
  printSdl: () => Promise<string>;
}

/**
 * Every subgraph the gateway composes and calls. Adding a subgraph is adding
 * one entry here (composition, URL overrides, env and /readyz follow).
 */
export const SUBGRAPHS = [
  {
    name: 'tenancy',
    sdlPath: join(REPO_ROOT, 'subgraphs', 'tenancy', 'schema.graphql'),
    defaultUrl: 'http://127.0.0.1:4001/graphql',
    urlEnv: 'SUBGRAPH_TENANCY_URL',
    printSdl: async () => printSubgraphSdl(await buildTenancySchema()),
  },
  {
    name: 'metering',
    sdlPath: join(REPO_ROOT, 'subgraphs', 'metering', 'schema.graphql'),
    defaultUrl: 'http://127.0.0.1:4002/graphql',
    urlEnv: 'SUBGRAPH_METERING_URL',
    printSdl: async () => printSubgraphSdl(await buildMeteringSchema()),
  },
  {
    name: 'billing',
    sdlPath: join(REPO_ROOT, 'subgraphs', 'billing', 'schema.graphql'),
    defaultUrl: 'http://127.0.0.1:4003/graphql',
    urlEnv: 'SUBGRAPH_BILLING_URL',
    printSdl: async () => printSubgraphSdl(await buildBillingSchema()),
  },
  {
    name: 'documents',
    sdlPath: join(REPO_ROOT, 'subgraphs', 'documents', 'schema.graphql'),
    defaultUrl: 'http://127.0.0.1:4004/graphql',
    urlEnv: 'SUBGRAPH_DOCUMENTS_URL',
    printSdl: async () => printSubgraphSdl(await buildDocumentsSchema()),
  },
] as const satisfies readonly SubgraphDefinition[];

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

/** Per-subgraph URL overrides; a missing entry means the subgraph's default URL. */
export type SubgraphUrls = Partial<Record<SubgraphName, string>>;

/** The URL the gateway uses for each subgraph, overrides first. */
export function resolveSubgraphUrls(overrides: SubgraphUrls = {}): Record<SubgraphName, string> {
  return Object.fromEntries(
    SUBGRAPHS.map((subgraph) => [subgraph.name, overrides[subgraph.name] ?? subgraph.defaultUrl]),
  ) as Record<SubgraphName, string>;
}

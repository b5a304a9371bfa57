import { writeFileSync } from 'node:fs';
import type { GraphQLSchema } from 'graphql';
import { printSubgraphSdl } from './build-federated-schema';

/** Prints a subgraph's SDL into its committed `schema.graphql` (composition reads that file). */
export async function writeSubgraphSdl(build: () => Promise<GraphQLSchema>, path: string): Promise<string> {
  writeFileSync(path, printSubgraphSdl(await build()));
  return path;
}

import { join } from 'node:path';
import { writeSubgraphSdl } from '@ciro/subgraph-common';
import { buildMeteringSchema } from './schema';

/** Writes schema.graphql, the SDL composition reads. */
export function writeMeteringSdl(path = join(__dirname, '..', 'schema.graphql')): Promise<string> {
  return writeSubgraphSdl(buildMeteringSchema, path);
}

if (require.main === module) {
  writeMeteringSdl().then(
    (path) => process.stdout.write(`wrote ${path}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}

import { join } from 'node:path';
import { writeSubgraphSdl } from '@ciro/subgraph-common';
import { buildTenancySchema } from './schema';

/** Writes schema.graphql, the SDL composition reads. */
export function writeTenancySdl(path = join(__dirname, '..', 'schema.graphql')): Promise<string> {
  return writeSubgraphSdl(buildTenancySchema, path);
}

if (require.main === module) {
  writeTenancySdl().then(
    (path) => process.stdout.write(`wrote ${path}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}

import { join } from 'node:path';
import { writeSubgraphSdl } from '@ciro/subgraph-common';
import { buildBillingSchema } from './schema';

/** Writes schema.graphql, the SDL composition reads. */
export function writeBillingSdl(path = join(__dirname, '..', 'schema.graphql')): Promise<string> {
  return writeSubgraphSdl(buildBillingSchema, path);
}

if (require.main === module) {
  writeBillingSdl().then(
    (path) => process.stdout.write(`wrote ${path}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}

import { join } from 'node:path';
import { writeSubgraphSdl } from '@ciro/subgraph-common';
import { buildDocumentsSchema } from './schema';

/** Writes schema.graphql, the SDL composition reads. */
export function writeDocumentsSdl(path = join(__dirname, '..', 'schema.graphql')): Promise<string> {
  return writeSubgraphSdl(buildDocumentsSchema, path);
}

if (require.main === module) {
  writeDocumentsSdl().then(
    (path) => process.stdout.write(`wrote ${path}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}

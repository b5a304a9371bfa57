import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printSubgraphSdl } from '@ciro/subgraph-common';
import { buildTenancySchema } from './schema';

/** Writes schema.graphql, the SDL composition reads. */
export async function writeTenancySdl(path = join(__dirname, '..', 'schema.graphql')): Promise<string> {
  const sdl = printSubgraphSdl(await buildTenancySchema());
  writeFileSync(path, sdl);
  return path;
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

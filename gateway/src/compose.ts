import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { REPO_ROOT, SUBGRAPHS, SUPERGRAPH_PATH } from './subgraphs';

export interface PrintedSubgraph {
  name: string;
  sdlPath: string;
  url: string;
  sdl: string;
}

export class CompositionError extends Error {
  constructor(readonly errors: readonly string[]) {
    super(`Composition failed with ${errors.length} error(s):\n${errors.map((e) => `  - ${e}`).join('\n')}`);
    this.name = 'CompositionError';
  }
}

/** Prints every subgraph's SDL from its code (nothing is written). */
export async function printSubgraphs(): Promise<PrintedSubgraph[]> {
  return Promise.all(
    SUBGRAPHS.map(async (subgraph) => ({
      name: subgraph.name,
      sdlPath: subgraph.sdlPath,
      url: subgraph.defaultUrl,
      sdl: await subgraph.printSdl(),
    })),
  );
}

/** Composes the given subgraph SDLs; throws CompositionError listing every error. */
export function composeSupergraph(subgraphs: readonly PrintedSubgraph[]): string {
  const result = composeServices(
    subgraphs.map((subgraph) => ({ name: subgraph.name, url: subgraph.url, typeDefs: parse(subgraph.sdl) })),
  );
  if (result.errors) {
    throw new CompositionError(
      result.errors.map((error) => {
        const code = typeof error.extensions.code === 'string' ? `[${error.extensions.code}] ` : '';
        return `${code}${error.message}`;
      }),
    );
  }
  return `${result.supergraphSdl.trim()}\n`;
}

/** The supergraph the current code composes to, without writing anything. */
export async function checkComposition(): Promise<string> {
  return composeSupergraph(await printSubgraphs());
}

function readIfExists(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Files whose committed content differs from what the code produces. */
export async function staleGeneratedFiles(): Promise<string[]> {
  const subgraphs = await printSubgraphs();
  const stale = subgraphs.filter((subgraph) => readIfExists(subgraph.sdlPath) !== subgraph.sdl).map((s) => s.sdlPath);
  if (readIfExists(SUPERGRAPH_PATH) !== composeSupergraph(subgraphs)) stale.push(SUPERGRAPH_PATH);
  return stale;
}

/** Regenerates every subgraph's schema.graphql and gateway/supergraph.graphql. */
export async function writeComposition(): Promise<string[]> {
  const subgraphs = await printSubgraphs();
  // Compose before writing anything, so a failed composition leaves the tree untouched.
  const supergraph = composeSupergraph(subgraphs);
  for (const subgraph of subgraphs) writeFileSync(subgraph.sdlPath, subgraph.sdl);
  writeFileSync(SUPERGRAPH_PATH, supergraph);
  return [...subgraphs.map((subgraph) => subgraph.sdlPath), SUPERGRAPH_PATH];
}

/** `node gateway/dist/compose.js [--check]` */
async function main(argv: readonly string[]): Promise<number> {
  const show = (path: string) => relative(REPO_ROOT, path);
  if (argv.includes('--check')) {
    const stale = await staleGeneratedFiles();
    for (const path of stale) process.stderr.write(`stale: ${show(path)}\n`);
    return stale.length === 0 ? 0 : 1;
  }
  for (const path of await writeComposition()) process.stdout.write(`wrote ${show(path)}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof CompositionError) {
        process.stderr.write(`${error.message}\n`);
      } else {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      }
      process.exit(1);
    },
  );
}

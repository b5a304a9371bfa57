import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Coverage thresholds of a folder apply when the run includes all of its tests: an unfiltered run, or a path filter
// that contains the folder (`vitest run subgraphs/billing`). A run filtered to other paths (`vitest run gateway`)
// never loads that code, and would otherwise fail on 0 %.
const pathFilters = process.argv
  .slice(2)
  .filter((arg) => !arg.startsWith('-') && (arg.includes('/') || existsSync(arg)))
  .map((arg) => arg.replace(/^\.\//, ''));
const runsAllTestsOf = (folder: string) =>
  pathFilters.length === 0 || pathFilters.some((filter) => folder.startsWith(filter));
const coverageThresholds = Object.fromEntries(
  ['subgraphs/billing/src/engine/', 'subgraphs/common/src/energy/']
    .filter(runsAllTestsOf)
    .map((folder) => [`${folder}**`, { lines: 95, branches: 95 }]),
);

// SWC (not esbuild) so type-graphql gets decorator metadata. Workspace packages
// resolve to their sources, so tests never run stale dist/ output.
export default defineConfig({
  plugins: [
    swc.vite({
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
    }),
  ],
  resolve: {
    alias: [
      // One graphql instance: Vite would pick graphql's .mjs build while type-graphql
      // and Apollo load the CommonJS one, and schema objects must not cross realms.
      { find: /^graphql$/, replacement: require.resolve('graphql') },
      { find: /^@ciro\/db$/, replacement: here('./db/src/index.ts') },
      { find: /^@ciro\/db\/testing$/, replacement: here('./db/src/testing.ts') },
      { find: /^@ciro\/subgraph-common$/, replacement: here('./subgraphs/common/src/index.ts') },
      { find: /^@ciro\/tenancy$/, replacement: here('./subgraphs/tenancy/src/index.ts') },
      { find: /^@ciro\/metering$/, replacement: here('./subgraphs/metering/src/index.ts') },
      { find: /^@ciro\/billing$/, replacement: here('./subgraphs/billing/src/index.ts') },
      { find: /^@ciro\/documents$/, replacement: here('./subgraphs/documents/src/index.ts') },
      { find: /^@ciro\/gateway$/, replacement: here('./gateway/src/index.ts') },
    ],
  },
  test: {
    include: ['db/{test,src}/**/*.test.ts', 'gateway/{test,src}/**/*.test.ts', 'subgraphs/*/{test,src}/**/*.test.ts'],
    globalSetup: [here('./vitest.global-setup.ts')],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: { LOG_LEVEL: 'silent', NODE_ENV: 'test' },
    // Every number on an invoice comes from the billing engine and the energy time/TOU helpers: keep them covered.
    coverage: {
      enabled: true,
      provider: 'v8',
      include: ['subgraphs/billing/src/engine/**/*.ts', 'subgraphs/common/src/energy/**/*.ts'],
      exclude: ['**/__tests__/**'],
      reporter: ['text-summary', 'json-summary'],
      thresholds: coverageThresholds,
    },
  },
});

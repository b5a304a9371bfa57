import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

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
    alias: {
      '@ciro/db': here('./db/src/index.ts'),
      '@ciro/subgraph-common': here('./subgraphs/common/src/index.ts'),
      '@ciro/tenancy': here('./subgraphs/tenancy/src/index.ts'),
      '@ciro/gateway': here('./gateway/src/index.ts'),
    },
  },
  test: {
    include: ['db/{test,src}/**/*.test.ts', 'gateway/{test,src}/**/*.test.ts', 'subgraphs/*/{test,src}/**/*.test.ts'],
    globalSetup: [here('./vitest.global-setup.ts')],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: { LOG_LEVEL: 'silent', NODE_ENV: 'test' },
  },
});

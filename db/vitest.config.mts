import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Standalone config for `npx vitest run --root db`. The root vitest.config.mts also
// includes db/test and provides the same `databaseUrl`/`databaseOwnerUrl` values
// from its own global setup. No SWC needed: db has no decorators.
export default defineConfig({
  test: {
    name: 'db',
    root: here('.'),
    include: ['test/**/*.test.ts', 'src/**/__tests__/**/*.test.ts'],
    globalSetup: [here('./test/global-setup.ts')],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});

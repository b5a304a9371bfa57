import type { TestProject } from 'vitest/node';
import { createTestDatabase } from './db/src/testing';

/**
 * One fresh, migrated database per test run. Tests isolate themselves by
 * creating their own tenants, so files can run in parallel against it.
 */
export default async function setup(project: TestProject): Promise<void> {
  const urls = await createTestDatabase(process.env.TEST_DATABASE_NAME ?? 'ciro_test');
  process.env.DATABASE_URL = urls.appUrl;
  process.env.DATABASE_OWNER_URL = urls.ownerUrl;
  project.provide('databaseUrl', urls.appUrl);
  project.provide('databaseOwnerUrl', urls.ownerUrl);
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseOwnerUrl: string;
  }
}

import type { TestProject } from 'vitest/node';
import { createTestDatabase, dropTestDatabase } from './db/src/testing';

/**
 * One fresh, migrated database per test run, named after the run's process so
 * two runs on one server never drop each other's database. Tests isolate
 * themselves by creating their own tenants, so files run in parallel against it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const name = process.env.TEST_DATABASE_NAME ?? `ciro_test_${process.pid}`;
  const urls = await createTestDatabase(name);
  process.env.DATABASE_URL = urls.appUrl;
  process.env.DATABASE_OWNER_URL = urls.ownerUrl;
  project.provide('databaseUrl', urls.appUrl);
  project.provide('databaseOwnerUrl', urls.ownerUrl);
  return async () => {
    // Kept when named explicitly, so a developer can inspect what a run left behind.
    if (!process.env.TEST_DATABASE_NAME) await dropTestDatabase(name);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseOwnerUrl: string;
  }
}

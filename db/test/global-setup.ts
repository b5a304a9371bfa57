import type { TestProject } from 'vitest/node';
import { createTestDatabase, dropTestDatabase } from '../src/testing';

/**
 * A fresh migrated database per run of db's own config. Named after the process so
 * runs by several people (or CI) on one server never drop each other's database;
 * TEST_DATABASE_NAME pins a name and keeps it afterwards.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const pinned = process.env.TEST_DATABASE_NAME;
  const name = pinned ?? `ciro_db_test_${process.pid}`;
  const urls = await createTestDatabase(name);
  project.provide('databaseUrl', urls.appUrl);
  project.provide('databaseOwnerUrl', urls.ownerUrl);
  return async () => {
    if (!pinned) await dropTestDatabase(name);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseOwnerUrl: string;
  }
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createTestDatabase, dropTestDatabase } from './db/src/testing';
import { startAzurite } from './subgraphs/common/src/storage/azurite';

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
  // Blob storage for uploads: a private Azurite on a free loopback port, data in a temp folder.
  const azuriteData = mkdtempSync(join(tmpdir(), 'ciro-azurite-'));
  const azurite = await startAzurite({ location: azuriteData, port: 0 });
  process.env.AZURE_STORAGE_CONNECTION_STRING = azurite.connectionString;
  project.provide('azuriteConnectionString', azurite.connectionString);
  project.provide('redisUrl', process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  return async () => {
    await azurite.stop();
    rmSync(azuriteData, { recursive: true, force: true });
    // Kept when named explicitly, so a developer can inspect what a run left behind.
    if (!process.env.TEST_DATABASE_NAME) await dropTestDatabase(name);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseOwnerUrl: string;
    azuriteConnectionString: string;
    redisUrl: string;
  }
}

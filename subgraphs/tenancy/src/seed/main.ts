import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createDb } from '@ciro/db';
import { mfaSecretBoxFromEnv, readTenancyEnv } from '../env';
import { formatDemoLogins, seedDemoIfEmpty } from './demo-seed';

/** `.data/demo-logins-<host>-<port>-<database>.txt`: where npm start finds the logins of the database it serves. */
export function demoLoginsFileName(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  const name = `${url.hostname}-${url.port || '5432'}-${url.pathname.slice(1) || 'postgres'}`.replace(
    /[^A-Za-z0-9._-]/g,
    '_',
  );
  return `demo-logins-${name}.txt`;
}

/** `npm start` runs this after migrating: seeds an empty database, else does nothing. */
async function main(): Promise<void> {
  const repoRoot = resolve(__dirname, '..', '..', '..', '..');
  const samplesDir = process.env.SAMPLES_DIR ?? resolve(repoRoot, '..', 'shared', 'samples');
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://ciro_app@127.0.0.1:5432/ciro';
  // The same key as the tenancy subgraph (MFA_ENCRYPTION_KEY, or JWT_SECRET outside production), so it opens these secrets.
  const mfaSecretBox = mfaSecretBoxFromEnv(readTenancyEnv());
  const database = createDb({ url: databaseUrl, max: 2 });
  try {
    const result = await seedDemoIfEmpty(database, {
      samplesDir,
      mfaSecretBox,
      ...(process.env.DEMO_PASSWORD ? { password: process.env.DEMO_PASSWORD } : {}),
    });
    if (!result) {
      process.stdout.write('Database already has data: demo seed skipped.\n');
      return;
    }
    const dataDir = join(repoRoot, '.data');
    mkdirSync(dataDir, { recursive: true });
    // One file per database, so seeding a scratch database never hides the logins of the demo one.
    writeFileSync(join(dataDir, demoLoginsFileName(databaseUrl)), formatDemoLogins(result), { mode: 0o600 });
    process.stdout.write(`Seeded the demo: ${result.logins.length} users.\n`);
    for (const warning of result.warnings) process.stdout.write(`  warning: ${warning}\n`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Demo seed failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

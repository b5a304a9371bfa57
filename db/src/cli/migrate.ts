import { ensureDatabase, type EnsureDatabaseResult } from '../bootstrap.js';
import { DbEnvError, hostPort, loadDbEnv, type DbEnv } from '../env.js';
import { describeError, isConnectionError } from '../errors.js';
import { migrate } from '../migrate.js';

/**
 * `node db/dist/cli/migrate.js`: creates the roles and database when missing (with
 * DATABASE_ADMIN_URL), then applies pending migrations as the owner.
 */
async function main(): Promise<number> {
  let env: DbEnv;
  try {
    env = loadDbEnv();
  } catch (error) {
    if (error instanceof DbEnvError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }

  let stage: 'bootstrap' | 'migrate' = 'bootstrap';
  try {
    let ensured: EnsureDatabaseResult = { createdRoles: [], createdDatabase: false };
    try {
      ensured = await ensureDatabase({
        adminUrl: env.adminUrl,
        database: env.database,
        ownerRole: env.ownerRole,
        appRole: env.appRole,
        ownerPassword: env.ownerPassword,
        appPassword: env.appPassword,
      });
    } catch (error) {
      // A managed server may give us no superuser: if the roles and database were
      // provisioned by someone else, migrating as the owner still works.
      if (isConnectionError(error)) throw error;
      console.warn(
        `db: skipped creating roles/database (${describeError(error)}); migrating the existing database as ${env.ownerRole}`,
      );
    }
    stage = 'migrate';
    const result = await migrate({ ownerUrl: env.ownerUrl, appRole: env.appRole });
    const created = [
      ...ensured.createdRoles.map((r) => `role ${r}`),
      ...(ensured.createdDatabase ? [`database ${env.database}`] : []),
    ];
    console.log(
      `db: ${env.database} at ${hostPort(env.ownerUrl)} is up to date ` +
        `(${result.applied} migration(s) applied, ${result.total} in total` +
        `${created.length > 0 ? `; created ${created.join(', ')}` : ''}).`,
    );
    return 0;
  } catch (error) {
    const url = stage === 'bootstrap' ? env.adminUrl : env.ownerUrl;
    if (isConnectionError(error)) {
      console.error(
        `PostgreSQL is not reachable at ${hostPort(url)}: start it (pg_ctlcluster 15 main start) or set DATABASE_URL`,
      );
    } else {
      const message = describeError(error);
      const what = stage === 'bootstrap' ? 'creating roles/database with DATABASE_ADMIN_URL' : 'migrating as the owner';
      console.error(`db: ${what} at ${hostPort(url)} failed: ${message}`);
    }
    return 1;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);

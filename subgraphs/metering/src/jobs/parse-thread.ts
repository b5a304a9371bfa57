import { parentPort, workerData } from 'node:worker_threads';
import { schema, type Database } from '@ciro/db';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { BlobStorage } from '../storage/blob-storage';
import { parseStoredUpload } from '../uploads/upload-parsing';
import type { ParseThreadInput, ParseThreadMessage } from './parse-isolation';

/**
 * Worker-thread entry of the parse job (see parse-isolation.ts): parses one upload with a
 * capped heap and posts back its preview (as it will be stored: JSON) or failure.
 */
async function run(input: ParseThreadInput): Promise<ParseThreadMessage> {
  const options = {
    host: input.connection.host,
    port: input.connection.port,
    ...(input.connection.path ? { path: input.connection.path } : {}),
    database: input.connection.database,
    user: input.connection.user,
    ...(input.connection.pass !== null ? { pass: input.connection.pass } : {}),
    ssl: input.connection.ssl,
    connection: input.connection.connection,
    max: 1,
    onnotice: () => {},
  } as unknown as postgres.Options<Record<string, postgres.PostgresType>>;
  const sql = postgres(options);
  const database: Database = { sql, db: drizzle(sql, { schema }), close: () => sql.end({ timeout: 5 }) };
  const bytes = Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength);
  const readOnly = (): Promise<never> => Promise.reject(new Error('the parse thread only reads its upload'));
  const blob: BlobStorage = {
    getOrThrow: () => Promise.resolve(bytes),
    put: readOnly,
    delete: readOnly,
    ping: () => Promise.resolve(),
  };
  try {
    const parsed = await parseStoredUpload(
      { database, blob, maxUploadBytes: input.maxUploadBytes },
      input.ctx,
      input.row,
      input.zone,
      input.overrides,
    );
    return {
      ok: true,
      outcome: { preview: JSON.parse(JSON.stringify(parsed.preview)) as unknown, failure: parsed.failure },
    };
  } finally {
    await database.close();
  }
}

if (parentPort) {
  const port = parentPort;
  run(workerData as ParseThreadInput).then(
    (message) => port.postMessage(message),
    (error: unknown) =>
      port.postMessage({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
}

import { parentPort, workerData } from 'node:worker_threads';
import { schema, type Database } from '@ciro/db';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { BlobStorage } from '../storage/blob-storage';
import { parseStoredUpload } from '../uploads/upload-parsing';
import type { ParseThreadInput, ParseThreadMessage } from './parse-isolation';
import { packParsedUpload } from './parse-transfer';

interface Reply {
  message: ParseThreadMessage;
  /** Buffers moved to the caller instead of copied. */
  transfer: ArrayBuffer[];
}

/**
 * Worker-thread entry of the parse job and of the commit (see parse-isolation.ts): parses one
 * upload with a capped heap and posts back, for a PREVIEW, its preview (as it will be stored:
 * JSON) or failure; for a COMMIT, the whole parse, its readings packed (parse-transfer.ts).
 */
async function run(input: ParseThreadInput): Promise<Reply> {
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
    if (input.purpose === 'COMMIT') {
      const { packed, transfer } = packParsedUpload(parsed);
      return { message: { ok: true, purpose: 'COMMIT', parsed: packed }, transfer };
    }
    return {
      message: {
        ok: true,
        purpose: 'PREVIEW',
        outcome: { preview: JSON.parse(JSON.stringify(parsed.preview)) as unknown, failure: parsed.failure },
      },
      transfer: [],
    };
  } finally {
    await database.close();
  }
}

if (parentPort) {
  const port = parentPort;
  run(workerData as ParseThreadInput).then(
    (reply) => port.postMessage(reply.message, reply.transfer),
    (error: unknown) => {
      const message: ParseThreadMessage = {
        ok: false,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      };
      port.postMessage(message);
    },
  );
}

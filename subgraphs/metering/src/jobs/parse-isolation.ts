import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Database, TenantContext } from '@ciro/db';
import { z } from 'zod';
import type { BlobStorage } from '../storage/blob-storage';
import type { StoredFailure, UploadOverrides } from '../uploads/upload.model';
import type { UploadRow } from '../uploads/upload.repository';

/** What the parse job needs parsed: the upload row, in the client's zone, with the admin's overrides. */
export interface ParseRequest {
  ctx: TenantContext;
  row: UploadRow;
  zone: string;
  overrides: UploadOverrides;
}

/** What the parse job keeps of a parse: the preview stored on the upload, or why the file failed. */
export interface ParseOutcome {
  preview: unknown;
  failure: StoredFailure | null;
}

export type ParseRunner = (request: ParseRequest) => Promise<ParseOutcome>;

export const DEFAULT_PARSE_MAX_MEMORY_MB = 1024;
/** The failure of an upload whose file needs more memory to read than the parse thread may use. */
export const PARSE_MEMORY_LIMIT = 'PARSE_MEMORY_LIMIT';

/** METERING_PARSE_MAX_MEMORY_MB: heap (old generation) of the thread that parses one upload. */
export function parseMaxMemoryMb(source: NodeJS.ProcessEnv = process.env): number {
  return z.coerce
    .number()
    .int()
    .min(64)
    .max(65_536)
    .default(DEFAULT_PARSE_MAX_MEMORY_MB)
    .parse(source.METERING_PARSE_MAX_MEMORY_MB === '' ? undefined : source.METERING_PARSE_MAX_MEMORY_MB);
}

/** postgres-js connection settings a thread can open its own pool with (plain values only). */
export interface ThreadConnection {
  host: string[];
  port: number[];
  path?: string;
  database: string;
  user: string;
  pass: string | null;
  ssl: unknown;
  connection: Record<string, unknown>;
}

/** The settings of the caller's pool, or null when they cannot cross to a thread (a password callback). */
export function threadConnectionOf(database: Database): ThreadConnection | null {
  const options = database.sql.options as unknown as Record<string, unknown>;
  const pass = options.pass;
  const ssl = options.ssl;
  if (pass !== null && pass !== undefined && typeof pass !== 'string') return null;
  if (typeof ssl === 'function') return null;
  return {
    host: options.host as string[],
    port: options.port as number[],
    ...(typeof options.path === 'string' ? { path: options.path } : {}),
    database: options.database as string,
    user: options.user as string,
    pass: pass ?? null,
    ssl: typeof ssl === 'object' && ssl !== null ? JSON.parse(JSON.stringify(ssl)) : ssl,
    connection: { ...(options.connection as Record<string, unknown>), application_name: 'metering-parse' },
  };
}

/** Data handed to the parse thread (structured-cloned). */
export interface ParseThreadInput extends ParseRequest {
  connection: ThreadConnection;
  bytes: Uint8Array;
  maxUploadBytes: number;
}

export type ParseThreadMessage = { ok: true; outcome: ParseOutcome } | { ok: false; error: string };

/** The compiled thread entry beside this module; null when running from TypeScript sources (tests). */
export function parseThreadScript(): string | null {
  const script = join(__dirname, 'parse-thread.js');
  return __filename.endsWith('.js') && existsSync(script) ? script : null;
}

export interface IsolatedParseOptions {
  database: Database;
  blob: BlobStorage;
  maxUploadBytes: number;
  maxMemoryMb: number;
  /** Defaults to parseThreadScript(). */
  script?: string;
}

function memoryFailure(maxMemoryMb: number): ParseOutcome {
  return {
    preview: null,
    failure: {
      code: PARSE_MEMORY_LIMIT,
      message:
        `Reading this file needs more than the ${maxMemoryMb} MB of memory a file may use ` +
        '(METERING_PARSE_MAX_MEMORY_MB); split it into smaller files (fewer sheets or days each) and upload them',
    },
  };
}

/**
 * Parses uploads in a worker thread whose heap is capped at `maxMemoryMb`, one thread per
 * upload: a file that needs more fails with PARSE_MEMORY_LIMIT instead of taking the process
 * down. The file is read from blob storage here (a missing blob throws BlobNotFoundError as
 * in-process) and handed over; the thread opens its own single database connection for the
 * meter look-ups, with the caller's tenant context.
 */
export function isolatedParser(options: IsolatedParseOptions): ParseRunner {
  const script = options.script ?? parseThreadScript();
  const connection = threadConnectionOf(options.database);
  if (!script || !connection)
    throw new Error('parse isolation needs the compiled parse thread and plain connection settings');
  return async (request) => {
    if (!request.row.blobKey) throw new Error(`upload ${request.row.id} has no blob`);
    const bytes = await options.blob.getOrThrow(request.row.clientId, request.row.blobKey);
    const input: ParseThreadInput = { ...request, connection, bytes, maxUploadBytes: options.maxUploadBytes };
    return new Promise<ParseOutcome>((resolve, reject) => {
      let settled = false;
      const worker = new Worker(script, {
        workerData: input,
        resourceLimits: { maxOldGenerationSizeMb: options.maxMemoryMb },
        stdout: false,
        stderr: false,
      });
      worker.once('message', (message: ParseThreadMessage) => {
        settled = true;
        if (message.ok) resolve(message.outcome);
        else reject(new Error(`parse thread failed: ${message.error}`));
      });
      worker.once('error', (error: Error & { code?: string }) => {
        if (settled) return;
        settled = true;
        if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') resolve(memoryFailure(options.maxMemoryMb));
        else reject(error);
      });
      worker.once('exit', (code) => {
        if (settled) return;
        settled = true;
        reject(new Error(`parse thread exited with code ${code} without a result`));
      });
    });
  };
}

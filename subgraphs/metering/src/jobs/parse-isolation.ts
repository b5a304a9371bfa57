import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Database, TenantContext } from '@ciro/db';
import type { BlobStorage } from '../storage/blob-storage';
import type { StoredFailure, UploadOverrides } from '../uploads/upload.model';
import type { ParsedUpload } from '../uploads/upload-parsing';
import type { UploadRow } from '../uploads/upload.repository';
import { unpackParsedUpload, type PackedParsedUpload } from './parse-transfer';

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

/** The failure of an upload whose file needs more memory to read than the parse thread may use. */
export const PARSE_MEMORY_LIMIT = 'PARSE_MEMORY_LIMIT';

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

/**
 * What the thread parses for: PREVIEW posts back the preview as it will be stored (JSON) or the
 * failure; COMMIT posts back the whole parse (readings included, packed: parse-transfer.ts).
 */
export type ParsePurpose = 'PREVIEW' | 'COMMIT';

/** Data handed to the parse thread (structured-cloned). */
export interface ParseThreadInput extends ParseRequest {
  purpose: ParsePurpose;
  connection: ThreadConnection;
  bytes: Uint8Array;
  maxUploadBytes: number;
}

export type ParseThreadMessage =
  | { ok: true; purpose: 'PREVIEW'; outcome: ParseOutcome }
  | { ok: true; purpose: 'COMMIT'; parsed: PackedParsedUpload }
  | { ok: false; error: string };

/** The compiled thread entry beside this module; null when running from TypeScript sources (tests). */
export function parseThreadScript(): string | null {
  const script = join(__dirname, 'parse-thread.js');
  return __filename.endsWith('.js') && existsSync(script) ? script : null;
}

/**
 * The thread script (`script`, by default parseThreadScript()) when uploads can be parsed in a
 * capped thread with this database's pool settings; null when they cannot (running from
 * TypeScript sources without a script given, a password callback).
 */
export function parseThreadAvailable(database: Database, script: string | null = parseThreadScript()): string | null {
  return script && threadConnectionOf(database) ? script : null;
}

export interface IsolatedParseOptions {
  database: Database;
  blob: BlobStorage;
  maxUploadBytes: number;
  maxMemoryMb: number;
  /** Defaults to parseThreadScript(). */
  script?: string;
}

function memoryFailure(maxMemoryMb: number): StoredFailure {
  return {
    code: PARSE_MEMORY_LIMIT,
    message:
      `Reading this file needs more than the ${maxMemoryMb} MB of memory a file may use ` +
      '(METERING_PARSE_MAX_MEMORY_MB); split it into smaller files (fewer sheets or days each) and upload them',
  };
}

type ThreadRun = (request: ParseRequest, purpose: ParsePurpose) => Promise<ParseThreadMessage | 'OUT_OF_MEMORY'>;

/**
 * One thread per parse, its heap capped at `maxMemoryMb`: a file that needs more ends the thread
 * (OUT_OF_MEMORY) instead of taking the process down. The file is read from blob storage here (a
 * missing blob throws BlobNotFoundError as in-process) and handed over; the thread opens its own
 * single database connection for the meter look-ups, with the caller's tenant context.
 */
function threadRunner(options: IsolatedParseOptions): ThreadRun {
  const script = options.script ?? parseThreadScript();
  const connection = threadConnectionOf(options.database);
  if (!script || !connection)
    throw new Error('parse isolation needs the compiled parse thread and plain connection settings');
  return async (request, purpose) => {
    if (!request.row.blobKey) throw new Error(`upload ${request.row.id} has no blob`);
    const bytes = await options.blob.getOrThrow(request.row.clientId, request.row.blobKey);
    const input: ParseThreadInput = { ...request, purpose, connection, bytes, maxUploadBytes: options.maxUploadBytes };
    return new Promise<ParseThreadMessage | 'OUT_OF_MEMORY'>((resolve, reject) => {
      let settled = false;
      const worker = new Worker(script, {
        workerData: input,
        resourceLimits: { maxOldGenerationSizeMb: options.maxMemoryMb },
        stdout: false,
        stderr: false,
      });
      worker.once('message', (message: ParseThreadMessage) => {
        settled = true;
        resolve(message);
      });
      worker.once('error', (error: Error & { code?: string }) => {
        if (settled) return;
        settled = true;
        if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') resolve('OUT_OF_MEMORY');
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

function unexpected(message: ParseThreadMessage, purpose: ParsePurpose): Error {
  return new Error(
    message.ok
      ? `parse thread answered ${message.purpose} to a ${purpose} parse`
      : `parse thread failed: ${message.error}`,
  );
}

/**
 * The parse job's runner: parses uploads in a capped thread (see threadRunner); a file that needs
 * more heap than `maxMemoryMb` fails with PARSE_MEMORY_LIMIT.
 */
export function isolatedParser(options: IsolatedParseOptions): ParseRunner {
  const run = threadRunner(options);
  return async (request) => {
    const message = await run(request, 'PREVIEW');
    if (message === 'OUT_OF_MEMORY') return { preview: null, failure: memoryFailure(options.maxMemoryMb) };
    if (message.ok && message.purpose === 'PREVIEW') return message.outcome;
    throw unexpected(message, 'PREVIEW');
  };
}

/** A full parse for a commit, or why the file could not be read within the cap. */
export type CommitParseResult = { ok: true; parsed: ParsedUpload } | { ok: false; failure: StoredFailure };

export type CommitParseRunner = (request: ParseRequest) => Promise<CommitParseResult>;

/**
 * The commit's runner: the same capped thread as the parse job, posting back the whole parse
 * (readings packed, Decimals rebuilt here from their exact text); a file that needs more heap
 * than `maxMemoryMb` yields the PARSE_MEMORY_LIMIT failure instead.
 */
export function isolatedCommitParser(options: IsolatedParseOptions): CommitParseRunner {
  const run = threadRunner(options);
  return async (request) => {
    const message = await run(request, 'COMMIT');
    if (message === 'OUT_OF_MEMORY') return { ok: false, failure: memoryFailure(options.maxMemoryMb) };
    if (message.ok && message.purpose === 'COMMIT') return { ok: true, parsed: unpackParsedUpload(message.parsed) };
    throw unexpected(message, 'COMMIT');
  };
}

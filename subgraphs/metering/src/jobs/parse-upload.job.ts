import { withTenant, type Database, type TenantContext } from '@ciro/db';
import type { Logger } from '@ciro/subgraph-common';
import { z } from 'zod';
import type { UploadEvents } from '../events/upload-events';
import { findClientTimeZone } from '../readings/meter-lookup.repository';
import { BlobNotFoundError, type BlobStorage } from '../storage/blob-storage';
import { parseStateOf, uploadGlobalId } from '../uploads/upload.mapper';
import type { StoredFailure } from '../uploads/upload.model';
import { parseStoredUpload } from '../uploads/upload-parsing';
import { lockUpload, updateUploadRow } from '../uploads/upload.repository';
import { toGlobalId } from '@ciro/subgraph-common';
import type { ParseOutcome, ParseRunner } from './parse-isolation';

/** Parses an uploaded file into a preview stored on the upload. */
export const PARSE_UPLOAD_JOB = 'parse-upload';

export const parseUploadPayloadSchema = z.object({
  clientId: z.uuid(),
  uploadId: z.uuid(),
  /** Mapping revision the job parses with; a newer revision makes the job stale (skipped). */
  revision: z.number().int().min(0),
});
export type ParseUploadPayload = z.infer<typeof parseUploadPayloadSchema>;

export interface ParseUploadDeps {
  database: Database;
  blob: BlobStorage;
  events: UploadEvents;
  logger: Logger;
  maxUploadBytes: number;
  /**
   * Where the file is parsed: in this process by default; the worker passes a thread with a
   * capped heap (parse-isolation.ts), so a file too big to read fails alone.
   */
  parse?: ParseRunner;
}

/** Parses in the calling thread. */
function parseInProcess(deps: ParseUploadDeps): ParseRunner {
  return async ({ ctx, row, zone, overrides }): Promise<ParseOutcome> => {
    const parsed = await parseStoredUpload(
      { database: deps.database, blob: deps.blob, maxUploadBytes: deps.maxUploadBytes },
      ctx,
      row,
      zone,
      overrides,
    );
    return { preview: parsed.preview, failure: parsed.failure };
  };
}

export type ParseUploadOutcome = 'PREVIEW_READY' | 'FAILED' | 'SKIPPED';

/** Workers act for the client of the job: a system context narrowed to that client by RLS. */
export function workerContext(clientId: string): TenantContext {
  return { role: 'SYSTEM_ADMIN', clientId, customerId: null, userId: null };
}

/**
 * The job handler: a plain function (tests call it directly). Idempotent: it parses only an
 * upload still RECEIVED/PARSING at the payload's revision, and writes its result only if
 * nobody changed the mapping meanwhile.
 */
export async function handleParseUpload(deps: ParseUploadDeps, input: unknown): Promise<ParseUploadOutcome> {
  const payload = parseUploadPayloadSchema.parse(input);
  const ctx = workerContext(payload.clientId);
  const publish = (status: string, message: string | null = null) =>
    deps.events.publish(payload.clientId, {
      uploadId: uploadGlobalId(payload.clientId, payload.uploadId),
      clientId: toGlobalId('Client', payload.clientId, payload.clientId),
      status,
      stage: status,
      message,
    });

  const started = await withTenant(deps.database, ctx, async (tx) => {
    const row = await lockUpload(tx, payload.clientId, payload.uploadId);
    if (!row) return null;
    const state = parseStateOf(row);
    if (state.revision !== payload.revision || !['RECEIVED', 'PARSING'].includes(row.status)) return null;
    const zone = await findClientTimeZone(tx, payload.clientId);
    const updated = await updateUploadRow(tx, payload.clientId, payload.uploadId, { status: 'PARSING' });
    return updated && zone ? { row: updated, state, zone } : null;
  });
  if (!started) return 'SKIPPED';
  await publish('PARSING');

  let outcome: { status: 'PREVIEW_READY' | 'FAILED'; preview: unknown; errors: StoredFailure[] };
  try {
    const parse = deps.parse ?? parseInProcess(deps);
    const parsed = await parse({ ctx, row: started.row, zone: started.zone, overrides: started.state.overrides });
    outcome = parsed.failure
      ? { status: 'FAILED', preview: parsed.preview, errors: [parsed.failure] }
      : { status: 'PREVIEW_READY', preview: parsed.preview, errors: [] };
  } catch (error) {
    if (!(error instanceof BlobNotFoundError)) throw error;
    outcome = {
      status: 'FAILED',
      preview: null,
      errors: [{ code: 'FILE_MISSING', message: 'The uploaded file is no longer in storage; upload it again' }],
    };
  }

  const written = await withTenant(deps.database, ctx, async (tx) => {
    const row = await lockUpload(tx, payload.clientId, payload.uploadId);
    if (!row || row.status !== 'PARSING' || parseStateOf(row).revision !== payload.revision) return false;
    await updateUploadRow(tx, payload.clientId, payload.uploadId, {
      status: outcome.status,
      preview: outcome.preview,
      errors: outcome.errors,
    });
    return true;
  });
  if (!written) return 'SKIPPED';
  await publish(outcome.status, outcome.errors[0]?.message ?? null);
  deps.logger.info({ uploadId: payload.uploadId, status: outcome.status }, 'upload parsed');
  return outcome.status;
}

/** After the last attempt failed unexpectedly: the upload FAILS with a message a person can act on. */
export async function markParseFailed(deps: ParseUploadDeps, input: unknown): Promise<void> {
  const payload = parseUploadPayloadSchema.parse(input);
  const failed = await withTenant(deps.database, workerContext(payload.clientId), async (tx) => {
    const row = await lockUpload(tx, payload.clientId, payload.uploadId);
    if (!row || !['RECEIVED', 'PARSING'].includes(row.status) || parseStateOf(row).revision !== payload.revision) {
      return false;
    }
    await updateUploadRow(tx, payload.clientId, payload.uploadId, {
      status: 'FAILED',
      errors: [{ code: 'PARSE_FAILED', message: 'The file could not be processed; try again, or send it to support' }],
    });
    return true;
  });
  if (failed) {
    await deps.events.publish(payload.clientId, {
      uploadId: uploadGlobalId(payload.clientId, payload.uploadId),
      clientId: toGlobalId('Client', payload.clientId, payload.clientId),
      status: 'FAILED',
      stage: 'FAILED',
      message: 'The file could not be processed',
    });
  }
}

import { createHash, randomUUID } from 'node:crypto';
import { withTenant } from '@ciro/db';
import {
  BadUserInputError,
  NotFoundError,
  assertClientAdmin,
  fromTenantIdOrThrow,
  tenantContextFor,
  toGlobalId,
  type Page,
} from '@ciro/subgraph-common';
import type { Caller } from '../caller';
import type { MeteringDeps } from '../context';
import type { MappingOverride } from '../parsing';
import { toUpload, parseStateOf, uploadGlobalId } from './upload.mapper';
import {
  LIVE_STATUSES,
  UPLOAD_KINDS,
  type StoredParseState,
  type UploadKindValue,
  type UploadOverrides,
  type UploadStatusValue,
} from './upload.model';
import {
  findLiveUploadByHash,
  findUpload,
  insertUpload,
  listUploadRows,
  lockContentHash,
  lockUpload,
  updateUploadRow,
  type UploadRow,
} from './upload.repository';
import type { MappingOverrideInput, SetUploadMappingInput, Upload } from './upload.type';

export interface NewUploadFile {
  /** Global Client id. */
  clientId: string;
  kind: string;
  fileName: string;
  bytes: Buffer;
  contentType?: string | null;
  period?: string | null;
}

export interface CreatedUpload {
  upload: Upload;
  outcome: 'CREATED' | 'DUPLICATE';
}

/** Client of a global Client id, after the tenant check (FORBIDDEN for another client). */
export function clientIdOrThrow(caller: Caller, clientGlobalId: string): string {
  const { clientId } = fromTenantIdOrThrow('Client', clientGlobalId);
  tenantContextFor(caller.identity, clientId);
  return clientId;
}

/** Upload of a global id, after the tenant check: another client's id is FORBIDDEN before any query. */
export function uploadIdsOrThrow(caller: Caller, globalId: string): { clientId: string; uploadId: string } {
  const { clientId, id } = fromTenantIdOrThrow('Upload', globalId);
  assertClientAdmin(caller.identity, clientId);
  return { clientId, uploadId: id };
}

/** 1–255 characters, no path separators, no control characters. */
export function isSafeFileName(name: string): boolean {
  return (
    name.length >= 1 &&
    name.length <= 255 &&
    ![...name].some((ch) => ch === '/' || ch === '\\' || ch.charCodeAt(0) < 32)
  );
}

/** Blob keys keep the name readable but never trust it for a path. */
export function safeBlobName(fileName: string): string {
  return (
    fileName
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .slice(-120) || 'file'
  );
}

function blobKeyOf(uploadId: string, fileName: string): string {
  return `uploads/${uploadId}/${safeBlobName(fileName)}`;
}

function validateFile(input: NewUploadFile, maxBytes: number): UploadKindValue {
  if (!(UPLOAD_KINDS as readonly string[]).includes(input.kind)) {
    throw new BadUserInputError('kind', `kind must be one of ${UPLOAD_KINDS.join(', ')}`);
  }
  if (!isSafeFileName(input.fileName.trim())) {
    throw new BadUserInputError('fileName', 'fileName must be 1–255 characters without slashes or control characters');
  }
  if (input.bytes.length === 0) throw new BadUserInputError('contentBase64', 'The file is empty');
  if (input.bytes.length > maxBytes) {
    throw new BadUserInputError(
      'contentBase64',
      `The file has ${input.bytes.length} bytes; the limit is ${maxBytes} bytes (${Math.floor(maxBytes / 1024 / 1024)} MB)`,
    );
  }
  if (input.period != null && !/^\d{4}-(0[1-9]|1[0-2])$/.test(input.period)) {
    throw new BadUserInputError('period', 'period is written YYYY-MM, e.g. "2025-09"');
  }
  return input.kind as UploadKindValue;
}

/**
 * Stores a file and queues its parse. The same content (SHA-256) of the same kind already
 * committed or on its way is not stored again: that upload is returned as DUPLICATE.
 */
export async function createUpload(deps: MeteringDeps, caller: Caller, input: NewUploadFile): Promise<CreatedUpload> {
  const clientId = clientIdOrThrow(caller, input.clientId);
  assertClientAdmin(caller.identity, clientId);
  const kind = validateFile(input, deps.settings.maxUploadBytes);
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  const state: StoredParseState = { revision: 0, overrides: input.period ? { period: input.period } : {} };

  const result = await withTenant(deps.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    await lockContentHash(tx, clientId, sha256);
    const existing = await findLiveUploadByHash(tx, clientId, kind, sha256, LIVE_STATUSES);
    if (existing) return { row: existing, outcome: 'DUPLICATE' as const };
    const id = randomUUID();
    const blobKey = blobKeyOf(id, input.fileName);
    // Stored before the row commits: a row never points at a missing blob.
    await deps.blob.put(clientId, blobKey, input.bytes, input.contentType ?? undefined);
    const row = await insertUpload(tx, {
      clientId,
      id,
      kind,
      fileName: input.fileName.trim(),
      contentType: input.contentType ?? null,
      sizeBytes: input.bytes.length,
      sha256,
      blobKey,
      status: 'RECEIVED',
      detectedMapping: state,
      uploadedByUserId: caller.identity.userId,
    });
    return { row, outcome: 'CREATED' as const };
  });

  if (result.outcome === 'CREATED') {
    await deps.queue.enqueueParse({ clientId, uploadId: result.row.id, revision: 0 });
    await publishStatus(deps, result.row, 'RECEIVED');
  }
  return { upload: toUpload(result.row), outcome: result.outcome };
}

export async function publishStatus(
  deps: Pick<MeteringDeps, 'events' | 'logger'>,
  row: Pick<UploadRow, 'clientId' | 'id'>,
  stage: string,
  message: string | null = null,
): Promise<void> {
  try {
    await deps.events.publish(row.clientId, {
      uploadId: uploadGlobalId(row.clientId, row.id),
      clientId: toGlobalId('Client', row.clientId, row.clientId),
      status: stage,
      stage,
      message,
    });
  } catch (error) {
    // Progress events are a convenience: a Redis hiccup must not fail the upload itself.
    deps.logger.warn({ err: error, uploadId: row.id }, 'could not publish an upload event');
  }
}

export async function getUploadOrThrow(deps: MeteringDeps, caller: Caller, globalId: string): Promise<Upload> {
  const { clientId, uploadId } = uploadIdsOrThrow(caller, globalId);
  const row = await withTenant(deps.database, tenantContextFor(caller.identity, clientId), (tx) =>
    findUpload(tx, clientId, uploadId),
  );
  if (!row) throw new NotFoundError('Upload', globalId);
  return toUpload(row);
}

export async function listUploads(
  deps: MeteringDeps,
  caller: Caller,
  clientGlobalId: string,
  filter: { status?: UploadStatusValue; kind?: UploadKindValue },
  page: Page,
): Promise<{ rows: Upload[]; total: number }> {
  const clientId = clientIdOrThrow(caller, clientGlobalId);
  assertClientAdmin(caller.identity, clientId);
  const { rows, total } = await withTenant(deps.database, tenantContextFor(caller.identity, clientId), (tx) =>
    listUploadRows(tx, clientId, filter, page.limit, page.offset),
  );
  return { rows: rows.map(toUpload), total };
}

function mappingOverrideOf(input: MappingOverrideInput, field: string): MappingOverride {
  const out: MappingOverride = {};
  if (input.timestamp !== undefined && input.timestamp !== null) {
    if (input.timestamp.length < 1 || input.timestamp.length > 2) {
      throw new BadUserInputError(
        `${field}.timestamp`,
        'timestamp names one date-time column, or a date and a time column',
      );
    }
    out.timestamp = input.timestamp;
  }
  if (input.consumption != null) out.consumption = input.consumption;
  if (input.kvarh !== undefined) out.kvarh = input.kvarh;
  if (input.serial !== undefined) out.serial = input.serial;
  if (input.convention != null) out.convention = input.convention;
  if (input.decimalSeparator != null) {
    if (input.decimalSeparator !== ',' && input.decimalSeparator !== '.') {
      throw new BadUserInputError(`${field}.decimalSeparator`, 'decimalSeparator is "," or "."');
    }
    out.decimalSeparator = input.decimalSeparator;
  }
  if (input.delimiter != null) {
    if (![',', ';', '\t', '|'].includes(input.delimiter)) {
      throw new BadUserInputError(`${field}.delimiter`, 'delimiter is one of , ; | or a tab');
    }
    out.delimiter = input.delimiter;
  }
  if (input.dateOrder != null) out.dateOrder = input.dateOrder;
  if (input.headerRow != null) {
    if (!Number.isInteger(input.headerRow) || input.headerRow < 1) {
      throw new BadUserInputError(`${field}.headerRow`, 'headerRow is a 1-based row number');
    }
    out.headerRow = input.headerRow;
  }
  return out;
}

function overridesOf(input: SetUploadMappingInput): UploadOverrides {
  const overrides: UploadOverrides = {};
  if (input.period != null) overrides.period = input.period;
  if (input.sheetSerials?.length) {
    overrides.sheetSerials = {};
    for (const [i, s] of input.sheetSerials.entries()) {
      if (!s.sheet.trim() || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(s.serial.trim())) {
        throw new BadUserInputError(
          `sheetSerials.${i}`,
          'Each entry names a sheet and a meter serial such as "5614086"',
        );
      }
      overrides.sheetSerials[s.sheet] = s.serial.trim();
    }
  }
  if (input.mapping) overrides.mapping = mappingOverrideOf(input.mapping, 'mapping');
  if (input.sheetMappings?.length) {
    overrides.sheetMappings = {};
    for (const [i, s] of input.sheetMappings.entries()) {
      overrides.sheetMappings[s.sheet] = mappingOverrideOf(s.mapping, `sheetMappings.${i}.mapping`);
    }
  }
  return overrides;
}

/** Replaces the admin's corrections and parses the file again (a new revision; older parses are ignored). */
export async function setUploadMapping(
  deps: MeteringDeps,
  caller: Caller,
  input: SetUploadMappingInput,
): Promise<Upload> {
  const { clientId, uploadId } = uploadIdsOrThrow(caller, input.id);
  const overrides = overridesOf(input);
  const row = await withTenant(deps.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    const current = await lockUpload(tx, clientId, uploadId);
    if (!current) throw new NotFoundError('Upload', input.id);
    if (!['PREVIEW_READY', 'FAILED', 'RECEIVED', 'PARSING'].includes(current.status)) {
      throw new BadUserInputError(
        'id',
        `The upload is ${current.status}; only an upload not yet committed or discarded can be re-mapped`,
      );
    }
    const state: StoredParseState = { revision: parseStateOf(current).revision + 1, overrides };
    return updateUploadRow(tx, clientId, uploadId, {
      detectedMapping: state,
      status: 'RECEIVED',
      preview: null,
      errors: null,
    });
  });
  if (!row) throw new NotFoundError('Upload', input.id);
  await deps.queue.enqueueParse({ clientId, uploadId, revision: parseStateOf(row).revision });
  await publishStatus(deps, row, 'RECEIVED', 'Mapping changed; parsing again');
  return toUpload(row);
}

/** Drops an upload that was not committed; its file stays in storage for the record. */
export async function discardUpload(deps: MeteringDeps, caller: Caller, globalId: string): Promise<Upload> {
  const { clientId, uploadId } = uploadIdsOrThrow(caller, globalId);
  const row = await withTenant(deps.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    const current = await lockUpload(tx, clientId, uploadId);
    if (!current) throw new NotFoundError('Upload', globalId);
    if (current.status === 'COMMITTED') {
      throw new BadUserInputError('id', 'A committed upload cannot be discarded; upload a corrected file instead');
    }
    if (current.status === 'DISCARDED') return current;
    return updateUploadRow(tx, clientId, uploadId, { status: 'DISCARDED' });
  });
  if (!row) throw new NotFoundError('Upload', globalId);
  await publishStatus(deps, row, 'DISCARDED');
  return toUpload(row);
}

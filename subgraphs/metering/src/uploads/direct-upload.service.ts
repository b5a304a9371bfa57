import { randomUUID } from 'node:crypto';
import { BadUserInputError, assertClientAdmin } from '@ciro/subgraph-common';
import type { Caller } from '../caller';
import type { MeteringDeps } from '../context';
import { clientIdOrThrow, createUpload, isSafeFileName, safeBlobName, type CreatedUpload } from './upload.service';

/** How long a write-only upload link stays valid. */
export const UPLOAD_URL_TTL_SECONDS = 15 * 60;

/** Keys handed out by requestUploadUrl: `incoming/<uuid>/<safe name>`; nothing else may be claimed as an upload. */
const INCOMING_KEY = /^incoming\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/[A-Za-z0-9._-]{1,120}$/;

export interface UploadUrl {
  blobKey: string;
  uploadUrl: string;
  expiresAt: Date;
  maxBytes: number;
}

/**
 * A write-only link for one new blob in the client's private container, for
 * files too large for a request body: PUT the file there, then call
 * createUploadFromBlob with the key.
 */
export async function requestUploadUrl(
  deps: MeteringDeps,
  caller: Caller,
  input: { clientId: string; fileName: string },
): Promise<UploadUrl> {
  const clientId = clientIdOrThrow(caller, input.clientId);
  assertClientAdmin(caller.identity, clientId);
  const fileName = input.fileName.trim();
  if (!isSafeFileName(fileName)) {
    throw new BadUserInputError('fileName', 'fileName must be 1–255 characters without slashes or control characters');
  }
  const blobKey = `incoming/${randomUUID()}/${safeBlobName(fileName)}`;
  const { url, expiresAt } = await deps.blob.writeUrl(clientId, blobKey, UPLOAD_URL_TTL_SECONDS);
  return { blobKey, uploadUrl: url, expiresAt, maxBytes: deps.settings.maxUploadBytes };
}

export interface NewUploadFromBlob {
  /** Global Client id. */
  clientId: string;
  kind: string;
  blobKey: string;
  /** Defaults to the name in the key. */
  fileName?: string | null;
  period?: string | null;
}

/**
 * Turns a file written through requestUploadUrl into an upload, exactly as if
 * it had been sent in the request (same checks, hash, duplicate detection and
 * parse); the incoming blob is removed once the upload holds its own copy.
 */
export async function createUploadFromBlob(
  deps: MeteringDeps,
  caller: Caller,
  input: NewUploadFromBlob,
): Promise<CreatedUpload> {
  const clientId = clientIdOrThrow(caller, input.clientId);
  assertClientAdmin(caller.identity, clientId);
  if (!INCOMING_KEY.test(input.blobKey)) {
    throw new BadUserInputError('blobKey', 'blobKey must be a key returned by requestUploadUrl (incoming/<id>/<name>)');
  }
  const size = await deps.blob.sizeOf(clientId, input.blobKey);
  if (size === null) {
    throw new BadUserInputError(
      'blobKey',
      'Nothing was uploaded to this blobKey: PUT the file to the uploadUrl (header x-ms-blob-type: BlockBlob) before it expires',
    );
  }
  const maxBytes = deps.settings.maxUploadBytes;
  if (size > maxBytes) {
    throw new BadUserInputError(
      'blobKey',
      `The file has ${size} bytes; the limit is ${maxBytes} bytes (${Math.floor(maxBytes / 1024 / 1024)} MB)`,
    );
  }
  const bytes = await deps.blob.getOrThrow(clientId, input.blobKey);
  const created = await createUpload(deps, caller, {
    clientId: input.clientId,
    kind: input.kind,
    fileName: input.fileName?.trim() || input.blobKey.slice(input.blobKey.lastIndexOf('/') + 1),
    bytes,
    period: input.period ?? null,
  });
  await deps.blob.delete(clientId, input.blobKey);
  return created;
}
